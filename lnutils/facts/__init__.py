"""Facts: every number and ordering a report's text states, computed from its data.

Every pipeline with a survey gets the generic facts of :mod:`lnutils.facts.generic`
(every question of its codebook, the response rate; docs/facts.md). A pipeline's
``facts`` key may name the network's own facts on top: a Python file beside the
pipeline or an installed entry point (see :mod:`lnutils.facts.extensions`), whose
``compute(dataset) -> dict`` returns nested facts. :func:`flatten` turns them into
dotted keys as ``lnreport facts`` prints them; the network's keys win over generic
keys of the same name.
"""

from __future__ import annotations

import json
import math
from typing import Any

from lnutils.analysis.suppression import total_shown
from lnutils.facts.extensions import load_extension
from lnutils.facts.generic import generic_facts, generic_facts_by_value, is_generic_key

NETWORK_PREFIX = "all."  # network-wide facts inside a sub-report's facts
WITHHELD = "survey.withheld"  # true when a region is under the small-group threshold
# What a sub-report under the threshold keeps: who was asked and what, not the answers.
_KEPT_WHEN_WITHHELD = (".text", ".type")


def withhold_answers(facts: dict[str, Any]) -> dict[str, Any]:
    """A small region's generic facts without anything computed from its answers.

    Question wordings and types stay (they are the codebook's), and the number of
    respondents (the sub-report says why nothing else is shown); distributions, means,
    counts per option, non-answers and response rates go.
    """
    kept = {k: v for k, v in facts.items()
            if not is_generic_key(k) or k == "survey.respondents"
            or (k.startswith("q.") and k.endswith(_KEPT_WHEN_WITHHELD))}
    kept[WITHHELD] = True
    return kept


def flatten(facts: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested dicts and lists into dotted keys.

    Lists are indexed from 0 unless they are dicts keyed by numbers; a dict's keys
    are used as they are (``{"gathering_hours": {1: [3.0, ...]}}`` gives
    ``gathering_hours.1.0``).
    """
    flat: dict[str, Any] = {}
    for key, value in facts.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, (list, tuple)) and any(
            isinstance(v, (dict, list, tuple)) for v in value
        ):
            flat.update(flatten({str(i): v for i, v in enumerate(value)}, name + "."))
        else:
            flat[name] = _plain(value)
    return flat


def _plain(value: Any) -> Any:
    """Numpy scalars to Python numbers; NaN to None (JSON has no NaN)."""
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def facts_json(facts: dict[str, Any]) -> bytes:
    """Flat facts as the build writes them to ``facts.json`` (and keeps them in its store)."""
    return json.dumps(facts, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def compute_facts(dataset) -> dict[str, Any]:
    """Nested network-specific facts of a loaded dataset ({} when the pipeline names none)."""
    compute = load_extension(dataset.pipeline)
    return {} if compute is None else compute(dataset)


def all_facts(dataset) -> dict[str, Any]:
    """Flat facts of a dataset: the generic ones with the network's own merged on top."""
    return {**generic_facts(dataset), **flatten(compute_facts(dataset))}


def facts_for_pipeline(pipeline, store=None, dataset=None) -> dict[str, Any]:
    """Flat facts of a pipeline, as ``lnreport facts`` prints them.

    ``store`` is the runner's store of parsed inputs (None: nothing is written to disk);
    ``dataset`` the pipeline's inputs if already loaded.
    """
    from lnutils.inputs.dataset import load_dataset

    return all_facts(load_dataset(pipeline, store) if dataset is None else dataset)


def region_facts(dataset, value: str, network: dict[str, Any]) -> dict[str, Any]:
    """Flat facts of one sub-report: generic facts of the region's respondents only.

    Every network-wide fact (``network``, flat) is also there under ``all.``. The
    network's own facts (its extension's keys) are not recomputed for a region: they
    stay at their keys with the network's values, as before, so that a chapter's text
    written with them still renders; the generic keys (``q.``, ``response.``,
    ``survey.respondents``) are the region's own. The region's invited people are those
    of the invitation list whose field named like the fan-out question holds ``value``;
    without such a field the sub-report has no ``response.*`` of its own.

    A region with fewer respondents than the pipeline's ``privacy.min_group_size`` gets
    no facts computed from its answers (:func:`withhold_answers`); ``survey.withheld``
    says so (false otherwise).
    """
    return regions_facts(dataset, [value], network)[value]


def regions_facts(dataset, values: list[str], network: dict[str, Any]
                  ) -> dict[str, dict[str, Any]]:
    """:func:`region_facts` of each fan-out value, the answers read once for all of them."""
    fanout = dataset.pipeline.spec.fanout
    question = fanout.values_from if fanout and fanout.values_from else "region"
    kept = {k: v for k, v in network.items() if not is_generic_key(k)}
    shared = {NETWORK_PREFIX + k: v for k, v in network.items()}
    own = generic_facts_by_value(dataset, question, values) if "survey" in dataset else {}
    out = {}
    for value in values:
        facts = dict(kept)
        if value in own:
            mine = own[value]
            small = not total_shown(mine["survey.respondents"], dataset.pipeline.spec.privacy)
            facts.update(withhold_answers(mine) if small else {**mine, WITHHELD: False})
        facts.update(shared)
        out[value] = facts
    return out


def facts_for_regions(pipeline, values: list[str], network: dict[str, Any], store=None,
                      dataset=None) -> dict[str, dict[str, Any]]:
    """Flat facts of each sub-report (fan-out value -> facts), the inputs loaded once.

    ``dataset``: the pipeline's inputs if already loaded (else loaded, with ``store``).
    """
    from lnutils.inputs.dataset import load_dataset

    return regions_facts(load_dataset(pipeline, store) if dataset is None else dataset,
                         values, network)
