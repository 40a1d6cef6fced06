"""A disk cache of loaded inputs, so that each chapter does not parse the survey again.

Every chapter notebook loads the inputs it needs through ``lnutils.inputs.dataset``. Parsing
a large survey export through its codebook takes seconds; a pickle of the result
loads in milliseconds. :func:`load_cached` wraps an input's loader: the key is the
input's content, the content of the inputs its loader also reads (the codebook for the
survey) and the ``lnutils`` source, so a changed file or changed code loads afresh.

Only inputs listed in :data:`CACHED_INPUTS` are cached: the survey and its codebook
hold answers, not names; the invitation list (personal data, pseudonymised with a key)
is never written to the cache.

A process that loads the same input again (a build's warm kernel runs one chapter after
another) keeps the last ones read in memory (:data:`KEPT`) and hands out a fresh view
of each every time: the survey's tables are new DataFrames over the same data, which
pandas copies on write, so nothing one chapter changes reaches the next; the codebook
is frozen.
"""

from __future__ import annotations

import dataclasses
import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lnutils.memo import Recent
from lnutils.store import Cache, digest_json, digest_path, environment_versions, package_digest

log = logging.getLogger("lnutils.inputs")

CACHED_INPUTS = frozenset({"codebook", "survey"})
KEPT = 2  # loaded inputs kept in memory per process, the last used

_LOADED = Recent(KEPT)


def input_key(name: str, path: Path, related: dict[str, Path]) -> str:
    """Cache key of one loaded input (see the module docstring)."""
    return digest_json({
        "name": name,
        "file": digest_path(path),
        "related": {n: digest_path(p) for n, p in sorted(related.items())},
        "code": package_digest(),
        "versions": environment_versions(),  # pickles depend on pandas and pydantic
    })


def load_cached(name: str, path: Path, inputs: dict[str, Path], load: Callable[[], Any],
                store: Cache, implied: dict[str, tuple[str, ...]] | None = None) -> Any:
    """Return ``load()``'s result for an input, from the disk cache when possible.

    Parameters
    ----------
    name : the input's name in the pipeline (``survey``, ``codebook``, ...).
    path : its file.
    inputs : every input name -> path of the pipeline (to find related inputs).
    load : the loader, called without arguments on a cache miss. Its errors
        (``DataError``) pass through and nothing is cached.
    implied : input name -> the other inputs its loader reads (their content is
        part of the key).
    store : the cache to read and write.
    """
    if name not in CACHED_INPUTS:
        return load()
    related = {n: inputs[n] for n in (implied or {}).get(name, ()) if n in inputs}
    try:
        key = input_key(name, path, related)
    except OSError:
        return load()  # a missing file: let the loader report it
    kept = _LOADED.get(key)
    if kept is not None:
        return _view(kept)
    data = store.get_bytes("inputs", key, ".pickle")
    if data is not None:
        try:
            return _view(_LOADED.put(key, pickle.loads(data)))
        except Exception:  # written by other library versions: load afresh
            log.debug("unreadable cached %s; loading it again", name)
    value = load()
    store.put_bytes("inputs", key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                    ".pickle")
    return _view(_LOADED.put(key, value))


def forget_loaded() -> None:
    """Drop the inputs this process keeps in memory (the next load reads the store)."""
    _LOADED.clear()


def _view(value: Any) -> Any:
    """What a caller gets of a kept input: its own tables, sharing the kept data.

    Any dataclass whose fields are DataFrames (the survey) gets new frames (pandas
    copies their data on the first write) and a new list of warnings; anything else (the
    frozen codebook) is handed out as it is.
    """
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return value
    import pandas as pd  # noqa: PLC0415 (loaded already: the value holds its frames)

    changes = {}
    for f in dataclasses.fields(value):
        item = getattr(value, f.name)
        if isinstance(item, pd.DataFrame):
            changes[f.name] = item.copy(deep=False)
        elif isinstance(item, list):
            changes[f.name] = list(item)
    return dataclasses.replace(value, **changes)
