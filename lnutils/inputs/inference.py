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
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
NONANSWER_LABELS = ("vet ikke", "ikke aktuelt", "ikke relevant", "ikke deltatt",
                    "vet ikke/ikke aktuelt", "vet ikke / ikke aktuelt", "ønsker ikke å svare",
                    "vil ikke svare", "kan ikke svare", "ingen formening")
# Verbal rating scales, lowest step first; each step lists the wordings seen for it.
VERBAL_SCALES: dict[str, list[tuple[str, ...]]] = {
    "grad5": [("I svært liten grad", "I meget liten grad"), ("I liten grad",),
              ("I noen grad", "I noe grad", "I middels grad"), ("I stor grad",),
              ("I svært stor grad", "I meget stor grad")],
    "enig5": [("Helt uenig", "Svært uenig"), ("Delvis uenig", "Litt uenig", "Uenig"),
              ("Verken enig eller uenig", "Nøytral"), ("Delvis enig", "Litt enig", "Enig"),
              ("Helt enig", "Svært enig")],
    "god5": [("Svært dårlig", "Meget dårlig"), ("Dårlig",),
             ("Verken god eller dårlig", "Middels"), ("God",), ("Svært god", "Meget god")],
    "fornoyd5": [("Svært misfornøyd", "Meget misfornøyd"), ("Misfornøyd",),
                 ("Verken fornøyd eller misfornøyd",), ("Fornøyd",),
                 ("Svært fornøyd", "Meget fornøyd")],
    "nyttig5": [("Ikke nyttig", "Ikke nyttig i det hele tatt"), ("Lite nyttig",),
                ("Noe nyttig", "Litt nyttig"), ("Nyttig", "Ganske nyttig"),
                ("Svært nyttig", "Meget nyttig")],
    "ofte5": [("Aldri",), ("Sjelden",), ("Av og til", "Noen ganger"), ("Ofte",),
              ("Alltid", "Svært ofte")],
}
YES, NO = "Ja", "Nei"
# Words in a question's wording that make whole numbers a rating rather than codes.
RATING_CUES = re.compile(r"i hvilken grad|hvor (fornøyd|nyttig|godt|god|viktig|enig|"
                         r"tilfreds|sannsynlig|ofte|mye)|grad\b|skala|vurder|enig|fornøyd|"
                         r"tilfreds|nytte|\b1\s*[-–=]", re.IGNORECASE)
DELIMITERS = (";", "|", ",")
_INT = re.compile(r"^-?\d+(\.0+)?$")
_NUMBERED = re.compile(r"^(\d+)\s*(?:[-–=.:)]\s*)?(\S.*)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?$"
                   r"|^\d{1,2}\.\d{1,2}\.\d{2,4}( \d{1,2}:\d{2}(:\d{2})?)?$")
_PART_SEPARATORS = (" - ", " – ", ": ")
MAX_CHOICES = 15  # more distinct short answers than this: free text
MAX_LABEL = 80
SHORT_LABEL = 30  # longer answers that no one else gave are free text


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


@dataclass
class _Kind:
    """What a set of values is: its type, codes and labels, and notes."""

    type: str  # single | rating | yesno | text | multi
    codes: dict[int, str] = field(default_factory=dict)
    nonanswers: dict[int, str] = field(default_factory=dict)
    scale: str = ""  # name of a known verbal scale, "numeric", or ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


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
    if " " not in name and "." in name.strip(".") and not _INT.match(name):
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


# --- values --------------------------------------------------------------------------------


def _is_nonanswer(label: str) -> bool:
    return normalise_label(label) in NONANSWER_LABELS


def _verbal_scale(labels: list[str]) -> tuple[str, dict[int, str]] | None:
    """The known verbal scale all labels belong to: ``(name, {code: label})``."""
    wanted = {normalise_label(x) for x in labels}
    for name, steps in VERBAL_SCALES.items():
        found: dict[int, str] = {}
        for code, wordings in enumerate(steps, start=1):
            seen = next((w for w in labels for alt in wordings
                         if normalise_label(w) == normalise_label(alt)), None)
            found[code] = seen or wordings[0]
        known = {normalise_label(alt) for wordings in steps for alt in wordings}
        if wanted and wanted <= known:
            return name, found
    return None


def _numbered(labels: list[str]) -> dict[int, str] | None:
    """Labels like "1 I liten grad", "2", ... "6 I stor grad": code -> label, or None."""
    found: dict[int, str] = {}
    for label in labels:
        match = _NUMBERED.match(label)
        if not match:
            return None
        code = int(match.group(1))
        if match.group(2) or code not in found:
            found[code] = label
    return found


def _ordered_labels(values: list[str]) -> list[str]:
    """Distinct values in the order they first appear, spelled as first seen."""
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(normalise_label(value), " ".join(value.split()))
    return list(seen.values())


def classify(values: list[str], wording: str = "", value_labels: dict[str, str] | None = None,
             *, matrix: bool = False) -> _Kind:
    """What one column's non-empty values are (see the module docstring).

    ``matrix``: the values are the answers of a radio matrix's rows, where whole numbers
    are a rating whatever the wording says.
    """
    if value_labels:
        return _classify_labelled(values, value_labels)
    if not values:
        return _Kind("text", notes=["no answers in the export: the type could not be "
                                    "inferred (set to text)"])
    if all(_INT.match(v) for v in values):
        return _classify_numbers(sorted({int(float(v)) for v in values}), wording, matrix)
    delimited = _delimited(values)
    if delimited is not None:
        return delimited
    labels = _ordered_labels(values)
    opinions = [x for x in labels if not _is_nonanswer(x)]
    nonanswers = [x for x in labels if _is_nonanswer(x)]
    return _classify_labels(opinions, nonanswers, values)


def _classify_labels(opinions: list[str], nonanswers: list[str], values: list[str]) -> _Kind:
    if opinions and {normalise_label(x) for x in opinions} <= {"ja", "nei"}:
        return _with_nonanswers(_Kind("yesno", {1: YES, 2: NO}, scale="janei"), nonanswers)
    verbal = _verbal_scale(opinions)
    if verbal is not None:
        name, codes = verbal
        kind = _with_nonanswers(_Kind("rating", codes, scale=name), nonanswers)
        unseen = [label for code, label in codes.items()
                  if normalise_label(label) not in {normalise_label(x) for x in opinions}]
        if unseen:
            kind.notes.append(f"the steps {', '.join(map(repr, unseen))} were not chosen by "
                              "anyone: check that the questionnaire offered them")
        return kind
    numbered = _numbered(opinions)
    if numbered is not None and len(numbered) >= 2:
        codes = {c: numbered.get(c, str(c)) for c in range(min(1, min(numbered)),
                                                           max(numbered) + 1)}
        kind = _with_nonanswers(_Kind("rating", codes, scale="numeric"), nonanswers)
        kind.notes.append(f"a {min(codes)}-{max(codes)} scale from the highest answer "
                          "given: check the scale's end points in the questionnaire")
        return kind
    longest = max((len(v) for v in values), default=0)
    many = len(opinions) > MAX_CHOICES or (len(values) >= 10 and len(opinions) > len(values) / 2)
    # Answers nobody repeats that read as sentences are what people wrote themselves.
    sentences = sum(v.rstrip()[-1:] in ".!?" for v in values)
    prose = sentences * 2 >= len(values) or (len(opinions) == len(values) and any(
        len(v) > SHORT_LABEL or v.rstrip()[-1:] in ".!?" for v in opinions))
    if longest > MAX_LABEL or many or prose or not opinions:
        return _Kind("text")
    kind = _with_nonanswers(_Kind("single", dict(enumerate(opinions, start=1))), nonanswers)
    kind.notes.append("options in the order they first appear in the export: put them in "
                      "the questionnaire's order (keep each label with its code)")
    return kind


def _with_nonanswers(kind: _Kind, nonanswers: list[str]) -> _Kind:
    top = max([*kind.codes, 0])
    kind.nonanswers = {top + i: label for i, label in enumerate(nonanswers, start=1)}
    return kind


def _classify_numbers(codes: list[int], wording: str, matrix: bool = False) -> _Kind:
    """Whole numbers: a rating (matrix rows, a rating word, or seven values and more),
    else a choice whose labels the export does not give."""
    if codes[0] < 0 or codes[-1] > 99 or len(codes) > 11:
        return _Kind("text", notes=["numbers that are not answer codes (there is no number "
                                    "type): kept as text"])
    if len(codes) == 1 and codes[0] in (0, 1):
        return _Kind("single", {0: "0", 1: "1"},
                     notes=["only 0/1 answers: write what 0 and 1 mean"])
    low = 0 if codes[0] == 0 else 1
    run, apart = _run_and_apart(codes)
    opinions = {c: str(c) for c in range(low, run + 1)}
    if matrix or len(opinions) >= 7 or RATING_CUES.search(wording or ""):
        kind = _Kind("rating", opinions, {c: "Vet ikke" for c in apart}, scale="numeric",
                     notes=[f"a {low}-{run} rating from the highest answer given: check the "
                            "end points and label them (e.g. '1 I liten grad')"])
        if apart:
            kind.notes.append(f"code {', '.join(map(str, apart))} stands apart from the "
                              f"scale {low}-{run}: taken as a non-answer 'Vet ikke'; check "
                              "what it means")
        return kind
    return _Kind("single", {c: str(c) for c in range(low, codes[-1] + 1)},
                 notes=["the export holds codes only: write each option's label (or, if this "
                        "is a 1-N rating, make it type rating with a scale)"])


def _run_and_apart(codes: list[int]) -> tuple[int, list[int]]:
    """The end of the scale's run of codes, and codes well above it (9 after 1-5, 99).

    Survey tools give "Vet ikke" a code apart from the scale: one or two codes after a
    gap of three or more, following at least three codes given, mark it.
    """
    for i in range(3, len(codes)):
        if codes[i] - codes[i - 1] > 2 and len(codes) - i <= 2:
            return codes[i - 1], codes[i:]
    return codes[-1], []


def _delimited(values: list[str]) -> _Kind | None:
    """A multiple choice exported as one column of options joined by a delimiter."""
    for delimiter in DELIMITERS:
        split = [[p.strip() for p in v.split(delimiter) if p.strip()] for v in values]
        if not any(len(parts) > 1 for parts in split):
            continue
        counts = Counter(p for parts in split for p in parts)
        options = _ordered_labels([p for parts in split for p in parts])
        # Option labels start like labels; sentences split at a comma do not.
        label_like = all(p[0].isupper() or p[0].isdigit() for p in options) and not any(
            v.rstrip()[-1:] in ".!?" for v in values)
        if (label_like and len(options) <= MAX_CHOICES and max(map(len, options)) <= MAX_LABEL
                and len(options) < len(values) + 2 and min(counts.values()) >= 1
                and len(options) < sum(counts.values())):
            return _Kind("multi", dict(enumerate(options, start=1)), delimiter=delimiter,
                         notes=[f"multiple choice in one column, options joined by "
                                f"{delimiter!r}: options nobody chose are missing, and the "
                                "order is as first seen"])
    return None


def _classify_labelled(values: list[str], value_labels: dict[str, str]) -> _Kind:
    """SPSS values with value labels: the file's own codes, classified by their labels."""
    labels = {int(float(k)): v for k, v in value_labels.items() if _INT.match(k)}
    unlabelled = sorted({int(float(v)) for v in values if _INT.match(v)} - set(labels))
    for code in unlabelled:
        labels[code] = str(code)
    if not labels or any(not _INT.match(v) for v in values):
        return classify(values)
    opinions = {c: x for c, x in sorted(labels.items()) if not _is_nonanswer(x)}
    nonanswers = {c: x for c, x in sorted(labels.items()) if _is_nonanswer(x)}
    names = list(opinions.values())
    worded = [x for x in names if not x.isdigit()]
    # Scales labelled at their end points only: "1 = I svært liten grad" ... "5 = ...".
    ends_only = len(opinions) >= 3 and {c for c, x in opinions.items() if not x.isdigit()} \
        <= {min(opinions), max(opinions)}
    if names and {normalise_label(x) for x in names} <= {"ja", "nei"}:
        kind = _Kind("yesno", opinions, nonanswers, scale="janei")
    elif (worded and _verbal_scale(worded) is not None) or ends_only:
        filled = {c: opinions.get(c, str(c)) for c in range(min(opinions), max(opinions) + 1)}
        verbal = _verbal_scale(worded) if worded else None
        kind = _Kind("rating", filled, nonanswers, scale=verbal[0] if verbal else "numeric")
    elif _numbered(names) is not None and len(names) >= 3:
        kind = _Kind("rating", opinions, nonanswers, scale="numeric")
    else:
        kind = _Kind("single", {**opinions, **nonanswers})
    if unlabelled:
        kind.notes.append(f"codes {', '.join(map(str, unlabelled))} have no value label in "
                          "the file: write their labels")
    return kind


# --- questions -----------------------------------------------------------------------------


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


def _give_answers(draft: Draft, question: dict[str, Any], kind: _Kind) -> None:
    """Options, or a scale (shared with earlier questions when it is the same)."""
    if kind.type == "multi":
        question["options"] = kind.codes
        question["multi_delimiter"] = kind.delimiter
    elif kind.type == "single" and not kind.nonanswers:
        question["options"] = kind.codes
    elif kind.type != "text":
        question["scale"] = _scale_name(draft, kind, question["id"])


def _scale_name(draft: Draft, kind: _Kind, qid: str) -> str:
    scale = {"kind": "rating" if kind.type == "rating" else "nominal", "codes": kind.codes}
    if kind.nonanswers:
        scale["nonanswers"] = kind.nonanswers
    scales = draft.codebook["scales"]
    for name, existing in scales.items():
        if existing == scale:
            return name
    base = kind.scale if kind.scale and kind.scale != "numeric" else (
        f"skala{min(kind.codes)}_{max(kind.codes)}" if kind.type == "rating" else f"{qid}_svar")
    name, number = base, 2
    while name in scales:
        name, number = f"{base}_{number}", number + 1
    scales[name] = scale
    if kind.type == "rating" and kind.scale == "numeric":
        draft.note("scale", name, "numbers as labels: give the end points words, e.g. "
                   f"'{min(kind.codes)} I liten grad' and '{max(kind.codes)} I stor grad'")
    return name


def _add_multi(draft: Draft, base: str, parts: list[tuple[str, _Column]]) -> None:
    qid, is_id = _question_id(draft, base)
    options: dict[int, str] = {}
    numeric = all(_INT.match(part) for part, _ in parts)
    for number, (part, column) in enumerate(parts, start=1):
        if numeric:
            label = column.wording.rpartition(" - ")[2] if column.wording else ""
            options[int(part)] = label or f"Alternativ {int(part)}"
        elif is_id:
            options[number] = column.name  # matched by the whole header; see the note
        else:
            options[number] = part
    text = _base_text(draft, qid, base, is_id, "")
    draft.codebook["questions"].append({"id": qid, "text": text or base, "type": "multi",
                                        "options": options})
    if numeric and any(lbl.startswith("Alternativ ") for lbl in options.values()):
        draft.note("question", qid, "the export gives option codes only: write each "
                   "option's label")
    elif not numeric and is_id:
        draft.note("question", qid, "option columns are matched by their whole header, "
                   "which is the option's label here: keep the labels as they are (the "
                   "header has no code to match on)")


def _add_battery(draft: Draft, base: str, parts: list[tuple[str, _Column]],
                 kind: _Kind) -> None:
    qid, is_id = _question_id(draft, base)
    items: dict[str, str] = {}
    dotted = all(c.name == f"{base}.{part}" for part, c in parts)
    for number, (part, column) in enumerate(parts, start=1):
        item = slug(part, f"item{number}")
        while item in items:
            item = f"{item}_{number}"
        if dotted and item != part.casefold():
            item = part.casefold()  # the column is matched by `<question>.<item>`
        wording = column.wording.rpartition(" - ")[2] if column.wording else ""
        items[item] = wording or part
    text = _base_text(draft, qid, base, is_id, "")
    question = {"id": qid, "text": text or base, "type": "battery"}
    _give_answers(draft, question, kind)
    question["items"] = items
    draft.codebook["questions"].append(question)
    if dotted and any(items[i] == i for i in items):
        draft.note("question", qid, "items named by their column only: write each item's "
                   "wording (keep the item ids, the columns are matched by them)")
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
