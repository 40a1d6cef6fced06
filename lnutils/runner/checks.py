"""Validation of a whole pipeline, before any kernel starts.

:func:`lnutils.inputs.validation.validate_path` checks the data; this adds what a build
would trip on that is not data: the network's facts extension must exist, import and
have ``compute``; the pipeline's chapters, narratives, fan-out and privacy exceptions
must fit its files and codebook (:mod:`lnutils.runner.pipeline_checks`); the question
ids of ``sections`` and ``breakdowns`` must be in the codebook (breakdowns single-choice);
every ``@fig-``/``@tbl-`` reference must name a label some chapter defines; and every
fact the text uses must have a value for these data. ``lnreport validate`` and every build run it.
"""

from __future__ import annotations

from pathlib import Path

from lnutils.facts.extensions import load_extension
from lnutils.facts.generic import breakdown_problems
from lnutils.inputs.dataset import Dataset
from lnutils.inputs.section_checks import check_pipeline_sections
from lnutils.inputs.validation import validate_path
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError, ValidationReport
from lnutils.runner.pipeline_checks import data_problems, structure_problems
from lnutils.runner.reference_checks import check_references


def validate_pipeline(path: str | Path, data_dir: str | Path | None = None) -> ValidationReport:
    """Every problem of a pipeline file (or a data folder) and its inputs, in one report."""
    report = validate_path(path, data_dir)
    path = Path(path)
    if not path.is_file() or path.suffix.lower() not in (".yml", ".yaml"):
        return report
    try:
        pipeline = load_pipeline(path, data_dir=data_dir)
    except DataError:
        return report  # the pipeline's own problems are in the report already
    report.extend(structure_problems(pipeline))
    try:
        load_extension(pipeline)
    except DataError as exc:
        report.extend(exc.report.problems)
        return report
    report.extend(breakdown_problems(pipeline))
    report.extend(check_pipeline_sections(pipeline))
    report.extend(check_references(pipeline))
    if report.ok:
        # Facts are computed only from inputs without errors: no fact of bad data.
        report.extend(data_problems(pipeline, Dataset(pipeline)))
    return report
