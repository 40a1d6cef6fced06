"""Cross-references checked before any kernel starts.

A narrative (or a chapter's Markdown) that cites ``@fig-…`` or ``@tbl-…`` needs a figure
or table with that label somewhere in the report. The labels are known without running
anything: chapter cells carry them as ``#| label:`` options, and a generic survey section
gives its figures labels that follow from the pipeline and the codebook
(:func:`lnutils.chapters.plan.section_labels`; :func:`section_figure_labels`). The
renderer would stop on a dangling reference too, but only after every chapter has run.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from lnutils import paths
from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.section_checks import closest
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, Problem, display_path
from lnutils.render.errors import RenderError
from lnutils.render.notebooks import cell_options

REFERENCE = re.compile(r"@((?:fig|tbl)-[A-Za-z0-9-]*[A-Za-z0-9])")


def _cells(path: Path) -> list[tuple[str, str]]:
    """(cell type, source) of a notebook; [] when it cannot be read (reported elsewhere)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [(c.get("cell_type", ""), "".join(c.get("source", ""))) for c in nb.get("cells", [])]


def _chapter_labels(pipeline: Pipeline, sections: dict[str, list[str]] | None
                    ) -> set[str] | None:
    """Every label the report's chapters will have; None when it cannot be known."""
    labels: set[str] = set()
    for chapter in pipeline.spec.chapters:
        for kind, source in _cells(pipeline.notebook_path(chapter)):
            if kind != "code":
                continue
            try:
                label = cell_options(source, chapter.notebook)[0].get("label")
            except RenderError:
                continue  # a bad option line stops the render with its own message
            if label:
                labels.add(str(label))
        name = chapter.parameters.get("section")
        if name is not None:
            if sections is None:
                return None
            labels |= set(sections[str(name)])
    return labels


def section_figure_labels(pipeline: Pipeline, codebook=None) -> dict[str, list[str]] | None:
    """The figure labels of each generic survey section a chapter shows (its ``section``).

    They follow from the pipeline and the codebook alone (not from the notebooks), so a
    build works them out with the data's validation and keeps them. None when they
    cannot be known: no readable codebook, or a section or question it does not have
    (those are reported by the input and section checks).
    """
    path = pipeline.input("codebook")
    if codebook is None and path is not None and path.is_file():
        try:
            codebook = load_codebook(path)
        except DataError:
            return None  # the codebook's problems are reported by the input validation
    found: dict[str, list[str]] = {}
    for chapter in pipeline.spec.chapters:
        name = chapter.parameters.get("section")
        if name is None:
            continue
        if codebook is None:
            return None
        from lnutils.chapters.plan import section_labels  # noqa: PLC0415

        try:
            found[str(name)] = sorted(section_labels(pipeline.section(str(name)), codebook))
        except KeyError:
            return None
    return found


def _texts(pipeline: Pipeline) -> list[tuple[Path, str]]:
    """(file, text) of every narrative and every Markdown cell of the chapters."""
    out = []
    for narrative in pipeline.spec.narratives:
        path = paths.reports_dir() / narrative.file
        if path.is_file():  # a missing narrative is reported by the render
            out.append((path, path.read_text(encoding="utf-8")))
    for chapter in pipeline.spec.chapters:
        path = pipeline.notebook_path(chapter)
        out += [(path, source) for kind, source in _cells(path) if kind == "markdown"]
    return out


def check_references(pipeline: Pipeline) -> list[Problem]:
    """Problems for ``@fig-…``/``@tbl-…`` references no chapter will define.

    Each names the file, the line (in a narrative) and the closest existing label.
    """
    return reference_problems(pipeline, section_figure_labels(pipeline))


def reference_problems(pipeline: Pipeline, sections: dict[str, list[str]] | None
                       ) -> list[Problem]:
    """:func:`check_references`, the sections' labels known (:func:`section_figure_labels`)."""
    labels = _chapter_labels(pipeline, sections)
    if labels is None:
        return []
    problems = []
    for file, text in _texts(pipeline):
        narrative = file.suffix == ".md"
        for number, line in enumerate(text.splitlines(), start=1):
            for ref in REFERENCE.findall(line):
                if ref not in labels:
                    problems.append(Problem(
                        display_path(file), number if narrative else None, None, f"@{ref}",
                        "no figure or table in the report has this label",
                        closest(ref, sorted(labels))))
    return problems
