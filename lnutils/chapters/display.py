"""Showing figures and tables in a notebook the way the report prints them.

Figure functions return plain matplotlib figures and ``lnutils.figures.alt`` writes their
caption and alt text from the same summaries. :func:`show_figure` puts them together in
one notebook output: an SVG drawn at the print width of the text column, whose output
metadata carries ``caption`` and ``alt`` (under ``image/svg+xml``, as for any image) and
the table of the numbers the figure draws (``metadata["lnutils"]["table"]``: columns,
rows of text cells, align). The renderer uses caption and alt when the cell gives no
``#| fig-cap`` / ``#| fig-alt`` of its own, and shows the table under the figure.

:func:`show_table` shows a report table: Norwegian numbers right-aligned, no
missing-value markers, empty columns left out, widths fitted to the content.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from lnutils.figures.datatable import DataTable, table_of
from lnutils.figures.style import report_style

SVG = "image/svg+xml"


def figure_svg(fig: Figure) -> str:
    """The figure as SVG text at its own size (no cropping), glyphs as outlines.

    Drawn once: the SVG canvas prints the figure directly, and the figure's layout
    engine runs at the start of that draw. ``Figure.savefig`` would first draw the whole
    figure without output only to run the layout (for cropping, which a figure at its
    own size does not need), then draw it again; the SVG is the same.
    """
    buffer = io.StringIO()
    canvas, dpi = fig.canvas, fig.dpi  # what printing changes, as savefig restores them
    try:
        with report_style():  # the SVG rc settings (fonts as paths, stable ids)
            FigureCanvasSVG(fig).print_svg(buffer, metadata={"Date": None})
    finally:
        fig.set_canvas(canvas)
        fig.dpi = dpi
    return buffer.getvalue()


class FigureOutput:
    """A figure ready for display: SVG plus caption, alt text and data table as metadata."""

    def __init__(self, fig: Figure, caption: str = "", alt: str = "",
                 table: DataTable | None = None):
        self.svg = figure_svg(fig)
        plt.close(fig)  # shown once, by this object, not again by the inline backend
        self.caption = caption
        self.alt = alt
        self.table = table if table is not None else table_of(fig)

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data = {SVG: self.svg, "text/plain": self.alt or self.caption or "Figur"}
        meta: dict[str, Any] = {}
        if self.caption:
            meta["caption"] = self.caption
        if self.alt:
            meta["alt"] = self.alt
        metadata: dict[str, Any] = {SVG: meta}
        if self.table is not None and self.table.rows:
            metadata["lnutils"] = {"table": self.table.as_metadata()}
        return data, metadata


def show_figure(fig: Figure, text: Any = None, *, table: DataTable | pd.DataFrame | None = None
                ) -> FigureOutput:
    """Display ``fig`` with its caption, alt text and the table of its numbers.

    Parameters
    ----------
    fig : a figure from ``lnutils.figures`` (which attaches its data table).
    text : a ``FigureText`` ``(caption, alt)`` from ``lnutils.figures.alt``, a plain alt
        string, or None.
    table : the figure's numbers, when the figure function attached none (a
        ``DataTable`` or a frame with the headings the reader should see).
    """
    if isinstance(table, pd.DataFrame):
        table = DataTable.from_frame(table)
    if text is None:
        return FigureOutput(fig, table=table)
    if isinstance(text, str):
        return FigureOutput(fig, alt=text, table=table)
    caption, alt = text
    return FigureOutput(fig, caption=caption, alt=alt, table=table)


class TableOutput:
    """A report table as HTML (which the renderer reads into a real table)."""

    def __init__(self, table: DataTable):
        self.table = table

    def _repr_html_(self) -> str:
        return self.table.to_html()

    def __repr__(self) -> str:
        """The table as aligned text (what a notebook keeps beside the HTML, and shows
        where HTML is not read), not an object's memory address."""
        return self.table.to_text()


def show_table(frame: pd.DataFrame | None, *, decimals: int | dict[str, int] = 1,
               index: bool = False) -> TableOutput | None:
    """Display a report table; None (nothing shown) when it has no rows.

    Parameters
    ----------
    frame : the table with Norwegian headings (from ``lnutils.figures.tables``,
        ``lnutils.chapters.method`` and the like).
    decimals : digits after the comma for fractional numbers (all columns, or per
        heading).
    index : show the index as the first columns (its names as headings).
    """
    if frame is None or frame.empty:
        return None
    return TableOutput(DataTable.from_frame(frame, decimals=decimals, index=index))
