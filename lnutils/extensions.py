"""Network-specific code a pipeline names: a Python file beside it, or an entry point.

A pipeline may bring code of its own without changing the package: its facts
(``facts: extras/my_network.py``) and loaders for inputs the package does not know
(``loaders: {registry: extras/registry.py:load_registry}``). A value ending in ``.py``
(optionally followed by ``:name``) is a file relative to the pipeline file; any other
value is the name of an entry point in the given group (``lnutils.facts``,
``lnutils.loaders``), the way papermill registers its engines. Every failure is a
:class:`~lnutils.problems.DataError` located at the pipeline key that named the code,
raised before any kernel starts.
"""

from __future__ import annotations

import importlib.util
import sys
import traceback
from importlib import metadata
from pathlib import Path
from typing import Any

from lnutils.problems import DataError, Problem, display_path


def extension_path(pipeline, value: str) -> Path | None:
    """The file a value names (``x.py`` or ``x.py:name``), resolved beside the pipeline."""
    file = value.split(":", 1)[0]
    if not file.endswith(".py"):
        return None
    return (pipeline.path.parent / file).resolve()


def load_named(pipeline, key: str, value: str, group: str, default: str) -> Any:
    """The object a pipeline value names: ``file.py[:name]`` or an entry point's name.

    Parameters
    ----------
    pipeline : the loaded pipeline (for its file and name).
    key : the pipeline key that holds the value, for messages (``facts``, ``loaders.x``).
    value : what the pipeline wrote.
    group : the entry-point group searched for a value without ``.py``.
    default : the attribute taken from a file named without ``:name``.
    """
    path = extension_path(pipeline, value)
    if path is None:
        return _from_entry_point(pipeline, key, value, group)
    name = value.split(":", 1)[1] if ":" in value else default
    module = _from_file(pipeline, key, value, path)
    found = getattr(module, name, None)
    if not callable(found):
        raise located(pipeline, key, value, f"{display_path(path)} has no function {name!r}",
                      f"define `def {name}(...)` in it")
    return found


def _from_file(pipeline, key: str, value: str, path: Path):
    if not path.is_file():
        raise located(pipeline, key, value, f"the file {display_path(path)} does not exist",
                      "write the path relative to the pipeline file, e.g. `extras/facts.py`")
    module_name = f"lnutils_extension_{pipeline.name.replace('-', '_')}_{path.stem}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        sys.modules[module_name] = module
        spec.loader.exec_module(module)
    except Exception as exc:  # any error in someone's file: report it, located
        sys.modules.pop(module_name, None)
        raise located(pipeline, key, value, f"the file {display_path(path)} failed to load "
                      f"({_where(exc, path)}{type(exc).__name__}: {exc})",
                      "fix the file; run it with python to see the whole error") from None
    return module


def _from_entry_point(pipeline, key: str, value: str, group: str):
    found = [ep for ep in metadata.entry_points(group=group) if ep.name == value]
    if not found:
        known = sorted(ep.name for ep in metadata.entry_points(group=group))
        hint = f"installed: {', '.join(known)}" if known else "none is installed"
        raise located(pipeline, key, value, f"no extension named {value!r} ({hint})",
                      "name a Python file beside the pipeline (ending in .py) or install "
                      f"a package with an entry point in the group {group!r}")
    try:
        return found[0].load()
    except Exception as exc:
        raise located(pipeline, key, value, f"the extension {value!r} failed to load "
                      f"({type(exc).__name__}: {exc})", "fix or reinstall the package") from None


def _where(exc: Exception, path: Path) -> str:
    """``line N: `` of the innermost frame in the extension file, when there is one."""
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
             if Path(f.filename).resolve() == path]
    if isinstance(exc, SyntaxError) and exc.lineno:
        lines.append(exc.lineno)
    return f"line {lines[-1]}: " if lines else ""


def located(pipeline, key: str, value: str, message: str, fix: str) -> DataError:
    """A DataError at the pipeline key that named the extension."""
    return DataError(Problem(display_path(pipeline.path), None, key, value, message, fix))
