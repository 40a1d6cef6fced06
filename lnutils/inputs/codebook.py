"""The codebook: a survey's questionnaire described as data (YAML), read into pydantic models.

A codebook names every question with its wording, type, answer codes and labels, the
answers that are not opinions ("Vet ikke", "Ikke deltatt") and the routing that decides
who was asked. The format is fixed in ``docs/architecture.md``. A codebook that is itself
wrong raises :class:`CodebookError`, whose problems name the YAML key path that is wrong
(``questions[3].routing.question``) and its line in the file.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError

from lnutils.inputs.readers import load_yaml, yaml_key_lines
from lnutils.problems import DataError, Problem, display_path

QUESTION_TYPES = ("single", "multi", "rating", "yesno", "text", "battery")
NONANSWER_KINDS = {"vet ikke": "vet_ikke", "ikke deltatt": "ikke_deltatt"}
ID_PATTERN = r"^[a-z0-9_]+$"


def normalise_label(text: str) -> str:
    """A label as compared: Unicode NFC, case-folded, inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFC", str(text)).casefold().split())


class CodebookError(DataError):
    """The codebook itself is wrong; each problem names the YAML key path."""


class Scale(BaseModel):
    """Answer codes shared by questions: opinion codes plus non-answers."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    kind: Literal["rating", "nominal"]
    codes: dict[int, str]
    nonanswers: dict[int, str] = Field(default_factory=dict)

    def all_codes(self) -> dict[int, str]:
        """Opinion codes and non-answer codes together."""
        return {**self.codes, **self.nonanswers}

    def nonanswer_kind(self, code: int) -> str:
        """``"vet_ikke"``, ``"ikke_deltatt"`` or ``"other"`` for a non-answer code.

        Raises
        ------
        KeyError
            When ``code`` is not one of the scale's non-answers.
        """
        label = self.nonanswers[code]
        return NONANSWER_KINDS.get(normalise_label(label), "other")


class Routing(BaseModel):
    """Who was asked: respondents whose answer to ``question`` is one of ``in``."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    question: str
    in_: list[int] = Field(alias="in")


class QuestionSpec(BaseModel):
    """A question as written in the YAML (its scale still a name)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=ID_PATTERN)
    number: int | str | None = None
    text: str = ""
    type: Literal["single", "multi", "rating", "yesno", "text", "battery"]
    options: dict[int, str] | None = None
    items: dict[str, str] | None = None
    scale: str | None = None
    routing: Routing | None = None
    multi_delimiter: str = ";"


class Question(BaseModel):
    """A question of the codebook, its scale resolved to a :class:`Scale`."""

    model_config = ConfigDict(frozen=True)
    id: str
    number: int | str | None = None
    text: str = ""
    type: Literal["single", "multi", "rating", "yesno", "text", "battery"]
    options: dict[int, str] | None = None
    items: dict[str, str] | None = None
    scale: Scale | None = None
    scale_id: str | None = None
    routing: Routing | None = None
    multi_delimiter: str = ";"

    def codes(self) -> dict[int, str]:
        """Valid opinion codes: the options, else the scale's codes (empty for text)."""
        if self.options:
            return dict(self.options)
        return dict(self.scale.codes) if self.scale else {}

    def nonanswers(self) -> dict[int, str]:
        """Non-answer codes ("Vet ikke", "Ikke deltatt", ...) of the question's scale."""
        if self.options or self.scale is None:
            return {}
        return dict(self.scale.nonanswers)

    def nonanswer_kind(self, code: int) -> str:
        """Kind of a non-answer code (see :meth:`Scale.nonanswer_kind`)."""
        label = self.nonanswers()[code]
        return NONANSWER_KINDS.get(normalise_label(label), "other")


class Codebook(BaseModel):
    """A whole codebook; questions in questionnaire order."""

    model_config = ConfigDict(frozen=True)
    survey: str
    title: str = ""
    respondent_id: str = "respondent"
    meta: dict[str, Any] = Field(default_factory=dict)
    scales: dict[str, Scale] = Field(default_factory=dict)
    questions: list[Question]
    ignore_columns: list[str] = Field(default_factory=list)
    path: str | None = None
    _by_id: dict[str, Question] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any) -> None:
        self._by_id = {q.id: q for q in self.questions}

    def question(self, qid: str) -> Question:
        """The question with id ``qid``; KeyError for an unknown id."""
        return self._by_id[qid]

    def __contains__(self, qid: object) -> bool:
        return qid in self._by_id

    def describe_short(self) -> str:
        """One line: survey id, number of questions and scales."""
        return (f"codebook {self.survey}: {len(self.questions)} questions, "
                f"{len(self.scales)} scales")


class _CodebookSpec(BaseModel):
    """Top-level keys of the YAML; questions and scales are validated one by one."""

    model_config = ConfigDict(extra="forbid")
    survey: str = Field(min_length=1)
    title: str = ""
    respondent_id: str = Field(default="respondent", min_length=1)
    meta: dict[str, Any] = Field(default_factory=dict)
    scales: dict[str, Any] = Field(default_factory=dict)
    questions: list[Any] = Field(min_length=1)
    ignore_columns: list[str] = Field(default_factory=list)


def key_path(loc: tuple[Any, ...] | list[Any]) -> str:
    """A location as a YAML key path: ``("questions", 3, "x")`` -> ``questions[3].x``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


class _Collector:
    """Problems of one codebook file, each placed on its YAML line when known."""

    def __init__(self, file: str, lines: dict[tuple, int]):
        self.file = file
        self.lines = lines
        self.problems: list[Problem] = []

    def add(self, loc: tuple, message: str, fix: str, value: Any = None,
            severity: str = "error") -> None:
        self.problems.append(Problem(self.file, self._line(loc), key_path(loc), value,
                                     message, fix, severity))

    def _line(self, loc: tuple) -> int | None:
        parts = tuple(str(p) for p in loc)
        while parts:  # the deepest key that exists in the file
            if parts in self.lines:
                return self.lines[parts]
            parts = parts[:-1]
        return None

    def pydantic(self, prefix: tuple, exc: ValidationError) -> None:
        for err in exc.errors():
            loc = prefix + tuple(p for p in err["loc"] if p not in ("[key]",))
            kind = err["type"]
            if kind == "extra_forbidden":
                self.add(loc, f"unknown key {loc[-1]!r}",
                         "remove it or fix its spelling (see docs/architecture.md)")
            elif kind == "missing":
                self.add(loc, f"required key {loc[-1]!r} is missing",
                         "add it (see docs/architecture.md)")
            else:
                value = err.get("input")
                self.add(loc, err["msg"], _FIXES.get(loc[-1], "see docs/architecture.md"),
                         value if isinstance(value, (str, int, float)) else None)


_FIXES = {
    "type": f"use one of: {', '.join(QUESTION_TYPES)}",
    "kind": "use rating (codes that may be averaged) or nominal",
    "id": "use lower-case letters, digits and _ only",
}


def load_codebook(path: str | Path) -> Codebook:
    """Read and check a codebook YAML file.

    Parameters
    ----------
    path : the codebook file (format in ``docs/architecture.md``).

    Returns
    -------
    Codebook

    Raises
    ------
    CodebookError
        With every problem found, each naming the YAML key path and line.
    """
    path = Path(path)
    file = display_path(path)
    text = _read_text(path, file)
    try:
        raw = load_yaml(text)
        lines, duplicates = yaml_key_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodebookError(Problem(file, mark.line + 1 if mark else None, None, None,
                                    f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                    "fix the YAML syntax at this line")) from None
    out = _Collector(file, lines)
    for loc, line in duplicates:
        out.problems.append(Problem(file, line, key_path(loc), str(loc[-1]),
                                    "the key appears twice in the same mapping",
                                    "keep one of the two entries"))
    if not isinstance(raw, dict):
        out.add((), "a codebook must be a YAML mapping with survey, scales and questions",
                "start from the example in docs/architecture.md")
        raise CodebookError(out.problems)
    try:
        spec = _CodebookSpec.model_validate(raw)
    except ValidationError as exc:
        out.pydantic((), exc)
        raise CodebookError(out.problems) from None
    codebook = _build(spec, out, file)
    if any(p.severity == "error" for p in out.problems):
        raise CodebookError(out.problems)
    return codebook


def load_codebook_input(path: Path, dataset: Any) -> Codebook:
    """Loader of the pipeline input ``codebook`` (signature of the dataset registry)."""
    return load_codebook(path)


def _read_text(path: Path, file: str) -> str:
    if not path.is_file():
        raise CodebookError(Problem(file, None, None, None, "codebook file not found",
                                    "check `codebook:` under `inputs:` and the data folder"))
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise CodebookError(Problem(file, line, None, None, "the codebook is not UTF-8 text",
                                    "save the codebook as UTF-8")) from None


def _build(spec: _CodebookSpec, out: _Collector, file: str) -> Codebook | None:
    scales = _check_scales(spec.scales, out)
    specs: dict[int, QuestionSpec] = {}
    for i, raw in enumerate(spec.questions):
        try:
            specs[i] = QuestionSpec.model_validate(raw)
        except ValidationError as exc:
            out.pydantic(("questions", i), exc)
    _check_questions(spec, specs, scales, out)
    if any(p.severity == "error" for p in out.problems):
        return None
    questions = [
        Question(**{k: getattr(q, k) for k in QuestionSpec.model_fields if k != "scale"},
                 scale=scales.get(q.scale) if q.scale else None, scale_id=q.scale)
        for q in specs.values()
    ]
    return Codebook(survey=spec.survey, title=spec.title, respondent_id=spec.respondent_id,
                    meta=spec.meta, scales=scales, questions=questions,
                    ignore_columns=spec.ignore_columns, path=file)


def _check_scales(raw_scales: dict[str, Any], out: _Collector) -> dict[str, Scale]:
    scales: dict[str, Scale] = {}
    for name, raw in raw_scales.items():
        loc = ("scales", name)
        if not re.match(ID_PATTERN, str(name)):
            out.add(loc, f"scale name {name!r} is not an id",
                    "use lower-case letters, digits and _ only", name)
        if isinstance(raw, dict) and not raw.get("codes"):
            out.add(loc + ("codes",), "the scale has no codes with labels",
                    "list the scale's answers as `codes: {1: label, 2: label, ...}`")
            continue
        try:
            scale = Scale.model_validate(raw)
        except ValidationError as exc:
            out.pydantic(loc, exc)
            continue
        _check_labels(scale.all_codes(), out, lambda code, s=scale, loc=loc: loc + (
            "codes" if code in s.codes else "nonanswers", str(code)))
        for code in set(scale.codes) & set(scale.nonanswers):
            out.add(loc + ("nonanswers", str(code)),
                    f"code {code} is both an answer and a non-answer",
                    "give the non-answer its own code", code)
        scales[str(name)] = scale
    return scales


def _check_labels(labels: dict[Any, str], out: _Collector, where) -> None:
    """Labels must be non-empty and distinct, or answers given as labels are ambiguous.

    ``where(code)`` gives the key path of a code's label.
    """
    seen: dict[str, Any] = {}
    for code, label in labels.items():
        key = normalise_label(label)
        if not key:
            out.add(where(code), f"code {code} has an empty label", "write the label", code)
        elif key in seen:
            out.add(where(code), f"codes {seen[key]} and {code} have the same label {label!r}",
                    "make the labels distinct", label)
        else:
            seen[key] = code


# What each question type needs (+), may have (?) and must not have (-).
_SHAPES = {
    "single": {"options": "?", "scale": "?", "items": "-"},
    "multi": {"options": "+", "scale": "-", "items": "-"},
    "rating": {"options": "-", "scale": "+", "items": "-"},
    "yesno": {"options": "?", "scale": "?", "items": "-"},
    "text": {"options": "-", "scale": "-", "items": "-"},
    "battery": {"options": "-", "scale": "+", "items": "+"},
}


def _check_questions(spec: _CodebookSpec, specs: dict[int, QuestionSpec],
                     scales: dict[str, Scale], out: _Collector) -> None:
    """Checks across keys: ids, shapes per type, scales, labels, routing."""
    first_index: dict[str, int] = {}
    for i, q in specs.items():
        if q.id in first_index:
            out.add(("questions", i, "id"),
                    f"question id {q.id!r} is already used by questions[{first_index[q.id]}]",
                    "give every question its own id", q.id)
        else:
            first_index[q.id] = i
        _check_shape(i, q, spec.scales, scales, out)
    if spec.respondent_id in first_index:
        out.add(("respondent_id",), "the respondent id column has the name of a question",
                "name the respondent id column differently", spec.respondent_id)
    by_id = {q.id: (i, q) for i, q in specs.items() if first_index.get(q.id) == i}
    for i, q in specs.items():
        if q.routing is not None:
            _check_routing(i, q, by_id, scales, out)


def _check_shape(i: int, q: QuestionSpec, raw_scales: dict[str, Any],
                 scales: dict[str, Scale], out: _Collector) -> None:
    loc = ("questions", i)
    shape = _SHAPES[q.type]
    present = {"options": q.options is not None, "scale": q.scale is not None,
               "items": q.items is not None}
    for key, rule in shape.items():
        if rule == "+" and not present[key]:
            out.add(loc + (key,), f"a {q.type} question needs `{key}`",
                    f"add `{key}:` to question {q.id!r}")
        elif rule == "-" and present[key]:
            out.add(loc + (key,), f"a {q.type} question has no `{key}`",
                    f"remove `{key}:` from question {q.id!r} or change its type")
    if q.type in ("single", "yesno") and present["options"] == present["scale"]:
        out.add(loc + ("options",), f"a {q.type} question needs either `options` or `scale`",
                f"give question {q.id!r} exactly one of `options:` and `scale:`")
    if q.options is not None:
        if not q.options:
            out.add(loc + ("options",), "the question has no options with labels",
                    "list the options as `options: {1: label, 2: label, ...}`")
        _check_labels(q.options, out, lambda code: loc + ("options", str(code)))
    if q.items is not None:
        _check_items(loc, q.items, out)
    if q.scale is not None and q.scale not in scales:
        if q.scale in raw_scales:
            return  # the scale itself is wrong and already reported
        known = ", ".join(sorted(scales)) or "none defined"
        out.add(loc + ("scale",), f"unknown scale {q.scale!r}",
                f"use a scale defined under `scales:` ({known})", q.scale)
    elif q.scale is not None and q.type in ("rating", "battery") \
            and scales[q.scale].kind != "rating":
        out.add(loc + ("scale",), f"a {q.type} question needs a scale of kind rating",
                f"set `kind: rating` on scale {q.scale!r} or use type single", q.scale)
    if q.type == "multi" and not q.multi_delimiter.strip():
        out.add(loc + ("multi_delimiter",), "the delimiter of a multi question is empty",
                "use e.g. \";\" or \",\"", q.multi_delimiter)


def _check_items(loc: tuple, items: dict[str, str], out: _Collector) -> None:
    if not items:
        out.add(loc + ("items",), "the battery has no items",
                "list the items as `items: {item_id: wording, ...}`")
    for item in items:
        if not re.match(ID_PATTERN, str(item)):
            out.add(loc + ("items", item), f"item id {item!r} is not an id",
                    "use lower-case letters, digits and _ only", item)
    _check_labels(items, out, lambda item: loc + ("items", item))


def _check_routing(i: int, q: QuestionSpec, by_id: dict[str, tuple[int, QuestionSpec]],
                   scales: dict[str, Scale], out: _Collector) -> None:
    loc = ("questions", i, "routing")
    target_id = q.routing.question
    if target_id == q.id:
        out.add(loc + ("question",), "a question cannot be routed on itself",
                "route on the question that decides who is asked", target_id)
        return
    if target_id not in by_id:
        close = difflib.get_close_matches(target_id, list(by_id), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        out.add(loc + ("question",), f"routing refers to an unknown question {target_id!r}",
                f"use the id of a question in this codebook{hint}", target_id)
        return
    t_index, target = by_id[target_id]
    if target.type in ("text", "battery"):
        out.add(loc + ("question",), f"routing on a {target.type} question is not supported",
                "route on a single, multi, yesno or rating question", target_id)
        return
    valid = dict(target.options or {})
    if target.scale in scales:
        valid.update(scales[target.scale].all_codes())
    for code in q.routing.in_:
        if valid and code not in valid:
            out.add(loc + ("in",), f"code {code} is not an answer of question {target_id!r}",
                    f"use codes of {target_id!r}: {', '.join(map(str, sorted(valid)))}", code)
    if not q.routing.in_:
        out.add(loc + ("in",), "routing lists no answer codes",
                f"list the codes of {target_id!r} that lead to this question")
    cycle = _routing_cycle(q.id, by_id)
    if cycle:
        out.add(loc + ("question",), "routing goes round in a circle: " + " -> ".join(cycle),
                "break the circle: a question cannot decide, through others, whether it is asked",
                target_id)


def _routing_cycle(start: str, by_id: dict[str, tuple[int, QuestionSpec]]) -> list[str]:
    seen = [start]
    current = by_id[start][1]
    while current.routing is not None and current.routing.question in by_id:
        nxt = current.routing.question
        if nxt == start:
            return seen + [start]
        if nxt in seen:
            return []  # a circle not through ``start``; reported at its own questions
        seen.append(nxt)
        current = by_id[nxt][1]
    return []
