"""The build cache: content hashes, cache keys and a store of executed chapters.

A chapter is re-executed only when something it depends on changed: its notebook, its
parameters, the ``lnutils`` source, the pipeline settings a notebook can read (privacy
rules, facts module, fan-out) or the input files it reads. Everything is keyed by
SHA-256 digests of content, never by modification times, so that a copy of the data
or a checkout on another machine hits the same cache.

The store lives under :func:`lnutils.paths.cache_dir` and is shared by concurrent builds:
every write goes to a temporary file first and is moved into place with ``os.replace``,
so that a reader sees either nothing or a complete entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from lnutils.inputs.dataset import IMPLIED_INPUTS
from lnutils.pipeline import Pipeline
from lnutils.problems import DataError, Problem, display_path
from lnutils.store import (  # noqa: F401  (the runner's modules import these from here)
    KEY_PACKAGES,
    SOURCE_SUFFIXES,
    Cache,
    digest_bytes,
    digest_json,
    digest_path,
    environment_versions,
    package_digest,
)


def code_digest(pipeline: Pipeline) -> str:
    """Digest of the code a build runs: the ``lnutils`` source and the pipeline's own code.

    A network's facts or loader file beside its pipeline is code like the package's:
    editing it must recompute the facts and re-execute the chapters that read them.
    """
    from lnutils.extensions import extension_path  # noqa: PLC0415

    named = [v for v in (pipeline.spec.facts, *pipeline.spec.loaders.values()) if v]
    files = sorted({p for p in (extension_path(pipeline, v) for v in named) if p})
    return digest_json([package_digest(),
                        *[digest_path(f) if f.is_file() else None for f in files]])


def chapter_input_names(pipeline: Pipeline, inputs: Iterable[str] | None) -> list[str]:
    """The input names a chapter depends on: its declared inputs plus implied ones.

    ``None`` means the chapter may read every input of the pipeline.
    """
    if inputs is None:
        return sorted(pipeline.inputs)
    names = set(inputs)
    for name in list(names):
        names.update(IMPLIED_INPUTS.get(name, ()))
    return sorted(n for n in names if n in pipeline.inputs or n in set(inputs))


def input_digests(pipeline: Pipeline, names: Iterable[str]) -> dict[str, str]:
    """Digest of each named input file of the pipeline.

    Raises
    ------
    DataError
        When a chapter names an input the pipeline does not declare, or a file is missing.
    """
    digests: dict[str, str] = {}
    for name in names:
        path = pipeline.input(name)
        if path is None:
            raise DataError(Problem(
                display_path(pipeline.path), None, "chapters[].inputs", name,
                f"a chapter reads input {name!r}, which the pipeline does not declare",
                f"add `{name}: <file>` under `inputs:` or remove it from the chapter's inputs"))
        try:
            digests[name] = digest_path(path)
        except FileNotFoundError:
            raise DataError(Problem(
                display_path(path), None, None, None, f"input {name!r} not found",
                "check the file name under `inputs:` and the data folder")) from None
    return digests


def pipeline_settings(pipeline: Pipeline) -> dict[str, Any]:
    """The parts of a pipeline file a chapter notebook can read besides its own entry.

    Report metadata, narratives and the chapter list are left out: they shape the
    rendered report, not the executed chapters, so editing a title re-renders without
    re-executing anything.
    """
    spec = pipeline.spec.model_dump(mode="json")
    return {key: spec.get(key) for key in ("name", "inputs", "facts", "privacy", "fanout")}


