"""Facts: every number and ordering a report's text states, computed from its data.

A pipeline's ``facts`` key names the network's own facts: a Python file beside the
pipeline or an installed entry point (see :mod:`lnutils.facts.extensions`), whose
``compute(dataset) -> dict`` returns nested facts. :func:`flatten` turns them into
dotted keys as ``lnreport facts`` prints them.
"""

from __future__ import annotations

import math
from typing import Any

from lnutils.facts.extensions import load_extension
from lnutils.problems import DataError, Problem


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


def compute_facts(dataset) -> dict[str, Any]:
    """Nested facts of a loaded dataset, by the extension its pipeline names."""
    pipeline = dataset.pipeline
    compute = load_extension(pipeline)
    if compute is None:
        raise DataError(Problem(str(pipeline.path), None, "facts", None,
                                "the pipeline names no facts extension",
                                "add `facts: <file>.py` (a Python file beside the pipeline)"))
    return compute(dataset)


def facts_for_pipeline(pipeline, store=None) -> dict[str, Any]:
    """Flat facts of a pipeline, as ``lnreport facts`` prints them.

    ``store`` is the runner's store of parsed inputs (None: nothing is written to disk).
    """
    from lnutils.inputs.dataset import load_dataset

    return flatten(compute_facts(load_dataset(pipeline, store)))
