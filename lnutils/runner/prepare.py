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
from collections.abc import Callable
from dataclasses import dataclass
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
    :func:`start_validation` does the same in two parts, so that a build can start its
    chapters once the inputs are known to be valid.

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
    validation = start_validation(pipeline, store, code, digests)
    validation.finish()
    return validation.dataset


@dataclass
class Validation:
    """A validation begun by :func:`start_validation`.

    Attributes
    ----------
    dataset : the inputs as it loaded them, or None (all known valid, nothing loaded).
    rest : the checks left (the facts, then the texts against them); :meth:`finish`
        runs them.
    """

    dataset: Dataset | None
    rest: Callable[[], None] | None = None

    def finish(self) -> None:
        """Run the checks left, once.

        Raises
        ------
        DataError
            When the facts cannot be computed or a text is invalid.
        """
        rest, self.rest = self.rest, None
        if rest is not None:
            rest()


def start_validation(pipeline: Pipeline, store: Cache, code: str, digests: dict[str, str],
                     on_valid: Callable[[str], None] | None = None) -> Validation:
    """:func:`validate_inputs` up to the inputs: what every chapter needs to be valid.

    The inputs, and the pipeline against them, are checked here (a DataError at once when
    one is invalid); the facts and the texts are left to :meth:`Validation.finish`. They
    need no kernel, so a build runs them while its chapters execute. ``on_valid`` hears
    of each input found valid as it is read (not when all are known valid already), so
    that a chapter reading only those can start before the rest are read.
    """
    data_key = digest_json({"code": code, "pipeline": digest_path(pipeline.path),
                            "data_dir": str(pipeline.data_dir), "inputs": digests})
    text_key = digest_json({"data": data_key, "texts": _text_digests(pipeline)})
    known = store.get_json("validation", text_key)
    if known is not None:
        if known.get("count"):
            log.warning("inputs unchanged since they were validated: %d warning(s) "
                        "(`lnreport validate` lists them)", known["count"])
        return Validation(None)
    from lnutils.runner.checks import (  # noqa: PLC0415
        add_facts,
        validate_data_inputs,
        validate_texts,
    )
    from lnutils.runner.outputs import network_facts  # noqa: PLC0415
    from lnutils.runner.pipeline_checks import checked_facts  # noqa: PLC0415

    def facts(dataset) -> dict[str, Any]:  # computed once, for the texts and the build
        return json.loads(network_facts(pipeline, store, code, digests, dataset))

    cacheable = "missing" not in digests.values()

    def check_texts(flat, sections, problems, count: int) -> None:
        report = ValidationReport([*problems, *validate_texts(pipeline, flat, sections)])
        _raise_or_warn(report)
        if cacheable:
            store.put_json("validation", text_key, {"count": count + report.warning_count})

    checked = store.get_json("validation", data_key)
    if checked is not None:  # the facts from the store (computed again only if pruned)
        def rest() -> None:
            flat, problems = (checked_facts(pipeline, None, facts) if checked.get("facts")
                              else (None, []))
            check_texts(flat, checked.get("sections"), problems, checked["count"])

        return Validation(None, rest)
    log.info("validating %d input(s) in %s", len(pipeline.inputs), pipeline.data_dir)
    inputs = validate_data_inputs(pipeline.path, data_dir=pipeline.data_dir, store=store,
                                  on_valid=on_valid)
    _raise_or_warn(inputs.report)
    logged = len(inputs.report.warnings)

    def rest_of_data() -> None:
        data = add_facts(inputs, facts)
        if not data.report.ok:
            raise DataError(data.report)
        _raise_or_warn(ValidationReport(data.report.warnings[logged:]))  # the facts' own
        count = data.report.warning_count
        if cacheable:
            store.put_json("validation", data_key, {"count": count, "sections": data.sections,
                                                    "facts": data.facts is not None})
        check_texts(data.facts, data.sections, [], count)

    return Validation(inputs.dataset, rest_of_data)


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


