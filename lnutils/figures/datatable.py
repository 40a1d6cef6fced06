"""Tables ready for the report: cells written the Norwegian way, aligned, fitted widths.

One path writes every table a reader sees: the report's own tables
(:func:`lnutils.chapters.display.show_table`) and the table of numbers behind each figure
(:func:`attach_table`, read by :func:`lnutils.chapters.display.show_figure`). A
:class:`DataTable` holds text only:

- numbers with decimal comma (``fmt_num``), counts as whole numbers;
- no missing-value marker of any kind: a missing cell is empty;
- columns with no text at all are left out;
- numeric columns right-aligned, text left-aligned;
- relative column widths fitted to the content, so that no column is narrower than
  its longest word (no word broken inside) when the page allows it.
"""

from __future__ import annotations

import html
import math
import numbers
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from lnutils.fmt import fmt_num

LEFT, RIGHT = "left", "right"
# Characters of table text across the 16 cm column (about 0.5 em per character at the
# tables' 10 pt): the budget the widths are fitted to.
LINE_CHARS = 90
KEEP_WHOLE = 24  # characters up to which a body cell is kept on one line if there is room
_PADDING = 2  # characters of cell padding either side, counted once per column
# "12", "4,69", "−1,5", "31,8 %", "2,9–4,1", "26 (74,3 %)", "12 345": a number cell.
_NUMBER = re.compile(r"^[−+-]?\d[\d\u202f\u00a0 ]*(,\d+)?(\s?%)?"
                     r"(\s?[–-]\s?[−-]?\d[\d\u202f\u00a0 ]*(,\d+)?(\s?%)?)?"
                     r"(\s\([^)]*\))?$")
_ATTRIBUTE = "_lnutils_table"


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() in {"", "nan", "NaN", "None", "<NA>", "NA"}


def format_cell(value: Any, decimals: int = 1) -> str:
    """One cell as report text: "" for a missing value, decimal comma for a fraction."""
    if _missing(value):
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, numbers.Integral):
        return fmt_num(int(value), 0)
    if isinstance(value, numbers.Real):
        value = float(value)
        return fmt_num(value, 0 if value.is_integer() and decimals == 0 else decimals)
    return str(value)


def is_number(text: str) -> bool:
    """Whether a formatted cell reads as a number (right-aligned in a table)."""
    return bool(_NUMBER.match(text.strip()))


@dataclass(frozen=True)
class DataTable:
    """A table as text: column headings, rows of cells, and each column's alignment."""

    columns: list[str]
    rows: list[list[str]]
    align: list[str]

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, decimals: int | dict[str, int] = 1,
                   index: bool = False) -> DataTable:
        """Format a DataFrame: Norwegian numbers, no missing markers, no empty columns.

        Parameters
        ----------
        frame : any frame with the headings the reader should see.
        decimals : digits after the comma for fractional numbers, for all columns or per
            column heading.
        index : keep the index (its names become headings).
        """
        if index:
            frame = frame.reset_index()
        headings = [str(c) for c in frame.columns]

        def digits(column: str) -> int:
            return decimals.get(column, 1) if isinstance(decimals, dict) else decimals

        columns = [[format_cell(v, digits(h)) for v in frame.iloc[:, i]]
                   for i, h in enumerate(headings)]
        keep = [i for i, cells in enumerate(columns) if any(cells)]
        align = [RIGHT if all(is_number(c) for c in columns[i] if c) else LEFT for i in keep]
        rows = [[columns[i][r] for i in keep] for r in range(len(frame))]
        return cls([headings[i] for i in keep], rows, align)

    def widths(self, line_chars: int = LINE_CHARS) -> list[float]:
        """Relative column widths (summing to 1) fitted to the content.

        Each column needs at least its longest word and wants its longest cell. When
        everything fits on one line the widths follow the longest cells; otherwise each
        column gets its longest word and the rest of the line is shared by how much
        more each column wants. Only when even the longest words do not fit are words
        broken.
        """
        if not self.columns:
            return []
        cells = [[self.columns[i], *(row[i] for row in self.rows)]
                 for i in range(len(self.columns))]
        words = [max(len(w) for c in col for w in (c.split() or [""])) + _PADDING
                 for col in cells]
        # Short body cells ("aug. 2019 – juni 2021") read best on one line: keep them
        # whole when the line has room for that, else only their words.
        whole = [max([len(c) for c in col[1:] if len(c) <= KEEP_WHOLE] or [0]) + _PADDING
                 for col in cells]
        least = list(words)
        for i in sorted(range(len(cells)), key=lambda i: whole[i] - words[i]):
            least[i] += max(min(whole[i] - words[i], line_chars - sum(least)), 0)
        most = [max(max(len(c) for c in col) + _PADDING, low)
                for col, low in zip(cells, least, strict=True)]
        if sum(most) <= line_chars or sum(least) >= line_chars:
            chosen = most if sum(most) <= line_chars else least
        else:
            spare = line_chars - sum(least)
            want = [m - low for m, low in zip(most, least, strict=True)]
            chosen = [low + spare * w / sum(want) for low, w in zip(least, want, strict=True)]
        total = sum(chosen)
        return [round(c / total, 4) for c in chosen]

    def as_metadata(self) -> dict[str, list]:
        """``{"columns", "rows", "align"}``, for a notebook output's metadata."""
        return {"columns": list(self.columns), "rows": [list(r) for r in self.rows],
                "align": list(self.align)}

    def to_text(self) -> str:
        """Headings and rows as lines of columns two spaces apart, aligned as in print."""
        lines = [self.columns, *self.rows]
        widths = [max((len(line[i]) for line in lines if i < len(line)), default=0)
                  for i in range(len(self.columns))]

        def cell(text: str, i: int) -> str:
            return text.rjust(widths[i]) if self.align[i] == RIGHT else text.ljust(widths[i])

        return "\n".join("  ".join(cell(line[i] if i < len(line) else "", i)
                                    for i in range(len(self.columns))).rstrip()
                          for line in lines)

    def to_html(self) -> str:
        """An HTML table with column widths and alignment that pandoc reads."""
        cols = "".join(f'<col style="width: {100 * w:.1f}%">' for w in self.widths())

        def cells(tag: str, values: list[str]) -> str:
            return "".join(f'<{tag} style="text-align: {a}">{html.escape(v)}</{tag}>'
                           for v, a in zip(values, self.align, strict=True))

        head = f"<thead><tr>{cells('th', self.columns)}</tr></thead>"
        body = "".join(f"<tr>{cells('td', row)}</tr>" for row in self.rows)
        return f"<table><colgroup>{cols}</colgroup>{head}<tbody>{body}</tbody></table>"


def attach_table(fig: Figure, table: DataTable | pd.DataFrame, **kwargs) -> Figure:
    """Keep the numbers a figure draws with the figure, for ``show_figure`` to show."""
    if isinstance(table, pd.DataFrame):
        table = DataTable.from_frame(table, **kwargs)
    setattr(fig, _ATTRIBUTE, table)
    return fig


def table_of(fig: Figure) -> DataTable | None:
    """The table attached by :func:`attach_table` (None when there is none)."""
    return getattr(fig, _ATTRIBUTE, None)
