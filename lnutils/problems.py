"""Data problems: one type for every problem found in an input, and a report of them.

Loaders collect problems instead of raising at the first one, so that a user sees
everything that is wrong with an input in one run. A loader that cannot go on raises
:class:`DataError` carrying the report; the command line prints it and exits 1.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lnutils import limits

ERROR = "error"
WARNING = "warning"

# Quoted values and numbers vary between problems of one kind ("code 9 is not an answer
# code of 'q1'"); without them the message names the kind.
_VARYING = re.compile(r"'[^']*'|\"[^\"]*\"|\d+")


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
    kind : what sort of problem this is, for capping the list (see
        :class:`ValidationReport`); default: the message without its quoted values
        and numbers.
    more : 0 for a problem; for a summary line, the number of problems of ``kind``
        in ``file`` that are not listed.
    """

    file: str | None
    row: int | None
    column: str | None
    value: Any
    message: str
    fix: str = ""
    severity: str = ERROR
    kind: str = field(default="", compare=False)
    more: int = field(default=0, compare=False)

    @property
    def key(self) -> tuple[str | None, str, str]:
        """``(file, severity, kind)``: problems with one key are capped together."""
        return self.file, self.severity, self.kind or _VARYING.sub("#", self.message)

    @property
    def count(self) -> int:
        """How many problems this line stands for."""
        return self.more or 1

    def format(self) -> str:
        if self.more:
            return (f"{self.severity.upper()}: {self.file or 'input'}: {self.more} more "
                    f"{self.severity}(s) like {self.message!r} are not listed"
                    + (f"\n    fix: {self.fix}" if self.fix else ""))
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
            text += f" (value: {_shorten(self.value)!r})"
        if self.fix:
            text += f"\n    fix: {self.fix}"
        return text


MAX_VALUE_CHARS = 200  # a 1 MB cell is shown by its start, not printed whole


def _shorten(value: Any) -> Any:
    if isinstance(value, (str, bytes)) and len(value) > MAX_VALUE_CHARS:
        return value[:MAX_VALUE_CHARS] + ("…" if isinstance(value, str) else b"...")
    return value


class ValidationReport:
    """All problems found in one validation run, at most ``limit`` of each kind per file.

    A file with a million bad rows gives a short report in bounded memory: the first
    ``limit`` problems of each kind (:attr:`Problem.key`) are kept, the rest only
    counted, and :attr:`problems` ends with one summary line per capped kind ("… 999 980
    more error(s) like … are not listed"). Summary lines survive being copied into
    another report, so counts stay right when reports are merged.

    Parameters
    ----------
    problems : problems to start with.
    checked : the files checked, as messages show them.
    limit : problems listed per kind and file; default ``LNREPORT_MAX_PROBLEMS_PER_KIND``.
    """

    def __init__(self, problems: Iterable[Problem] = (), checked: Iterable[str] = (), *,
                 limit: int | None = None):
        self.limit = limit if limit is not None else limits.max_problems_per_kind()
        self.checked: list[str] = list(checked)
        self._listed: list[Problem] = []
        self._shown: dict[tuple, int] = {}
        self._omitted: dict[tuple, list] = {}  # key -> [first omitted problem, count]
        self.extend(problems)

    def add(self, problem: Problem) -> None:
        key = problem.key
        if problem.more:
            self._omit(key, problem, problem.more)
        elif self._shown.get(key, 0) < self.limit:
            self._shown[key] = self._shown.get(key, 0) + 1
            self._listed.append(problem)
        else:
            self._omit(key, problem, 1)

    def _omit(self, key: tuple, problem: Problem, count: int) -> None:
        entry = self._omitted.setdefault(key, [problem, 0])
        entry[1] += count

    def lists(self, file: str | None, kind: str, severity: str = ERROR) -> bool:
        """Whether a problem of this kind would still be listed (not only counted).

        Lets a reader skip the costly part of a message (a "did you mean" search) for
        problems that will only be counted.
        """
        return self._shown.get((file, severity, kind), 0) < self.limit

    def counted(self, file: str | None, kind: str, severity: str = ERROR) -> bool:
        """Count one more problem of a kind that is past its limit; False if it is not yet.

        The fast path for a reader meeting the millionth bad cell: no message is built.
        """
        entry = self._omitted.get((file, severity, kind))
        if entry is None:
            return False
        entry[1] += 1
        return True

    def extend(self, problems: Iterable[Problem]) -> None:
        for problem in problems:
            self.add(problem)

    def merge(self, other: ValidationReport) -> None:
        self.extend(other.problems)
        self.checked.extend(other.checked)

    @property
    def problems(self) -> list[Problem]:
        """The listed problems, then one summary line per kind with problems not listed."""
        summaries = [
            Problem(first.file, None, None, None, first.message, _summary_fix(first),
                    first.severity, kind=key[2], more=count)
            for key, (first, count) in self._omitted.items()
        ]
        return self._listed + summaries

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def error_count(self) -> int:
        """Errors found, those not listed included."""
        return sum(p.count for p in self.errors)

    @property
    def warning_count(self) -> int:
        return sum(p.count for p in self.warnings)

    @property
    def ok(self) -> bool:
        return not self.errors

    def format(self) -> str:
        lines = [p.format() for p in self.errors + self.warnings]
        files = ", ".join(self.checked) if self.checked else "nothing"
        summary = f"{self.error_count} error(s), {self.warning_count} warning(s) in {files}"
        return "\n".join(lines + [summary])


def _summary_fix(first: Problem) -> str:
    if first.more:
        return first.fix
    return ("the first ones are listed above; fix those (often one cause explains them "
            "all) and validate again")


class DataError(Exception):
    """An input is invalid; ``report`` holds every problem found."""

    def __init__(self, report: ValidationReport | Problem | Iterable[Problem]):
        if isinstance(report, Problem):
            report = ValidationReport([report])
        elif not isinstance(report, ValidationReport):
            report = ValidationReport(report)
        self.report = report
        super().__init__(report.format())


def display_path(path: str | Path) -> str:
    """Path as shown in messages: relative to the working directory when possible."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
