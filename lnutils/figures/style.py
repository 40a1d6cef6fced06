"""The report's look: print size, one type scale, accessible colours, rc settings.

Figure functions build a :class:`matplotlib.figure.Figure` inside ``with
report_style():`` so that the settings apply to that figure only; nothing here changes
matplotlib's global state.

Size and type
-------------
Every figure is drawn at the width it is shown at: the text column, 16 cm (A4 with
2,5 cm margins; HTML shows figures at the column width). Saved without cropping
(``bbox_inches=None``), a figure keeps that width, so a font size set here is the size
in print. ``TYPE_SCALE`` holds the only sizes figures use, none under 8 pt.

Colours
-------
WCAG 2.1 (1.4.11) asks 3:1 between a graphical object and what touches it. An ordered
scale of five or six steps cannot give 3:1 between every pair of neighbours by
lightness alone (contrast spans at most 21:1, and 3**5 = 243), so adjacent segments
are never drawn touching: a white gap (``SEPARATOR``) runs between them, and every
fill reaches 3:1 against white. Ordered scales run from orange (low) through a warm
grey middle to purple (high), so a reader with red–green deficiency still sees the two
halves; the lightness steps follow the order. ``PALETTE`` holds categorical colours,
each at least 3:1 against white. Non-answers are neutral grey, the second and third
kinds hatched so that they differ by more than colour. Values are written on or beside
the shapes, so colour is never the only cue.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lnutils.fmt import fmt_num, fmt_pct

CM = 1 / 2.54  # inches per centimetre
COLUMN_CM = 16.0  # the text column: A4 (21 cm) less two margins of 2,5 cm
FIGURE_WIDTH = COLUMN_CM * CM  # inches; every figure is this wide

# The type scale (points at print size). Figures use these names, never numbers. The
# smallest is 8,5 pt, not 8: a browser shows the 16 cm figure at its natural 605 px when
# nothing scales it up, and 8,5 pt is then 11,3 px, still above 11 px.
TYPE_SCALE = {"small": 8.5, "normal": 9.0, "title": 10.0}
SMALL = TYPE_SCALE["small"]  # values on bars, legends, notes, the base "n = 35"
NORMAL = TYPE_SCALE["normal"]  # tick labels, axis labels
TITLE = TYPE_SCALE["title"]  # a heading over the plot

# Categorical colours (Okabe–Ito hues, darkened where needed for 3:1 against white).
PALETTE = ["#0072B2", "#D55E00", "#07744E", "#9C4780", "#8D3D05", "#000000"]
NONANSWER_GREY = "#767676"  # 4,5:1 against white
NONANSWER_GREYS = {"vet_ikke": NONANSWER_GREY, "ikke_deltatt": "#8A8A8A", "other": "#6C6C6C"}
NONANSWER_HATCHES = {"vet_ikke": "", "ikke_deltatt": "////", "other": "...."}
SEPARATOR = "white"  # the gap drawn between adjacent segments
SEPARATOR_WIDTH = 1.5  # points
TEXT_DARK = "#222222"
TEXT_MUTED = "#444444"
PANDEMIC_RED = "#B2182B"

# Orange (low) and purple (high) at CIE L* 28, 43 and 57, a warm grey middle at L* 57;
# every one reaches 3:1 against white and 4,5:1 with black or white text on it.
_ORANGE = {28: "#762A00", 43: "#A24E18", 50: "#B75F29", 57: "#CC713A"}
_PURPLE = {28: "#3E397F", 43: "#655CA6", 50: "#786DB9", 57: "#8B7FCD"}
_MIDDLE = "#97876A"
_SCALES = {
    2: [_ORANGE[43], _PURPLE[43]],
    3: [_ORANGE[43], _MIDDLE, _PURPLE[43]],
    4: [_ORANGE[28], _ORANGE[57], _PURPLE[57], _PURPLE[28]],
    5: [_ORANGE[28], _ORANGE[50], _MIDDLE, _PURPLE[50], _PURPLE[28]],
    6: [_ORANGE[28], _ORANGE[43], _ORANGE[57], _PURPLE[57], _PURPLE[43], _PURPLE[28]],
    7: [_ORANGE[28], _ORANGE[43], _ORANGE[57], _MIDDLE, _PURPLE[57], _PURPLE[43],
        _PURPLE[28]],
}

RC = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs everywhere
    "font.size": NORMAL,
    "axes.titlesize": NORMAL,
    "axes.labelsize": NORMAL,
    "xtick.labelsize": NORMAL,
    "ytick.labelsize": NORMAL,
    "legend.fontsize": SMALL,
    "legend.title_fontsize": SMALL,
    "figure.titlesize": TITLE,
    "figure.labelsize": SMALL,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": TEXT_DARK,
    "text.color": TEXT_DARK,
    "xtick.color": TEXT_MUTED,
    "ytick.color": TEXT_MUTED,
    "hatch.color": "white",
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.dpi": 100,
    "savefig.dpi": 200,  # raster output (PNG) at 2x the print size of 100 dpi
    "savefig.bbox": None,  # never crop: the width is the print width
    "svg.fonttype": "path",  # glyphs as outlines: identical in browsers, Typst and Word
    "svg.hashsalt": "lnutils",  # stable ids, so that an unchanged figure is the same file
    "axes.unicode_minus": True,
}


@contextmanager
def report_style() -> Iterator[None]:
    """Apply the report's rc settings inside a ``with`` block only."""
    with mpl.rc_context(RC):
        yield


def new_figure(height: float, **kwargs) -> Figure:
    """A figure of the column's width and ``height`` inches, constrained layout.

    Call inside :func:`report_style`. The constrained layout keeps labels, legends and
    notes inside the figure, so it can be saved without cropping.
    """
    kwargs.setdefault("layout", "constrained")
    return Figure(figsize=(FIGURE_WIDTH, height), **kwargs)


def scale_colours(n: int) -> list[str]:
    """Colours for an ordered scale of ``n`` steps, low to high (2 to 7 steps)."""
    if n in _SCALES:
        return list(_SCALES[n])
    if n < 2:
        return [PALETTE[0]] * max(n, 0)
    # Longer scales: PuOr sampled between the darkest and the L* 57 tones, no pale middle.
    cmap = mpl.colormaps["PuOr"]
    return [mpl.colors.to_hex(cmap(0.9 - 0.8 * i / (n - 1))) for i in range(n)]


def relative_luminance(colour) -> float:
    """WCAG 2.1 relative luminance of a matplotlib colour (0 black .. 1 white)."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in mpl.colors.to_rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first, second) -> float:
    """WCAG 2.1 contrast ratio of two colours (1 .. 21)."""
    low, high = sorted([relative_luminance(first), relative_luminance(second)])
    return (high + 0.05) / (low + 0.05)


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background``."""
    return ("white" if contrast_ratio(background, "white") >= contrast_ratio(background, "black")
            else "black")


def segment_style(colour: str, hatch: str = "") -> dict:
    """Keyword arguments for ``bar``/``barh``: a fill with the white gap around it."""
    style = {"color": colour, "edgecolor": SEPARATOR, "linewidth": SEPARATOR_WIDTH}
    if hatch:
        style["hatch"] = hatch
    return style


def nonanswer_style(kind: str) -> dict:
    """Fill, hatch and white gap for a non-answer kind ("vet_ikke", "ikke_deltatt", ...)."""
    return segment_style(NONANSWER_GREYS.get(kind, NONANSWER_GREYS["other"]),
                         NONANSWER_HATCHES.get(kind, NONANSWER_HATCHES["other"]))


def comma_formatter(decimals: int = 0) -> FuncFormatter:
    """Tick formatter with decimal comma ("2,5")."""
    return FuncFormatter(lambda value, _pos: fmt_num(value, decimals))


def percent_formatter(decimals: int = 0, *, share: bool = False, absolute: bool = False
                      ) -> FuncFormatter:
    """Tick formatter for percentages ("25 %").

    ``share=True`` when the axis runs 0..1; ``absolute=True`` for a diverging axis whose
    left side counts negative answers ("50 %" on both sides of zero).
    """
    factor = 100 if share else 1

    def text(value, _pos):
        return fmt_pct(abs(value) * factor if absolute else value * factor, decimals)

    return FuncFormatter(text)


def empty_figure(text: str = "Ingen svar å vise.", height: float = 0.8) -> Figure:
    """A small figure that says there is nothing to draw (instead of an empty axis)."""
    with report_style():
        fig = new_figure(height)
        ax = fig.subplots()
        ax.set_axis_off()
        ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    return fig
