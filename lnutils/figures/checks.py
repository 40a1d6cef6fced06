"""Measurements of a drawn figure for print and accessibility checks.

Used by the tests (and to report before/after numbers): the size in points of every text
at print size, and the WCAG contrast of every pair of bars or segments drawn next to
each other, of every fill against the white page and of text written on a fill.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from lnutils.figures.style import CM, COLUMN_CM, contrast_ratio

TOUCH = 1e-6  # relative gap under which two bars count as touching
MIN_SEPARATOR = 1.0  # points of white edge that count as a gap between two fills


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def print_font_sizes(fig: Figure, shown_width_in: float | None = None) -> list[tuple[str, float]]:
    """(text, size in points at print size) for every visible text of the figure.

    ``shown_width_in`` is the width of the saved image in inches (default the figure's
    own width); the image is printed across the 16 cm column.
    """
    width = shown_width_in or fig.get_figwidth()
    scale = COLUMN_CM * CM / width
    return [(t.get_text(), t.get_fontsize() * scale) for t in _texts(fig)]


@dataclass(frozen=True)
class Pair:
    """Two fills drawn next to each other and the contrast the reader gets between them."""

    first: str
    second: str
    separated: bool
    contrast: float


def _bars(ax) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle) and p.get_visible()
            and p.get_width() > 0 and p.get_height() > 0 and to_rgba(p.get_facecolor())[3] > 0]


def _separator(patch: Rectangle) -> str | None:
    """The patch's edge colour when its edge is wide enough to show as a gap."""
    if patch.get_linewidth() >= MIN_SEPARATOR and to_rgba(patch.get_edgecolor())[3] > 0:
        return to_hex(patch.get_edgecolor())
    return None


def _pair(a: Rectangle, b: Rectangle) -> Pair:
    fa, fb = to_hex(a.get_facecolor()), to_hex(b.get_facecolor())
    edge = _separator(a) or _separator(b)
    if edge is not None:
        # A gap between them: each fill meets the gap's colour, not the other fill.
        return Pair(fa, fb, True, min(contrast_ratio(fa, edge), contrast_ratio(fb, edge)))
    return Pair(fa, fb, False, contrast_ratio(fa, fb))


def _close(x: float, y: float, scale: float) -> bool:
    return abs(x - y) <= TOUCH * max(scale, 1.0)


def adjacent_pairs(fig: Figure) -> list[Pair]:
    """Every pair of bars that touch end to end (stacked segments), in every axes."""
    pairs = []
    for ax in fig.axes:
        bars = _bars(ax)
        span = max((abs(b.get_x()) + b.get_width() + abs(b.get_y()) + b.get_height()
                    for b in bars), default=1.0)
        for a in bars:
            for b in bars:
                same_row = (_close(a.get_y(), b.get_y(), span)
                            and _close(a.get_height(), b.get_height(), span))
                same_column = (_close(a.get_x(), b.get_x(), span)
                               and _close(a.get_width(), b.get_width(), span))
                if same_row and _close(a.get_x() + a.get_width(), b.get_x(), span):
                    pairs.append(_pair(a, b))
                elif same_column and _close(a.get_y() + a.get_height(), b.get_y(), span):
                    pairs.append(_pair(a, b))
    return pairs


def fills_against_page(fig: Figure, page: str = "white") -> list[tuple[str, float, bool]]:
    """(fill, contrast with the page, outlined) for every bar in the plots."""
    out = []
    for ax in fig.axes:
        for bar in _bars(ax):
            fill = to_hex(bar.get_facecolor())
            edge = bar.get_edgecolor()
            outlined = (bar.get_linewidth() >= 0.5 and to_rgba(edge)[3] > 0
                        and contrast_ratio(to_hex(edge), page) >= 3)
            out.append((fill, contrast_ratio(fill, page), outlined))
    return out


def text_on_fills(fig: Figure) -> list[tuple[str, float]]:
    """(text, contrast with the fill under it) for texts drawn inside a bar."""
    out = []
    for ax in fig.axes:
        bars = _bars(ax)
        for text in ax.texts:
            if not text.get_visible() or not text.get_text().strip():
                continue
            x, y = text.get_position()
            if text.get_transform() != ax.transData:
                continue
            for bar in bars:
                if bar.contains_point(ax.transData.transform((x, y))):
                    out.append((text.get_text(), contrast_ratio(text.get_color(),
                                                                to_hex(bar.get_facecolor()))))
                    break
    return out
