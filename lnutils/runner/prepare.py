"""Before anything runs: validate the inputs and find the fan-out values (both cached).

Validation reads every input and the fan-out may read the survey: seconds for a large
export. Both results are remembered by the content of the inputs and the ``lnutils``
source, so that a rebuild with unchanged data skips them (and never imports pandas); the
check of the narratives and notebooks is remembered apart, so that editing one re-runs
only it, against the facts the data's validation stored.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any

from lnutils import paths
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, ValidationReport
from lnutils.runner.cache import Cache, digest_json, digest_path
from lnutils.runner.plan import fanout_values

if TYPE_CHECKING:
    from lnutils.inputs.dataset import Dataset

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


def validate_inputs(pipeline: Pipeline, store: Cache, code: str, digests: dict[str, str]
                    ) -> Dataset | None:
    """Validate every input and every text (or recall that these exact ones were valid).

    Two steps, cached apart: the data (inputs, codebook questions, the facts computed;
    keyed by the code, the pipeline file and the inputs), then the texts (narratives and
    notebooks against those facts; keyed by that and the texts). Editing a notebook runs
    only the second, on the facts kept in the store (those the build writes).

    Returns
    -------
    Dataset or None
        The inputs as validation loaded them (parsed ones are kept in the store for the
        kernels), for the rest of the build; None when the data step was cached.

    Raises
    ------
    DataError
        With the validation report when an input or a text is invalid.
    """
    data_key = digest_json({"code": code, "pipeline": digest_path(pipeline.path),
                            "data_dir": str(pipeline.data_dir), "inputs": digests})
    text_key = digest_json({"data": data_key, "texts": _text_digests(pipeline)})
    known = store.get_json("validation", text_key)
    if known is not None:
        if known.get("count"):
            log.warning("inputs unchanged since they were validated: %d warning(s) "
                        "(`lnreport validate` lists them)", known["count"])
        return None
    from lnutils.runner.checks import validate_data, validate_texts  # noqa: PLC0415
    from lnutils.runner.outputs import network_facts  # noqa: PLC0415
    from lnutils.runner.pipeline_checks import checked_facts  # noqa: PLC0415

    def facts(dataset) -> dict[str, Any]:  # computed once, for the texts and the build
        return json.loads(network_facts(pipeline, store, code, digests, dataset))

    cacheable = "missing" not in digests.values()
    checked, dataset = store.get_json("validation", data_key), None
    if checked is None:
        log.info("validating %d input(s) in %s", len(pipeline.inputs), pipeline.data_dir)
        data = validate_data(pipeline.path, data_dir=pipeline.data_dir, store=store,
                             facts=facts)
        _raise_or_warn(data.report)
        checked = {"count": data.report.warning_count, "facts": data.facts is not None,
                   "sections": data.sections}
        if cacheable:
            store.put_json("validation", data_key, checked)
        dataset, flat = data.dataset, data.facts
        problems = []
    else:  # the facts from the store (computed again only if they were pruned)
        flat, problems = (checked_facts(pipeline, None, facts) if checked.get("facts")
                          else (None, []))
    report = ValidationReport([*problems,
                               *validate_texts(pipeline, flat, checked.get("sections"))])
    _raise_or_warn(report)
    if cacheable:
        store.put_json("validation", text_key,
                       {"count": checked["count"] + report.warning_count})
    return dataset


def _raise_or_warn(report: ValidationReport) -> None:
    if not report.ok:
        raise DataError(report)
    if report.warnings:
        log.warning("validation found %d warning(s):\n%s", report.warning_count,
                    report.format())


def _text_digests(pipeline: Pipeline) -> dict[str, str]:
    """Digests of the narratives and chapter notebooks that exist."""
    files = [paths.reports_dir() / n.file for n in pipeline.spec.narratives]
    files += [pipeline.notebook_path(c) for c in pipeline.spec.chapters]
    return {str(f): digest_path(f) for f in files if f.is_file()}


def region_values(pipeline: Pipeline, store: Cache, code: str,
                  digests: dict[str, str], dataset: Dataset | None = None) -> list[str]:
    """The fan-out values; from the cache when the survey and codebook are unchanged.

    ``dataset``: the inputs if loaded already (else the survey is read, from the store
    when parsed before).
    """
    fanout = pipeline.spec.fanout
    if fanout is None or fanout.values or not fanout.values_from:
        return fanout_values(pipeline)
    key = digest_json({"code": code, "fanout": fanout.model_dump(),
                       "inputs": {n: digests.get(n) for n in ("survey", "codebook")}})
    known = store.get_json("fanout", key)
    if known is not None:
        return known
    if dataset is None:
        from lnutils.inputs.dataset import load_dataset  # noqa: PLC0415 (pandas)

        dataset = load_dataset(pipeline, store)
    values = fanout_values(pipeline, dataset)
    store.put_json("fanout", key, values)
    return values


