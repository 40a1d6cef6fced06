"""Small drawing helpers shared by the figure families: labels, notes, base text, legends."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from lnutils.figures.style import NONANSWER_GREYS, scale_colours
from lnutils.fmt import fmt_base

NONANSWER_KINDS = ("vet_ikke", "ikke_deltatt", "other")


def wrap(label: object, width: int = 38) -> str:
    """Wrap a long category label over lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(str(label), width)) or str(label)


def with_base(label: object, n: int, width: int = 38) -> str:
    """"Kommune (n = 22)" wrapped to ``width``."""
    return wrap(f"{label} ({fmt_base(int(n))})", width)


def set_base(ax: Axes, n: int, prefix: str = "") -> None:
    """Write the base "n = 35" at the top right of an axis."""
    text = f"{prefix}{fmt_base(int(n))}"
    ax.set_title(text, loc="right", fontsize=8.5, color="#444444")


def add_notes(fig: Figure, notes: Iterable[str], width: int = 110) -> None:
    """Notes under the figure (small-group protection, multiple answers, ...).

    Written as the figure's ``supxlabel`` so that the constrained layout keeps room for
    them below the axes and any legend; the figure grows by their height.
    """
    lines = [wrap(n, width) for n in dict.fromkeys(n for n in notes if n)]
    if not lines:
        return
    text = "\n".join(lines)
    fig.set_figheight(fig.get_figheight() + 0.15 * (text.count("\n") + 1))
    fig.supxlabel(text, x=0.01, ha="left", fontsize=7.5, color="#333333", linespacing=1.3)


def notes_text(fig: Figure) -> str:
    """The notes written by :func:`add_notes` ("" when none)."""
    label = fig._supxlabel  # matplotlib keeps no public getter for it
    return label.get_text() if label is not None else ""


def colour_for(code: int, kind: str, opinion_codes: Sequence[int]) -> str:
    """Scale colour for an opinion code, grey for a non-answer."""
    if kind in NONANSWER_KINDS:
        return NONANSWER_GREYS.get(kind, NONANSWER_GREYS["other"])
    colours = scale_colours(len(opinion_codes))
    return colours[list(opinion_codes).index(code)]


def legend_above(fig: Figure, labels: Sequence[str], colours: Sequence[str], ncol: int = 0
                 ) -> None:
    """One legend row (or more) over the plots, in scale order (the notes go under them)."""
    handles = [Patch(facecolor=c, edgecolor="white", label=lab)
               for lab, c in zip(labels, colours, strict=True)]
    fig.legend(handles=handles, loc="outside upper center", ncol=ncol or min(len(handles), 9),
               fontsize=7.5, handlelength=1.2, columnspacing=1.0)


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
