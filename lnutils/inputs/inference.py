"""A draft codebook inferred from a survey export, for ``lnreport new``.

The export is read with the project's readers (any supported encoding, delimiter,
XLSX or SPSS); the draft is plain data that the scaffold writes as YAML. What the
values decide is decided here; what they cannot decide is written down as a note for
the evaluator beside the key it concerns, never guessed silently:

- question wording comes from the header (or an SPSS variable label); a header that is
  an id (Nettskjema's external ids) gives the id and a note to write the wording;
- type and scale come from the values: whole numbers 1-N (a rating when the wording
  asks "i hvilken grad", "hvor fornøyd", ...; else a choice whose labels are unknown),
  the common Norwegian verbal scales, Ja/Nei, labelled choices, free text (many
  distinct or long answers), "Vet ikke" / "Ikke aktuelt" / "Ikke deltatt" as
  non-answers, SPSS value labels;
- columns named ``<question>.<part>`` or ``<question text> - <part>`` form one
  question: 0/1 (or the option's own label) is a multiple choice, anything else a
  battery on one scale (a radio matrix); one column whose answers are options joined
  by ``;``, ``|`` or ``,`` is a multiple choice too;
- Nettskjema's ``$submission_id`` is the respondent id, its other ``$`` columns and
  time stamps are ignored; a checkbox matrix (``<question>.<row>.<option>``) cannot
  be expressed in a codebook and is ignored with a note.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lnutils.inputs.answer_kinds import INT_CODE, AnswerKind, classify
from lnutils.inputs.codebook import ID_PATTERN, normalise_label
from lnutils.inputs.readers import RawTable, read_table
from lnutils.problems import DataError, Problem

# Headers that hold the respondent id (normalised: letters and digits only).
ID_HEADERS = ("submissionid", "respondent", "respondentid", "responseid", "svarid", "id",
              "lopenummer", "lopenr", "lnr", "caseid")
# Headers of survey-tool bookkeeping (normalised), ignored as columns.
META_HEADERS = ("startet", "fullfort", "fullfrt", "start", "slutt", "started", "completed",
                "submitted", "created", "modified", "endret", "sistendret", "opprettet",
                "ip", "ipadresse", "ipaddress", "tidspunkt", "dato", "date", "sprak",
                "language", "status", "varighet", "duration", "useragent", "answertimems",
                "tidsbruk")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?$"
                   r"|^\d{1,2}\.\d{1,2}\.\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?$")
_PART_SEPARATORS = (" - ", " – ", ": ")


@dataclass
class Draft:
    """A draft codebook and what its inference could not decide.

    Attributes
    ----------
    codebook : the codebook as YAML data (``survey``, ``respondent_id``, ``scales``,
        ``questions``, ``ignore_columns``).
    notes : ``("question", id)``, ``("scale", name)``, ``("survey", "")`` or
        ``("ignore", column)`` -> notes for the evaluator.
    blocks : question ids in blocks (runs of questions of one kind), in export order.
    table : the export as read.
    """

    codebook: dict[str, Any]
    notes: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    blocks: list[list[str]] = field(default_factory=list)
    table: RawTable | None = None

    def note(self, kind: str, key: str, text: str) -> None:
        self.notes.setdefault((kind, key), []).append(text)

    def question(self, qid: str) -> dict[str, Any]:
        return next(q for q in self.codebook["questions"] if q["id"] == qid)


@dataclass
class _Column:
    """One export column: its header, wording and non-empty values."""

    index: int
    name: str
    wording: str
    values: list[str]
    value_labels: dict[str, str]


def infer_codebook(path: str | Path, survey_id: str) -> Draft:
    """Read an export and infer a draft codebook.

    Parameters
    ----------
    path : the export (CSV, XLSX or SPSS ``.sav``), read with :func:`read_table`.
    survey_id : the codebook's ``survey`` id.

    Raises
    ------
    DataError
        When the export cannot be read or has no column that can serve as respondent id.
    """
    table = read_table(path)
    return infer_from_table(table, survey_id)


def infer_from_table(table: RawTable, survey_id: str) -> Draft:
    """The draft codebook of an export already read (see :func:`infer_codebook`)."""
    columns = [_Column(i, name, table.column_labels.get(name, ""),
                       [cells[i].strip() for _, cells in table.rows if cells[i].strip()],
                       table.value_labels.get(name, {}))
               for i, name in enumerate(table.columns)]
    draft = Draft({"survey": survey_id, "title": "", "respondent_id": "",
                   "ignore_columns": [], "scales": {}, "questions": []}, table=table)
    id_column = _respondent_column(columns, len(table.rows), table.file)
    draft.codebook["respondent_id"] = id_column.name
    rest = [c for c in columns if c is not id_column]
    for column in rest:
        if _is_metadata(column):
            draft.codebook["ignore_columns"].append(column.name)
    rest = [c for c in rest if c.name not in draft.codebook["ignore_columns"]]
    for group in _groups(rest):
        _add_group(draft, group)
    if not draft.codebook["questions"]:
        raise DataError(Problem(table.file, table.header_row, None, None,
                                "no column of the export is a question (each is the "
                                "respondent id, a column of the survey tool's own or a "
                                "checkbox matrix)",
                                "export the survey with its answers"))
    draft.blocks = _blocks(draft.codebook["questions"])
    if not draft.codebook["ignore_columns"]:
        del draft.codebook["ignore_columns"]
    return draft


# --- columns ---------------------------------------------------------------------------


def _key(name: str) -> str:
    """Letters and digits only, ASCII, lower case: how bookkeeping headers are compared."""
    text = unicodedata.normalize("NFKD", name.casefold()).replace("ø", "o").replace("æ", "ae")
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode("ascii"))


def _respondent_column(columns: list[_Column], rows: int, file: str) -> _Column:
    """The column holding the respondent id: by its name, else the first unique column."""
    for column in columns:
        if _key(column.name) in ID_HEADERS:
            return column
    for column in columns:
        if len(column.values) == rows and len(set(column.values)) == rows and rows:
            return column
    raise DataError(Problem(file, 1, None, None,
                            "no column can serve as respondent id (none is named like one, "
                            "and none has a different value in every row)",
                            "export the survey with its response or submission id column"))


def _is_metadata(column: _Column) -> bool:
    if column.name.startswith("$") or _key(column.name) in META_HEADERS:
        return True
    return bool(column.values) and all(_DATE.match(v) for v in column.values)


def _split_name(name: str) -> tuple[str, str, int] | None:
    """``(question, part, depth)`` of a column named ``q.part``, ``q.row.option`` or
    ``wording - part``; None for a column of its own."""
    if " " not in name and "." in name.strip(".") and not INT_CODE.match(name):
        parts = name.split(".")
        return parts[0], ".".join(parts[1:]), len(parts) - 1
    for sep in _PART_SEPARATORS:
        if sep in name:
            head, _, tail = name.rpartition(sep)
            if head.strip() and tail.strip():
                return head.strip(), tail.strip(), 1
    return None


def _groups(columns: list[_Column]) -> list[tuple[str, list[tuple[str, _Column]], int]]:
    """Columns in export order, grouped by question: ``(base, [(part, column)], depth)``."""
    groups: list[tuple[str, list[tuple[str, _Column]], int]] = []
    for column in columns:
        split = _split_name(column.name)
        if split is None:
            groups.append((column.name, [("", column)], 0))
            continue
        base, part, depth = split
        if groups and groups[-1][0] == base and groups[-1][2] == depth:
            groups[-1][1].append((part, column))
        else:
            groups.append((base, [(part, column)], depth))
    # A "group" of one dotted column is a question of its own (a header with a dot in it).
    return [(g[1][0][1].name, [("", g[1][0][1])], 0) if len(g[1]) == 1 and g[2] == 1 else g
            for g in groups]


def slug(text: str, fallback: str) -> str:
    """An id from a header or wording: lower-case ASCII letters, digits and ``_``."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ø", "o").replace("æ", "ae")
                                 .replace("å", "a"))
    text = re.sub(r"[^a-z0-9]+", "_", text.encode("ascii", "ignore").decode("ascii")).strip("_")
    return text if text and re.match(ID_PATTERN, text) and not text[0].isdigit() else fallback


def _question_id(draft: Draft, base: str) -> tuple[str, bool]:
    """``(id, header_is_id)``: a header that is an id keeps it; wording gets ``q<n>``."""
    used = {q["id"] for q in draft.codebook["questions"]}
    candidate = base.strip().casefold()
    is_id = bool(re.match(r"^[a-z][a-z0-9_]*$", candidate)) and len(candidate) <= 40
    qid = candidate if is_id else f"q{len(draft.codebook['questions']) + 1}"
    number = 2
    while qid in used or qid == normalise_label(draft.codebook["respondent_id"]):
        qid, number = f"{candidate if is_id else 'q'}_{number}", number + 1
    return qid, is_id and qid == candidate


def _add_group(draft: Draft, group: tuple[str, list[tuple[str, _Column]], int]) -> None:
    base, parts, depth = group
    if depth >= 2:
        for _, column in parts:
            draft.codebook["ignore_columns"].append(column.name)
        draft.note("ignore", parts[0][1].name,
                   f"{len(parts)} columns of {base!r} ({parts[0][1].name}, ...) are a checkbox "
                   "matrix (question.row.option), which a codebook cannot express: ignored")
        return
    if depth == 0:
        _add_single_column(draft, parts[0][1])
        return
    values = [v for _, c in parts for v in c.values]
    chosen_marks = all(v in ("0", "1") or normalise_label(v) == normalise_label(part)
                       for part, c in parts for v in c.values)
    if chosen_marks and values:
        _add_multi(draft, base, parts)
        return
    wording = parts[0][1].wording
    kind = classify(values, wording or base, parts[0][1].value_labels, matrix=True)
    if kind.type in ("rating",) and len(parts) >= 2:
        _add_battery(draft, base, parts, kind)
        return
    for _, column in parts:  # not a matrix after all: one question per column
        _add_single_column(draft, column)


def _base_text(draft: Draft, qid: str, header: str, header_is_id: bool, wording: str) -> str:
    if wording:
        return wording
    if header_is_id:
        draft.note("question", qid, "the header is an id: write the question's wording "
                   "in `text`")
        return ""
    return header


def _add_single_column(draft: Draft, column: _Column) -> None:
    qid, is_id = _question_id(draft, column.name)
    kind = classify(column.values, column.wording or column.name, column.value_labels)
    text = _base_text(draft, qid, column.name, is_id, column.wording)
    question: dict[str, Any] = {"id": qid, "text": text or column.name, "type": kind.type}
    _give_answers(draft, question, kind)
    draft.codebook["questions"].append(question)
    for note in kind.notes:
        draft.note("question", qid, note)


def _give_answers(draft: Draft, question: dict[str, Any], kind: AnswerKind) -> None:
    """Options, or a scale (shared with earlier questions when it is the same)."""
    if kind.type == "multi":
        question["options"] = kind.codes
        question["multi_delimiter"] = kind.delimiter
    elif kind.type == "single" and not kind.nonanswers:
        question["options"] = kind.codes
    elif kind.type != "text":
        question["scale"] = _scale_name(draft, kind, question["id"])


def _scale_name(draft: Draft, kind: AnswerKind, qid: str) -> str:
    """The scale of a question: an earlier one it fits (widened if need be), or a new one."""
    scale = {"kind": "rating" if kind.type == "rating" else "nominal", "codes": kind.codes}
    if kind.nonanswers:
        scale["nonanswers"] = kind.nonanswers
    scales = draft.codebook["scales"]
    for name, existing in scales.items():
        merged = _merged_scale(existing, scale, renumber=kind.own_nonanswer_codes)
        if merged is not None:
            scales[name] = merged
            if not any(label.isdigit() for label in _ends(merged)):
                draft.notes.pop(("scale", name), None)  # the end points have words now
            return name
    base = kind.scale if kind.scale and kind.scale != "numeric" else (
        f"skala{min(kind.codes)}_{max(kind.codes)}" if kind.type == "rating" else f"{qid}_svar")
    name, number = base, 2
    while name in scales:
        name, number = f"{base}_{number}", number + 1
    scales[name] = scale
    if kind.type == "rating" and all(label.isdigit() for label in _ends(scale)):
        draft.note("scale", name, "numbers as labels: give the end points words, e.g. "
                   f"'{min(kind.codes)} I liten grad' and '{max(kind.codes)} I stor grad'")
    return name


def _ends(scale: dict[str, Any]) -> list[str]:
    codes = scale["codes"]
    return [codes[min(codes)], codes[max(codes)]]


def _merged_scale(one: dict[str, Any], other: dict[str, Any], *, renumber: bool = False
                  ) -> dict[str, Any] | None:
    """One scale serving two questions, or None when they differ.

    They agree when they have the same kind and answer codes, each label is the same or
    a bare number in one of them ("1" beside "1 I liten grad"), and no code is a
    non-answer in one and something else in the other. The merged scale has the worded
    labels and every non-answer of both. ``renumber``: the other scale's non-answer
    codes are the inference's own, so they follow ``one``'s by label.
    """
    if renumber and other.get("nonanswers"):
        known = {normalise_label(x): c for c, x in one.get("nonanswers", {}).items()}
        top = max([*one["codes"], *one.get("nonanswers", {})])
        renumbered = {}
        for label in other["nonanswers"].values():
            code = known.get(normalise_label(label))
            if code is None:
                top += 1
                code = top
            renumbered[code] = label
        other = {**other, "nonanswers": renumbered}
    if one["kind"] != other["kind"] or set(one["codes"]) != set(other["codes"]):
        return None
    codes = {}
    for code, label in one["codes"].items():
        theirs = other["codes"][code]
        if label != theirs and not (label == str(code) or theirs == str(code)):
            return None
        codes[code] = theirs if label == str(code) else label
    nonanswers = {**one.get("nonanswers", {})}
    for code, label in other.get("nonanswers", {}).items():
        if nonanswers.setdefault(code, label) != label:
            return None
    if len({normalise_label(x) for x in nonanswers.values()}) < len(nonanswers):
        return None  # one non-answer under two codes: the files number them differently
    merged = {"kind": one["kind"], "codes": codes}
    if nonanswers:
        merged["nonanswers"] = dict(sorted(nonanswers.items()))
    return merged


def _matched_by_id(qid: str, base: str, parts: list[tuple[str, _Column]]) -> tuple[bool, bool]:
    """``(dotted, by_id)``: columns named ``<base>.<part>``, and whether the reader will
    find them as ``<question id>.<part>`` (the id is the base itself)."""
    dotted = all(c.name == f"{base}.{part}" for part, c in parts)
    return dotted, dotted and qid == base.casefold()


def _group_text(draft: Draft, qid: str, base: str, is_id: bool, dotted: bool,
                by_id: bool) -> dict[str, str]:
    """The ``text`` of a question made of several columns.

    Columns ``<base>.<part>`` whose base another question took as its id must not use
    the base as wording either (the reader would find two questions in one name).
    """
    if dotted and not by_id:
        draft.note("question", qid, f"columns {base}.*: write the question's wording "
                   "in `text`")
        return {"text": ""}
    return {"text": _base_text(draft, qid, base, is_id, "") or base}


def _add_multi(draft: Draft, base: str, parts: list[tuple[str, _Column]]) -> None:
    qid, is_id = _question_id(draft, base)
    dotted, by_id = _matched_by_id(qid, base, parts)
    numeric = all(INT_CODE.match(part) for part, _ in parts)
    options: dict[int, str] = {}
    for number, (part, column) in enumerate(parts, start=1):
        code = int(part) if numeric else number
        if numeric and by_id:
            label = column.wording.rpartition(" - ")[2] if column.wording else ""
            options[code] = label or f"Alternativ {code}"
        elif dotted:
            options[code] = column.name  # matched by the whole header; see the note
        else:
            options[code] = part  # matched as "<question text> - <label>"
    draft.codebook["questions"].append({"id": qid,
                                        **_group_text(draft, qid, base, is_id, dotted, by_id),
                                        "type": "multi", "options": options})
    if numeric and by_id and any(x.startswith("Alternativ ") for x in options.values()):
        draft.note("question", qid, "the export gives option codes only: write each "
                   "option's label")
    elif dotted and not (numeric and by_id):
        draft.note("question", qid, "option columns are matched by their whole header, "
                   "which is the option's label here: keep the labels as they are (the "
                   "header has no code the reader can match on)")


def _add_battery(draft: Draft, base: str, parts: list[tuple[str, _Column]],
                 kind: AnswerKind) -> None:
    qid, is_id = _question_id(draft, base)
    dotted, by_id = _matched_by_id(qid, base, parts)
    items: dict[str, str] = {}
    whole_headers = False
    for number, (part, column) in enumerate(parts, start=1):
        wording = column.wording.rpartition(" - ")[2] if column.wording else ""
        if by_id and re.match(ID_PATTERN, part.casefold()):
            items[part.casefold()] = wording or part  # matched as `<question>.<item>`
            continue
        item = slug(part, f"item{number}")
        while item in items:
            item = f"{item}_{number}"
        whole_headers = whole_headers or dotted
        items[item] = column.name if dotted else (wording or part)
    question = {"id": qid, **_group_text(draft, qid, base, is_id, dotted, by_id),
                "type": "battery"}
    _give_answers(draft, question, kind)
    question["items"] = items
    draft.codebook["questions"].append(question)
    if by_id and any(items[i] == i for i in items):
        draft.note("question", qid, "items named by their column only: write each item's "
                   "wording (keep the item ids, the columns are matched by them)")
    if whole_headers:
        draft.note("question", qid, "some item columns are matched by their whole header, "
                   "which is the item's wording here: keep it as it is")
    for note in kind.notes:
        draft.note("question", qid, note)


# --- blocks ----------------------------------------------------------------------------------


def _family(question: dict[str, Any]) -> str:
    if question["type"] in ("single", "multi"):
        return "choice"
    if question["type"] == "text":
        return "text"
    return "scale"


def _blocks(questions: list[dict[str, Any]], max_size: int = 8) -> list[list[str]]:
    """Runs of questions of one family (choices, scales); free text joins the run before.

    A run of one question joins the run before it, so that no section is a lone question.
    """
    blocks: list[list[str]] = []
    family = ""
    for question in questions:
        kind = _family(question)
        if blocks and (kind == "text" or kind == family) and len(blocks[-1]) < max_size:
            blocks[-1].append(question["id"])
        else:
            blocks.append([question["id"]])
        family = kind if kind != "text" else family
    merged: list[list[str]] = []
    for block in blocks:
        if merged and len(block) == 1 \
                and len(merged[-1]) + len(block) <= max_size:
            merged[-1] = merged[-1] + block
        else:
            merged.append(block)
    return merged
