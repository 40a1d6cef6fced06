"""The report's look: colour-blind-safe colours, grey for non-answers, rc settings.

Figure functions build a :class:`matplotlib.figure.Figure` inside ``with
report_style():`` so that the settings apply to that figure only; nothing here changes
matplotlib's global state.

Colours
-------
``PALETTE`` is the Okabe–Ito set (distinguishable with the common colour-vision
deficiencies). Ordered scales use ColorBrewer's PuOr ramp: orange for the low
(negative) end, purple for the high (positive) end, so a reader with
red–green deficiency still sees the two halves. Non-answers ("Vet ikke", "Ikke
deltatt") are grey and never take a scale colour.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from lnutils.fmt import fmt_num, fmt_pct

PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000"]
NONANSWER_GREY = "#8C8C8C"
# A second, lighter grey so "Vet ikke" and "Ikke deltatt" can stand side by side.
NONANSWER_GREYS = {"vet_ikke": NONANSWER_GREY, "ikke_deltatt": "#C4C4C4", "other": "#A8A8A8"}
TEXT_DARK = "#222222"

# ColorBrewer PuOr, low (orange) to high (purple); the 5-step middle is a light sand
# rather than near-white so that it shows on a white page.
_SCALES = {
    2: ["#E08214", "#8073AC"],
    3: ["#E08214", "#E8DCC8", "#8073AC"],
    4: ["#E08214", "#FDB863", "#B2ABD2", "#5E3C99"],
    5: ["#E66101", "#FDB863", "#E8DCC8", "#B2ABD2", "#5E3C99"],
    6: ["#B35806", "#F1A340", "#FEE0B6", "#D8DAEB", "#998EC3", "#542788"],
    7: ["#B35806", "#F1A340", "#FEE0B6", "#E8DCC8", "#D8DAEB", "#998EC3", "#542788"],
}

RC = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.labelsize": 9,
    "xtick.labelsize": 8.5,
    "ytick.labelsize": 8.5,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.edgecolor": "#555555",
    "axes.labelcolor": TEXT_DARK,
    "text.color": TEXT_DARK,
    "xtick.color": "#444444",
    "ytick.color": "#444444",
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "figure.dpi": 110,
    "savefig.dpi": 150,
    "savefig.bbox": "tight",
    "axes.unicode_minus": True,
}


@contextmanager
def report_style() -> Iterator[None]:
    """Apply the report's rc settings inside a ``with`` block only."""
    with mpl.rc_context(RC):
        yield


def scale_colours(n: int) -> list[str]:
    """Colours for an ordered scale of ``n`` steps, low to high (2 to 7 steps)."""
    if n in _SCALES:
        return list(_SCALES[n])
    if n < 2:
        return [PALETTE[0]] * max(n, 0)
    cmap = mpl.colormaps["PuOr"]
    return [mpl.colors.to_hex(cmap(1 - i / (n - 1))) for i in range(n)]


def text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background``."""
    r, g, b = mpl.colors.to_rgb(background)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "white" if luminance < 0.45 else "black"


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


def empty_figure(text: str = "Ingen svar å vise.", size: tuple[float, float] = (6, 1.6)
                 ) -> Figure:
    """A small figure that says there is nothing to draw (instead of an empty axis)."""
    with report_style():
        fig = Figure(figsize=size)
        ax = fig.subplots()
        ax.set_axis_off()
        ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    return fig
