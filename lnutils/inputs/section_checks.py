"""Checks of a pipeline's ``breakdowns`` and ``sections`` against its codebook.

Every question id a pipeline names for a generic survey chapter must be a question of
the codebook, and every breakdown a background question a respondent's group can be
read from (single choice or yes/no). Each problem names the pipeline file, the line of
the id and the closest valid name, so a typo is found before any kernel starts.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.readers import yaml_key_lines
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, Problem, display_path

BREAKDOWN_TYPES = ("single", "yesno")
INVITATION_FIELDS = ("role", "organisation_type", "region", "arena")
SECTION_NOTEBOOK = "survey_section.ipynb"


def closest(name: str, valid: Iterable[str]) -> str:
    """"did you mean 'q7'?" or the list of valid names, for a problem's fix."""
    valid = list(valid)
    match = difflib.get_close_matches(str(name), valid, n=1, cutoff=0.6)
    if match:
        return f"did you mean {match[0]!r}?"
    shown = ", ".join(valid[:12]) + (", ..." if len(valid) > 12 else "")
    return f"use one of: {shown or '(none)'}"


class _Checker:
    """Collects problems located by key path in the pipeline file."""

    def __init__(self, pipeline: Pipeline, codebook):
        self.file = display_path(pipeline.path)
        self.spec = pipeline.spec
        self.types = {q.id: q.type for q in codebook.questions}
        self.scales = {q.id: sorted(q.codes()) for q in codebook.questions}
        try:
            self.lines, _ = yaml_key_lines(pipeline.path.read_text(encoding="utf-8"))
        except Exception:  # noqa: BLE001 - the file loaded already; lines are a courtesy
            self.lines = {}
        self.problems: list[Problem] = []

    def add(self, path: tuple, value, message: str, fix: str) -> None:
        line = self.lines.get(tuple(map(str, path)))
        self.problems.append(Problem(self.file, line, ".".join(map(str, path)), value,
                                     message, fix))

    def question(self, path: tuple, qid: str) -> bool:
        if qid in self.types:
            return True
        self.add(path, qid, "not a question of the codebook", closest(qid, self.types))
        return False

    def background(self, path: tuple, qid: str, allowed: list[str] | None = None) -> None:
        """A breakdown: a known single-choice question (among ``allowed`` if given)."""
        if allowed is not None and qid not in allowed:
            self.add(path, qid, "not among the pipeline's breakdowns",
                     f"add it to `breakdowns:` at the top of the file, or "
                     f"{closest(qid, allowed)}")
            return
        if self.question(path, qid) and self.types[qid] not in BREAKDOWN_TYPES:
            self.add(path, qid, f"a breakdown must be a single-choice or yes/no question, "
                                f"not {self.types[qid]}",
                     closest(qid, [q for q, t in self.types.items() if t in BREAKDOWN_TYPES]))


def _check_section(check: _Checker, i: int, section) -> None:
    allowed = list(check.spec.breakdowns)
    seen: set[str] = set()
    for j, by in enumerate(section.breakdowns):
        check.background(("sections", i, "breakdowns", j), by, allowed)
    for j, entry in enumerate(section.questions):
        plain = isinstance(entry, str)
        qid = entry if plain else entry.id
        path = ("sections", i, "questions", j) if plain else ("sections", i, "questions", j, "id")
        if qid in seen:
            check.add(path, qid, "question listed twice in the section", "remove one of them")
        seen.add(qid)
        known = check.question(path, qid)
        if plain:
            continue
        if entry.paired_with:
            _check_pair(check, ("sections", i, "questions", j, "paired_with"), qid,
                        entry.paired_with, known)
        if not entry.breakdowns:
            continue
        if known and check.types[qid] != "rating":
            check.add(path, qid, "own breakdowns apply to rating questions only",
                      "remove `breakdowns` from this question")
        for k, by in enumerate(entry.breakdowns):
            base = ("sections", i, "questions", j, "breakdowns", k)
            ids = [by] if isinstance(by, str) else by
            if len(ids) not in (1, 2):
                check.add(base, by, "a breakdown is one question or a pair of questions",
                          "write one id, e.g. role, or a pair, e.g. [role, period]")
            for m, part in enumerate(ids):
                check.background(base if isinstance(by, str) else (*base, m), part, allowed)
    for field, qid in section.response.items():
        path = ("sections", i, "response", field)
        if field not in INVITATION_FIELDS:
            check.add(path, field, "not a field of the invitation list",
                      closest(field, INVITATION_FIELDS))
        check.background(path, qid)
    if section.response and "invitations" not in check.spec.inputs:
        check.add(("sections", i, "response"), None, "the response rate needs the "
                  "invitation list", "add `invitations:` to the pipeline's inputs")


def _check_pair(check: _Checker, path: tuple, qid: str, other: str, known: bool) -> None:
    """A pair: two ratings on the same scale."""
    if not check.question(path, other) or not known:
        return
    if check.types[qid] != "rating" or check.types[other] != "rating":
        check.add(path, other, "only two rating questions can be paired",
                  "pair two questions of type rating, or remove `paired_with`")
    elif check.scales[qid] != check.scales[other]:
        check.add(path, other, f"{qid!r} and {other!r} are rated on different scales",
                  "pair two ratings on the same scale")


def _check_chapters(check: _Checker) -> None:
    sections = [s.id for s in check.spec.sections]
    for i, chapter in enumerate(check.spec.chapters):
        generic = Path(chapter.notebook).name == SECTION_NOTEBOOK
        name = chapter.parameters.get("section")
        if generic and name is None:
            check.add(("chapters", i, "notebook"), chapter.notebook,
                      "the section notebook needs a section",
                      f"add `parameters: {{section: ...}}`; {closest('', sections)}")
        elif name is not None and str(name) not in sections:
            check.add(("chapters", i, "parameters", "section"), name,
                      "no section of the pipeline has this id", closest(str(name), sections))


def check_sections(pipeline: Pipeline, codebook) -> list[Problem]:
    """Problems of the pipeline's ``breakdowns``, ``sections`` and section chapters.

    Parameters
    ----------
    pipeline : the loaded pipeline.
    codebook : its loaded :class:`~lnutils.inputs.codebook.Codebook`.

    Returns
    -------
    list[Problem]
        One per unknown or unfit id, with the pipeline file, the line and the closest
        valid name.
    """
    check = _Checker(pipeline, codebook)
    for i, by in enumerate(pipeline.spec.breakdowns):
        check.background(("breakdowns", i), by)
    for i, section in enumerate(pipeline.spec.sections):
        _check_section(check, i, section)
    _check_chapters(check)
    return check.problems


def check_pipeline_sections(pipeline: Pipeline) -> list[Problem]:
    """:func:`check_sections` with the pipeline's own codebook; [] when it has none or
    the codebook does not load (validation of the inputs reports that)."""
    spec = pipeline.spec
    if not (spec.sections or spec.breakdowns):
        return []
    path = pipeline.input("codebook")
    if path is None:
        return [Problem(display_path(pipeline.path), None, "inputs", None,
                        "sections and breakdowns name questions of a codebook, and the "
                        "pipeline has none", "add `codebook: <file>` under `inputs:`")]
    if not path.is_file():
        return []  # the missing file is reported by the validation of the inputs
    try:
        codebook = load_codebook(path)
    except DataError:
        return []
    return check_sections(pipeline, codebook)
