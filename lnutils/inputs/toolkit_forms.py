"""Loaders of the toolkit's filled-in forms and checklists, scored by :mod:`lnutils.inputs.toolkit`.

``forms.csv`` has one row per activity on a user's "Hva er viktig for meg"-form, laid out
like the paper form: ``form, municipality, user, activity, date_1, score_1, date_2,
score_2`` (blank ``score_2``/``date_2`` while the second conversation has not taken place).
``checklists.csv`` has one row per filled-in collaboration checklist: ``checklist, form,
municipality, date, step_1 ... step_10`` with ``ja``, ``nei`` or ``ikke_aktuelt``.
Every rule broken is reported with file, row and column; see :mod:`lnutils.inputs.toolkit` for
the decisions about changed activities, missing conversations and team-specific steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from lnutils.inputs.table_checks import read_csv, rows
from lnutils.inputs.toolkit import (
    DEFAULT_SCALE,
    STATUS_POINTS,
    ToolkitSpec,
    normalise_activity,
    score_checklist,
    score_form,
    spec_of,
)
from lnutils.problems import DataError, Problem

FORM_COLUMNS = ["form", "municipality", "user", "activity", "date_1", "score_1", "date_2",
                "score_2"]


@dataclass
class ToolkitForms:
    """Scored forms.

    ``scores``: one row per form, activity and conversation (form, municipality, user,
    activity, conversation, date, score). ``forms``: one row per form (form, municipality,
    user, date_1, date_2, n_activities, n_paired, status, mean_first, mean_second, benefit,
    improved). ``warnings``: changed activities and forms without shared activities.
    """

    scores: pd.DataFrame
    forms: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)

    def describe_short(self) -> str:
        done = int((self.forms["status"] == "complete").sum())
        return f"{len(self.forms)} forms ({done} with both conversations)"


def _score_cell(check, row, column, raw, scale) -> int | None:
    value = check.integer(row, column, raw, required=False)
    if value is not None and not scale[0] <= value <= scale[1]:
        check.add(row, column, raw, f"score outside {scale[0]}-{scale[1]}",
                  f"scores run from {scale[0]} (hard to achieve) to {scale[1]} (easy)")
        return None
    return value


def _form_rows(check, table, scale) -> list[dict]:
    out = []
    for row, rec in rows(table):
        for column in ("form", "municipality", "user", "activity"):
            if not rec[column].strip():
                check.add(row, column, rec[column], f"empty {column}", f"fill in the {column}")
        item = {"row": row, "form": rec["form"].strip(),
                "municipality": rec["municipality"].strip(), "user": rec["user"].strip(),
                "activity": rec["activity"].strip(),
                "key": normalise_activity(rec["activity"]),
                "date_1": check.date(row, "date_1", rec["date_1"]),
                "date_2": check.date(row, "date_2", rec["date_2"]),
                "score_1": _score_cell(check, row, "score_1", rec["score_1"], scale),
                "score_2": _score_cell(check, row, "score_2", rec["score_2"], scale)}
        if not rec["score_1"].strip() and not rec["score_2"].strip():
            check.add(row, "score_1", "", "the activity has no score at either conversation",
                      "give its score, or delete the row")
        for n in (1, 2):
            if rec[f"score_{n}"].strip() and item[f"date_{n}"] is None:
                check.add(row, f"date_{n}", rec[f"date_{n}"],
                          f"a score at conversation {n} needs the date of that conversation",
                          "write the date as YYYY-MM-DD")
            if rec[f"date_{n}"].strip() and not rec[f"score_{n}"].strip():
                check.add(row, f"score_{n}", "", f"dated conversation {n} but no score",
                          f"give the score, or clear date_{n}")
        out.append(item)
    return out


def _check_form(check, form: str, items: list[dict]) -> None:
    """Rules across the rows of one form: same user and dates, distinct activities."""
    first = items[0]
    for it in items[1:]:
        for column in ("municipality", "user"):
            if it[column] != first[column]:
                check.add(it["row"], column, it[column],
                          f"form {form} has {first[column]!r} in row {first['row']}",
                          "a form belongs to one user in one municipality")
        for column in ("date_1", "date_2"):
            if it[column] and first[column] and it[column] != first[column]:
                check.add(it["row"], column, str(it[column]),
                          f"form {form} has {first[column]} in row {first['row']}",
                          "all activities of a conversation share its date")
    seen: dict[str, int] = {}
    for it in items:
        if it["key"] in seen:
            check.add(it["row"], "activity", it["activity"],
                      f"the same activity as row {seen[it['key']]} on form {form}",
                      "list each activity once per form")
        seen.setdefault(it["key"], it["row"])
    dates_1 = [it["date_1"] for it in items if it["date_1"]]
    dates_2 = [it["date_2"] for it in items if it["date_2"]]
    if dates_2 and not dates_1:
        check.add(items[0]["row"], "score_1", "", f"form {form} has a second conversation "
                  "but no first", "add the first conversation's scores and date")
    elif dates_1 and dates_2 and dates_2[0] < dates_1[0]:
        check.add(items[0]["row"], "date_2", str(dates_2[0]),
                  f"the second conversation is before the first ({dates_1[0]})",
                  "check the two dates")


def _score_one(check, form: str, items: list[dict], scale) -> dict:
    one = {it["activity"]: it["score_1"] for it in items if it["score_1"] is not None}
    two = {it["activity"]: it["score_2"] for it in items if it["score_2"] is not None}
    result = score_form(one, two or None, scale)
    changed = result.only_first + result.only_second
    if changed and result.status == "complete":
        names = [it["activity"] for it in items if it["key"] in changed]
        check.warn(items[0]["row"], "activity", "; ".join(names),
                   f"form {form}: {len(names)} activit{'y' if len(names) == 1 else 'ies'} "
                   "scored at one conversation only; left out of the perceived benefit",
                   "score the same activities at both conversations when you can")
    if result.status == "unpaired":
        check.warn(items[0]["row"], "activity", form, f"form {form}: no activity was scored "
                   "at both conversations, so it has no perceived benefit",
                   "score the first conversation's activities again at the second")
    first = items[0]
    return {"form": form, "municipality": first["municipality"], "user": first["user"],
            "date_1": next((i["date_1"] for i in items if i["date_1"]), None),
            "date_2": next((i["date_2"] for i in items if i["date_2"]), None),
            "n_activities": len(items), "n_paired": result.n_paired, "status": result.status,
            "mean_first": result.mean_first, "mean_second": result.mean_second,
            "benefit": result.benefit, "improved": result.improved}


def _long_scores(items: list[dict]) -> pd.DataFrame:
    long = [{"form": it["form"], "municipality": it["municipality"], "user": it["user"],
             "activity": it["activity"], "conversation": n, "date": it[f"date_{n}"],
             "score": it[f"score_{n}"]}
            for it in items for n in (1, 2) if it[f"score_{n}"] is not None]
    frame = pd.DataFrame(long, columns=["form", "municipality", "user", "activity",
                                        "conversation", "date", "score"])
    frame["score"] = frame["score"].astype("Int64")
    return frame


def load_toolkit_forms(path: str | Path, dataset=None) -> ToolkitForms:
    """Load and score ``forms.csv`` (the scale comes from the dataset's toolkit spec).

    Raises
    ------
    DataError
        Naming file, row and column for: scores that are not whole numbers within the
        scale, missing dates, a second conversation without (or before) a first, the same
        activity twice on a form, a form whose rows disagree on user or dates.
    """
    spec: ToolkitSpec | None = spec_of(dataset)
    scale = spec.scale if spec else DEFAULT_SCALE
    table, check = read_csv(path, FORM_COLUMNS)
    items = _form_rows(check, table, scale)
    by_form: dict[str, list[dict]] = {}
    for it in items:
        by_form.setdefault(it["form"], []).append(it)
    for form, its in by_form.items():
        _check_form(check, form, its)
    check.raise_if_errors()
    forms = pd.DataFrame([_score_one(check, f, its, scale) for f, its in by_form.items()])
    forms["improved"] = forms["improved"].astype("boolean")
    return ToolkitForms(_long_scores(items), forms, check.warnings)


# ---------------------------------------------------------------- checklists


@dataclass
class ToolkitChecklists:
    """Scored checklists.

    ``checklists``: one row per checklist (checklist, form, municipality, date, points,
    fidelity (0-1), all_not_relevant, n_missed). ``steps``: one row per checklist and step
    (checklist, municipality, date, step, label, team_specific, status, point).
    """

    checklists: pd.DataFrame
    steps: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)

    def describe_short(self) -> str:
        return f"{len(self.checklists)} checklists"


def _step_columns(check, table, n_steps) -> list[str]:
    wanted = [f"step_{i}" for i in range(1, n_steps + 1)]
    for column in table.columns:
        if column.startswith("step_") and column not in wanted:
            check.add(1, column, None, f"the checklist has {n_steps} steps",
                      "a team may replace a step (toolkit.yml `replacements`), not add one")
    for column in wanted:
        if column not in table.columns:
            check.add(1, column, None, "required column is missing",
                      f"give all {n_steps} steps, step_1 ... step_{n_steps}")
    check.raise_if_errors()
    return wanted


def _forms_of(dataset) -> pd.DataFrame | None:
    if dataset is None or "toolkit_forms" not in dataset:
        return None
    try:
        return dataset["toolkit_forms"].forms.set_index("form")
    except DataError:
        return None


def _cross_check(check, row, rec, statuses, forms) -> None:
    """Steps 1 and 9 carry the form's means: they must agree with the form."""
    if forms is None:
        return
    form = rec["form"].strip()
    if form not in forms.index:
        check.warn(row, "form", form, "no form with this id in forms.csv",
                   "give the id of the user's form, so steps 1 and 9 can be checked")
        return
    if forms.at[form, "municipality"] != rec["municipality"].strip():
        check.add(row, "municipality", rec["municipality"],
                  f"form {form} belongs to {forms.at[form, 'municipality']}",
                  "correct the municipality or the form id")
    if statuses[0] == "ja" and pd.isna(forms.at[form, "date_1"]):
        check.warn(row, "step_1", "ja", f"form {form} has no first conversation",
                   "check step 1 against the form")
    if len(statuses) >= 9 and statuses[8] == "ja" and pd.isna(forms.at[form, "date_2"]):
        check.warn(row, "step_9", "ja", f"form {form} has no second conversation",
                   "check step 9 against the form")


def load_toolkit_checklists(path: str | Path, dataset=None) -> ToolkitChecklists:
    """Load and score ``checklists.csv``.

    Statuses are ``ja``, ``nei`` or ``ikke_aktuelt`` (case and spaces ignored, so
    "Ikke aktuelt" is accepted). Step labels come from the toolkit spec with the
    municipality's own replacements.

    Raises
    ------
    DataError
        For a missing or extra step column, an unknown status, a repeated checklist id, a
        missing date, or a municipality that differs from its form's.
    """
    spec = spec_of(dataset)
    n_steps = len(spec.steps) if spec else 10
    table, check = read_csv(path, ["checklist", "form", "municipality", "date"])
    step_cols = _step_columns(check, table, n_steps)
    forms = _forms_of(dataset)
    lists, steps, seen = [], [], {}
    for row, rec in rows(table):
        cid = rec["checklist"].strip()
        if cid in seen or not cid:
            check.add(row, "checklist", cid, f"empty or repeats row {seen.get(cid)}",
                      "give each checklist its own id")
        seen.setdefault(cid, row)
        date = check.date(row, "date", rec["date"], required=True)
        raw = [rec[c].strip().lower().replace(" ", "_") for c in step_cols]
        for column, status in zip(step_cols, raw, strict=True):
            if status not in STATUS_POINTS:
                check.add(row, column, rec[column], "not a checklist status",
                          "use ja (done), nei (relevant, not done) or ikke_aktuelt")
        if any(s not in STATUS_POINTS for s in raw):
            continue
        _cross_check(check, row, rec, raw, forms)
        score = score_checklist(raw)
        if score.all_not_relevant:
            check.warn(row, "step_1", cid, "every step is marked not relevant: scored "
                       f"{score.points} points by the rule, left out of fidelity summaries",
                       "check that the checklist was really filled in")
        muni = rec["municipality"].strip()
        labels = spec.steps_for(muni) if spec else {}
        own = spec.replacements.get(muni, {}) if spec else {}
        lists.append({"checklist": cid, "form": rec["form"].strip(), "municipality": muni,
                      "date": date, "points": score.points, "fidelity": score.fidelity,
                      "all_not_relevant": score.all_not_relevant,
                      "n_missed": len(score.missed_steps)})
        steps += [{"checklist": cid, "municipality": muni, "date": date, "step": i,
                   "label": labels[i].label if i in labels else f"Steg {i}",
                   "team_specific": i in own, "status": s, "point": STATUS_POINTS[s]}
                  for i, s in enumerate(raw, start=1)]
    check.raise_if_errors()
    return ToolkitChecklists(pd.DataFrame(lists), pd.DataFrame(steps), check.warnings)
