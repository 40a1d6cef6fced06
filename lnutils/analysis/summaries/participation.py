"""Who answered and what happened: response rate by group, the activity log per arena and month."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lnutils.analysis.summaries.answers import ALL, with_wilson
from lnutils.analysis.suppression import (
    GroupSummary,
    Protection,
    hide_small,
    threshold_for,
    total_shown,
)
from lnutils.problems import DataError, Problem


def response_rate_by_group(*, invited: pd.Series, answered: pd.Series, total: bool = True,
                           order: Sequence[str] | None = None) -> pd.DataFrame:
    """Response rate per group against the invitation list, with Wilson intervals.

    The survey is anonymous, so rates are compared group by group: invited people per
    group (from the invitation list) against respondents who said they belong to it.
    Labels are matched ignoring case and spacing.

    Parameters
    ----------
    invited : one group label per invited person (e.g. the list's organisation type).
    answered : one entry per respondent of the survey, their group label or NA (e.g.
        :func:`respondent_groups`): respondents without a group (skipped the question,
        were not asked it) count in the total "Alle" only, so the total is everyone who
        answered the survey.
    total : add a row ``group == "Alle"`` (all invited, all respondents).
    order : group labels in the order wanted (default: most invited first).

    Returns
    -------
    DataFrame
        group, invited, answered, rate, low, high.

    Raises
    ------
    DataError
        When a group has more respondents than invited people (the two lists use
        different group names, or the invitation list is incomplete); one problem per
        such group, naming it and both counts.
    """
    def norm(s: pd.Series) -> pd.Series:
        return s.dropna().astype(str).str.strip().str.casefold()

    keys, shown = norm(invited), invited.dropna().astype(str).str.strip()
    last = ~keys.duplicated(keep="last").to_numpy()  # a group's name as last written
    names = dict(zip(keys[last], shown[last], strict=True))
    n_inv = keys.value_counts()
    n_ans = norm(answered).value_counts()
    unknown = sorted(set(n_ans.index) - set(n_inv.index))
    keys = list(n_inv.index) if order is None else [str(o).strip().casefold() for o in order]
    records = [{"group": names.get(k, k), "invited": int(n_inv.get(k, 0)),
                "answered": int(n_ans.get(k, 0))} for k in keys]
    if total:
        records.append({"group": ALL, "invited": int(invited.notna().sum()),
                        "answered": len(answered)})
    problems = [
        Problem(None, None, str(r["group"]), r["answered"],
                f"group {r['group']!r} has {r['answered']} respondents but only "
                f"{r['invited']} invited",
                "make the survey's group names match the invitation list's, or complete "
                f"the list (respondent groups not in the list: {unknown or 'none'})")
        for r in records if r["answered"] > r["invited"]]
    if problems:
        raise DataError(problems)
    out = pd.DataFrame(records, columns=["group", "invited", "answered"])
    return with_wilson(out, n="answered", base="invited").rename(columns={"share": "rate"})


def protect_response_rates(rates: pd.DataFrame, *, question: str, privacy=None
                           ) -> GroupSummary:
    """Response rates with small-group protection, as the figure and the facts show them.

    A group where fewer than its threshold answered (but someone did) is left out, and
    more groups with it when the respondents' total minus the groups shown would give
    it away (:func:`lnutils.analysis.suppression.hide_small`); a group where nobody
    answered is a 0 and is shown. The total "Alle" stays when at least the threshold
    answered.

    Parameters
    ----------
    rates : :func:`response_rate_by_group` (with or without its "Alle" row).
    question : the survey question naming the respondents' groups (exceptions name it).
    privacy : the pipeline's privacy settings.
    """
    groups = rates[rates["group"] != ALL]
    sizes = {(str(g),): int(n) for g, n in zip(groups["group"], groups["answered"],
                                               strict=True)}
    small = {c for c, n in sizes.items()
             if 0 < n < threshold_for(c, by=[question], privacy=privacy)[0]}
    hidden, extra = hide_small(sizes, by=[question], privacy=privacy, small=small)
    keep = ~rates["group"].astype(str).map(lambda g: (g,) in hidden)
    keep &= (rates["group"] != ALL) | rates["answered"].map(lambda n: total_shown(n, privacy))
    shown = {c for c in sizes if c not in hidden}
    applied = []
    for cell in shown:
        limit, exc = threshold_for(cell, by=[question], privacy=privacy)
        if exc is not None and sizes[cell] < getattr(privacy, "min_group_size", 5) \
                and exc not in applied:
            applied.append(exc)
    protection = Protection(
        getattr(privacy, "min_group_size", 5),
        suppressed=tuple(c[0] for c in sizes if c in hidden and c not in extra),
        applied=tuple(applied), complementary=tuple(c[0] for c in extra),
        nothing_shown=bool(sizes) and not shown)
    return GroupSummary(rates[keep].reset_index(drop=True), protection, (question,))


def respondent_groups(answers: pd.DataFrame, *, question: str) -> pd.Series:
    """Every respondent's group label by their answer to ``question``, NA when they have none.

    Unlike :func:`~lnutils.analysis.summaries.group_labels`, respondents who skipped the
    question, were not asked it or answered "Vet ikke" stay in (as NA), so that a total
    over the result counts everyone who answered the survey.
    """
    rows = answers[(answers["question"] == question) & (answers["item"] == "")]
    opinion = rows["nonanswer"].isna() & rows["code"].notna()
    labels = rows["label"].where(opinion).astype("string")
    groups = pd.Series(labels.to_numpy(), index=rows["respondent"].to_numpy(), name=question)
    everyone = pd.Index(answers["respondent"].unique(), name="respondent")
    return groups[~groups.index.duplicated()].reindex(everyone)


MODES = {"fysisk": "fysisk", "digital": "digital", "delvis digital": "delvis digital",
         "physical": "fysisk", "hybrid": "delvis digital"}


def _events(activities: pd.DataFrame, date: str, arena: str, mode: str | None) -> pd.DataFrame:
    missing = [c for c in (date, arena, mode) if c and c not in activities.columns]
    if missing:
        raise KeyError(f"activity table has no column(s) {missing}; columns are "
                       f"{list(activities.columns)}; pass date=, arena=, mode= to name them")
    out = pd.DataFrame({"date": pd.to_datetime(activities[date]),
                        "arena": activities[arena].astype(str)})
    raw = activities[mode].astype(str).str.strip().str.lower() if mode else "ukjent"
    out["mode"] = raw.map(lambda m: MODES.get(m, m)) if mode else raw
    return out


def events_by_arena(activities: pd.DataFrame, *, date: str = "date", arena: str = "arena",
                    mode: str | None = "mode") -> pd.DataFrame:
    """Events per arena (Table 1 of the report), split by physical and digital.

    Parameters
    ----------
    activities : the activity log, one row per event.
    date, arena, mode : its column names (``mode`` holds fysisk / digital / delvis
        digital; None when the log has no such column).

    Returns
    -------
    DataFrame
        arena, n, one column per mode (``fysisk``, ``digital``, ``delvis digital``),
        first, last (dates); arenas in order of their first event.
    """
    events = _events(activities, date, arena, mode)
    if events.empty:
        return pd.DataFrame(columns=["arena", "n", "first", "last"])
    per_mode = pd.crosstab(events["arena"], events["mode"])
    grouped = events.groupby("arena")["date"]
    out = pd.DataFrame({"n": grouped.size(), "first": grouped.min(), "last": grouped.max()})
    out = out.join(per_mode).sort_values(["first", "arena"]).reset_index()
    modes = [m for m in ("fysisk", "delvis digital", "digital") if m in per_mode.columns]
    modes += [m for m in per_mode.columns if m not in modes]
    return out[["arena", "n", *modes, "first", "last"]]


def events_per_month(activities: pd.DataFrame, *, date: str = "date", arena: str = "arena",
                     mode: str | None = "mode") -> pd.DataFrame:
    """Events per calendar month, arena and mode, with every month of the period present.

    Returns
    -------
    DataFrame
        month (Timestamp, first day), arena, mode, n; months without events appear
        with ``arena`` and ``mode`` empty and n 0, so a timeline has no gaps.
    """
    events = _events(activities, date, arena, mode)
    if events.empty:
        return pd.DataFrame(columns=["month", "arena", "mode", "n"])
    events["month"] = events["date"].dt.to_period("M").dt.to_timestamp()
    counts = (events.groupby(["month", "arena", "mode"]).size().rename("n").reset_index())
    months = pd.date_range(events["month"].min(), events["month"].max(), freq="MS")
    empty = [m for m in months if m not in set(counts["month"])]
    fill = pd.DataFrame({"month": empty, "arena": "", "mode": "", "n": 0})
    out = pd.concat([counts, fill], ignore_index=True) if empty else counts
    return out.sort_values(["month", "arena", "mode"]).reset_index(drop=True)
