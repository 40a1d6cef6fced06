"""Breakdowns by group (one or more grouping questions), with small-group protection."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lnutils.analysis.summaries.answers import (
    ALL,
    categories,
    given_answers,
    kind_of,
    opinion_answers,
    rating_stats,
    rows_of,
    scale_range,
    with_wilson,
)
from lnutils.analysis.suppression import (
    OTHER,
    GroupSummary,
    Protection,
    plan_groups,
    total_shown,
)


def group_labels(answers: pd.DataFrame, *, question: str) -> pd.DataFrame:
    """Each respondent's group: the label and code of their opinion answer to ``question``.

    Returns
    -------
    DataFrame
        Index respondent; columns label, code. Respondents without an opinion answer
        (not asked, skipped, "Vet ikke") are not in it.
    """
    rows = opinion_answers(rows_of(answers, question, ""))
    return rows.set_index("respondent")[["label", "code"]]


def _cells(answers: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """respondent -> one label column and one code column per grouping question."""
    frame = None
    for q in by:
        part = group_labels(answers, question=q).rename(
            columns={"label": q, "code": f"_code_{q}"})
        frame = part if frame is None else frame.join(part, how="inner")
    return frame


def _grouped(answers: pd.DataFrame, rows: pd.DataFrame, by: Sequence[str], size_of,
             privacy, mode: str):
    """Rows with a ``_cell`` column after protection, the ordered cells, the Protection."""
    cells = _cells(answers, by)
    if cells is None or cells.empty or rows.empty:
        return rows.iloc[0:0].assign(_cell=None), [], Protection(
            getattr(privacy, "min_group_size", 5))
    keyed = rows.join(cells, on="respondent", how="inner")
    keyed["_cell"] = list(zip(*(keyed[q] for q in by), strict=True))
    codes = {cell: tuple(int(x) for x in group[[f"_code_{q}" for q in by]].iloc[0])
             for cell, group in keyed.groupby("_cell", sort=False)}
    sizes = {cell: size_of(group) for cell, group in keyed.groupby("_cell", sort=False)}
    target, protection = plan_groups(sizes, by=by, privacy=privacy, mode=mode, codes=codes)
    keyed["_cell"] = keyed["_cell"].map(target)
    keyed = keyed[keyed["_cell"].notna()]
    order = sorted(codes, key=lambda c: codes[c])
    shown = []
    for cell in order:
        new = target[cell]
        if new is not None and new not in shown:
            shown.append(new)
    # Merged cells go after the named groups of the same remaining keys.
    shown.sort(key=lambda c: (c[0] == OTHER,))
    return keyed, shown, protection


def _as_list(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _group_columns(cell: tuple, by: Sequence[str]) -> dict:
    return {**dict(zip(by, cell, strict=True)), "group": " – ".join(str(c) for c in cell)}


def _order_of(shown: list[tuple], keyed: pd.DataFrame, by: Sequence[str]) -> dict[str, int]:
    """Label -> option code of the last grouping question, for ordering legends."""
    last = by[-1]
    codes = keyed.drop_duplicates(last).set_index(last)[f"_code_{last}"] if len(keyed) else {}
    return {str(k): int(v) for k, v in dict(codes).items()}


def mean_by_group(answers: pd.DataFrame, *, question: str, by: str | Sequence[str],
                  item: str = "", privacy=None, mode: str = "merge", total: bool = True,
                  codebook=None) -> GroupSummary:
    """Mean rating with SD and 95 % interval per group (one or more grouping questions).

    Parameters
    ----------
    answers : the long answer table.
    question : a rating question (or battery with ``item``).
    by : grouping question id, or several (e.g. ``["rolle", "del"]``): a
        respondent's group is their answer to it.
    privacy : the pipeline's :class:`~lnutils.pipeline.Privacy`; a group with fewer
        opinions than its threshold is merged or left out (see :mod:`lnutils.analysis.suppression`).
    mode : ``"merge"`` or ``"suppress"``.
    total : add a row ``group == "Alle"`` over every respondent with an opinion (only
        when they are at least the threshold: a small total is not shown either).
    codebook : gives the scale's lowest and highest code (columns scale_min, scale_max),
        which the figure's axis and the caption use; without it they are NA.

    Returns
    -------
    GroupSummary
        ``table``: one column per grouping question (its labels), group (labels joined
        by " – "), n, base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high, scale_min,
        scale_max; with the
        question, ``by``, the protection and ``order`` (label -> option code of the last
        grouping question).
    """
    by = _as_list(by)
    rows = given_answers(rows_of(answers, question, item))
    keyed, shown, protection = _grouped(answers, rows, by, lambda g: len(opinion_answers(g)),
                                        privacy, mode)
    records = [{**_group_columns(cell, by), **rating_stats(keyed[keyed["_cell"] == cell])}
               for cell in shown]
    if total and not rows.empty and total_shown(len(opinion_answers(rows)), privacy):
        records.append({**{q: ALL for q in by}, "group": ALL, **rating_stats(rows)})
    columns = [*by, "group", "n", "base", "n_vet_ikke", "n_ikke_deltatt", "mean", "sd",
               "low", "high"]
    out = pd.DataFrame(records, columns=columns).assign(**scale_range(codebook, question))
    return GroupSummary(out, protection, tuple(by), _order_of(shown, keyed, by), question)


def rating_by_group(answers: pd.DataFrame, *, question: str, by: str | Sequence[str],
                    codebook, item: str = "", privacy=None, mode: str = "merge",
                    total: bool = True) -> GroupSummary:
    """Distribution of a rating (all codes, non-answers included) per group.

    Protection counts every respondent who answered in the group ("Vet ikke" too).

    Returns
    -------
    GroupSummary
        ``table``: grouping columns, group, code, label, kind, n, base, share (of the
        group's base), low, high; rows in code order within groups.
    """
    by = _as_list(by)
    all_rows = rows_of(answers, question, item)
    rows = given_answers(all_rows)
    keyed, shown, protection = _grouped(answers, rows, by, len, privacy, mode)
    cats = categories(all_rows, question, codebook)
    parts = [(cell, keyed[keyed["_cell"] == cell]) for cell in shown]
    if total and not rows.empty and total_shown(rows["respondent"].nunique(), privacy):
        parts.append((tuple(ALL for _ in by), rows))
    records = []
    for cell, group in parts:
        counts = group.groupby("code")["respondent"].nunique()
        for code, label, kind in cats:
            records.append({**_group_columns(cell, by), "code": code, "label": label,
                            "kind": kind_of(kind), "n": int(counts.get(code, 0)),
                            "base": len(group)})
    out = pd.DataFrame(records, columns=[*by, "group", "code", "label", "kind", "n", "base"])
    out = with_wilson(out)
    return GroupSummary(out, protection, tuple(by), _order_of(shown, keyed, by), question)
