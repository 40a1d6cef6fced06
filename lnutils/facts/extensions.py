"""Network-specific facts: a Python file beside the pipeline, or an installed entry point.

A pipeline names its extra facts with ``facts:``. A value ending in ``.py`` is a file
relative to the pipeline file (``facts: extras/my_network.py``); any other value is the
name of an entry point in the group ``lnutils.facts`` (the way papermill registers its
engines), so a network's facts can also come from a package of its own. Either way the
module, or the object the entry point names, must have ``compute(dataset) -> dict``.
Every failure is a :class:`~lnutils.problems.DataError` located at the pipeline's
``facts`` key, raised before any kernel starts.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

from lnutils.problems import DataError, Problem, display_path

ENTRY_POINT_GROUP = "lnutils.facts"


def extension_file(pipeline) -> Path | None:
    """The facts file a pipeline names, resolved against the pipeline's folder (or None)."""
    name = pipeline.spec.facts
    if not name.endswith(".py"):
        return None
    return (pipeline.path.parent / name).resolve()


def load_extension(pipeline) -> Callable[[Any], dict] | None:
    """The ``compute`` function of the pipeline's extra facts, or None when it names none."""
    name = pipeline.spec.facts
    if not name:
        return None
    target = _from_file(pipeline, extension_file(pipeline)) if name.endswith(".py") \
        else _from_entry_point(pipeline, name)
    compute = getattr(target, "compute", None)
    if not callable(compute):
        raise _error(pipeline, f"the facts extension {name!r} has no function compute(dataset)",
                     "define `def compute(dataset) -> dict` in it")
    return compute


def _from_file(pipeline, path: Path):
    if not path.is_file():
        raise _error(pipeline, f"the facts file {display_path(path)} does not exist",
                     "write the path relative to the pipeline file, e.g. `extras/facts.py`")
    module_name = f"lnutils_extension_{pipeline.name.replace('-', '_')}_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except Exception as exc:  # any error in someone's file: report it, located
        sys.modules.pop(module_name, None)
        raise _error(pipeline, f"the facts file {display_path(path)} failed to load "
                     f"({_where(exc, path)}{type(exc).__name__}: {exc})",
                     "fix the file; run it with python to see the whole error") from None
    return module


def _from_entry_point(pipeline, name: str):
    found = [ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP) if ep.name == name]
    if not found:
        known = sorted(ep.name for ep in metadata.entry_points(group=ENTRY_POINT_GROUP))
        hint = f"installed: {', '.join(known)}" if known else "none is installed"
        raise _error(pipeline, f"no facts extension named {name!r} ({hint})",
                     "name a Python file beside the pipeline (ending in .py) or install "
                     f"a package with an entry point in the group {ENTRY_POINT_GROUP!r}")
    try:
        return found[0].load()
    except Exception as exc:
        raise _error(pipeline, f"the facts extension {name!r} failed to load "
                     f"({type(exc).__name__}: {exc})", "fix or reinstall the package") from None


def _where(exc: Exception, path: Path) -> str:
    """``line N: `` of the innermost frame in the extension file, when there is one."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
             if Path(f.filename).resolve() == path]
    if isinstance(exc, SyntaxError) and exc.lineno:
        lines.append(exc.lineno)
    return f"line {lines[-1]}: " if lines else ""


def _error(pipeline, message: str, fix: str) -> DataError:
    return DataError(Problem(display_path(pipeline.path), None, "facts", pipeline.spec.facts,
                             message, fix))
