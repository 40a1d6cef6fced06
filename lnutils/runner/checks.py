"""Validation of a whole pipeline, before any kernel starts.

:func:`lnutils.inputs.validation.validate_path` checks the data; this adds what a build
would trip on that is not data: the network's facts extension must exist, import and
have ``compute``; the pipeline's ``breakdowns`` must be single-choice questions.
``lnreport validate`` and every build run it.
"""

from __future__ import annotations

from pathlib import Path

from lnutils.facts.extensions import load_extension
from lnutils.facts.generic import breakdown_problems
from lnutils.inputs.validation import validate_path
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError, ValidationReport


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
    report.extend(breakdown_problems(pipeline))
    return report
