"""Summaries as report tables: Table 1 (events per arena), answer counts, means by group.

Each function returns a plain DataFrame with Norwegian column names and text already
formatted the Norwegian way where it is not a whole number (shares, intervals, means);
notebooks show it with :func:`lnutils.chapters.display.show_table`. Whole counts stay integers.
A value that does not exist is an empty cell (never "NA" or a dash); where the reader
needs to know why, a comment column says it in words.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from lnutils.figures.activity import MODE_LABELS, month_name
from lnutils.fmt import fmt_num, fmt_range, fmt_share

SUM = "Sum"


def _blank_if_missing(text: str) -> str:
    """"" for the formatters' mark of a missing value (an en dash), else the text."""
    return "" if text == "\u2013" else text


def events_table(by_arena: pd.DataFrame, *, comments: Mapping[str, str] | None = None,
                 uncounted: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Table 1: events per arena, by mode, with the period and a sum row.

    Parameters
    ----------
    by_arena : from :func:`lnutils.analysis.summaries.events_by_arena`.
    comments : arena -> comment for a "Kommentar" column (optional).
    uncounted : arena -> why it has no count (e.g. the teams' own meetings), listed
        after the counted arenas with an empty count.

    Returns
    -------
    DataFrame
        Arena, Antall hendelser, one column per mode, Periode[, Kommentar]; last row
        "Sum".
    """
    modes = [m for m in by_arena.columns if m not in ("arena", "n", "first", "last")]
    if uncounted and comments is None:
        comments = {}  # the reason an arena is not counted needs the comment column
    rows = []
    for rec in by_arena.to_dict("records"):  # mode names have spaces: no itertuples
        first, last = month_name(rec["first"]), month_name(rec["last"])
        row = {"Arena": rec["arena"], "Antall hendelser": int(rec["n"]),
               **{MODE_LABELS.get(m, m): int(rec[m]) for m in modes},
               "Periode": first if first == last else f"{first} – {last}"}
        if comments is not None:
            row["Kommentar"] = comments.get(rec["arena"], "")
        rows.append(row)
    for arena, why in (uncounted or {}).items():
        # Not counted is not zero: the count cells stay empty, the comment says why.
        row = {"Arena": arena, "Antall hendelser": "",
               **{MODE_LABELS.get(m, m): "" for m in modes}, "Periode": ""}
        if comments is not None:
            row["Kommentar"] = why
        rows.append(row)
    total = {"Arena": SUM, "Antall hendelser": int(by_arena["n"].sum()),
             **{MODE_LABELS.get(m, m): int(by_arena[m].sum()) for m in modes}, "Periode": ""}
    if comments is not None:
        total["Kommentar"] = ""
    return pd.DataFrame([*rows, total])


def choice_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Answer, count, share and its 95 % interval, from ``count_choice`` or ``share_multi``."""
    return pd.DataFrame({
        "Svar": counts["label"].astype(str),
        "Antall": counts["n"].astype("Int64"),
        "Andel": [_blank_if_missing(fmt_share(s)) for s in counts["share"]],
        "95 % KI": [_blank_if_missing(fmt_range(lo, hi, 1, share=True)) for lo, hi in
                    zip(counts["low"], counts["high"], strict=True)],
    })


def means_table(summary) -> pd.DataFrame:
    """Group, n, mean, SD and 95 % interval, from ``mean_by_group``."""
    means = getattr(summary, "table", summary)
    return pd.DataFrame({
        "Gruppe": means["group"].astype(str),
        "n": means["n"].astype("Int64"),
        "Snitt": [_blank_if_missing(fmt_num(m, 2)) for m in means["mean"]],
        "SD": [_blank_if_missing(fmt_num(s, 2)) for s in means["sd"]],
        "95 % KI": [_blank_if_missing(fmt_range(lo, hi, 2)) for lo, hi in
                    zip(means["low"], means["high"], strict=True)],
    })
