"""Reading a survey export row by row through its codebook, collecting every problem.

:class:`ExportReader` is the engine behind :func:`lnutils.inputs.survey.load_survey`: it maps
the export's columns to the codebook's questions (by id or wording), reads each cell
(code or label, case and whitespace tolerant; multi-select as 0/1 columns or one
delimited column), applies the routing, and records a
:class:`~lnutils.problems.Problem` for everything that does not fit instead of stopping
at the first. It returns plain records; ``lnutils.inputs.survey`` turns them into tables.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lnutils.inputs.codebook import Codebook, Question, normalise_label
from lnutils.inputs.readers import RawTable
from lnutils.problems import WARNING, Problem, ValidationReport

NOT_ASKED, MISSING = "not_asked", "missing"
_CODE = re.compile(r"^\d+(\.0+)?$")  # "3", or "3.0" as some spreadsheets write it
BAD_CELLS_REMEMBERED = 50_000  # invalid (question, cell) pairs kept to skip re-parsing


# --- columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    """What a column holds: a whole question (item "") or one battery item / multi option."""

    question: str
    item: str = ""


def _column_names(codebook: Codebook) -> dict[str, list[_Target]]:
    """Every accepted column name (normalised) with the targets it may mean."""
    names: dict[str, list[_Target]] = {}

    def add(name: str, target: _Target) -> None:
        key = normalise_label(name)
        if key and target not in names.setdefault(key, []):
            names[key].append(target)

    for q in codebook.questions:
        add(q.id, _Target(q.id))
        if q.text:
            add(q.text, _Target(q.id))
        parts = {str(k): v for k, v in (q.items or {}).items()}
        if q.type == "multi":
            parts = {str(k): v for k, v in (q.options or {}).items()}
        for part, wording in parts.items():
            target = _Target(q.id, part)
            add(f"{q.id}.{part}", target)
            add(wording, target)
            for sep in (" - ", " – ", ": "):
                add(f"{q.text or q.id}{sep}{wording}", target)
    return names


def _expected_columns(q: Question) -> list[_Target]:
    if q.type == "battery":
        return [_Target(q.id, item) for item in q.items or {}]
    return [_Target(q.id)]


class ExportReader:
    """Reads an export row by row, collecting problems instead of stopping at the first."""

    def __init__(self, table: RawTable, codebook: Codebook):
        self.table = table
        self.file = table.file
        self.codebook = codebook
        # capped: a file of junk rows lists a few problems of each kind and counts the rest
        self.report = ValidationReport(checked=[self.file])
        self.header_row = table.header_row
        self.columns: dict[_Target, int] = {}
        self.id_column: int | None = None
        self.row_ids: list[str] = []
        self.forms: dict[int, dict[str, _Rows]] = {}  # column -> form -> rows
        self.order = _routing_order(codebook)
        # Per question: valid codes with labels, and normalised label -> code.
        self.valid = {q.id: {**q.codes(), **q.nonanswers()} for q in codebook.questions}
        self.labels = {qid: _label_lookup(valid) for qid, valid in self.valid.items()}
        self.plans: dict[str, list[tuple[str, int]] | None] = {}  # after map_columns
        self.kinds = {q.id: {code: q.nonanswer_kind(code) for code in q.nonanswers()}
                      for q in codebook.questions}
        # (question, cell text) -> (code, form) of cells read without a problem; an
        # export repeats the same few values in every row.
        self.read_cells: dict[tuple[str, str], tuple[int, str]] = {}
        # (question, cell text) -> (kind, message, fix) of invalid cells: junk repeats too
        self.bad_cells: dict[tuple[str, str], tuple[str, str, str]] = {}

    @property
    def problems(self) -> list[Problem]:
        """The problems found: a few of each kind, then a count of the rest (see above)."""
        return self.report.problems

    @problems.setter
    def problems(self, problems: list[Problem]) -> None:
        # ``reader.problems += more``: the list read above (summary lines included) plus
        # the new ones, capped again
        self.report = ValidationReport(problems, self.report.checked)

    def problem(self, row: int | None, column: str | None, value: Any, message: str,
                fix: str, severity: str = "error", kind: str = "") -> None:
        if kind and self.report.counted(self.file, kind, severity):
            return
        self.report.add(Problem(self.file, row, column, value, message, fix, severity, kind))

    # Columns

    def map_columns(self) -> None:
        names = _column_names(self.codebook)
        rid = normalise_label(self.codebook.respondent_id)
        ignored = {normalise_label(c) for c in self.codebook.ignore_columns}
        for index, name in enumerate(self.table.columns):
            key = normalise_label(name)
            if key == rid:
                self.id_column = index
            elif key in ignored:
                continue
            elif key not in names:
                self._unknown_column(name, names)
            elif len(names[key]) > 1:
                meant = ", ".join(f"{t.question}.{t.item}" if t.item else t.question
                                  for t in names[key])
                self.problem(self.header_row, name, None,
                             f"the column name fits several questions ({meant})",
                             "name the column by question id (e.g. `q7.samarbeid`)")
            elif names[key][0] in self.columns:
                other = self.table.columns[self.columns[names[key][0]]]
                self.problem(self.header_row, name, None,
                             f"this column and column {other!r} hold the same question",
                             "remove one of the two columns")
            else:
                self.columns[names[key][0]] = index
        self._missing_columns()

    def _unknown_column(self, name: str, names: dict[str, list[_Target]]) -> None:
        close = difflib.get_close_matches(normalise_label(name), list(names), n=1, cutoff=0.75)
        hint = f"did you mean {close[0]!r}? Otherwise a" if close else "A"
        self.problem(self.header_row, name, None, "the column is not in the codebook",
                     f"{hint}dd the question to the codebook, list the column under "
                     "`ignore_columns:`, or remove it from the export")

    def _missing_columns(self) -> None:
        if self.id_column is None:
            self.problem(self.header_row, self.codebook.respondent_id, None,
                         "the respondent id column is missing",
                         "add a column with one id per respondent, or set `respondent_id:` "
                         "in the codebook to the export's id column")
        for q in self.codebook.questions:
            if q.type == "multi":
                self._multi_columns(q)
                continue
            if q.type == "battery" and _Target(q.id) in self.columns:
                self.problem(self.header_row, self.table.columns[self.columns[_Target(q.id)]],
                             None, f"battery {q.id!r} needs one column per item",
                             f"name the columns {q.id}.<item> (items: {', '.join(q.items)})")
            for target in _expected_columns(q):
                if target not in self.columns:
                    name = f"{q.id}.{target.item}" if target.item else q.id
                    self.problem(self.header_row, name, None,
                                 f"no column for question {q.id!r}" +
                                 (f" item {target.item!r}" if target.item else ""),
                                 f"add a column named {name!r} or with the question's wording")

    def _multi_columns(self, q: Question) -> None:
        options = [_Target(q.id, str(code)) for code in q.options or {}]
        found = [t for t in options if t in self.columns]
        if _Target(q.id) in self.columns:
            if found:
                self.problem(self.header_row, q.id, None,
                             f"question {q.id!r} has both a delimited column and option columns",
                             "keep either the one delimited column or the 0/1 option columns")
            return
        if len(found) == len(options):
            return
        missing = [f"{q.id}.{t.item}" for t in options if t not in found]
        self.problem(self.header_row, ", ".join(missing) if found else q.id, None,
                     f"no column for multiple-choice question {q.id!r}" if not found else
                     f"option columns of {q.id!r} are missing",
                     f"add one 0/1 column per option ({q.id}.<code>) or one column {q.id!r} "
                     f"with the chosen options separated by {q.multi_delimiter!r}")

    # Rows

    def read(self) -> tuple[list[tuple], dict[str, dict[str, Any]]]:
        """Read every row; returns long records and ``{column: {respondent: value}}``."""
        self.map_columns()
        if not self.table.rows:
            self.problem(None, None, None, "the export has a header but no respondents",
                         "export the survey again with its answers")
        records: list[tuple] = []
        wide: dict[str, dict[str, Any]] = {}
        first_row: dict[str, int] = {}
        id_name = (self.table.columns[self.id_column] if self.id_column is not None
                   else self.codebook.respondent_id)
        for row, cells in self.table.rows:
            rid = cells[self.id_column].strip() if self.id_column is not None else str(row - 1)
            if not rid:
                self.problem(row, id_name, None, "the respondent id is empty",
                             "give every respondent an id", kind="empty_id")
                continue
            if rid in first_row:
                self.problem(row, id_name, rid,
                             f"respondent {rid!r} already appears in row {first_row[rid]}",
                             "remove the duplicate row, or give the respondent a unique id",
                             kind="duplicate_id")
                continue
            first_row[rid] = row
            self.row_ids.append(rid)
            self._read_row(row, rid, cells, records, wide)
        self._check_mixed_forms()
        return records, wide

    def _read_row(self, row: int, rid: str, cells: list[str], records: list[tuple],
                  wide: dict[str, dict[str, Any]]) -> None:
        chosen: dict[str, set[int] | None] = {}  # qid -> codes chosen; None when unknown
        for q in self.order:
            asked = _asked(q, chosen)
            values = self._read_question(row, q, cells)  # item -> (code | text | None)
            if values is None:  # column missing or a cell invalid: reported already
                chosen[q.id] = None
                continue
            # Zeros in option columns are what exports write for unasked multi questions.
            answered = [item for item, v in values.items()
                        if v is not None and (q.type != "multi" or v == 1)]
            if asked is False and answered:
                item = answered[0]
                index = self._column_index(q, item)
                self.problem(row, self.table.columns[index], cells[index],
                             f"an answer to {q.id!r}, which the routing did not ask this "
                             f"respondent (asked only when {self._routing_text(q)})",
                             f"check the answer to {q.routing.question!r} in this row, "
                             "or remove this one", kind="routing")
                chosen[q.id] = None
                continue
            if asked is False:
                values = dict.fromkeys(values)  # zeros in option columns mean nothing here
            chosen[q.id] = _chosen_codes(q, values)
            for item, value in values.items():
                records.append(self._record(rid, q, item, value, NOT_ASKED if asked is False
                                            else MISSING))
                column = f"{q.id}.{item}" if item else q.id
                wide.setdefault(column, {})[rid] = value

    def _record(self, rid: str, q: Question, item: str, value: Any, state: str) -> tuple:
        """One row of the long table."""
        if value is None:
            return (rid, q.id, item, pd.NA, pd.NA, state, pd.NA)
        if q.type == "text":
            return (rid, q.id, item, pd.NA, pd.NA, pd.NA, value)
        if q.type == "multi":
            return (rid, q.id, item, value, (q.options or {})[int(item)], pd.NA, pd.NA)
        kind = self.kinds[q.id].get(value, pd.NA)
        return (rid, q.id, item, value, self.valid[q.id][value], kind, pd.NA)

    def _routing_text(self, q: Question) -> str:
        """The routing as words: ``'arena' is 'Forbedringsteam'`` (or one of several)."""
        target = q.routing.question
        labels = [repr(self.valid.get(target, {}).get(code, code)) for code in q.routing.in_]
        if len(labels) == 1:
            return f"{target!r} is {labels[0]}"
        return f"{target!r} is one of {', '.join(labels)}"

    def _column_index(self, q: Question, item: str) -> int:
        """The export column holding one item of a question (or the whole question)."""
        index = self.columns.get(_Target(q.id, item))
        return self.columns[_Target(q.id)] if index is None else index

    def _read_question(self, row: int, q: Question, cells: list[str]) -> dict[str, Any] | None:
        if q.type == "multi":
            return self._read_multi(row, q, cells)
        plan = self._column_plan(q)
        if plan is None:
            return None
        values: dict[str, Any] = {}
        ok = True
        for item, index in plan:
            raw = cells[index]
            if q.type == "text":
                values[item] = raw.strip() or None
                continue
            code = self._read_code(row, index, raw, q)
            ok = ok and code is not False
            values[item] = code if code is not False else None
        return values if ok else None

    def _column_plan(self, q: Question) -> list[tuple[str, int]] | None:
        """``(item, column index)`` of every column a question needs; None if one is missing."""
        if q.id not in self.plans:
            indexes = [(t.item, self.columns.get(t)) for t in _expected_columns(q)]
            self.plans[q.id] = (None if any(i is None for _, i in indexes) else indexes)
        return self.plans[q.id]

    def _read_code(self, row: int, index: int, raw: str, q: Question) -> int | None | bool:
        """Code of one cell, None when empty, False when invalid (problem recorded)."""
        known = self.read_cells.get((q.id, raw))
        if known is None:
            bad = self.bad_cells.get((q.id, raw))
            if bad is not None:
                kind, message, fix = bad
                self.problem(row, self.table.columns[index], raw, message, fix, kind=kind)
                return False
            known = self._parse_code(row, index, raw, q)
            if known is None or known is False:
                return known
            self.read_cells[(q.id, raw)] = known
        code, form = known
        if form:
            self.forms.setdefault(index, {}).setdefault(form, _Rows()).add(row)
        return code

    def _parse_code(self, row: int, index: int, raw: str,
                    q: Question) -> tuple[int, str] | None | bool:
        """``(code, form)`` of one cell (form: "code", "label", "both" or ""), see above."""
        text = " ".join(raw.split())
        if not text:
            return None
        valid, labels = self.valid[q.id], self.labels[q.id]
        by_label = labels.get(normalise_label(text))
        if _CODE.match(text):
            code = int(text.split(".")[0])
            if code in valid:
                return code, "both" if by_label == code else "code"
            if by_label is not None:
                return by_label, ""
            return self._bad_cell(row, index, raw, q, "bad_code",
                                  f"code {code} is not an answer code of {q.id!r}",
                                  f"use one of the codes {', '.join(map(str, sorted(valid)))}")
        if by_label is not None:
            return by_label, "label"
        message = f"{text!r} is not an answer label of {q.id!r}"
        if not self.report.lists(self.file, "bad_label"):
            # only counted from here on: skip the costly search for a suggestion
            return self._bad_cell(row, index, raw, q, "bad_label", message, "")
        close = difflib.get_close_matches(normalise_label(text), list(labels), n=1, cutoff=0.5)
        suggestion = next((lbl for lbl in valid.values() if close and
                           normalise_label(lbl) == close[0]), None)
        return self._bad_cell(row, index, raw, q, "bad_label", message,
                              f"did you mean {suggestion!r}?" if suggestion else
                              f"use one of: {', '.join(repr(v) for v in valid.values())}")

    def _bad_cell(self, row: int, index: int, raw: str, q: Question, kind: str,
                  message: str, fix: str) -> bool:
        """Record an invalid cell, remembering it so the same value elsewhere is a lookup."""
        if len(self.bad_cells) < BAD_CELLS_REMEMBERED:
            self.bad_cells[(q.id, raw)] = (kind, message, fix)
        self.problem(row, self.table.columns[index], raw, message, fix, kind=kind)
        return False

    def _read_multi(self, row: int, q: Question, cells: list[str]) -> dict[str, Any] | None:
        options = q.options or {}
        delimited = self.columns.get(_Target(q.id))
        if delimited is not None:
            return self._read_delimited(row, q, delimited, cells[delimited])
        values: dict[str, Any] = {}
        ok = True
        for code, label in options.items():
            index = self.columns.get(_Target(q.id, str(code)))
            if index is None:
                return None
            text = normalise_label(cells[index])
            if text in ("", "0", "1"):
                values[str(code)] = int(text) if text else None
            elif text == normalise_label(label):
                values[str(code)] = 1
            else:
                ok = False
                self.problem(row, self.table.columns[index], cells[index],
                             f"an option column of {q.id!r} must hold 1 (chosen), 0 or nothing",
                             f"write 1 when {label!r} was chosen, else 0 or leave it empty",
                             kind="bad_option")
        if not ok:
            return None
        if all(v is None for v in values.values()):
            return values  # nothing chosen and no zeros: not answered
        return {k: (v or 0) for k, v in values.items()}

    def _read_delimited(self, row: int, q: Question, index: int, raw: str) -> dict | None:
        options = q.options or {}
        parts = [p for p in raw.split(q.multi_delimiter) if p.strip()]
        if not parts:
            return {str(code): None for code in options}
        chosen = set()
        for part in parts:
            code = self._read_code(row, index, part, q)
            if code is False:
                return None
            chosen.add(code)
        return {str(code): int(code in chosen) for code in options}

    def _check_mixed_forms(self) -> None:
        """Warn about a column that holds codes in some rows and labels in others."""
        for index, forms in self.forms.items():
            codes, labels = forms.get("code", _Rows()), forms.get("label", _Rows())
            if codes.count and labels.count:
                minority = labels if labels.count <= codes.count else codes
                self.problem(minority.first[0], self.table.columns[index], None,
                             f"the column mixes answer codes ({_rows(codes)}) and answer labels "
                             f"({_rows(labels)})",
                             "export all answers either as codes or as labels", WARNING)


class _Rows:
    """How many rows hold something, and the first few of them (memory stays small)."""

    KEEP = 5

    def __init__(self) -> None:
        self.count = 0
        self.first: list[int] = []

    def add(self, row: int) -> None:
        self.count += 1
        if len(self.first) < self.KEEP:
            self.first.append(row)


def _rows(rows: _Rows) -> str:
    shown = ", ".join(map(str, rows.first)) + (", ..." if rows.count > len(rows.first) else "")
    return f"row {shown}" if rows.count == 1 else f"rows {shown}"


def _label_lookup(valid: dict[int, str]) -> dict[str, int]:
    """Normalised label -> code; "6 I stor grad" is also found as "I stor grad"."""
    lookup = {normalise_label(label): code for code, label in valid.items()}
    for code, label in valid.items():
        match = re.match(r"^(\d+)\s+(\S.*)$", label.strip())
        if match and int(match.group(1)) == code:
            lookup.setdefault(normalise_label(match.group(2)), code)
    return lookup


def _routing_order(codebook: Codebook) -> list[Question]:
    """Questions with every routing question before the questions it routes."""
    done: dict[str, Question] = {}

    def visit(q: Question) -> None:
        if q.id not in done:
            if q.routing is not None and q.routing.question in codebook:
                visit(codebook.question(q.routing.question))
            done[q.id] = q

    for q in codebook.questions:
        visit(q)
    return list(done.values())


def _asked(q: Question, chosen: dict[str, set[int] | None]) -> bool | None:
    """Was the question asked? None when the routing question's answer is unknown."""
    if q.routing is None:
        return True
    codes = chosen.get(q.routing.question)
    if codes is None:
        return None
    return bool(codes & set(q.routing.in_))


def _chosen_codes(q: Question, values: dict[str, Any]) -> set[int]:
    if q.type == "multi":
        return {int(item) for item, v in values.items() if v == 1}
    return {v for v in values.values() if isinstance(v, int)}
