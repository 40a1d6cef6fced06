"""Showing a figure in a notebook together with the caption and alt text drawn from its data.

Figure functions return plain matplotlib figures and ``lnutils.figures.alt`` writes their
caption and alt text from the same summaries. :func:`show_figure` puts the three together
in one notebook output: a PNG whose output metadata carries ``caption`` and ``alt``. The
renderer uses them when the cell gives no ``#| fig-cap`` / ``#| fig-alt`` of its own, so
captions and alt texts follow the data in every build.
"""

from __future__ import annotations

import base64
import io
from typing import Any

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

DPI = 150


class FigureOutput:
    """A figure ready for display: PNG data plus caption and alt text as metadata."""

    def __init__(self, fig: Figure, caption: str = "", alt: str = ""):
        buffer = io.BytesIO()
        # zlib level 3 makes files as small as the default 6 here, in less time
        fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 3})
        plt.close(fig)  # shown once, by this object, not again by the inline backend
        self.png = buffer.getvalue()
        self.caption = caption
        self.alt = alt

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data = {"image/png": base64.b64encode(self.png).decode("ascii"),
                "text/plain": self.alt or self.caption or "Figur"}
        meta: dict[str, Any] = {}
        if self.caption:
            meta["caption"] = self.caption
        if self.alt:
            meta["alt"] = self.alt
        return data, {"image/png": meta}


def show_figure(fig: Figure, text: Any = None) -> FigureOutput:
    """Display ``fig`` with its caption and alt text.

    Parameters
    ----------
    fig : a figure from ``lnutils.figures``.
    text : a ``FigureText`` ``(caption, alt)`` from ``lnutils.figures.alt``, a plain alt
        string, or None.
    """
    if text is None:
        return FigureOutput(fig)
    if isinstance(text, str):
        return FigureOutput(fig, alt=text)
    caption, alt = text
    return FigureOutput(fig, caption=caption, alt=alt)
