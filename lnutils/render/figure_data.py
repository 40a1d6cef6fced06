"""The numbers under a figure ("Tall i figuren"): a table in the HTML, nothing elsewhere.

:mod:`lnutils.render.notebooks` puts a figure's numbers, as JSON, in the attribute
``lnr-table`` of its image; ``cells.lua`` moves them, as they are, to an empty Div of
class ``lnr-figure-data`` right under the figure. Only the HTML shows them:
:func:`with_figure_tables` turns each such Div into the table, in a Div of class
``figure-data`` that ``report.lua`` shows collapsed under the figure, and
:func:`without_figure_data` leaves them out of the DOCX and the PDF. These tables are
close to half of a report's document, so they are built for the one writer that shows
them, after the pieces are merged.
"""

from __future__ import annotations

import json
import re
from typing import Any

from lnutils.render.notebooks import TABLE_ATTRIBUTE

MARKER_CLASS = "lnr-figure-data"  # cells.lua: the numbers, not yet a table
FIGURE_DATA_CLASS = "figure-data"  # the table under the figure (report.lua, typst.lua)
_ALIGN = {"left": "AlignLeft", "right": "AlignRight", "center": "AlignCenter"}
_WORD = re.compile(r"[^ \t\n\v\f\r]+")  # words as Lua's %S+ finds them: NBSP stays inside

__all__ = ["with_figure_tables", "without_figure_data", "figure_table"]


def with_figure_tables(node: Any) -> Any:
    """A copy of ``node`` in which every figure's numbers are a table, for the HTML."""
    return _rebuilt(node, tables=True)


def without_figure_data(node: Any) -> Any:
    """A copy of ``node`` without the figures' numbers (at any depth), for DOCX and PDF.

    Both the numbers not yet made a table and the Divs of class ``figure-data`` go:
    ``report.lua`` and ``typst.lua`` drop the latter from these formats anyway.
    """
    return _rebuilt(node, tables=False)


def figure_table(numbers: str) -> dict | None:
    """The Div of class ``figure-data`` holding the table the JSON ``numbers`` describe.

    ``numbers`` is ``{"columns": [...], "rows": [[...]], "align": [...]}`` with strings
    (:func:`lnutils.render.notebooks._figure_metadata`); None when it is not that.
    """
    try:
        data = json.loads(numbers)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), list):
        return None
    columns = data["columns"]
    aligns = data.get("align") if isinstance(data.get("align"), list) else []
    colspecs = [[{"t": _align(aligns[i] if i < len(aligns) else None)},
                 {"t": "ColWidthDefault"}] for i in range(len(columns))]
    head = [_attr(), [[_attr(), [_cell(name) for name in columns]]]]
    rows = []
    for values in data.get("rows") or []:
        values = values if isinstance(values, list) else []
        rows.append([_attr(), [_cell(values[i] if i < len(values) else "")
                               for i in range(len(columns))]])
    table = {"t": "Table", "c": [_attr(), [None, []], colspecs, head,
                                 [[_attr(), 0, [], rows]], [_attr(), []]]}
    return {"t": "Div", "c": [["", [FIGURE_DATA_CLASS], []], [table]]}


def _attr() -> list:
    return ["", [], []]


def _align(name: Any) -> str:
    return _ALIGN.get(name, "AlignDefault") if isinstance(name, str) else "AlignDefault"


def _cell(text: Any) -> list:
    """A table cell of plain words, as ``cells.lua`` made it."""
    inlines: list[dict] = []
    for word in _WORD.findall("" if text is None else str(text)):
        if inlines:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return [_attr(), {"t": "AlignDefault"}, 1, 1, [{"t": "Plain", "c": inlines}]]


def _rebuilt(node: Any, tables: bool) -> Any:
    """A copy of ``node``: the numbers made tables (``tables``), or left out."""
    if isinstance(node, list):
        out = []
        for value in node:
            classes = _div_classes(value)
            if MARKER_CLASS in classes:
                table = figure_table(dict(value["c"][0][2]).get(TABLE_ATTRIBUTE) or "") \
                    if tables else None
                if table is not None:
                    out.append(table)
            elif tables or FIGURE_DATA_CLASS not in classes:
                out.append(_rebuilt(value, tables))
        return out
    if isinstance(node, dict):
        return {key: _rebuilt(value, tables) for key, value in node.items()}
    return node


def _div_classes(node: Any) -> list[str]:
    if isinstance(node, dict) and node.get("t") == "Div":
        return node["c"][0][1]
    return []
