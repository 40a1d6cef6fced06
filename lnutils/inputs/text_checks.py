"""Checks for the text of every input: one Unicode form, no control characters, real dates.

- A file saved in Unicode NFD (as macOS may save it: "ø" as "o" + a combining stroke)
  means the same as its NFC form; loaders compare labels and names in NFC, so
  :func:`nfc_table` and :func:`nfc` bring what was read into that form.
- Control characters (NUL, BEL, ESC, ...) are never meant in an answer or a label and
  could hide text or break outputs; tab, line feed and carriage return are allowed.
- YAML turns an unquoted ``2021-06-31`` into a date and fails with a bare ValueError;
  :func:`impossible_dates` finds such values with their line and key path.
- ``.inf`` and ``.nan`` are numbers to YAML and to ``float()``, never to a report.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

from lnutils.inputs.readers import RawTable
from lnutils.problems import Problem

# C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_FIX = "remove the control character (copy the text through a plain-text editor)"
_YAML_DATE_RE = re.compile(
    r"(?<![\w\"'.:/-])(?P<y>\d{4})-(?P<m>\d\d?)-(?P<d>\d\d?)(?![\w\"'.-])")


def nfc(text: str) -> str:
    """``text`` in Unicode NFC (unchanged when it already is)."""
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


def nfc_table(table: RawTable) -> RawTable:
    """The table with its header and cells in Unicode NFC."""
    columns = [nfc(c) for c in table.columns]
    rows = [(row, [nfc(c) for c in cells]) for row, cells in table.rows]
    same = all(a[1] == b[1] for a, b in zip(rows, table.rows, strict=True))
    if columns == table.columns and same:
        return table
    # replace() keeps what else the table carries (an SPSS file's labels).
    return dataclasses.replace(table, columns=columns, rows=rows)


def control_character(text: str) -> str | None:
    """The first control character in ``text`` as ``"U+0000"``, or None."""
    match = CONTROL_RE.search(text)
    return f"U+{ord(match.group(0)):04X}" if match else None


def table_control_cells(table: RawTable) -> Iterator[tuple[int, str, str]]:
    """``(row, column, "U+....")`` of every cell of ``table`` holding a control character."""
    for row, cells in table.rows:
        for column, cell in zip(table.columns, cells, strict=True):
            found = control_character(cell)
            if found:
                yield row, column, found
    for column in table.columns:
        found = control_character(column)
        if found:
            yield table.header_row, column, found


def control_problems(table: RawTable) -> list[Problem]:
    """A located error per cell of ``table`` holding a control character."""
    return [Problem(table.file, row, column, found,
                    f"the cell holds a control character ({found})", CONTROL_FIX)
            for row, column, found in table_control_cells(table)]


def impossible_dates(text: str, lines: dict[tuple, int]) -> list[tuple[int, str, str]]:
    """Unquoted ``YYYY-MM-DD`` values in YAML text that are no date, with line and key.

    Parameters
    ----------
    text : the YAML text.
    lines : key path -> line, from :func:`lnutils.inputs.readers.yaml_key_lines`.

    Returns
    -------
    list
        ``(line, key path, value)`` for each value such as ``2021-06-31``.
    """
    by_line: dict[int, tuple] = {}
    for keys, line in lines.items():
        if len(keys) > len(by_line.get(line, ())):
            by_line[line] = keys
    found = []
    for number, line in enumerate(text.split("\n"), start=1):
        code = line.split(" #", 1)[0]
        for match in _YAML_DATE_RE.finditer(code):
            try:
                dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                key = "".join(f"[{k}]" if k.isdigit() else f".{k}"
                              for k in by_line.get(number, ())).lstrip(".")
                found.append((number, key, match.group(0)))
    return found


def walk_values(data: Any, keys: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every leaf of loaded YAML with its key path (list indices as ints)."""
    if isinstance(data, dict):
        for key, value in data.items():
            found = control_character(str(key))
            if found:
                yield (*keys, key), str(key)
            yield from walk_values(value, (*keys, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk_values(value, (*keys, i))
    else:
        yield keys, data


def value_problems(data: Any, report: Callable[[tuple, Any, str, str], None]) -> None:
    """Report control characters and non-finite numbers in loaded YAML.

    ``report(keys, value, message, fix)`` is called once per bad value.
    """
    for keys, value in walk_values(data):
        if isinstance(value, float) and not math.isfinite(value):
            report(keys, value, "not a finite number",
                   "write a number (YAML reads .inf and .nan as numbers that cannot be used)")
        elif isinstance(value, str):
            found = control_character(value)
            if found:
                report(keys, found, f"the text holds a control character ({found})",
                       CONTROL_FIX)
