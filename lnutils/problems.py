"""Data problems: one type for every problem found in an input, and a report of them.

Loaders collect problems instead of raising at the first one, so that a user sees
everything that is wrong with an input in one run. A loader that cannot go on raises
:class:`DataError` carrying the report; the command line prints it and exits 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input.

    Parameters
    ----------
    file : path of the input (as given), or None when the problem is not in a file.
    row : 1-based row as a spreadsheet shows it (header is row 1), or None.
    column : column name (or YAML key path) where the problem is, or None.
    value : the offending value, or None.
    message : what is wrong, in one sentence.
    fix : what the user should do about it.
    severity : ``"error"`` (input rejected) or ``"warning"`` (input used as is).
    """

    file: str | None
    row: int | None
    column: str | None
    value: Any
    message: str
    fix: str = ""
    severity: str = ERROR

    def format(self) -> str:
        where = []
        if self.file:
            where.append(str(self.file))
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        head = ", ".join(where) if where else "input"
        text = f"{self.severity.upper()}: {head}: {self.message}"
        if self.value is not None and self.value != "":
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


@dataclass
class ValidationReport:
    """All problems found in one validation run."""

    problems: list[Problem] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    def merge(self, other: ValidationReport) -> None:
        self.problems.extend(other.problems)
        self.checked.extend(other.checked)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self) -> str:
        lines = [p.format() for p in self.errors + self.warnings]
        files = ", ".join(self.checked) if self.checked else "nothing"
        summary = (
            f"{len(self.errors)} error(s), {len(self.warnings)} warning(s) in {files}"
        )
        return "\n".join(lines + [summary])


class DataError(Exception):
    """An input is invalid; ``report`` holds every problem found."""

    def __init__(self, report: ValidationReport | Problem | Iterable[Problem]):
        if isinstance(report, Problem):
            report = ValidationReport([report])
        elif not isinstance(report, ValidationReport):
            report = ValidationReport(list(report))
        self.report = report
        super().__init__(report.format())


def display_path(path: str | Path) -> str:
    """Path as shown in messages: relative to the working directory when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
