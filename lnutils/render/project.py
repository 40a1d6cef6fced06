"""The Quarto project of one build: ``_quarto.yml`` and its files in the stage folder.

Starts from the committed template ``reports/_quarto.yml`` (formats, language)
and fills in the title page and the book's structure from the pipeline. Every
file the project lists is written by this module or is an executed notebook, so
the project is valid by construction; :func:`listed_files` lets a test check it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from lnutils import paths
from lnutils.render.errors import RenderError
from lnutils.render.notebooks import HIDDEN_TAGS, cell_options, output_meta
from lnutils.render.placeholders import resolve_text
from lnutils.render.structure import Item

SOURCES = "_sources"  # folder in the stage dir for the project's resolved files


def load_template(path: Path | None = None) -> dict[str, Any]:
    """The committed project template (``reports/_quarto.yml``)."""
    path = path or paths.reports_dir() / "_quarto.yml"
    if not path.is_file():
        raise RenderError(f"{path}: the Quarto project template is missing; "
                          "restore it from the repository")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RenderError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RenderError(f"{path}: the template must be a YAML mapping")
    return data


def _resolved_notebook(item: Item, facts: Mapping[str, Any]) -> dict:
    """The executed notebook with placeholders resolved and its title cell if needed."""
    nb = json.loads(item.source.read_text(encoding="utf-8"))
    cells = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if set(cell.get("metadata", {}).get("tags", []) or []) & HIDDEN_TAGS:
            continue  # Quarto would hide their code, but not their printed output
        if cell.get("cell_type") == "markdown":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = resolve_text(source, facts, f"{item.source}, cell {number}")
        if cell.get("cell_type") == "code":
            cell["outputs"] = [o for o in cell.get("outputs", [])
                               if o.get("output_type") != "stream"]
            cell["source"] = _with_output_texts(cell, f"{item.source}, cell {number}")
        cells.append(cell)
    nb["cells"] = cells
    if item.title:
        _add_title_cell(nb, item)
    return nb


def _with_output_texts(cell: dict, where: str) -> str:
    """The cell's source with ``#| fig-cap``/``fig-alt`` from its output metadata.

    Quarto reads captions only from cell options; ``show_figure`` puts them in the
    output. Options written in the cell are kept and win.
    """
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    options, code = cell_options(source, where)
    texts = {}
    for output in cell.get("outputs", []):
        meta = output_meta(output)
        for key, name in (("fig-cap", "caption"), ("fig-alt", "alt")):
            if meta.get(name) and key not in texts:
                texts[key] = meta[name]
    added = [f"#| {key}: {json.dumps(value, ensure_ascii=False)}"
             for key, value in texts.items() if value and key not in options]
    if not added:
        return source
    lines = source.split("\n")
    n_options = len(lines) - len(code.split("\n"))
    return "\n".join(lines[:n_options] + added + lines[n_options:])


def _add_title_cell(nb: dict, item: Item) -> None:
    """Give the chapter its title, as the pandoc engine does.

    Quarto takes a chapter's first level-1 heading as its title: the title is added
    when the notebook does not open with one, or has several (which then become
    its sections, one level down).
    """
    markdown = [c for c in nb.get("cells", []) if c.get("cell_type") == "markdown"]
    tops = [line for c in markdown for line in str(c["source"]).split("\n")
            if line.startswith("# ")]
    opens_with_title = bool(markdown) and str(markdown[0]["source"]).lstrip().startswith("# ")
    if opens_with_title and len(tops) == 1:
        return
    if len(tops) > 1:
        for cell in markdown:
            cell["source"] = "\n".join("#" + line if line.startswith("#") else line
                                       for line in str(cell["source"]).split("\n"))
    title_cell = {"cell_type": "markdown", "id": f"{item.id}-title", "metadata": {},
                  "source": f"# {item.title}"}
    nb["cells"] = [title_cell, *nb.get("cells", [])]


def _resolved_narrative(item: Item, facts: Mapping[str, Any], unnumbered: bool) -> str:
    text = resolve_text(item.source.read_text(encoding="utf-8"), facts, item.source)
    if item.title and not text.lstrip().startswith("# "):
        text = f"# {item.title}\n\n{text}"
    if unnumbered:
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if line.startswith("# ") and "{" not in line:
                lines[i] = line + " {.unnumbered}"
                break
        text = "\n".join(lines)
    return text


def write_project(items: list[Item], parts: list[str], meta: Mapping[str, Any],
                  facts: Mapping[str, Any], stage_dir: Path,
                  template: Path | None = None) -> Path:
    """Write ``stage_dir/_quarto.yml`` and the files it lists; return its path."""
    stage_dir = Path(stage_dir)
    config = load_template(template)
    sources = stage_dir / SOURCES
    sources.mkdir(parents=True, exist_ok=True)
    has_parts = bool(parts)
    (stage_dir / "index.md").write_text(_index_text(meta), encoding="utf-8")
    chapters: list[Any] = ["index.md"]
    appendices: list[str] = []
    current_part = None
    for item in items:
        if item.part and item.part != current_part and _is_part_intro(item):
            # A heading-less text opening a part is the part's own page in Quarto.
            text = f"# {item.part}\n\n" + _resolved_narrative(item, facts, False)
            path = sources / f"{item.id}.md"
            path.write_text(text, encoding="utf-8")
            chapters.append({"part": f"{SOURCES}/{path.name}", "chapters": []})
            current_part = item.part
            continue
        rel = _write_source(item, facts, sources, has_parts and not item.part)
        if item.appendix:
            appendices.append(rel)
        elif item.part:
            if item.part != current_part:
                chapters.append({"part": item.part, "chapters": []})
                current_part = item.part
            chapters[-1]["chapters"].append(rel)
        else:
            chapters.append(rel)
            current_part = None
    book = dict(config.get("book") or {})
    book.update({"title": meta["title"], "chapters": chapters})
    # Quarto formats an ISO date itself, in the document's language.
    for key, value in (("subtitle", meta["subtitle"]), ("author", meta["authors"]),
                       ("date", meta.get("date_iso") or meta["date"])):
        if value:
            book[key] = value
    if appendices:
        book["appendices"] = appendices
    config["book"] = book
    config["lang"] = meta["lang"]
    out = stage_dir / "_quarto.yml"
    out.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def _is_part_intro(item: Item) -> bool:
    if item.kind != "narrative" or item.title or item.appendix:
        return False
    text = item.source.read_text(encoding="utf-8")
    return not any(line.startswith("#") for line in text.split("\n"))


def _write_source(item: Item, facts: Mapping[str, Any], sources: Path, unnumbered: bool) -> str:
    if item.kind == "chapter":
        path = sources / f"{item.id}.ipynb"
        path.write_text(json.dumps(_resolved_notebook(item, facts)), encoding="utf-8")
    else:
        path = sources / f"{item.id}.md"
        path.write_text(_resolved_narrative(item, facts, unnumbered), encoding="utf-8")
    return f"{SOURCES}/{path.name}"


def _index_text(meta: Mapping[str, Any]) -> str:
    lines = ["# Om rapporten {.unnumbered}", ""]
    if meta["organisation"]:
        lines.append(f"Utgitt av {meta['organisation']}.")
    if meta["date"]:
        lines.append(f"Datert {meta['date']}.")
    return "\n".join(lines) + "\n"


def listed_files(quarto_yml: Path) -> list[Path]:
    """Every file a generated ``_quarto.yml`` lists in its book (chapters and appendices)."""
    config = yaml.safe_load(Path(quarto_yml).read_text(encoding="utf-8"))
    book = config.get("book", {})
    found: list[str] = []

    def collect(entries):
        for entry in entries or []:
            if isinstance(entry, dict):
                if str(entry.get("part", "")).endswith((".md", ".qmd")):
                    found.append(entry["part"])
                collect(entry.get("chapters"))
            else:
                found.append(entry)

    collect(book.get("chapters"))
    collect(book.get("appendices"))
    return [Path(quarto_yml).parent / rel for rel in found]
