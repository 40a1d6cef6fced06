"""Tidy summaries of the toolkit data: perceived benefit, programme fidelity, run charts.

Inputs are the loaded ``toolkit_forms`` (:class:`~lnutils.inputs.toolkit_forms.ToolkitForms`)
and ``toolkit_checklists`` (:class:`~lnutils.inputs.toolkit_forms.ToolkitChecklists`). Each
function returns a DataFrame with its base (``n``) beside every share or mean; grouped
summaries end with a row for the whole network (group ``"Alle"``).

How users are aggregated (the source leaves it open): every user's form counts once,
whatever its number of activities; benefit summaries use complete forms only; fidelity
summaries leave out checklists with every step "not relevant"; completion per step is
the share *done among the checklists where the step was relevant*.

Small groups: a municipality whose base is under ``min_group_size`` (default 5, the
pipeline's ``privacy.min_group_size``) is left out of grouped summaries, since a few
users' scores can point at them. Grouped summaries return a
:class:`~lnutils.analysis.suppression.GroupSummary`: the ``table`` and its ``protection``,
whose ``suppressed`` names the groups left out (the network total "Alle" is always kept).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lnutils.analysis.suppression import DEFAULT_MIN_GROUP_SIZE, GroupSummary, Protection

ALL = "Alle"


def _groups(frame: pd.DataFrame, by: str | None):
    """(group name, rows) per value of ``by``, then the whole table as ``ALL``."""
    if by is not None:
        yield from frame.groupby(by, sort=True)
    yield ALL, frame


def _protect(frame: pd.DataFrame, base: str, min_group_size: int, by: str | None
             ) -> GroupSummary:
    """Drop groups (not ALL) whose largest ``base`` is under the threshold; say which."""
    by_ = (by,) if by else ()
    if frame.empty:
        return GroupSummary(frame, Protection(min_group_size), by_)
    size = frame.groupby("group")[base].transform("max")
    small = (frame["group"] != ALL) & (size < min_group_size)
    kept = frame[~small].reset_index(drop=True)
    left_out = tuple(sorted(set(frame.loc[small, "group"])))
    return GroupSummary(kept, Protection(min_group_size, suppressed=left_out), by_)


def _wilson(successes: int, n: int) -> tuple[float, float]:
    if n == 0:
        return (math.nan, math.nan)
    from lnutils.analysis.stats import wilson_interval  # noqa: PLC0415 -- the project's one Wilson

    return wilson_interval(successes, n)


def benefit_summary(forms, by: str | None = "municipality", *,
                    min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> GroupSummary:
    """Perceived benefit per group: base, mean, median and the share who improved.

    Columns: group, n_forms, n_complete, n_pending, n_unpaired, mean_benefit,
    median_benefit, n_improved, share_improved (0-1), low, high (Wilson 95 %).
    """
    out = []
    for name, rows in _groups(forms.forms, by):
        done = rows[rows["status"] == "complete"]
        improved = int(done["improved"].sum())
        low, high = _wilson(improved, len(done))
        out.append({
            "group": name, "n_forms": len(rows), "n_complete": len(done),
            "n_pending": int((rows["status"] == "pending").sum()),
            "n_unpaired": int((rows["status"] == "unpaired").sum()),
            "mean_benefit": done["benefit"].mean() if len(done) else math.nan,
            "median_benefit": done["benefit"].median() if len(done) else math.nan,
            "n_improved": improved,
            "share_improved": improved / len(done) if len(done) else math.nan,
            "low": low, "high": high})
    return _protect(pd.DataFrame(out), "n_complete", min_group_size, by)


def _bin_label(value: int, lo: int, hi: int) -> str:
    sign = "−" if value < 0 else ("+" if value > 0 else "")
    text = f"{sign}{abs(value)}"
    if value == lo:
        return f"{text} eller lavere"
    if value == hi:
        return f"{text} eller høyere"
    return text


def benefit_distribution(forms, by: str | None = None, *, lo: int = -3, hi: int = 5,
                         min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> GroupSummary:
    """How complete forms spread over perceived benefit, rounded to whole points.

    Benefits are rounded half away from zero and gathered at ``lo`` and ``hi``; every
    bin appears (with 0) so groups line up. Columns: group, bin, label, n, share, base.
    """
    done = forms.forms[forms.forms["status"] == "complete"]
    bins = list(range(lo, hi + 1))
    out = []
    for name, rows in _groups(done, by):
        values = rows["benefit"].to_numpy(dtype=float)
        rounded = np.clip(np.sign(values) * np.floor(np.abs(values) + 0.5), lo, hi)
        counts = pd.Series(rounded.astype(int)).value_counts()
        for b in bins:
            n = int(counts.get(b, 0))
            out.append({"group": name, "bin": b, "label": _bin_label(b, lo, hi), "n": n,
                        "share": n / len(rows) if len(rows) else math.nan,
                        "base": len(rows)})
    return _protect(pd.DataFrame(out), "base", min_group_size, by)


def fidelity_summary(checklists, by: str | None = "municipality", *,
                     min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> GroupSummary:
    """Programme fidelity per group.

    Columns: group, n_checklists, n_all_not_relevant, n_used, mean_fidelity,
    median_fidelity (shares 0-1, over the checklists used).
    """
    out = []
    for name, rows in _groups(checklists.checklists, by):
        used = rows[~rows["all_not_relevant"]]
        out.append({"group": name, "n_checklists": len(rows),
                    "n_all_not_relevant": int(rows["all_not_relevant"].sum()),
                    "n_used": len(used),
                    "mean_fidelity": used["fidelity"].mean() if len(used) else math.nan,
                    "median_fidelity": used["fidelity"].median() if len(used) else math.nan})
    return _protect(pd.DataFrame(out), "n_used", min_group_size, by)


def step_completion(checklists, by: str | None = None, *,
                    min_group_size: int = DEFAULT_MIN_GROUP_SIZE) -> GroupSummary:
    """Completion per checklist step (team-specific steps on their own rows).

    Columns: group, step, label, team_specific, n (checklists), n_done, n_not_relevant,
    n_missed, n_relevant, done_share (done / relevant), missed_share (missed / n).
    """
    used = checklists.checklists.loc[~checklists.checklists["all_not_relevant"], "checklist"]
    steps = checklists.steps[checklists.steps["checklist"].isin(used)]
    out = []
    for name, rows in _groups(steps, by):
        for (step, label, own), s in rows.groupby(["step", "label", "team_specific"],
                                                  sort=True):
            done, skip = int((s["status"] == "ja").sum()), int((s["status"] == "nei").sum())
            out.append({"group": name, "step": step, "label": label, "team_specific": own,
                        "n": len(s), "n_done": done,
                        "n_not_relevant": int((s["status"] == "ikke_aktuelt").sum()),
                        "n_missed": skip, "n_relevant": done + skip,
                        "done_share": done / (done + skip) if done + skip else math.nan,
                        "missed_share": skip / len(s)})
    columns = ["group", "step", "label", "team_specific", "n", "n_done", "n_not_relevant",
               "n_missed", "n_relevant", "done_share", "missed_share"]
    return _protect(pd.DataFrame(out, columns=columns), "n", min_group_size, by)


def most_missed_step(checklists) -> dict:
    """The standard step most often relevant but not done, over the whole network.

    Ties go to the lower step number. Returns step, label, n_missed, n, missed_share.
    """
    table = step_completion(checklists).table
    table = table[~table["team_specific"]].sort_values(["missed_share", "step"],
                                                       ascending=[False, True])
    if table.empty:
        return {}
    top = table.iloc[0]
    return {k: top[k].item() if hasattr(top[k], "item") else top[k]
            for k in ("step", "label", "n_missed", "n", "missed_share")}


def run_chart_data(table: pd.DataFrame, *, date: str, value: str, by: str | None = None,
                   freq: str = "M") -> pd.DataFrame:
    """Mean of ``value`` per period, with the median of those means (the run chart's centre).

    Columns: group, period (Timestamp at the period start), n, value, median. Periods
    without data are left out rather than drawn as zero.
    """
    frame = table.dropna(subset=[date, value]).copy()
    frame["period"] = pd.to_datetime(frame[date]).dt.to_period(freq).dt.start_time
    out = []
    for name, rows in _groups(frame, by):
        per = rows.groupby("period", sort=True)[value].agg(["size", "mean"]).reset_index()
        per = per.rename(columns={"size": "n", "mean": "value"})
        per.insert(0, "group", name)
        per["median"] = per["value"].median() if len(per) else math.nan
        out.append(per)
    if not out or all(p.empty for p in out):
        return pd.DataFrame(columns=["group", "period", "n", "value", "median"])
    return pd.concat([p for p in out if not p.empty], ignore_index=True)


def benefit_run_chart(forms, by: str | None = None, freq: str = "M") -> pd.DataFrame:
    """Run chart data of perceived benefit, dated by the second conversation."""
    done = forms.forms[forms.forms["status"] == "complete"]
    return run_chart_data(done, date="date_2", value="benefit", by=by, freq=freq)


def fidelity_run_chart(checklists, by: str | None = None, freq: str = "M") -> pd.DataFrame:
    """Run chart data of programme fidelity in percent, dated by the checklist."""
    used = checklists.checklists[~checklists.checklists["all_not_relevant"]].copy()
    used["fidelity_pct"] = 100 * used["fidelity"]
    return run_chart_data(used, date="date", value="fidelity_pct", by=by, freq=freq)
