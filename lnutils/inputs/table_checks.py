"""Checking small hand-kept CSV inputs cell by cell, with every problem collected.

:class:`TableChecker` gathers the problems of one file (whole numbers, decimals with a
comma or a point, fixed choices, ISO dates) and raises them together as a
:class:`~lnutils.problems.DataError`; :func:`read_csv` reads a CSV as text and checks
its required columns; :func:`rows` numbers rows as a spreadsheet does. Used by the
loaders of the network programme, the toolkit, the teams and the activity log.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pandas as pd

from lnutils.inputs.text_checks import CONTROL_FIX, control_character, nfc
from lnutils.problems import ERROR, WARNING, DataError, Problem, ValidationReport, display_path


class TableChecker:
    """Collects the problems of one input file; raises them all at once."""

    def __init__(self, path: str | Path):
        self.file = display_path(path)
        self.problems: list[Problem] = []

    def add(self, row, column, value, message, fix="", severity=ERROR) -> None:
        self.problems.append(Problem(self.file, row, column, value, message, fix, severity))

    def warn(self, row, column, value, message, fix="") -> None:
        self.add(row, column, value, message, fix, WARNING)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    def raise_if_errors(self) -> None:
        if any(p.severity == ERROR for p in self.problems):
            raise DataError(ValidationReport(list(self.problems), [self.file]))

    def integer(self, row, column, raw, *, minimum=None, required=True) -> int | None:
        """An int from a cell, or None (blank and optional, or invalid: a problem is added)."""
        text = str(raw).strip()
        if text == "":
            if required:
                self.add(row, column, raw, "a whole number is required here",
                         "fill in the cell")
            return None
        if not re.fullmatch(r"[+-]?\d+", text):
            self.add(row, column, raw, "not a whole number", "write digits only, e.g. 3")
            return None
        value = int(text)
        if minimum is not None and value < minimum:
            self.add(row, column, raw, f"must be at least {minimum}", "correct the number")
            return None
        return value

    def number(self, row, column, raw, *, minimum=None) -> float | None:
        """A float from a cell; a decimal comma is accepted ("3,75")."""
        text = str(raw).strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            self.add(row, column, raw, "not a number", "write a number such as 3.75")
            return None
        if not math.isfinite(value):  # float() reads "inf" and "nan"
            self.add(row, column, raw, "not a finite number", "write a number such as 3.75")
            return None
        if minimum is not None and value < minimum:
            self.add(row, column, raw, f"must be at least {minimum}", "correct the number")
            return None
        return value

    def choice(self, row, column, raw, allowed) -> str | None:
        text = str(raw).strip()
        if text not in allowed:
            self.add(row, column, raw, "not an allowed value",
                     f"use one of: {', '.join(allowed)}")
            return None
        return text

    def date(self, row, column, raw, *, required=False):
        text = str(raw).strip()
        if text == "":
            if required:
                self.add(row, column, raw, "a date is required here", "write it as 2015-03-31")
            return None
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):  # the form is right, the day is not
                self.add(row, column, raw, "no such date", "correct the day or month")
            else:
                self.add(row, column, raw, "not a date in the form YYYY-MM-DD",
                         "write it as 2015-03-31")
            return None


def read_csv(path: str | Path, required: list[str]) -> tuple[pd.DataFrame, TableChecker]:
    """Read a CSV as text cells (nothing converted) and check the required columns exist.

    Raises DataError at once when the file cannot be read or columns are missing, since no
    row can be checked then.
    """
    checker = TableChecker(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        checker.add(None, None, None, f"cannot read the file as UTF-8 CSV: {exc}",
                    "save the file as CSV (UTF-8, comma-separated)")
        checker.raise_if_errors()
    # Text in NFC (a file saved in NFD means the same); control characters are errors.
    table = table.map(nfc)
    table.columns = [nfc(str(c).strip()) for c in table.columns]
    for row, record in rows(table):
        for column, value in record.items():
            found = control_character(value)
            if found:
                checker.add(row, column, found, f"the cell holds a control character ({found})",
                            CONTROL_FIX)
    for column in required:
        if column not in table.columns:
            checker.add(1, column, None, "required column is missing",
                        f"add a column {column!r} to the header row")
    checker.raise_if_errors()
    return table, checker


def rows(table: pd.DataFrame):
    """(spreadsheet row number, row) pairs; the header is row 1."""
    for i, record in enumerate(table.to_dict("records")):
        yield i + 2, record
