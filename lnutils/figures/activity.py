"""The activity log: events per month by arena, physical versus digital, with the
pandemic's start marked (the report's Table 1 and its appendix plan, as a timeline).

Takes :func:`lnutils.analysis.summaries.events_per_month` and
:func:`~lnutils.analysis.summaries.events_by_arena`.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from lnutils.figures.datatable import DataTable, attach_table
from lnutils.figures.parts import legend_above, rows_height, set_base, wrap
from lnutils.figures.style import (
    NONANSWER_GREY,
    PALETTE,
    PANDEMIC_RED,
    SMALL,
    empty_figure,
    new_figure,
    report_style,
    segment_style,
    text_colour,
)
from lnutils.fmt import fmt_n

PANDEMIC = "2020-03-12"  # the first cancelled physical meetings; report: "mars 2020"
MODE_COLOURS = {"fysisk": PALETTE[0], "delvis digital": PALETTE[2], "digital": PALETTE[1]}
# Blue and orange print as much the same grey: a pattern tells the modes apart too.
MODE_HATCHES = {"fysisk": "....", "delvis digital": "////", "digital": ""}
MODE_LABELS = {"fysisk": "Fysisk", "delvis digital": "Delvis digital", "digital": "Digital"}
MONTHS = ["jan.", "feb.", "mars", "april", "mai", "juni", "juli", "aug.", "sep.", "okt.",
          "nov.", "des."]
NO_EVENTS = "Ingen hendelser i aktivitetsloggen."


def month_name(date) -> str:
    """"aug. 2019"."""
    date = pd.Timestamp(date)
    return f"{MONTHS[date.month - 1]} {date.year}"


def _month_axis(ax) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 7]))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: month_name(mdates.num2date(x).replace(tzinfo=None))))


def _colour(mode: str) -> str:
    return MODE_COLOURS.get(mode, NONANSWER_GREY)


def _pandemic_line(ax, date, label: bool) -> None:
    ax.axvline(pd.Timestamp(date), color=PANDEMIC_RED, linestyle="--", linewidth=1)
    if label:
        ax.text(pd.Timestamp(date), 1.0, f" Pandemien ({month_name(date)})",
                transform=ax.get_xaxis_transform(), color=PANDEMIC_RED, fontsize=SMALL,
                va="top", ha="left")


def timeline_table(monthly: pd.DataFrame) -> DataTable:
    """The numbers of :func:`plot_events_timeline`: per month with events, by mode and arena."""
    events = monthly[monthly["n"] > 0]
    per_mode = events.pivot_table(index="month", columns="mode", values="n", aggfunc="sum")
    modes = [m for m in MODE_COLOURS if m in per_mode.columns]
    modes += [m for m in per_mode.columns if m not in modes]
    rows = []
    for month, counts in per_mode.fillna(0).sort_index().iterrows():
        arenas = events[events["month"] == month].groupby("arena", sort=False)["n"].sum()
        rows.append({"Måned": month_name(month),
                     **{MODE_LABELS.get(m, m): int(counts.get(m, 0)) for m in modes},
                     "I alt": int(counts.sum()),
                     "Arenaer": ", ".join(f"{a} ({fmt_n(n)})" for a, n in arenas.items())})
    return DataTable.from_frame(pd.DataFrame(rows))


def arena_table(by_arena: pd.DataFrame) -> DataTable:
    """The numbers of :func:`plot_events_by_arena`: events per arena by mode."""
    modes = [m for m in by_arena.columns if m not in ("arena", "n", "first", "last")]
    frame = pd.DataFrame({"Arena": by_arena["arena"],
                          **{MODE_LABELS.get(m, m): by_arena[m].astype(int) for m in modes},
                          "I alt": by_arena["n"].astype(int)})
    return DataTable.from_frame(frame)


def plot_events_timeline(monthly: pd.DataFrame, *, pandemic: str | None = PANDEMIC) -> Figure:
    """Two panels: events per month stacked by mode, and one lane per arena.

    Parameters
    ----------
    monthly : from :func:`lnutils.analysis.summaries.events_per_month`.
    pandemic : date of the line marking the pandemic's start (None for none).
    """
    events = monthly[monthly["n"] > 0] if not monthly.empty else monthly
    if events.empty:
        return empty_figure(NO_EVENTS)
    months = pd.to_datetime(monthly["month"]).drop_duplicates().sort_values()
    per_mode = events.pivot_table(index="month", columns="mode", values="n", aggfunc="sum")
    per_mode = per_mode.reindex(months).fillna(0)
    modes = [m for m in MODE_COLOURS if m in per_mode.columns]
    modes += [m for m in per_mode.columns if m not in modes]
    arenas = list(events.sort_values("month").drop_duplicates("arena")["arena"])
    with report_style():
        names = [wrap(a, 28) for a in arenas]
        lanes_height = rows_height(names, 0.26)
        fig = new_figure(3.0 + lanes_height)
        top, lanes = fig.subplots(2, 1, sharex=True, height_ratios=[2.0, lanes_height])
        bottom = pd.Series(0.0, index=per_mode.index)
        for mode in modes:
            # a month is 28-31 days: 26-day bars leave a white gap between months
            top.bar(per_mode.index, per_mode[mode], bottom=bottom, width=26,
                    label=MODE_LABELS.get(mode, mode), align="edge",
                    **segment_style(_colour(mode), MODE_HATCHES.get(mode, "")))
            bottom += per_mode[mode]
        top.yaxis.set_major_locator(MaxNLocator(integer=True))
        top.set_ylim(0, max(float(bottom.max()), 1) * 1.15)
        top.set_ylabel("Hendelser\nper måned")
        legend_above(fig, [MODE_LABELS.get(m, m) for m in modes], [_colour(m) for m in modes],
                     hatches=[MODE_HATCHES.get(m, "") for m in modes])
        set_base(top, int(events["n"].sum()), "hendelser: ")
        grouped = events.groupby(["arena", "month", "mode"])["n"].sum().reset_index()
        for row in grouped.itertuples():
            y = arenas.index(row.arena)
            x = pd.Timestamp(row.month) + pd.Timedelta(days=12)
            lanes.scatter([x], [y], s=50 + 30 * row.n, color=_colour(row.mode),
                          edgecolor="white", linewidth=0.5, zorder=3)
            if row.n > 1:
                lanes.text(x, y, fmt_n(row.n), ha="center", va="center", fontsize=SMALL,
                           color=text_colour(_colour(row.mode)), zorder=4)
        lanes.set_yticks(range(len(arenas)), names, fontsize=SMALL)
        lanes.set_ylim(len(arenas) - 0.5, -0.5)
        lanes.grid(axis="y", color="#EEEEEE", linewidth=0.6)
        _month_axis(lanes)
        for ax in (top, lanes):
            if pandemic:
                _pandemic_line(ax, pandemic, ax is top)
    return attach_table(fig, timeline_table(monthly))


def plot_events_by_arena(by_arena: pd.DataFrame) -> Figure:
    """Horizontal bars: events per arena, split by physical / partly digital / digital.

    Parameters
    ----------
    by_arena : from :func:`lnutils.analysis.summaries.events_by_arena`.
    """
    if by_arena.empty or by_arena["n"].sum() == 0:
        return empty_figure(NO_EVENTS)
    modes = [m for m in by_arena.columns if m not in ("arena", "n", "first", "last")]
    with report_style():
        names = [wrap(a, 30) for a in by_arena["arena"]]
        fig = new_figure(1.0 + rows_height(names))
        ax = fig.subplots()
        y = list(range(len(by_arena)))
        left = pd.Series(0.0, index=by_arena.index)
        for mode in modes:
            ax.barh(y, by_arena[mode], left=left, height=0.65,
                    label=MODE_LABELS.get(mode, mode),
                    **segment_style(_colour(mode), MODE_HATCHES.get(mode, "")))
            left += by_arena[mode]
        for yy, total in zip(y, by_arena["n"], strict=True):
            ax.text(total + 0.3, yy, fmt_n(total), va="center", fontsize=SMALL)
        ax.set_yticks(y, names)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Antall hendelser")
        handles = [Patch(facecolor=_colour(m), edgecolor="white",
                         hatch=MODE_HATCHES.get(m, "") or None, label=MODE_LABELS.get(m, m))
                   for m in modes]
        ax.legend(handles=handles, loc="lower right", fontsize=SMALL)
        set_base(ax, int(by_arena["n"].sum()), "hendelser: ")
    return attach_table(fig, arena_table(by_arena))


