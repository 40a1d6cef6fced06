"""Before anything runs: validate the inputs and find the fan-out values (both cached).

Validation reads every input and the fan-out may read the survey: seconds for a large
export. Both results are remembered by the content of the inputs and the ``lnutils``
source, so that a rebuild with unchanged data skips them (and never imports pandas).
"""

from __future__ import annotations

import logging

from lnutils import paths
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError
from lnutils.runner.cache import Cache, digest_json, digest_path
from lnutils.runner.plan import fanout_values

log = logging.getLogger("lnutils.runner")


def all_input_digests(pipeline: Pipeline) -> dict[str, str]:
    """Digest of every input; a missing one is marked so that validation reports it."""
    digests = {}
    for name, path in pipeline.inputs.items():
        try:
            digests[name] = digest_path(path)
        except FileNotFoundError:
            digests[name] = "missing"
    return digests


def validate_inputs(pipeline: Pipeline, store: Cache, code: str, digests: dict[str, str]) -> None:
    """Validate every input (or recall that these exact inputs were valid).

    Raises
    ------
    DataError
        With the full validation report when an input is invalid.
    """
    # Validation also checks the facts the narratives and notebooks use: their text counts.
    key = digest_json({"code": code, "pipeline": digest_path(pipeline.path),
                       "data_dir": str(pipeline.data_dir), "inputs": digests,
                       "texts": _text_digests(pipeline)})
    known = store.get_json("validation", key)
    if known is not None:
        if known.get("count"):
            log.warning("inputs unchanged since they were validated: %d warning(s) "
                        "(`lnreport validate` lists them)", known["count"])
        return
    from lnutils.runner.checks import validate_pipeline  # noqa: PLC0415

    log.info("validating %d input(s) in %s", len(pipeline.inputs), pipeline.data_dir)
    report = validate_pipeline(pipeline.path, data_dir=pipeline.data_dir)
    if not report.ok:
        raise DataError(report)
    if report.warnings:
        log.warning("validation found %d warning(s):\n%s", report.warning_count,
                    report.format())
    if "missing" not in digests.values():
        store.put_json("validation", key, {"count": report.warning_count})


def _text_digests(pipeline: Pipeline) -> dict[str, str]:
    """Digests of the narratives and chapter notebooks that exist."""
    files = [paths.reports_dir() / n.file for n in pipeline.spec.narratives]
    files += [pipeline.notebook_path(c) for c in pipeline.spec.chapters]
    return {str(f): digest_path(f) for f in files if f.is_file()}


def region_values(pipeline: Pipeline, store: Cache, code: str,
                  digests: dict[str, str]) -> list[str]:
    """The fan-out values; from the cache when the survey and codebook are unchanged."""
    fanout = pipeline.spec.fanout
    if fanout is None or fanout.values or not fanout.values_from:
        return fanout_values(pipeline)
    key = digest_json({"code": code, "fanout": fanout.model_dump(),
                       "inputs": {n: digests.get(n) for n in ("survey", "codebook")}})
    known = store.get_json("fanout", key)
    if known is not None:
        return known
    values = fanout_values(pipeline)
    store.put_json("fanout", key, values)
    return values


