"""Network-specific facts: a Python file beside the pipeline, or an installed entry point.

A pipeline names its extra facts with ``facts:``: a file relative to the pipeline file
(``facts: extras/my_network.py``) or an entry point in the group ``lnutils.facts``.
Either way it must have ``compute(dataset) -> dict``; see :mod:`lnutils.extensions`.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from lnutils.extensions import extension_path, load_named

ENTRY_POINT_GROUP = "lnutils.facts"


def extension_file(pipeline) -> Path | None:
    """The facts file a pipeline names, resolved against the pipeline's folder (or None)."""
    return extension_path(pipeline, pipeline.spec.facts) if pipeline.spec.facts else None


def load_extension(pipeline) -> Callable[[Any], dict] | None:
    """The ``compute`` function of the pipeline's extra facts, or None when it names none."""
    if not pipeline.spec.facts:
        return None
    return load_named(pipeline, "facts", pipeline.spec.facts, ENTRY_POINT_GROUP, "compute")
