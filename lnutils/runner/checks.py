"""Validation of a whole pipeline, before any kernel starts.

:func:`lnutils.inputs.validation.validate_path` checks the data; this adds what a build
would trip on that is not data: the network's facts extension must exist, import and
have ``compute``; the pipeline's chapters, narratives, fan-out and privacy exceptions
must fit its files and codebook (:mod:`lnutils.runner.pipeline_checks`); the question
ids of ``sections`` and ``breakdowns`` must be in the codebook (breakdowns single-choice);
every ``@fig-``/``@tbl-`` reference must name a label some chapter defines; and every
fact the text uses must have a value for these data. ``lnreport validate`` and every build run it.

The checks fall in two parts, which a build caches apart (:mod:`lnutils.runner.prepare`):
:func:`validate_data` reads the inputs and computes the facts (it depends on the code, the
pipeline file and the inputs only); :func:`validate_texts` reads the narratives and the
notebooks and checks them against those facts (cheap: editing a notebook runs only it).
:func:`validate_pipeline` runs both, as ``lnreport validate`` shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lnutils.pipeline import Pipeline, load_pipeline
from lnutils.problems import DataError, Problem, ValidationReport
from lnutils.runner.pipeline_checks import (
    checked_facts,
    question_problems,
    structure_problems,
    text_problems,
)
from lnutils.runner.reference_checks import (
    reference_problems,
    section_figure_labels,
)
from lnutils.store import Cache


@dataclass
class DataCheck:
    """What :func:`validate_data` found.

    Attributes
    ----------
    report : every problem of the inputs and of the pipeline against them.
    pipeline : the pipeline read (None when the path is none, or cannot be read).
    dataset : its inputs as loaded (None when they could not all be read; check
        ``report.ok`` before reading them).
    facts : the flat facts the texts are checked against (None when there are none to
        check, or the report has errors).
    sections : the figure labels of the survey sections the chapters show (they follow
        from the pipeline and the codebook; :func:`validate_texts` needs them).
    """

    report: ValidationReport
    pipeline: Pipeline | None = None
    dataset: Any = None
    facts: dict[str, Any] | None = None
    sections: dict[str, list[str]] | None = None


def validate_pipeline(path: str | Path, data_dir: str | Path | None = None, *,
                      store: Cache | None = None) -> ValidationReport:
    """Every problem of a pipeline file (or a data folder) and its inputs, in one report.

    The two steps a build caches apart, one after the other: :func:`validate_data`, then
    :func:`validate_texts` against its facts. ``store`` keeps the parsed inputs (the
    runner's; None: in memory only).
    """
    data = validate_data(path, data_dir, store=store)
    report = data.report
    if data.pipeline is not None:
        report.extend(validate_texts(data.pipeline, data.facts, data.sections))
    return report


def validate_data(path: str | Path, data_dir: str | Path | None = None, *,
                  store: Cache | None = None,
                  facts: Callable[[Any], dict[str, Any]] | None = None) -> DataCheck:
    """The checks of :func:`validate_pipeline` that read the inputs, and the facts.

    Everything here depends on the code, the pipeline file and the inputs alone: the
    inputs, the facts extension, the breakdowns, sections, fan-out and privacy
    exceptions against the codebook, and whether the facts can be computed. It is
    :func:`validate_data_inputs` then :func:`add_facts` (a build runs the chapters between
    the two).

    Parameters
    ----------
    store : keeps the parsed inputs (the runner's store; None: in memory only).
    facts : gives the flat facts of the loaded inputs (default: computed, as the render
        reads them); the build's takes them from its store or puts them there.
    """
    data = validate_data_inputs(path, data_dir, store=store)
    return data if data.dataset is None else add_facts(data, facts)


def validate_data_inputs(path: str | Path, data_dir: str | Path | None = None, *,
                         store: Cache | None = None,
                         on_valid: Callable[[str], None] | None = None) -> DataCheck:
    """:func:`validate_data` up to the facts: the inputs and the pipeline against them.

    ``on_valid`` hears of each input that loaded without errors, as it does
    (:func:`lnutils.inputs.validation.validated_inputs`).

    :attr:`DataCheck.dataset` is set when the inputs loaded and fit the pipeline (the
    report may still hold errors of the questions the pipeline names: check ``report.ok``
    before anything reads it); :attr:`DataCheck.facts` and ``sections`` are not.
    """
    from lnutils.facts.generic import breakdown_problems  # noqa: PLC0415 (pandas)
    from lnutils.inputs.section_checks import check_pipeline_sections  # noqa: PLC0415
    from lnutils.inputs.validation import validated_inputs  # noqa: PLC0415

    report, dataset = validated_inputs(path, data_dir, store=store, on_valid=on_valid)
    pipeline = _pipeline_file(path, data_dir, dataset)
    if pipeline is None:
        return DataCheck(report)
    if not _extension_loads(pipeline, report):
        return DataCheck(report, pipeline)
    report.extend(breakdown_problems(pipeline))
    report.extend(check_pipeline_sections(pipeline))
    if not report.ok:
        return DataCheck(report, pipeline)
    report.extend(question_problems(pipeline, dataset))
    return DataCheck(report, pipeline, dataset)


def add_facts(data: DataCheck, facts: Callable[[Any], dict[str, Any]] | None = None
              ) -> DataCheck:
    """The rest of :func:`validate_data` on what :func:`validate_data_inputs` found (with its
    dataset): the facts computed (their problems added to the report) and the sections'
    labels."""
    flat, problems = checked_facts(data.pipeline, data.dataset, facts)
    data.report.extend(problems)
    if not data.report.ok:
        return DataCheck(data.report, data.pipeline)
    return DataCheck(data.report, data.pipeline, data.dataset, flat,
                     section_figure_labels(data.pipeline, _codebook(data.dataset)))


def _codebook(dataset) -> Any:
    """The codebook the inputs' validation loaded, or None (read again from its file)."""
    try:
        return dataset["codebook"] if "codebook" in dataset else None
    except Exception:  # noqa: BLE001 -- its problems are in the report already
        return None


def validate_texts(pipeline: Pipeline, facts: dict[str, Any] | None,
                   sections: dict[str, list[str]] | None) -> list[Problem]:
    """The checks of :func:`validate_pipeline` that read the pipeline's texts.

    Chapter and narrative ids, files and anchors, ``@fig-``/``@tbl-`` references, and
    the placeholders and conditions of the narratives and notebooks against ``facts``
    (:func:`validate_data`'s; None: no facts to check them against). ``sections`` is
    :attr:`DataCheck.sections`.
    """
    problems = structure_problems(pipeline) + reference_problems(pipeline, sections)
    if facts is not None:
        problems += text_problems(pipeline, facts)
    return problems


def _pipeline_file(path: str | Path, data_dir: str | Path | None,
                   dataset: Any = None) -> Pipeline | None:
    """The pipeline of a pipeline file (None for a data folder, or a file that is none);
    the one the inputs' validation read (``dataset``'s) when there is one."""
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in (".yml", ".yaml"):
        return None
    if dataset is not None:
        return dataset.pipeline
    try:
        return load_pipeline(path, data_dir=data_dir)
    except DataError:
        return None  # the pipeline's own problems are in the report already


def _extension_loads(pipeline: Pipeline, report: ValidationReport) -> bool:
    """Whether the facts extension loads; its problems go to the report."""
    from lnutils.facts.extensions import load_extension  # noqa: PLC0415 (pandas)

    try:
        load_extension(pipeline)
    except DataError as exc:
        report.extend(exc.report.problems)
        return False
    return True
