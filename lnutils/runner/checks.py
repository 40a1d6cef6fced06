"""Validation of a whole pipeline, before any kernel starts.

:func:`lnutils.inputs.validation.validate_path` checks the data; this adds what a build
would trip on that is not data: the network's facts extension must exist, import and
have ``compute``; the question ids of ``sections`` and ``breakdowns`` must be in the
codebook; every ``@fig-``/``@tbl-`` reference must name a label some chapter defines.
``lnreport validate`` and every build run it.
"""

from __future__ import annotations

from pathlib import Path

from lnutils.facts.extensions import load_extension
from lnutils.inputs.section_checks import check_pipeline_sections
from lnutils.inputs.validation import validate_path
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError, ValidationReport
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
    try:
        load_extension(pipeline)
    except DataError as exc:
        report.extend(exc.report.problems)
    report.extend(check_pipeline_sections(pipeline))
    report.extend(check_references(pipeline))
    return report
