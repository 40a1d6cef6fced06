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

from lnutils.figures.parts import set_base, wrap
from lnutils.figures.style import PALETTE, empty_figure, report_style, text_colour
from lnutils.fmt import fmt_n

PANDEMIC = "2020-03-12"  # the first cancelled physical meetings; report: "mars 2020"
MODE_COLOURS = {"fysisk": PALETTE[0], "delvis digital": PALETTE[4], "digital": PALETTE[1]}
MODE_LABELS = {"fysisk": "Fysisk", "delvis digital": "Delvis digital", "digital": "Digital"}
MONTHS = ["jan.", "feb.", "mars", "april", "mai", "juni", "juli", "aug.", "sep.", "okt.",
          "nov.", "des."]
NO_EVENTS = "Ingen hendelser i aktivitetsloggen."


def month_name(date) -> str:
    """"aug. 2019"."""
    date = pd.Timestamp(date)
    return f"{MONTHS[date.month - 1]} {date.year}"


def _month_axis(ax) -> None:
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    ax.xaxis.set_minor_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: month_name(mdates.num2date(x).replace(tzinfo=None))))


def _colour(mode: str) -> str:
    return MODE_COLOURS.get(mode, "#8C8C8C")


def _pandemic_line(ax, date, label: bool) -> None:
    ax.axvline(pd.Timestamp(date), color="#B2182B", linestyle="--", linewidth=1)
    if label:
        ax.text(pd.Timestamp(date), 1.0, f" Pandemien ({month_name(date)})",
                transform=ax.get_xaxis_transform(), color="#B2182B", fontsize=8, va="top",
                ha="left")


def plot_events_timeline(monthly: pd.DataFrame, *, pandemic: str | None = PANDEMIC,
                         width: float = 9.0) -> Figure:
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
        fig = Figure(figsize=(width, 2.6 + 0.32 * len(arenas)), layout="constrained")
        top, lanes = fig.subplots(2, 1, sharex=True,
                                  height_ratios=[2.2, 0.32 * max(len(arenas), 3)])
        bottom = pd.Series(0.0, index=per_mode.index)
        for mode in modes:
            top.bar(per_mode.index, per_mode[mode], bottom=bottom, width=24,
                    color=_colour(mode), label=MODE_LABELS.get(mode, mode), align="edge")
            bottom += per_mode[mode]
        top.yaxis.set_major_locator(MaxNLocator(integer=True))
        top.set_ylim(0, max(float(bottom.max()), 1) * 1.35)  # room for the legend
        top.set_ylabel("Hendelser per måned")
        top.legend(loc="upper right", ncol=len(modes), fontsize=8)
        set_base(top, int(events["n"].sum()), "hendelser: ")
        grouped = events.groupby(["arena", "month", "mode"])["n"].sum().reset_index()
        for row in grouped.itertuples():
            y = arenas.index(row.arena)
            x = pd.Timestamp(row.month) + pd.Timedelta(days=12)
            lanes.scatter([x], [y], s=28 + 22 * row.n, color=_colour(row.mode),
                          edgecolor="white", linewidth=0.5, zorder=3)
            if row.n > 1:
                lanes.text(x, y, fmt_n(row.n), ha="center", va="center", fontsize=6.5,
                           color=text_colour(_colour(row.mode)), zorder=4)
        lanes.set_yticks(range(len(arenas)), [wrap(a, 36) for a in arenas], fontsize=7.5)
        lanes.set_ylim(len(arenas) - 0.5, -0.5)
        lanes.grid(axis="y", color="#EEEEEE", linewidth=0.6)
        _month_axis(lanes)
        for ax in (top, lanes):
            if pandemic:
                _pandemic_line(ax, pandemic, ax is top)
    return fig


def plot_events_by_arena(by_arena: pd.DataFrame, *, width: float = 8.0) -> Figure:
    """Horizontal bars: events per arena, split by physical / partly digital / digital.

    Parameters
    ----------
    by_arena : from :func:`lnutils.analysis.summaries.events_by_arena`.
    """
    if by_arena.empty or by_arena["n"].sum() == 0:
        return empty_figure(NO_EVENTS)
    modes = [m for m in by_arena.columns if m not in ("arena", "n", "first", "last")]
    with report_style():
        fig = Figure(figsize=(width, 1.0 + 0.36 * len(by_arena)), layout="constrained")
        ax = fig.subplots()
        y = list(range(len(by_arena)))
        left = pd.Series(0.0, index=by_arena.index)
        for mode in modes:
            ax.barh(y, by_arena[mode], left=left, color=_colour(mode), height=0.65,
                    label=MODE_LABELS.get(mode, mode))
            left += by_arena[mode]
        for yy, total in zip(y, by_arena["n"], strict=True):
            ax.text(total + 0.3, yy, fmt_n(total), va="center", fontsize=8)
        ax.set_yticks(y, [wrap(a, 40) for a in by_arena["arena"]])
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlabel("Antall hendelser")
        handles = [Patch(color=_colour(m), label=MODE_LABELS.get(m, m)) for m in modes]
        ax.legend(handles=handles, loc="lower right", fontsize=8)
        set_base(ax, int(by_arena["n"].sum()), "hendelser: ")
    return fig


