"""Executed notebooks made ready for pandoc's ipynb reader.

Pandoc reads a notebook's cells and stored outputs but knows nothing of Quarto's
``#|`` cell options, of papermill's parameters cells, or of which outputs a
reader should see. This module writes a reading copy of each executed notebook
(the executed notebook itself is never changed) in which:

- the ``parameters`` and ``injected-parameters`` cells are gone;
- code is gone; the cell's ``#|`` options (label, fig-cap, fig-alt, tbl-cap) are
  kept as cell metadata, which pandoc turns into attributes for the Lua filter;
- stdout/stderr streams and plain-text results (``Out[3]: 4.69``) are gone;
  images, HTML tables and markdown output stay, one representation each;
- cells with ``#| include: false``, ``#| output: false`` or a ``remove-output``
  tag show nothing, as in Quarto;
- placeholders in markdown cells are resolved from the facts.

A notebook with an error output is refused: its chapter did not run through.

The SVG figures of a reading copy can be set aside (:func:`set_figures_aside`): each
is written to a file as it is, and pandoc reads a short stand-in instead, which
:func:`restore_figures` points back at the file. The figures are most of a chapter's
bytes, and pandoc would only copy them out to files itself.
"""

from __future__ import annotations

import copy
import json
import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from lnutils.render.errors import RenderError
from lnutils.render.pandoc_cli import iter_elements
from lnutils.render.placeholders import resolve_text

log = logging.getLogger(__name__)
HIDDEN_TAGS = {"parameters", "injected-parameters", "remove-cell"}
HIDDEN_OUTPUT_TAGS = {"remove-output", "remove_output"}
OPTION_KEYS = ("label", "fig-cap", "fig-alt", "tbl-cap")
_OPTION_LINE = re.compile(r"^#\|\s?(.*)$")
# Vector first: a figure that comes both ways is shown as SVG (HTML, PDF).
_IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")
TABLE_ATTRIBUTE = "lnr-table"  # the figure's numbers, as JSON, for cells.lua
_LABEL_RE = re.compile(r"^(fig|tbl)-[A-Za-z0-9-]+$")
SVG = "image/svg+xml"
_STAND_IN = '<svg xmlns="http://www.w3.org/2000/svg" data-lnr-figure="{}"/>'


def cell_options(source: str, where: str) -> tuple[dict[str, Any], str]:
    """Split a code cell's leading ``#|`` lines from its code.

    Returns
    -------
    (options, code)
        The options as parsed YAML and the remaining code.

    Raises
    ------
    RenderError
        When the option lines are not YAML, or a label lacks the fig-/tbl- prefix.
    """
    lines = source.split("\n")
    option_lines = []
    for line in lines:
        match = _OPTION_LINE.match(line)
        if not match:
            break
        option_lines.append(match.group(1))
    code = "\n".join(lines[len(option_lines):])
    if not option_lines:
        return {}, code
    try:
        options = yaml.safe_load("\n".join(option_lines)) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{where}: the '#|' cell options are not valid YAML: {exc}") from None
    if not isinstance(options, dict):
        raise RenderError(f"{where}: the '#|' lines must be 'key: value' options")
    label = options.get("label")
    if label is not None and not _LABEL_RE.match(str(label)):
        raise RenderError(
            f"{where}: cell label {label!r} must start with 'fig-' or 'tbl-' and use only "
            "letters, digits and hyphens (no underscores), e.g. '#| label: fig-svarprosent'")
    return options, code


def _tags(cell: Mapping[str, Any]) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []) or [])


def _visible_outputs(outputs: list[dict], where: str) -> list[dict]:
    """Keep what a reader sees, one representation per output."""
    kept = []
    for output in outputs:
        kind = output.get("output_type")
        if kind == "error":
            raise RenderError(
                f"{where}: the cell ended in an error ({output.get('ename')}: "
                f"{output.get('evalue')}); fix the chapter and build again")
        if kind not in {"display_data", "execute_result"}:
            continue  # streams: progress, warnings, debugging prints
        data = output.get("data", {})
        chosen = _choose_data(data)
        if chosen is None:
            continue
        kept.append({"output_type": "display_data", "metadata": _figure_metadata(output, chosen),
                     "data": chosen})
    return kept


def _figure_metadata(output: Mapping[str, Any], chosen: Mapping[str, Any]) -> dict:
    """The output's metadata, with what the figure carries put where pandoc reads it.

    Pandoc's ipynb reader turns the string values under an image's MIME type into
    attributes of the image. ``lnutils.display`` writes caption and alt text there, and
    the figure's numbers under ``metadata["lnutils"]["table"]``
    (``{"columns": [...], "rows": [[...]], "align": [...]}``); the table goes along as
    JSON in the attribute ``lnr-table``, and a caption or alt text given under
    ``lnutils`` is used when the MIME type's own entry has none.
    """
    meta = copy.deepcopy(dict(output.get("metadata", {}) or {}))
    ours = meta.pop("lnutils", None)
    mime = next((m for m in _IMAGE_TYPES if m in chosen), None)
    if mime is None or not isinstance(ours, Mapping):
        return meta
    entry = meta.setdefault(mime, {})
    if not isinstance(entry, dict):
        entry = meta[mime] = {}
    for key in ("caption", "alt"):
        if isinstance(ours.get(key), str) and not entry.get(key):
            entry[key] = ours[key]
    table = ours.get("table")
    if isinstance(table, Mapping) and table.get("columns") and table.get("rows") is not None:
        entry[TABLE_ATTRIBUTE] = json.dumps(
            {"columns": [str(c) for c in table["columns"]],
             "rows": [["" if v is None else str(v) for v in row] for row in table["rows"]],
             "align": [str(a) for a in table.get("align") or []]}, ensure_ascii=False)
    return meta


def _choose_data(data: Mapping[str, Any]) -> dict[str, Any] | None:
    for mime in _IMAGE_TYPES:
        if mime in data:
            return {mime: data[mime]}
    html = data.get("text/html")
    if html is not None and "<table" in _text(html):
        return {"text/html": html}
    if "text/markdown" in data:
        return {"text/markdown": data["text/markdown"]}
    return None  # a plain-text repr is code output, not report content


def output_meta(output: Mapping[str, Any]) -> dict:
    """Caption/alt metadata of an image output (``lnutils.chapters.display.show_figure``).

    Read from the image's MIME type entry, else from ``metadata["lnutils"]``.
    """
    meta = output.get("metadata", {}) or {}
    found: dict = {}
    for mime in _IMAGE_TYPES:
        if isinstance(meta.get(mime), dict):
            found = dict(meta[mime])
            break
    ours = meta.get("lnutils")
    if isinstance(ours, Mapping):
        for key in ("caption", "alt"):
            if isinstance(ours.get(key), str) and not found.get(key):
                found[key] = ours[key]
    return found


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def reading_copy(path: Path, facts: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook at ``path`` as pandoc should read it (see the module docstring).

    Parameters
    ----------
    path : an executed notebook.
    facts : flat facts for placeholders in markdown cells.

    Raises
    ------
    RenderError
        When the notebook cannot be read, has an error output, bad cell options or
        an unknown fact in a markdown cell.
    """
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise RenderError(f"{path}: cannot read the executed notebook: {exc}") from None
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        where = f"{path}, cell {number}"
        if _tags(cell) & HIDDEN_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            source = resolve_text(_text(cell.get("source", "")), facts, where)
            cells.append({**cell, "source": source, "attachments": cell.get("attachments", {})})
        elif cell.get("cell_type") == "code":
            new = _code_cell(cell, where)
            if new is not None:
                cells.append(new)
    # The rest of the notebook (metadata, format) as it is: the copy is only written out.
    return {**nb, "cells": cells}


def _code_cell(cell: Mapping[str, Any], where: str) -> dict[str, Any] | None:
    options, _ = cell_options(_text(cell.get("source", "")), where)
    # Quarto's own ways of hiding a cell's output are honoured by this engine too.
    if options.get("include") is False or options.get("output") is False \
            or _tags(cell) & HIDDEN_OUTPUT_TAGS:
        return None
    outputs = _visible_outputs(cell.get("outputs", []), where)
    if not outputs:
        return None
    metadata = {key: str(options[key]) for key in OPTION_KEYS if options.get(key) is not None}
    images = [o for o in outputs for mime in _IMAGE_TYPES if mime in o["data"]]
    output_alt = all(output_meta(o).get("alt") for o in images)
    if images and "fig-alt" not in metadata and not output_alt:
        log.warning("%s: figure %s has no '#| fig-alt:' text; readers with screen readers "
                    "get nothing", where, metadata.get("label", "(unlabelled)"))
    return {"cell_type": "code", "execution_count": None, "id": cell.get("id", ""),
            "metadata": metadata, "source": "", "outputs": outputs}


def set_figures_aside(nb: dict[str, Any], folder: Path) -> dict[str, Path]:
    """Write each SVG figure of the reading copy ``nb`` to ``folder``; leave a stand-in.

    The file holds the figure's text as UTF-8, the bytes pandoc would extract.

    Returns
    -------
    dict[str, Path]
        The stand-in text that replaced each figure in ``nb`` -> the figure's file.
    """
    aside: dict[str, Path] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = output.get("data", {})
            if SVG not in data:
                continue
            if not aside:
                folder.mkdir(parents=True, exist_ok=True)
            file = folder / f"figur-{len(aside) + 1}.svg"
            file.write_bytes(_text(data[SVG]).encode("utf-8"))
            stand_in = _STAND_IN.format(len(aside) + 1)
            aside[stand_in] = file
            data[SVG] = stand_in
    return aside


def restore_figures(blocks: list, aside: Mapping[str, Path]) -> None:
    """Point every image pandoc extracted from a stand-in at the figure set aside for it."""
    if not aside:
        return
    longest = max(len(stand_in.encode("utf-8")) for stand_in in aside)
    for element in iter_elements(blocks):
        if element["t"] != "Image":
            continue
        target = element["c"][2]
        path = Path(target[0])
        if path.suffix.lower() != ".svg" or not path.is_file() \
                or path.stat().st_size > longest:
            continue
        figure = aside.get(path.read_text(encoding="utf-8"))
        if figure is not None:
            target[0] = str(figure)
