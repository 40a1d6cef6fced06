"""Small drawing helpers shared by the figure families: labels, notes, base text, legends."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lnutils.figures.style import (
    NONANSWER_GREYS,
    NONANSWER_HATCHES,
    SEPARATOR,
    SMALL,
    TEXT_MUTED,
    scale_colours,
)
from lnutils.fmt import fmt_base

NONANSWER_KINDS = ("vet_ikke", "ikke_deltatt", "other")


def wrap(label: object, width: int = 38) -> str:
    """Wrap a long category label over lines of at most ``width`` characters.

    Lines break between words (or after a hyphen), never inside a word: a word longer
    than ``width`` gets a line of its own.
    """
    return "\n".join(textwrap.wrap(str(label), width, break_long_words=False)) or str(label)


def with_base(label: object, n: int, width: int = 38) -> str:
    """"Kommune (n = 22)" wrapped to ``width``."""
    return wrap(f"{label} ({fmt_base(int(n))})", width)


def rows_height(labels: Sequence[str], minimum: float = 0.3) -> float:
    """Inches for one row per label: each row as tall as its wrapped label needs."""
    return sum(max(minimum, 0.16 * (str(label).count("\n") + 1) + 0.1) for label in labels)


def legend_height(entries: int, per_row: int = 4) -> float:
    """Inches for a legend above the plot with ``entries`` entries."""
    return 0.0 if entries == 0 else 0.22 * -(-entries // per_row)


def set_base(ax: Axes, n: int, prefix: str = "") -> None:
    """Write the base "n = 35" at the top right of an axis."""
    text = f"{prefix}{fmt_base(int(n))}"
    ax.set_title(text, loc="right", fontsize=SMALL, color=TEXT_MUTED)


def add_notes(fig: Figure, notes: Iterable[str], width: int = 95) -> None:
    """Notes under the figure (small-group protection, multiple answers, ...).

    Written as the figure's ``supxlabel`` so that the constrained layout keeps room for
    them below the axes and any legend; the figure grows by their height.
    """
    lines = [wrap(n, width) for n in dict.fromkeys(n for n in notes if n)]
    if not lines:
        return
    text = "\n".join(lines)
    fig.set_figheight(fig.get_figheight() + 0.17 * (text.count("\n") + 1))
    fig.supxlabel(text, x=0.01, ha="left", fontsize=SMALL, color="#333333", linespacing=1.3)


def notes_text(fig: Figure) -> str:
    """The notes written by :func:`add_notes` ("" when none)."""
    label = fig._supxlabel  # matplotlib keeps no public getter for it
    return label.get_text() if label is not None else ""


def hatch_for(kind: str) -> str:
    """Hatching of a non-answer kind ("" for opinions and "Vet ikke")."""
    return NONANSWER_HATCHES.get(kind, "") if kind in NONANSWER_KINDS else ""


def colour_for(code: int, kind: str, opinion_codes: Sequence[int]) -> str:
    """Scale colour for an opinion code, grey for a non-answer."""
    if kind in NONANSWER_KINDS:
        return NONANSWER_GREYS.get(kind, NONANSWER_GREYS["other"])
    colours = scale_colours(len(opinion_codes))
    return colours[list(opinion_codes).index(code)]


def legend_above(fig: Figure, labels: Sequence[str], colours: Sequence[str], ncol: int = 0,
                 hatches: Sequence[str] = ()) -> None:
    """One legend row (or more) over the plots, in scale order (the notes go under them).

    Without ``ncol``, as many entries per row as fit the column's width.
    """
    hatches = list(hatches) or [""] * len(labels)
    handles = [Patch(facecolor=c, edgecolor=SEPARATOR, hatch=h or None, label=lab)
               for lab, c, h in zip(labels, colours, hatches, strict=True)]
    longest = max((len(str(lab)) for lab in labels), default=1)
    fitting = max(1, int(95 / (longest + 6)))
    rows = -(-len(handles) // fitting)
    ncol = ncol or -(-len(handles) // max(rows, 1))
    fig.legend(handles=row_major(handles, ncol), loc="outside upper center", ncol=ncol,
               fontsize=SMALL, handlelength=1.4, handleheight=1.1, columnspacing=1.0)


def row_major(items: Sequence, ncol: int) -> list:
    """Reorder ``items`` so that a legend, which fills column by column, reads by rows.

    Matplotlib gives the first ``len(items) % ncol`` columns one entry more than the
    others; item ``i * ncol + j`` belongs in row ``i`` of column ``j``.
    """
    if ncol <= 1:
        return list(items)
    full, extra = divmod(len(items), ncol)
    ordered = []
    for j in range(ncol):
        for i in range(full + (1 if j < extra else 0)):
            ordered.append(items[i * ncol + j])
    return ordered


def notes_of(*summaries) -> list[str]:
    """Protection notes of grouped summaries (their ``protection``)."""
    notes = []
    for summary in summaries:
        protection = getattr(summary, "protection", None)
        if protection is not None:
            notes.append(protection.note())
    return notes


def table_of(summary) -> pd.DataFrame:
    """The rows of a grouped summary (a ``GroupSummary``), or the frame itself."""
    return getattr(summary, "table", summary)


def scale_of(table: pd.DataFrame, scale: tuple[int, int] | None = None) -> tuple[int, int]:
    """The rating scale's lowest and highest code: as passed, or the summary's columns.

    Summaries made with a codebook carry ``scale_min``/``scale_max``; no 1-6 is assumed.
    """
    if scale is not None:
        return scale
    if {"scale_min", "scale_max"} <= set(table.columns) and len(table) \
            and pd.notna(table["scale_min"].iloc[0]):
        return int(table["scale_min"].iloc[0]), int(table["scale_max"].iloc[0])
    raise ValueError("the scale of the means is unknown: make the summary with codebook= "
                     "or pass scale=(lowest, highest) from the codebook")
