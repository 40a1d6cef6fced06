"""Figures of one question: single choice (figures 6–8, 10), multiple choice (figure 9),
ja / nei / vet ikke (figure 13).

Each takes a summary from :mod:`lnutils.analysis.summaries` (``count_choice`` or ``share_multi``)
and returns a :class:`~matplotlib.figure.Figure`. Bars carry their count and share as
text, so colour is never the only cue; non-answers are grey; the base is written at
the top right.
"""

from __future__ import annotations

import math

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from lnutils.figures.datatable import attach_table
from lnutils.figures.parts import add_notes, rows_height, set_base, wrap
from lnutils.figures.style import (
    PALETTE,
    SMALL,
    TITLE,
    empty_figure,
    new_figure,
    nonanswer_style,
    percent_formatter,
    report_style,
    segment_style,
    text_colour,
)
from lnutils.figures.tables import choice_table
from lnutils.fmt import fmt_n, fmt_pct, fmt_share

NO_ANSWERS = "Ingen svar å vise."
LABEL_WIDTH = 32  # characters per line of an option's label


def count_label(n: int, share: float) -> str:
    """"26 (74,3 %)"."""
    return f"{fmt_n(n)} ({fmt_share(share)})"


def _styles(kinds: pd.Series) -> list[dict]:
    return [segment_style(PALETTE[0]) if k == "svar" else nonanswer_style(k) for k in kinds]


def _missing_note(frame: pd.DataFrame) -> str:
    """Who is outside the base: skipped the question, or were never asked it (routing)."""
    parts = []
    not_asked = int(frame["not_asked"].iloc[0]) if "not_asked" in frame and len(frame) else 0
    missing = int(frame["missing"].iloc[0]) if "missing" in frame and len(frame) else 0
    if not_asked:
        parts.append(f"{fmt_n(not_asked)} fikk ikke spørsmålet (det ble bare stilt til noen).")
    if missing:
        parts.append(f"{fmt_n(missing)} av dem som fikk spørsmålet, svarte ikke.")
    return " ".join(parts + (["De er ikke med i n."] if parts else []))


def plot_choice(counts: pd.DataFrame, *, title: str = "", sort: bool = False) -> Figure:
    """Horizontal bars: respondents per answer option, with count and share.

    Parameters
    ----------
    counts : from :func:`lnutils.analysis.summaries.count_choice`.
    title : optional heading over the bars (the report's caption says the rest).
    sort : largest first instead of the questionnaire's order (non-answers stay last).
    """
    if counts.empty or counts["base"].max() == 0:
        return empty_figure(NO_ANSWERS)
    rows = counts
    if sort:
        rows = rows.assign(_na=rows["kind"] != "svar").sort_values(
            ["_na", "n"], ascending=[True, False], kind="stable")
    base = int(rows["base"].iloc[0])
    with report_style():
        labels = [wrap(lab, LABEL_WIDTH) for lab in rows["label"]]
        fig = new_figure(0.9 + rows_height(labels))
        ax = fig.subplots()
        y = range(len(rows))
        bars = ax.barh(y, rows["n"], height=0.65)
        for bar, style in zip(bars, _styles(rows["kind"]), strict=True):
            bar.set(facecolor=style["color"], edgecolor=style["edgecolor"],
                    linewidth=style["linewidth"], hatch=style.get("hatch"))
        ax.bar_label(bars, labels=[count_label(n, s) for n, s in
                                   zip(rows["n"], rows["share"], strict=True)],
                     padding=3, fontsize=SMALL)
        ax.set_yticks(list(y), labels)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max(rows["n"].max(), 1) * 1.4)
        ax.set_xlabel("Antall svar")
        if title:
            ax.set_title(wrap(title, 70), loc="left", fontsize=TITLE)
        set_base(ax, base)
        add_notes(fig, [_missing_note(counts)])
    return attach_table(fig, choice_table(rows).drop(columns="95 % KI"))


def plot_multi(shares: pd.DataFrame, *, title: str = "", sort: bool = True) -> Figure:
    """Horizontal bars: share of respondents who ticked each option, with Wilson intervals.

    A note says that one person could tick several options, so the shares add up to
    more than 100 %.

    Parameters
    ----------
    shares : from :func:`lnutils.analysis.summaries.share_multi`.
    sort : most ticked first (default) instead of the questionnaire's order.
    """
    if shares.empty or shares["base"].max() == 0:
        return empty_figure(NO_ANSWERS)
    rows = shares.sort_values("n", ascending=False, kind="stable") if sort else shares
    base = int(rows["base"].iloc[0])
    total = rows["share"].sum() * 100
    with report_style():
        names = [wrap(lab, LABEL_WIDTH) for lab in rows["label"]]
        fig = new_figure(1.1 + rows_height(names))
        ax = fig.subplots()
        y = list(range(len(rows)))
        pct = rows["share"] * 100
        bars = ax.barh(y, pct, height=0.65, **segment_style(PALETTE[0]))
        ax.errorbar(pct, y, xerr=[pct - rows["low"] * 100, rows["high"] * 100 - pct],
                    fmt="none", ecolor="#333333", elinewidth=0.8, capsize=2)
        labels = [count_label(n, s) for n, s in zip(rows["n"], rows["share"], strict=True)]
        for bar, hi, text in zip(bars, rows["high"], labels, strict=True):
            ax.text(hi * 100 + 1.5, bar.get_y() + bar.get_height() / 2, text, va="center",
                    fontsize=SMALL)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.set_xlim(0, 135)
        ax.set_xticks(range(0, 101, 25))
        ax.xaxis.set_major_formatter(percent_formatter(0))
        ax.set_xlabel("Andel av dem som svarte\n(strek: 95 % konfidensintervall)")
        if title:
            ax.set_title(wrap(title, 70), loc="left", fontsize=TITLE)
        set_base(ax, base)
        add_notes(fig, [f"Flere svar mulig: andelene summerer seg til "
                        f"{fmt_pct(total, 0)}, ikke 100 %.", _missing_note(shares)])
    return attach_table(fig, choice_table(rows))


def plot_yes_no(counts: pd.DataFrame, *, title: str = "") -> Figure:
    """One bar split into Ja, Nei and Vet ikke (grey), each part labelled.

    Parameters
    ----------
    counts : from :func:`lnutils.analysis.summaries.count_choice` on a yes/no question.
    """
    if counts.empty or counts["base"].max() == 0:
        return empty_figure(NO_ANSWERS)
    base = int(counts["base"].iloc[0])
    colours = [PALETTE[0], PALETTE[1], *PALETTE[2:]]
    with report_style():
        fig = new_figure(2.0)
        ax = fig.subplots()
        left = 0.0
        opinion = 0
        for row in counts.itertuples():
            share = row.n / base * 100
            if row.kind == "svar":
                style = segment_style(colours[opinion % len(colours)])
                opinion += 1
            else:
                style = nonanswer_style(row.kind)
            bar = ax.barh([0], [share], left=left, height=0.6, label=f"{row.label}", **style)
            if share >= 12:
                ax.bar_label(bar, labels=[f"{row.label}\n{count_label(row.n, row.n / base)}"],
                             label_type="center", fontsize=SMALL,
                             color=text_colour(style["color"]))
            elif share > 0:
                ax.text(left + share / 2, 0.42, f"{row.label}: {fmt_n(row.n)}", ha="center",
                        va="bottom", fontsize=SMALL)
            left += share
        ax.set_yticks([])
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 25))
        ax.xaxis.set_major_formatter(percent_formatter(0))
        ax.spines["left"].set_visible(False)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=len(counts),
                  fontsize=SMALL)
        if title:
            ax.set_title(wrap(title, 70), loc="left", fontsize=TITLE)
        set_base(ax, base)
        add_notes(fig, [_missing_note(counts)])
    return attach_table(fig, choice_table(counts).drop(columns="95 % KI"))


def largest(counts: pd.DataFrame) -> tuple[str, int, float]:
    """(label, n, share) of the most chosen opinion option; ("", 0, nan) when none."""
    opinions = counts[counts["kind"] == "svar"] if "kind" in counts else counts
    if opinions.empty or opinions["n"].max() == 0:
        return ("", 0, math.nan)
    top = opinions.loc[opinions["n"].idxmax()]
    return (str(top["label"]), int(top["n"]), float(top["share"]))


