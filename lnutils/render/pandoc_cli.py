"""Running the pandoc binary of the pypandoc-binary wheel, and walking its JSON AST."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Iterator
from typing import Any

from lnutils.render.errors import RenderError


def pandoc_path() -> str:
    """The pandoc binary shipped in the pypandoc-binary wheel."""
    try:
        import pypandoc
    except ImportError:
        raise RenderError("pypandoc-binary is not installed; run `pip install -e .`") from None
    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], what: str, stdin: str | None = None,
               timestamp: dt.datetime | None = None) -> str:
    """Run pandoc; a failure becomes a RenderError naming ``what`` and pandoc's message.

    ``timestamp`` is the time pandoc writes into the document's properties (a DOCX's
    created and modified dates) instead of the time of the run, so that the same report
    gives the same file.
    """
    env = None
    if timestamp is not None:
        env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(timestamp.timestamp()))}
    result = subprocess.run([pandoc_path(), *args], input=stdin, capture_output=True,
                            text=True, encoding="utf-8", check=False, env=env)
    if result.returncode != 0:
        raise RenderError(f"{what}: pandoc failed (exit {result.returncode}):\n"
                          f"{result.stderr.strip()}")
    return result.stdout


# --- walking the JSON AST ---------------------------------------------------------

def iter_elements(node: Any) -> Iterator[dict]:
    """Every AST element (a dict with a "t" key) under ``node``, in document order.

    The elements are collected before the first is given: a report's AST has close to
    a million nodes, and one plain recursive walk costs a fraction of nested generators.
    Changing an element's fields while iterating is fine; elements added meanwhile are
    not visited.
    """
    found: list[dict] = []
    _collect(node, found)
    return iter(found)


def _collect(node: Any, found: list[dict]) -> None:
    if isinstance(node, dict):
        if "t" in node:
            found.append(node)
        values: Any = node.values()
    elif isinstance(node, list):
        values = node
    else:
        return
    for value in values:
        if isinstance(value, (dict, list)):
            _collect(value, found)
