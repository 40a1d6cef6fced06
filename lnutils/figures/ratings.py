"""Ratings on the codebook's scale by group: distribution with means (figure 11), means with
intervals by group (figure 15) and by group × participation period (figure 20), and two
paired ratings (figure 12).

Means leave out "Vet ikke" and "Ikke deltatt" and are drawn as a dot with its 95 %
interval and labelled with the value and n; small groups are merged or left out before
these functions see them (:mod:`lnutils.analysis.suppression`), and the note under the figure
says so.
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lnutils.analysis.summaries import ALL, OPINION
from lnutils.figures.datatable import DataTable, attach_table
from lnutils.figures.parts import (
    add_notes,
    hatch_for,
    legend_above,
    legend_height,
    notes_of,
    rows_height,
    scale_of,
    set_base,
    table_of,
    with_base,
    wrap,
)
from lnutils.figures.style import (
    NONANSWER_GREY,
    NONANSWER_GREYS,
    PALETTE,
    SMALL,
    TEXT_MUTED,
    TITLE,
    comma_formatter,
    empty_figure,
    new_figure,
    percent_formatter,
    report_style,
    scale_colours,
    segment_style,
    text_colour,
)
from lnutils.figures.tables import means_table
from lnutils.fmt import fmt_base, fmt_n, fmt_num, fmt_range

NO_ANSWERS = "Ingen svar å vise."
MEAN_LABEL = "Gjennomsnitt med 95 % konfidensintervall"


def _mean_dots(ax: Axes, means: pd.DataFrame, ys: list[float], colours: list[str],
               scale: tuple[int, int]) -> None:
    """Dot + interval per row; value and n in a column right of the scale.

    An interval reaching past the scale (small n) is cut at the scale's ends, which are
    the only values an answer can take.
    """
    lo, hi = scale
    for y, row, colour in zip(ys, means.itertuples(), colours, strict=True):
        if pd.isna(row.mean):
            ax.text(hi + 0.35, y, "for få svar", va="center", fontsize=SMALL, color=TEXT_MUTED)
            continue
        if pd.notna(row.low):
            ax.plot([max(row.low, lo), min(row.high, hi)], [y, y], color=colour,
                    linewidth=1.6, solid_capstyle="butt")
        marker = "D" if row.group == ALL else "o"
        ax.plot([row.mean], [y], marker=marker, color=colour, markersize=6, linestyle="none")
        ax.text(hi + 0.35, y, f"{fmt_num(row.mean, 2)} ({fmt_base(row.n)})",
                va="center", fontsize=SMALL)


def _mean_axis(ax: Axes, lo: float, hi: float) -> None:
    ax.set_xlim(lo - 0.3, hi + 2.2)
    ax.set_xticks(range(int(lo), int(hi) + 1))
    ax.xaxis.set_major_formatter(comma_formatter(0))
    ax.grid(axis="x", color="#E5E5E5", linewidth=0.6)
    ax.set_axisbelow(True)


def _group_segments(ax: Axes, distribution: pd.DataFrame, groups: list, colours: dict,
                    hatches: dict) -> dict:
    """Each group's answers as segments side by side (its rows in their order), the count
    inside each wide enough; one ``barh`` per answer code. Returns each group's base."""
    segments: dict[int, list[tuple]] = {}  # code -> (y, left, share, n) of each group
    bases = {}
    rows_by_group = dict(iter(distribution.groupby("group", sort=False)))
    for y, group in enumerate(groups):
        rows = rows_by_group[group]
        bases[group] = int(rows["base"].iloc[0])
        left = 0.0
        for row in rows.itertuples():
            share = row.share * 100 if row.base else 0.0
            segments.setdefault(int(row.code), []).append((y, left, share, row.n))
            left += share
    for code, drawn in segments.items():
        colour = colours[code]
        ax.barh([d[0] for d in drawn], [d[2] for d in drawn], left=[d[1] for d in drawn],
                height=0.66, **segment_style(colour, hatches.get(code, "")))
        for y, left, share, n in drawn:
            if share >= 8:
                ax.text(left + share / 2, y, fmt_n(n), ha="center", va="center",
                        fontsize=SMALL, color=text_colour(colour))
    return bases


def rating_table(distribution: pd.DataFrame, means: pd.DataFrame) -> DataTable:
    """The numbers of :func:`plot_rating_by_group`: per group each answer's count, the mean."""
    counts = distribution.pivot_table(index="group", columns="label", values="n",
                                      aggfunc="sum", sort=False)
    labels = list(dict.fromkeys(distribution["label"]))
    groups = list(dict.fromkeys(distribution["group"]))
    counts = counts.reindex(index=groups, columns=labels).fillna(0).astype(int)
    mean_cols = means_table(means).set_index("Gruppe").drop(columns=["n", "SD"])
    frame = counts.join(mean_cols).rename_axis("Gruppe").reset_index()
    return DataTable.from_frame(frame)


def plot_rating_by_group(distribution_summary, means_summary, *, title: str = "") -> Figure:
    """Per group: the full distribution (stacked, non-answers grey) and the mean with interval.

    Parameters
    ----------
    distribution_summary : from :func:`lnutils.analysis.summaries.rating_by_group`.
    means_summary : from :func:`lnutils.analysis.summaries.mean_by_group` with the same
        ``by``. The scale of the means axis is the distribution's codes (the codebook's).
    """
    distribution, means = table_of(distribution_summary), table_of(means_summary)
    if distribution.empty or distribution["base"].max() == 0:
        return empty_figure(NO_ANSWERS)
    groups = list(dict.fromkeys(distribution["group"]))
    cats = distribution.drop_duplicates("code")[["code", "label", "kind"]]
    opinion = [int(c) for c in cats.loc[cats["kind"] == OPINION, "code"]]
    nonanswers = dict(zip(cats.loc[cats["kind"] != OPINION, "code"].astype(int),
                          cats.loc[cats["kind"] != OPINION, "kind"], strict=True))
    colours = {**dict(zip(opinion, scale_colours(len(opinion)), strict=True)),
               **{c: NONANSWER_GREYS.get(k, NONANSWER_GREYS["other"])
                  for c, k in nonanswers.items()}}
    hatches = {c: hatch_for(k) for c, k in nonanswers.items()}
    labels = [with_base(g, int(distribution.loc[distribution["group"] == g, "base"].iloc[0]),
                        24) for g in groups]
    with report_style():
        fig = new_figure(1.6 + rows_height(labels) + legend_height(len(cats), 5))
        left_ax, right_ax = fig.subplots(1, 2, sharey=True, width_ratios=[3, 1.9])
        bases = _group_segments(left_ax, distribution, groups, colours, hatches)
        left_ax.set_yticks(range(len(groups)), labels)
        left_ax.invert_yaxis()
        left_ax.set_xlim(0, 100)
        left_ax.xaxis.set_major_formatter(percent_formatter(0))
        left_ax.set_xlabel("Andel av dem som svarte")
        rows = means.set_index("group").reindex(groups).reset_index()
        scale = (min(opinion), max(opinion))
        _mean_dots(right_ax, rows, list(range(len(groups))),
                   [NONANSWER_GREY if g == ALL else PALETTE[0] for g in groups], scale)
        _mean_axis(right_ax, *scale)
        right_ax.set_xlabel(wrap(MEAN_LABEL + " (uten «Vet ikke»)", 30), fontsize=SMALL)
        if title:
            left_ax.set_title(wrap(title, 60), loc="left", fontsize=TITLE)
        total = bases.get(ALL, max(bases.values()))
        set_base(right_ax, total)
        legend_above(fig, list(cats["label"]), [colours[int(c)] for c in cats["code"]],
                     hatches=[hatches.get(int(c), "") for c in cats["code"]])
        add_notes(fig, notes_of(distribution_summary, means_summary))
    return attach_table(fig, rating_table(distribution, means))


def plot_mean_by_group(summary, *, title: str = "", scale: tuple[int, int] | None = None
                       ) -> Figure:
    """Mean with 95 % interval per group; with two groupings, one colour per second group.

    Parameters
    ----------
    summary : from :func:`lnutils.analysis.summaries.mean_by_group` (``by`` one or two
        questions).
    scale : the scale's lowest and highest code, for the axis (default: the summary's
        scale_min/scale_max, from the codebook).
    """
    means = table_of(summary)
    if means.empty or means["n"].max() == 0:
        return empty_figure(NO_ANSWERS)
    scale = scale_of(means, scale)
    by = list(summary.by)
    two = len(by) == 2
    rows = means.reset_index(drop=True)
    order = summary.order
    seconds = [s for s in dict.fromkeys(rows[by[1]]) if s != ALL] if two else []
    seconds.sort(key=lambda s: order.get(str(s), 0))
    palette = {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(seconds)}
    if two:
        firsts = list(dict.fromkeys(rows[by[0]]))
        step = 0.7 / max(len(seconds), 1)
        ys, colours = [], []
        for row in rows.itertuples():
            first, second = getattr(row, by[0]), getattr(row, by[1])
            offset = 0 if second == ALL else (seconds.index(second) - (len(seconds) - 1) / 2)
            ys.append(firsts.index(first) + offset * step)
            colours.append(NONANSWER_GREY if second == ALL else palette[second])
        ticks, labels = list(range(len(firsts))), [wrap(f, 28) for f in firsts]
    else:
        ys = list(range(len(rows)))
        colours = [NONANSWER_GREY if g == ALL else PALETTE[0] for g in rows["group"]]
        ticks, labels = ys, [wrap(g, 28) for g in rows["group"]]
    with report_style():
        fig = new_figure(1.3 + rows_height(labels, 0.3 * (1.6 if two else 1))
                         + (legend_height(len(seconds)) if two else 0))
        ax = fig.subplots()
        _mean_dots(ax, rows, ys, colours, scale)
        overall = rows[rows["group"] == ALL]
        if not overall.empty and pd.notna(overall["mean"].iloc[0]):
            ax.axvline(overall["mean"].iloc[0], color=NONANSWER_GREY, linestyle="--",
                       linewidth=0.8)
        ax.set_yticks(ticks, labels)
        ax.invert_yaxis()
        _mean_axis(ax, *scale)
        ax.set_xlabel(MEAN_LABEL + " (uten «Vet ikke»)")
        if title:
            ax.set_title(wrap(title, 60), loc="left", fontsize=TITLE)
        n_all = int(overall["n"].iloc[0]) if not overall.empty else int(rows["n"].sum())
        set_base(ax, n_all)
        if two and seconds:
            legend_above(fig, seconds, [palette[s] for s in seconds])
        add_notes(fig, notes_of(summary))
    return attach_table(fig, DataTable.from_frame(means_table(rows).drop(columns="SD")))


def plot_paired_ratings(paired: pd.DataFrame, *, title: str = "",
                        scale: tuple[int, int] | None = None) -> Figure:
    """Two ratings by the same respondents: both means with intervals, and the difference.

    Parameters
    ----------
    paired : from :func:`lnutils.analysis.summaries.paired_ratings`.
    scale : lowest and highest code (default: the summary's, from the codebook).
    """
    pair = paired[paired["measure"] != "differanse"].reset_index(drop=True)
    if pair.empty or pair["n"].max() == 0:
        return empty_figure(NO_ANSWERS)
    scale = scale_of(paired, scale)
    with report_style():
        fig = new_figure(2.3)
        ax = fig.subplots()
        rows = pair.assign(group=pair["title"])
        _mean_dots(ax, rows, [0, 1], [PALETTE[0], PALETTE[1]], scale)
        ax.set_yticks([0, 1], [wrap(t, 30) for t in pair["title"]])
        ax.set_ylim(1.6, -0.6)
        _mean_axis(ax, *scale)
        ax.set_xlabel(MEAN_LABEL + " (uten «Vet ikke»)")
        if title:
            ax.set_title(wrap(title, 60), loc="left", fontsize=TITLE)
        set_base(ax, int(pair["n"].iloc[0]), "par: ")
        add_notes(fig, [paired_sentence(paired)])
    table = means_table(paired.assign(group=paired["title"])).drop(columns="SD")
    return attach_table(fig, DataTable.from_frame(table.rename(columns={"Gruppe": "Vurdering"})))


def paired_sentence(paired: pd.DataFrame) -> str:
    """The difference in words: mean, interval and how many rated the second higher."""
    first, second = paired["title"].iloc[0], paired["title"].iloc[1]
    diff = paired[paired["measure"] == "differanse"].iloc[0]
    if diff["n"] == 0:
        return "Ingen svarte på begge spørsmålene."
    interval = (f" (95 % KI {fmt_range(diff['low'], diff['high'], 2)})"
                if pd.notna(diff["low"]) else "")
    return (f"«{second}» minus «{first}»: {fmt_num(diff['mean'], 2)} i snitt{interval}. "
            f"{fmt_n(diff['n_higher'])} ga «{second}» høyere, {fmt_n(diff['n_equal'])} likt "
            f"og {fmt_n(diff['n_lower'])} lavere.")
