"""Figures of the toolkit "Hva er viktig for deg?": benefit, fidelity per step, run charts.

Each function takes a tidy frame from :mod:`lnutils.analysis.toolkit_summaries` and returns a
:class:`matplotlib.figure.Figure`; nothing is shown or saved here. Labels are Norwegian
bokmål with decimal comma; the base (n) is always on the figure. Empty input gives a
figure that says so.
"""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from lnutils.analysis.network_summaries import month_label
from lnutils.analysis.toolkit_summaries import ALL
from lnutils.figures.datatable import attach_table
from lnutils.figures.gatherings import NO_DATA
from lnutils.figures.style import (
    NONANSWER_GREY,
    PALETTE,
    SMALL,
    comma_formatter,
    empty_figure,
    new_figure,
    report_style,
    segment_style,
)
from lnutils.fmt import fmt_base, fmt_num, fmt_pct, fmt_range, fmt_share


def _one_group(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    return frame[frame["group"] == group] if "group" in frame else frame


def plot_benefit_distribution(distribution: pd.DataFrame, *, group: str = ALL) -> Figure:
    """Bars: users per perceived-benefit step (whole points), improved steps coloured.

    Parameters
    ----------
    distribution : from :func:`lnutils.analysis.toolkit_summaries.benefit_distribution`.
    group : which group's bars to draw (default the whole network).
    """
    rows = _one_group(distribution, group)
    if rows.empty or rows["base"].iloc[0] == 0:
        return empty_figure(NO_DATA)
    colours = [PALETTE[0] if b > 0 else (NONANSWER_GREY if b == 0 else PALETTE[1])
               for b in rows["bin"]]
    with report_style():
        fig = new_figure(3.2)
        ax = fig.subplots()
        bars = ax.bar(rows["label"], rows["n"])
        for bar, colour in zip(bars, colours, strict=True):
            bar.set(**segment_style(colour))
        ax.bar_label(bars, labels=[str(n) if n else "" for n in rows["n"]], padding=2,
                     fontsize=SMALL)
        ax.set_xlabel("Opplevd nytte (2. gjennomsnitt − 1. gjennomsnitt, avrundet)")
        ax.set_ylabel("Antall brukere")
        ax.tick_params(axis="x", labelsize=SMALL)
        ax.set_ylim(0, max(rows["n"].max(), 1) * 1.15)
        ax.set_title(fmt_base(int(rows["base"].iloc[0])), loc="right", fontsize=SMALL)
    table = pd.DataFrame({"Opplevd nytte": rows["label"], "Antall brukere": rows["n"]})
    return attach_table(fig, table)


def plot_step_completion(steps: pd.DataFrame, *, group: str = ALL) -> Figure:
    """Horizontal bars: share done per checklist step where the step was relevant.

    Team-specific steps get their own bar in another colour; the most often missed
    standard step is marked.
    """
    rows = _one_group(steps, group).sort_values(["step", "team_specific"])
    rows = rows[rows["n_relevant"] > 0]
    if rows.empty:
        return empty_figure(NO_DATA)
    standard = rows[~rows["team_specific"]]
    worst = standard.sort_values(["missed_share", "step"], ascending=[False, True])
    worst_key = (worst.iloc[0]["step"], worst.iloc[0]["label"]) if len(worst) else None
    names = [f"{s}. {lab}" + (" (eget steg)" if own else "")
             for s, lab, own in zip(rows["step"], rows["label"], rows["team_specific"],
                                    strict=True)]
    with report_style():
        fig = new_figure(0.34 * len(rows) + 1.2)
        ax = fig.subplots()
        colours = [PALETTE[1] if own else PALETTE[0] for own in rows["team_specific"]]
        pct = 100 * rows["done_share"]
        bars = ax.barh(names, pct)
        for bar, colour in zip(bars, colours, strict=True):
            bar.set(**segment_style(colour))
        ax.bar_label(bars, labels=[f"{fmt_pct(p, 0)} ({fmt_base(n)})"
                                   for p, n in zip(pct, rows["n_relevant"], strict=True)],
                     padding=3, fontsize=SMALL)
        for bar, key in zip(bars, zip(rows["step"], rows["label"], strict=True), strict=True):
            if key == worst_key:
                bar.set_hatch("//")
                bar.set_edgecolor("white")
        ax.invert_yaxis()
        ax.set_xlim(0, 125)
        ax.set_xticks(range(0, 101, 25), [fmt_pct(v, 0) for v in range(0, 101, 25)])
        ax.set_xlabel("Andel utført der steget var aktuelt")
    table = pd.DataFrame({"Steg": names, "Aktuelt i": rows["n_relevant"],
                          "Utført": rows["n_done"],
                          "Andel utført": [fmt_share(s, 0) for s in rows["done_share"]]})
    return attach_table(fig, table)


def plot_run_chart(run: pd.DataFrame, *, group: str = ALL, ylabel: str = "",
                   decimals: int = 1) -> Figure:
    """Run chart: the mean per period joined by a line, with the median as a dashed line.

    Parameters
    ----------
    run : from :func:`lnutils.analysis.toolkit_summaries.run_chart_data` (or its helpers).
    ylabel : the measure, e.g. "Opplevd nytte" or "Programoppfyllelse (%)".
    """
    rows = _one_group(run, group).sort_values("period")
    if rows.empty:
        return empty_figure(NO_DATA)
    median = float(rows["median"].iloc[0])
    with report_style():
        fig = new_figure(3.0)
        ax = fig.subplots()
        ax.plot(rows["period"], rows["value"], marker="o", color=PALETTE[0],
                label="Gjennomsnitt per måned")
        ax.axhline(median, ls="--", color=NONANSWER_GREY,
                   label=f"Median: {fmt_num(median, decimals)}")
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(
            lambda x, _pos: month_label(mdates.num2date(x).strftime("%Y-%m")))
        ax.yaxis.set_major_formatter(comma_formatter(decimals))
        ax.set_ylabel(ylabel)
        ax.set_xlabel("Måned")
        ax.legend(frameon=False, fontsize=SMALL)
        ax.set_title(f"{fmt_base(int(rows['n'].sum()))} i {len(rows)} måneder", loc="right",
                     fontsize=SMALL)
    table = pd.DataFrame({"Måned": [month_label(p.strftime("%Y-%m")) for p in rows["period"]],
                          "n": rows["n"],
                          ylabel or "Gjennomsnitt": [fmt_num(v, decimals) for v in rows["value"]],
                          "Median": fmt_num(median, decimals)})
    return attach_table(fig, table)


def plot_share_improved(summary: pd.DataFrame) -> Figure:
    """Share of users who improved per group, with Wilson 95 % intervals and n."""
    rows = summary[summary["n_complete"] > 0]
    if rows.empty:
        return empty_figure(NO_DATA)
    with report_style():
        fig = new_figure(0.4 * len(rows) + 1.2)
        ax = fig.subplots()
        pct = 100 * rows["share_improved"]
        err = [pct - 100 * rows["low"], 100 * rows["high"] - pct]
        colours = [NONANSWER_GREY if g == ALL else PALETTE[0] for g in rows["group"]]
        bars = ax.barh(rows["group"], pct, xerr=err, capsize=3)
        for bar, colour in zip(bars, colours, strict=True):
            bar.set(**segment_style(colour))
        for y, (p, high, n) in enumerate(zip(pct, 100 * rows["high"], rows["n_complete"],
                                             strict=True)):
            ax.text(high + 2, y, f"{fmt_pct(p, 0)} ({fmt_base(n)})", va="center",
                    fontsize=SMALL)
        ax.invert_yaxis()
        ax.set_xlim(0, 130)
        ax.set_xticks(range(0, 101, 25), [fmt_pct(v, 0) for v in range(0, 101, 25)])
        ax.set_xlabel("Andel med høyere gjennomsnitt ved 2. samtale")
    table = pd.DataFrame({"Gruppe": rows["group"], "Fullførte": rows["n_complete"],
                          "Forbedret": rows["n_improved"],
                          "Andel": [fmt_share(s, 0) for s in rows["share_improved"]],
                          "95 % KI": [fmt_range(lo, hi, 0, share=True) for lo, hi in
                                      zip(rows["low"], rows["high"], strict=True)]})
    return attach_table(fig, table)
