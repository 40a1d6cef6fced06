"""A disk cache of loaded inputs, so that each chapter does not parse the survey again.

Every chapter notebook loads the inputs it needs through ``lnutils.inputs.dataset``. Parsing
a large survey export through its codebook takes seconds; a pickle of the result
loads in milliseconds. :func:`load_cached` wraps an input's loader: the key is the
input's content, the content of the inputs its loader also reads (the codebook for the
survey) and the ``lnutils`` source, so a changed file or changed code loads afresh.

Only inputs listed in :data:`CACHED_INPUTS` are cached: the survey and its codebook
hold answers, not names; the invitation list (personal data, pseudonymised with a key)
is never written to the cache.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lnutils.store import Cache, digest_json, digest_path, environment_versions, package_digest

log = logging.getLogger("lnutils.inputs")

CACHED_INPUTS = frozenset({"codebook", "survey"})


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
    data = store.get_bytes("inputs", key, ".pickle")
    if data is not None:
        try:
            return pickle.loads(data)
        except Exception:  # written by other library versions: load afresh
            log.debug("unreadable cached %s; loading it again", name)
    value = load()
    store.put_bytes("inputs", key, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL),
                    ".pickle")
    return value
