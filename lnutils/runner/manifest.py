"""``manifest.json``: what a build read, with which software, and what it did.

The manifest lets a reader of a report answer "which data and which code made this?"
and lets a maintainer see which chapters were executed and which came from the cache.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from lnutils.pipeline import Pipeline
from lnutils.runner.cache import environment_versions
from lnutils.runner.plan import region_slug


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def build_manifest(
    pipeline: Pipeline,
    *,
    started: dt.datetime,
    inputs: dict[str, str],
    code_digest: str,
    pipeline_digest: str,
    region_values: list[str],
    chapters: list[dict[str, Any]],
    facts: dict[str, Any],
    renders: list[dict[str, Any]],
    options: dict[str, Any],
) -> dict[str, Any]:
    """The manifest of one build, as a JSON-able dict.

    Parameters
    ----------
    pipeline : the loaded pipeline.
    started : when the build started (UTC).
    inputs : input name -> SHA-256 of the file.
    code_digest : digest of the ``lnutils`` source (see ``cache.package_digest``).
    pipeline_digest : SHA-256 of the pipeline file.
    region_values : the fan-out values built.
    chapters : one record per executed or cached chapter (see the engine).
    facts, renders : records of the facts and render steps.
    options : the build options as given.
    """
    finished = now_utc()
    fanout = pipeline.spec.fanout
    return {
        "pipeline": pipeline.name,
        "pipeline_file": str(pipeline.path),
        "pipeline_sha256": pipeline_digest,
        "data_dir": str(pipeline.data_dir),
        "started": started.isoformat(timespec="milliseconds"),
        "finished": finished.isoformat(timespec="milliseconds"),
        "seconds": round((finished - started).total_seconds(), 3),
        "options": options,
        "versions": environment_versions(),
        "lnutils_source_sha256": code_digest,
        "inputs": {
            name: {"path": str(pipeline.inputs[name]), "sha256": digest}
            for name, digest in sorted(inputs.items())
        },
        "fanout": None if fanout is None else {
            "parameter": fanout.parameter,
            "values": region_values,
            "folders": {value: f"regions/{region_slug(value)}" for value in region_values},
        },
        "chapters": chapters,
        "cache_hits": sum(1 for c in chapters if c["cached"]),
        "executed": sum(1 for c in chapters if not c["cached"]),
        "facts": facts,
        "renders": renders,
        "config": pipeline.resolved(),
    }


def relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` when inside it, else absolute."""
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)
