"""What a build would trip on in a pipeline file, found before any kernel starts.

:func:`structure_problems` checks the pipeline itself: chapter and narrative ids are
unique, every notebook and narrative file exists, every input a chapter reads is
declared, every anchor names a chapter. :func:`data_problems` checks the pipeline
against its loaded data: the fan-out and privacy-exception questions exist in the
codebook (and the exception's groups among the question's options), and every fact a
placeholder in a narrative or a notebook's text uses is computed for these data and
can be shown in its format (in an ``{{< if >}}`` block, the branch these data choose;
claims are checked by the render). Every problem names the file, its line and a fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from lnutils import paths
from lnutils.inputs.readers import yaml_key_lines
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, Problem, display_path


def _locator(pipeline: Pipeline) -> Callable[..., Problem]:
    """A maker of problems in the pipeline file, located at the line of a key path."""
    try:
        lines, _ = yaml_key_lines(pipeline.path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        lines = {}
    shown = display_path(pipeline.path)

    def problem(keys: tuple, value: Any, message: str, fix: str,
                severity: str = "error") -> Problem:
        path = tuple(str(k) for k in keys)
        line = next((lines[path[:n]] for n in range(len(path), 0, -1) if path[:n] in lines),
                    None)
        column = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in keys).lstrip(".")
        return Problem(shown, line, column, value, message, fix, severity)

    return problem


def structure_problems(pipeline: Pipeline) -> list[Problem]:
    """Ids, notebooks, narratives, chapter inputs and anchors of a pipeline file."""
    at = _locator(pipeline)
    spec = pipeline.spec
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    pieces = [("chapters", i, c.id) for i, c in enumerate(spec.chapters)]
    pieces += [("narratives", i, n.id) for i, n in enumerate(spec.narratives)]
    for kind, i, ident in pieces:
        if ident in seen:
            problems.append(at((kind, i, "id"), ident, f"the id {ident!r} is used twice "
                               f"(also by {seen[ident]})",
                               "give every chapter and narrative its own id"))
        seen.setdefault(ident, f"{kind}[{i}]")
    chapter_ids = {c.id for c in spec.chapters}
    for i, chapter in enumerate(spec.chapters):
        notebook = pipeline.notebook_path(chapter)
        if not notebook.is_file():
            problems.append(at(("chapters", i, "notebook"), chapter.notebook,
                               "the chapter's notebook does not exist",
                               "write the path relative to the repository, e.g. "
                               "notebooks/<name>.ipynb"))
        for name in chapter.inputs or []:
            if name not in pipeline.inputs:
                problems.append(at(("chapters", i, "inputs"), name,
                                   f"the chapter reads the input {name!r}, which the pipeline "
                                   "does not declare",
                                   f"add `{name}: <file>` under `inputs:`, or remove it from "
                                   "the chapter's inputs"))
    for i, narrative in enumerate(spec.narratives):
        if not (paths.reports_dir() / narrative.file).is_file():
            problems.append(at(("narratives", i, "file"), narrative.file,
                               "the narrative file does not exist",
                               "write the path relative to reports/, e.g. "
                               f"{spec.name}/<name>.md"))
        if narrative.anchor and narrative.anchor not in chapter_ids:
            problems.append(at(("narratives", i, "anchor"), narrative.anchor,
                               "the anchor names no chapter of this pipeline",
                               f"use one of: {', '.join(sorted(chapter_ids))}"))
    return problems


def data_problems(pipeline: Pipeline, dataset: Any) -> list[Problem]:
    """Codebook questions the pipeline names, and the facts its text uses.

    Call only when every input loaded without errors and the facts extension loads
    (``dataset`` gives the inputs). The facts are the generic ones with the network's
    own on top, as the build computes them, so a pipeline without a ``facts:``
    extension has its placeholders checked too.
    """
    problems = question_problems(pipeline, dataset)
    facts, found = checked_facts(pipeline, dataset)
    problems += found
    if facts is not None:
        problems += text_problems(pipeline, facts)
    return problems


def has_facts(pipeline: Pipeline) -> bool:
    """Whether the pipeline has facts to check its texts against (a survey or its own)."""
    return bool(pipeline.spec.facts) or "survey" in pipeline.inputs


def rendered_facts(dataset: Any) -> dict[str, Any]:
    """The flat facts of the dataset as the render reads them (``facts.json``)."""
    from lnutils.facts import all_facts, facts_json  # noqa: PLC0415

    return json.loads(facts_json(all_facts(dataset)))


def checked_facts(pipeline: Pipeline, dataset: Any,
                  compute: Callable[[Any], dict[str, Any]] | None = None
                  ) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The flat facts the texts are checked against, or the problems computing them.

    Parameters
    ----------
    compute : gives the flat facts of the dataset (default :func:`rendered_facts`; the
        build's reads them from its store, or computes and stores them there).

    Returns
    -------
    facts, problems
        None for the facts when the pipeline has none to check (no survey and no
        ``facts:``) or when they could not be computed (the problems say why).
    """
    if not has_facts(pipeline):
        return None, []
    try:
        return (compute or rendered_facts)(dataset), []
    except DataError as exc:
        return None, list(exc.report.problems)
    except Exception as exc:  # noqa: BLE001 -- someone's facts code must not end in a traceback
        return None, [_locator(pipeline)(
            ("facts",), pipeline.spec.facts,
            f"the facts could not be computed for these data: {type(exc).__name__}: {exc}",
            "check the data the message points at, or the facts code")]


def question_problems(pipeline: Pipeline, dataset: Any) -> list[Problem]:
    """The fan-out and privacy-exception questions, checked against the codebook."""
    if "codebook" not in pipeline.inputs:
        return []
    from lnutils.analysis.suppression import group_key  # noqa: PLC0415 (pandas)

    at = _locator(pipeline)
    codebook = dataset["codebook"]
    known = ", ".join(q.id for q in codebook.questions if q.type == "single")
    problems = []
    fanout = pipeline.spec.fanout
    if fanout is not None and fanout.values_from:
        question = _question(codebook, fanout.values_from)
        if question is None:
            problems.append(at(("fanout", "values_from"), fanout.values_from,
                               "the fan-out names a question the codebook does not have",
                               f"use the id of a single-choice question: {known}"))
        elif question.type != "single" or not question.options:
            problems.append(at(("fanout", "values_from"), fanout.values_from,
                               f"a fan-out needs a single-choice question; "
                               f"{question.id!r} is {question.type!r}",
                               f"use the id of a single-choice question: {known}"))
    for i, exc in enumerate(pipeline.spec.privacy.exceptions):
        question = _question(codebook, exc.question)
        if question is None:
            problems.append(at(("privacy", "exceptions", i, "question"), exc.question,
                               "the privacy exception names a question the codebook does "
                               "not have (it would be ignored)",
                               f"use the id of the grouping question: {known}"))
            continue
        options = question.codes() if question.type != "battery" else {}
        names = {group_key(v) for v in options.values()} | {group_key(k) for k in options}
        for group in exc.groups:
            if group_key(group) not in names:
                problems.append(at(("privacy", "exceptions", i, "groups"), group,
                                   f"the privacy exception names a group that is no option "
                                   f"of {exc.question!r} (it would be ignored)",
                                   "use one of: " + ", ".join(map(str, options.values()))))
    return problems


def _question(codebook: Any, qid: str) -> Any:
    return codebook.question(qid) if qid in codebook else None


def text_problems(pipeline: Pipeline, facts: dict[str, Any]) -> list[Problem]:
    """Placeholders and conditions in the narratives and the notebooks' Markdown that
    these facts cannot fill (:func:`placeholder_problems`), each at its line or cell."""
    problems = []
    for narrative in pipeline.spec.narratives:
        path = paths.reports_dir() / narrative.file
        if path.is_file():
            problems += _text_problems(path.read_text(encoding="utf-8", errors="replace"),
                                       facts, display_path(path))
    for chapter in pipeline.spec.chapters:
        notebook = pipeline.notebook_path(chapter)
        if notebook.is_file():
            problems += _notebook_problems(notebook, facts)
    return problems


_WHERE_RE = re.compile(r"^.*?, line (?P<line>\d+): (?P<message>.*)$", re.DOTALL)


def _rendered_lines(text: str, facts: dict[str, Any], shown: str
                    ) -> tuple[list[tuple[int, str]], list[Problem]]:
    """The lines the render keeps: of each ``{{< if >}}`` block, the branch that holds.

    A placeholder in a branch left out is never shown, so its fact need not exist (the
    emptied group's mean, say). Claims are the render's to check; a condition that
    cannot be evaluated (an unknown key) or a broken block is a problem here already.
    """
    from lnutils.render.claims import select_lines  # noqa: PLC0415
    from lnutils.render.errors import RenderError  # noqa: PLC0415

    try:
        return select_lines(text, facts, shown, claims=False), []
    except RenderError as exc:
        problems = []
        for message in str(exc).split("\n"):
            where = _WHERE_RE.match(message)
            problems.append(Problem(
                shown, int(where["line"]) if where else None, None, None,
                where["message"] if where else message,
                "see `lnreport facts PIPELINE` for the fact names, and reports/README.md "
                "for the if/else syntax"))
        return [], problems


def _text_problems(text: str, facts: dict[str, Any], shown: str) -> list[Problem]:
    lines, problems = _rendered_lines(text, facts, shown)
    return problems + placeholder_problems(lines, facts, shown)


def _notebook_problems(path: Path, facts: dict[str, Any]) -> list[Problem]:
    """Placeholders in a source notebook's markdown cells (rows are cell numbers)."""
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):
        return [Problem(display_path(path), None, None, None, "the notebook is not valid JSON",
                        "open it in JupyterLab and save it again")]
    problems = []
    for number, cell in enumerate(cells, start=1):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else str(source)
        found = _text_problems(text, facts, display_path(path))
        problems += [Problem(p.file, None, f"cell {number}", p.value, p.message, p.fix)
                     for p in found]
    return problems


def placeholder_problems(lines: list[tuple[int, str]], facts: dict[str, Any],
                         shown: str) -> list[Problem]:
    """Placeholders that name no fact, a fact without a value, or a format that does not fit.

    Parameters
    ----------
    lines : ``(line number, text)`` of the file.
    facts : the flat facts computed for the pipeline's data.
    shown : the file as messages name it.
    """
    from lnutils.render.placeholders import PLACEHOLDER_RE, format_fact  # noqa: PLC0415

    problems = []
    for number, line in lines:
        for match in PLACEHOLDER_RE.finditer(line):
            key, spec = match.group("quoted") or match.group("key"), match.group("fmt")
            if key not in facts:
                problems.append(Problem(
                    shown, number, None, key, "the placeholder names a fact these data do "
                    "not give", "see `lnreport facts PIPELINE` for the facts there are, or "
                    "rewrite the sentence without it"))
                continue
            try:
                format_fact(facts[key], spec)
            except ValueError as exc:
                problems.append(Problem(
                    shown, number, None, key, f"the fact cannot be shown: {exc}",
                    "the data give no value here (e.g. nobody chose an answer): rewrite the "
                    "sentence without this fact, or check the data"
                    if facts[key] is None else "use a format that fits the value"))
    return problems

