"""Batteries of rated items: stacked distributions (figure 14) and diverging bars
(figures 16–19, questions 19–22).

Both take :func:`lnutils.analysis.summaries.battery_distribution`. Opinions are drawn as shares
of the item's opinions (they add up to 100 %); "Vet ikke" and "Ikke deltatt" are drawn
apart, in grey, in a panel of their own as shares of everyone who answered the item,
so a large "Vet ikke" never shrinks the scale. Each item's label carries its n.

Diverging bars split the scale between its negative and positive halves: 1–3 | 4–6 on
the six-point scale. On a five-step verbal scale the middle step ("I noe grad") is
split half and half across zero -- the usual choice for diverging Likert charts, so the
bar's centre stays the scale's centre; the share on each side, printed at the bar's
ends, counts whole steps only (middle left out). Items are sorted by share positive.
Drawn with ``barh(left=...)`` (plot-likert does not run on pandas 3).
"""

from __future__ import annotations

from functools import cached_property

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from lnutils.analysis.summaries import OPINION, scale_halves
from lnutils.figures.datatable import DataTable, attach_table
from lnutils.figures.parts import (
    hatch_for,
    legend_above,
    legend_height,
    rows_height,
    set_base,
    with_base,
    wrap,
)
from lnutils.figures.style import (
    NONANSWER_GREYS,
    SMALL,
    TITLE,
    empty_figure,
    new_figure,
    nonanswer_style,
    percent_formatter,
    report_style,
    scale_colours,
    segment_style,
    text_colour,
)
from lnutils.fmt import fmt_n, fmt_pct, fmt_share

NO_ANSWERS = "Ingen svar å vise."
LABEL_MIN = 7.0  # % width under which a segment gets no count inside it (the table has it)
LABEL_WIDTH = 30  # characters per line of an item's label


def _opinion_codes(distribution: pd.DataFrame) -> dict[int, str]:
    rows = distribution[distribution["kind"] == OPINION].drop_duplicates("code")
    return dict(sorted(zip(rows["code"].astype(int), rows["label"], strict=True)))


def _nonanswer_kinds(distribution: pd.DataFrame) -> dict[str, str]:
    rows = distribution[distribution["kind"] != OPINION].drop_duplicates("kind")
    return dict(zip(rows["kind"], rows["label"], strict=True))


def _items(distribution: pd.DataFrame) -> pd.DataFrame:
    """One row per item: title, n_opinion, base, in the summary's order."""
    return (distribution.drop_duplicates("item").set_index("item")[["title", "n_opinion",
                                                                   "base"]])


def _table(distribution: pd.DataFrame, column: str, codes) -> pd.DataFrame:
    table = distribution.pivot_table(index="item", columns="code", values=column,
                                     aggfunc="sum", sort=False)
    return table.reindex(columns=list(codes)).fillna(0)


def _stacked(ax: Axes, battery: _Battery, shares: pd.DataFrame, order: list,
             starts: list[float], colours: list[str]) -> None:
    """Each item's opinions as segments side by side from ``starts[y]`` (item ``y`` of
    ``order``), the count inside each wide enough; one ``barh`` per answer code."""
    ys = list(range(len(order)))
    left = [float(x) for x in starts]
    share_rows, count_rows = shares.reindex(order), battery.counts.reindex(order)
    for code, colour in zip(battery.codes, colours, strict=True):
        widths = [float(w) for w in share_rows[code]]
        ax.barh(ys, widths, left=left, height=0.66, **segment_style(colour))
        for y, x, width, n in zip(ys, left, widths, count_rows[code], strict=True):
            if width >= LABEL_MIN and n > 0:
                ax.text(x + width / 2, y, fmt_n(int(n)), ha="center", va="center",
                        fontsize=SMALL, color=text_colour(colour))
        left = [x + width for x, width in zip(left, widths, strict=True)]


def _by_item_and_kind(distribution: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """The distribution's rows of each (item, kind), in the summary's row order."""
    return dict(iter(distribution.groupby(["item", "kind"], sort=False)))


def _rows_of(groups: dict[tuple, pd.DataFrame], distribution: pd.DataFrame, item, kind
             ) -> pd.DataFrame:
    return groups.get((item, kind), distribution.iloc[:0])


class _Battery:
    """What battery figures read from the summary, each worked out once per figure."""

    def __init__(self, distribution: pd.DataFrame):
        self.distribution = distribution
        self.codes = _opinion_codes(distribution)
        self.items = _items(distribution)

    @cached_property
    def kinds(self) -> dict[str, str]:
        return _nonanswer_kinds(self.distribution)

    @cached_property
    def counts(self) -> pd.DataFrame:
        return _table(self.distribution, "n", self.codes)

    @cached_property
    def shares(self) -> pd.DataFrame:
        """Shares of the opinions, 0..1."""
        return _table(self.distribution, "share_opinion", self.codes)

    @cached_property
    def groups(self) -> dict[tuple, pd.DataFrame]:
        return _by_item_and_kind(self.distribution)


def _nonanswer_panel(ax: Axes, distribution: pd.DataFrame, order: list, kinds: dict,
                     groups: dict[tuple, pd.DataFrame]) -> None:
    """Grey bars for the non-answers, one thin bar per kind and item."""
    height = 0.66 / max(len(kinds), 1)
    for j, kind in enumerate(kinds):
        offset = (j - (len(kinds) - 1) / 2) * height
        rows = [_rows_of(groups, distribution, item, kind) for item in order]
        ns = [int(row["n"].sum()) for row in rows]
        shares = [float(row["share"].fillna(0).sum()) * 100 for row in rows]
        ys = [y + offset for y in range(len(order))]
        ax.barh(ys, shares, height=height, **nonanswer_style(kind))  # one call per kind
        for y, n, share in zip(ys, ns, shares, strict=True):
            ax.text(share + 3, y, fmt_n(n), va="center", fontsize=SMALL)
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 100])
    ax.xaxis.set_major_formatter(percent_formatter(0))
    ax.tick_params(axis="y", left=False, labelleft=False)
    ax.set_title("Utenfor skalaen", fontsize=SMALL, loc="left")
    ax.set_xlabel("Andel av alle", fontsize=SMALL)


def _layout(labels: list[str], with_side: bool, legend_entries: int):
    fig = new_figure(1.2 + rows_height(labels) + legend_height(legend_entries))
    if with_side:
        main, side = fig.subplots(1, 2, sharey=True, width_ratios=[4.2, 1.0])
        return fig, main, side
    return fig, fig.subplots(), None


def _labels(items: pd.DataFrame) -> list[str]:
    return [with_base(t, n, LABEL_WIDTH)
            for t, n in zip(items["title"], items["n_opinion"], strict=True)]


def _legend(fig, codes: dict, kinds: dict, colours: list[str]) -> None:
    greys = [NONANSWER_GREYS.get(k, NONANSWER_GREYS["other"]) for k in kinds]
    legend_above(fig, [*codes.values(), *kinds.values()], [*colours, *greys],
                 hatches=["" for _ in codes] + [hatch_for(k) for k in kinds])


def distribution_table(distribution: pd.DataFrame, order=None, parts=None) -> DataTable:
    """The numbers of a battery figure: per item, n and each answer as count (share).

    With ``parts`` (from :func:`diverging_parts`), the shares in the low and high half.
    """
    return _distribution_table(_Battery(distribution), order, parts)



def _distribution_table(battery: _Battery, order=None, parts=None) -> DataTable:
    distribution, codes, kinds = battery.distribution, battery.codes, battery.kinds
    items, counts, shares = battery.items, battery.counts, battery.shares
    order = list(items.index) if order is None else list(order)
    rows = []
    for item in order:
        row = {"Påstand": items.loc[item, "title"], "n": int(items.loc[item, "n_opinion"])}
        for code, label in codes.items():
            row[label] = (f"{fmt_n(int(counts.loc[item, code]))} "
                          f"({fmt_share(float(shares.loc[item, code]), 0)})")
        for kind, label in kinds.items():
            row[label] = int(_rows_of(battery.groups, distribution, item, kind)["n"].sum())
        if parts is not None:
            row["Andel lav"] = fmt_pct(parts.loc[item, "negative"], 0)
            row["Andel høy"] = fmt_pct(parts.loc[item, "positive"], 0)
        rows.append(row)
    return DataTable.from_frame(pd.DataFrame(rows))


def plot_battery(distribution: pd.DataFrame, *, title: str = "") -> Figure:
    """Stacked bars: each item's opinions over the scale, non-answers in their own panel.

    Parameters
    ----------
    distribution : from :func:`lnutils.analysis.summaries.battery_distribution`.
    title : optional heading.
    """
    if distribution.empty or distribution["base"].max() == 0:
        return empty_figure(NO_ANSWERS)
    battery = _Battery(distribution)
    codes, kinds, items = battery.codes, battery.kinds, battery.items
    shares = battery.shares * 100
    colours = scale_colours(len(codes))
    with report_style():
        fig, ax, side = _layout(_labels(items), bool(kinds), len(codes) + len(kinds))
        _stacked(ax, battery, shares, list(items.index), [0.0] * len(items), colours)
        ax.set_yticks(range(len(items)), _labels(items))
        ax.invert_yaxis()
        ax.set_xlim(0, 100)
        ax.xaxis.set_major_formatter(percent_formatter(0))
        ax.set_xlabel("Andel av dem som ga en vurdering")
        if title:
            ax.set_title(wrap(title, 60), loc="left", fontsize=TITLE)
        if kinds:
            _nonanswer_panel(side, distribution, list(items.index), kinds, battery.groups)
        set_base(ax, int(items["base"].max()))
        _legend(fig, codes, kinds, colours)
    return attach_table(fig, _distribution_table(battery))


def diverging_parts(distribution: pd.DataFrame) -> pd.DataFrame:
    """Per item: share negative, middle and positive (of opinions, %), sorted for drawing.

    Returns
    -------
    DataFrame
        Index item; title, n_opinion, base, negative, middle, positive (whole steps;
        the middle step apart), most positive first.
    """
    return _diverging_parts(_Battery(distribution))


def _diverging_parts(battery: _Battery) -> pd.DataFrame:
    negative, positive, middle = scale_halves(list(battery.codes))
    shares = battery.shares * 100
    out = battery.items.copy()
    out["negative"] = shares[negative].sum(axis=1).reindex(out.index).fillna(0)
    out["positive"] = shares[positive].sum(axis=1).reindex(out.index).fillna(0)
    out["middle"] = (shares[middle] if middle is not None else 0.0)
    out["middle"] = out["middle"].reindex(out.index).fillna(0) if middle is not None else 0.0
    return out.sort_values(["positive", "negative"], ascending=[False, True], kind="stable")


def plot_diverging(distribution: pd.DataFrame, *, title: str = "", sort: bool = True
                   ) -> Figure:
    """Diverging stacked bars around the scale's centre, "Vet ikke" apart in grey.

    Parameters
    ----------
    distribution : from :func:`lnutils.analysis.summaries.battery_distribution`.
    sort : most positive item on top (default); else the questionnaire's order.
    """
    if distribution.empty or distribution["base"].max() == 0:
        return empty_figure(NO_ANSWERS)
    battery = _Battery(distribution)
    codes, kinds = battery.codes, battery.kinds
    parts = _diverging_parts(battery)
    if not sort:
        parts = parts.reindex(battery.items.index)
    negative, _, middle = scale_halves(list(codes))
    shares = battery.shares * 100
    colours = scale_colours(len(codes))
    with report_style():
        fig, ax, side = _layout(_labels(parts), bool(kinds), len(codes) + len(kinds))
        halves = [float(shares.loc[item, middle]) / 2 if middle is not None else 0
                  for item in parts.index]
        starts = [-(float(shares.loc[item, negative].sum()) + half)
                  for item, half in zip(parts.index, halves, strict=True)]
        _stacked(ax, battery, shares, list(parts.index), starts, colours)
        for y, (item, half_middle) in enumerate(zip(parts.index, halves, strict=True)):
            if parts.loc[item, "n_opinion"] > 0:
                ax.text(-(parts.loc[item, "negative"] + half_middle) - 2, y,
                        fmt_pct(parts.loc[item, "negative"], 0), ha="right", va="center",
                        fontsize=SMALL)
                ax.text(parts.loc[item, "positive"] + half_middle + 2, y,
                        fmt_pct(parts.loc[item, "positive"], 0), ha="left", va="center",
                        fontsize=SMALL)
        ax.axvline(0, color="#333333", linewidth=0.8, zorder=0)  # behind the middle counts
        ax.set_yticks(range(len(parts)), _labels(parts))
        ax.invert_yaxis()
        ax.set_xlim(-125, 125)
        ax.set_xticks([-100, -50, 0, 50, 100])
        ax.xaxis.set_major_formatter(percent_formatter(0, absolute=True))
        ax.set_xlabel("Andel av dem som ga en vurdering:\nlav ← | → høy")
        if title:
            ax.set_title(wrap(title, 60), loc="left", fontsize=TITLE)
        if kinds:
            _nonanswer_panel(side, distribution, list(parts.index), kinds, battery.groups)
        set_base(ax, int(parts["base"].max()))
        _legend(fig, codes, kinds, colours)
    return attach_table(fig, _distribution_table(battery, parts.index, parts))
