"""Figures of a multi-network programme: gathering timeline, hours by kind, goals, tools.

Each function takes a tidy frame from :mod:`lnutils.analysis.network_summaries` and returns a
:class:`matplotlib.figure.Figure`; nothing is shown or saved here. Labels are Norwegian
bokmål with decimal comma. Empty input gives a figure that says so.
"""

from __future__ import annotations

import textwrap

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from lnutils.analysis.network_summaries import month_label
from lnutils.figures.datatable import attach_table
from lnutils.figures.style import (
    NONANSWER_GREY,
    PALETTE,
    SMALL,
    empty_figure,
    new_figure,
    report_style,
    segment_style,
    text_colour,
)
from lnutils.fmt import fmt_num

NO_DATA = "Ingen data å vise"
STATUS_STYLE = {  # status label -> (marker fill, edge): filled, half, open
    "I bruk": ("full", 0), "Planlagt": ("left", 1), "Vurderer": ("none", 2),
}


def _month_axis(ax) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
    ax.xaxis.set_major_formatter(
        lambda x, _pos: month_label(mdates.num2date(x).strftime("%Y-%m")))


def plot_gathering_timeline(timeline: pd.DataFrame) -> Figure:
    """Gatherings of every network by month; the joint gathering on its own row.

    Parameters
    ----------
    timeline : from :func:`lnutils.analysis.network_summaries.gathering_timeline`.
    """
    if timeline.empty:
        return empty_figure(NO_DATA)
    labels = list(dict.fromkeys(timeline["label"]))
    with report_style():
        fig = new_figure(0.5 * len(labels) + 1.2)
        ax = fig.subplots()
        for y, label in enumerate(labels):
            rows = timeline[timeline["label"] == label]
            joint = bool(rows["joint"].any())
            colour = PALETTE[1] if joint else PALETTE[0]
            ax.plot(rows["date"], [y] * len(rows), color=NONANSWER_GREY, lw=1, zorder=1)
            ax.scatter(rows["date"], [y] * len(rows), s=220, color=colour,
                       marker="*" if joint else "o", zorder=2, label=label)
            for date, number in zip(rows["date"], rows["number"], strict=True):
                ax.annotate(str(number), (date, y), ha="center", va="center", fontsize=SMALL,
                            color=text_colour(colour), zorder=3)
        ax.set_yticks(range(len(labels)), labels)
        ax.invert_yaxis()
        _month_axis(ax)
        ax.set_xlabel("Måned")
        ax.grid(axis="x", alpha=0.3)
        ax.margins(x=0.05, y=0.15)
    table = pd.DataFrame({"Nettverk": timeline["label"], "Samling": timeline["number"],
                          "Måned": [month_label(d.strftime("%Y-%m"))
                                    for d in pd.to_datetime(timeline["date"])]})
    return attach_table(fig, table)


def plot_hours_by_kind(hours: pd.DataFrame) -> Figure:
    """Stacked bars: hours per gathering by kind of session, with hour labels."""
    if hours.empty:
        return empty_figure(NO_DATA)
    kinds = list(dict.fromkeys(hours["kind"]))
    labels = dict(zip(hours["kind"], hours["label"], strict=False))
    gatherings = sorted(hours["gathering"].unique())
    with report_style():
        fig = new_figure(0.45 * len(gatherings) + 1.5)
        ax = fig.subplots()
        left = pd.Series(0.0, index=gatherings)
        for i, kind in enumerate(kinds):
            values = (hours[hours["kind"] == kind].set_index("gathering")["hours"]
                      .reindex(gatherings, fill_value=0.0))
            bars = ax.barh([f"Samling {g}" for g in gatherings], values, left=left,
                           label=labels[kind], **segment_style(PALETTE[i % len(PALETTE)]))
            ax.bar_label(bars, labels=[fmt_num(v, 2) if v >= 0.75 else "" for v in values],
                         label_type="center", fontsize=SMALL,
                         color=text_colour(PALETTE[i % len(PALETTE)]))
            left += values
        for y, total in enumerate(left):
            ax.text(total + 0.1, y, f"{fmt_num(total, 2)} t", va="center", fontsize=SMALL)
        ax.invert_yaxis()
        ax.set_xlabel("Timer")
        ax.set_xlim(0, left.max() * 1.15)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=min(len(kinds), 2),
                  frameon=False, fontsize=SMALL)
    wide = hours.pivot_table(index="gathering", columns="kind", values="hours", aggfunc="sum")
    wide = wide.reindex(index=gatherings, columns=kinds).fillna(0.0)
    table = pd.DataFrame({"Samling": [f"Samling {g}" for g in gatherings],
                          **{labels[k]: [fmt_num(v, 2) for v in wide[k]] for k in kinds},
                          "Timer i alt": [fmt_num(v, 2) for v in left]})
    return attach_table(fig, table)


def plot_goals(goals: pd.DataFrame, *, width: int = 55) -> Figure:
    """Horizontal bars: number of municipalities per goal category, in rank order."""
    if goals.empty:
        return empty_figure(NO_DATA)
    frame = goals.sort_values("rank")
    with report_style():
        fig = new_figure(0.3 * len(frame) + 1.0)
        ax = fig.subplots()
        names = [textwrap.shorten(c, width=width, placeholder=" …") for c in frame["category"]]
        bars = ax.barh(range(len(frame)), frame["municipalities"], **segment_style(PALETTE[0]))
        ax.bar_label(bars, labels=[str(v) for v in frame["municipalities"]], padding=2,
                     fontsize=SMALL)
        ax.set_yticks(range(len(frame)), names, fontsize=SMALL)
        ax.invert_yaxis()
        ax.set_xlabel("Antall kommuner")
        ax.set_xlim(0, frame["municipalities"].max() * 1.12)
    table = pd.DataFrame({"Målkategori": frame["category"],
                          "Antall kommuner": frame["municipalities"]})
    return attach_table(fig, table)


def plot_tools_matrix(matrix: pd.DataFrame) -> Figure:
    """Dot matrix: municipalities (rows) by tools (columns), marker by status.

    Parameters
    ----------
    matrix : from :func:`lnutils.analysis.network_summaries.tools_matrix`
        (cells: status label or "").
    """
    if matrix.empty or matrix.shape[1] == 0:
        return empty_figure(NO_DATA)
    # rows are (network, municipality) pairs from tools_matrix, or plain names
    rows = [f"{idx[1]} ({idx[0]})" if isinstance(idx, tuple) else str(idx)
            for idx in matrix.index]
    with report_style():
        fig = new_figure(0.26 * len(matrix) + 1.9)
        ax = fig.subplots()
        for x, tool in enumerate(matrix.columns):
            for y, cell in enumerate(matrix[tool]):
                if cell in STATUS_STYLE:
                    fill, colour = STATUS_STYLE[cell]
                    ax.plot(x, y, marker="o", ms=9, fillstyle=fill, ls="none",
                            color=PALETTE[colour], markeredgewidth=1.5)
        ax.set_xticks(range(matrix.shape[1]), matrix.columns, rotation=30, ha="right")
        ax.set_yticks(range(len(matrix)), rows, fontsize=SMALL)
        ax.set_xlim(-0.5, matrix.shape[1] - 0.5)
        ax.set_ylim(len(matrix) - 0.5, -0.5)
        ax.grid(alpha=0.3)
        handles = [Line2D([], [], marker="o", ms=9, ls="none", fillstyle=f,
                          color=PALETTE[c], label=s) for s, (f, c) in STATUS_STYLE.items()]
        ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3,
                  frameon=False, fontsize=SMALL)
    table = matrix.copy()
    table.index = rows
    return attach_table(fig, table.rename_axis("Kommune"), index=True)
