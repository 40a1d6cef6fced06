"""Validation of a whole pipeline, before any kernel starts.

:func:`lnutils.inputs.validation.validate_path` checks the data; this adds what a build
would trip on that is not data: the network's facts extension must exist, import and
have ``compute``; the pipeline's chapters, narratives, fan-out and privacy exceptions
must fit its files and codebook; and every fact the text uses must have a value for these
data (:mod:`lnutils.runner.pipeline_checks`). ``lnreport validate`` and every build run it.
"""

from __future__ import annotations

from pathlib import Path

from lnutils.facts.extensions import load_extension
from lnutils.inputs.dataset import Dataset
from lnutils.inputs.validation import validate_path
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError, ValidationReport
from lnutils.runner.pipeline_checks import data_problems, structure_problems


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
    if report.ok:
        # Facts are computed only from inputs without errors: no fact of bad data.
        report.extend(data_problems(pipeline, Dataset(pipeline)))
    return report
