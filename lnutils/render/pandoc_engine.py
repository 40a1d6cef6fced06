"""The embedded engine: pandoc (from pypandoc-binary) renders HTML and DOCX.

Pandoc cannot read several notebooks in one run, so each piece of the report is
converted on its own to pandoc's JSON AST (notebooks through ``cells.lua``, with
their images extracted to files), the block lists are merged here in reading
order with part and appendix headings, and the merged document is written once
per format through ``report.lua`` (numbering, cross-references, quotes).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lnutils.render.csp import add_policy
from lnutils.render.docx_rows import rewrite_rows
from lnutils.render.errors import RenderError
from lnutils.render.figure_data import with_figure_tables, without_figure_data
from lnutils.render.images import docx_images
from lnutils.render.notebooks import reading_copy, restore_figures, set_figures_aside
from lnutils.render.pandoc_cli import iter_elements, run_pandoc
from lnutils.render.pdf import creation_time, release_typst_memory, write_pdf
from lnutils.render.placeholders import resolve_text
from lnutils.render.structure import Item

HERE = Path(__file__).resolve().parent
FILTERS = HERE / "filters"
TEMPLATES = HERE / "templates"
TOC_DEPTH = 3
READERS = 4  # pieces read at once (each a pandoc process)
WRITERS = 3  # the HTML, the DOCX and the PDF are written at once
__all__ = ["iter_elements", "run_pandoc", "render_with_pandoc", "read_item", "merge",
           "write_outputs", "check_alt_texts", "labels_in", "references_in"]


def _attr_of(element: dict) -> list | None:
    """The [id, classes, key-values] attribute of a Header, Figure, Table or Div."""
    t, c = element["t"], element.get("c")
    if t == "Header":
        return c[1]
    if t in {"Figure", "Table", "Div"}:
        return c[0]
    return None


def labels_in(blocks: list) -> set[str]:
    """Ids of figures and tables (the targets of @fig-/@tbl- references)."""
    return _labels_and_references(blocks)[0]


def references_in(blocks: list) -> set[str]:
    """fig-/tbl- labels cited in ``blocks``."""
    return _labels_and_references(blocks)[1]


def _labels_and_references(blocks: list) -> tuple[set[str], set[str]]:
    """:func:`labels_in` and :func:`references_in` of ``blocks``, in one walk."""
    labels, refs = set(), set()
    for el in iter_elements(blocks):
        if el["t"] in {"Figure", "Table"}:
            ident = _attr_of(el)[0]
            if ident:
                labels.add(ident)
        elif el["t"] == "Cite":
            for citation in el["c"][0]:
                if citation["citationId"].startswith(("fig-", "tbl-")):
                    refs.add(citation["citationId"])
    return labels, refs


# --- reading the pieces -------------------------------------------------------------

def read_item(item: Item, facts: Mapping[str, Any], work: Path) -> dict:
    """One chapter or narrative as a pandoc JSON document."""
    if item.kind == "chapter":
        copy_path = work / "notebooks" / f"{item.id}.ipynb"
        copy_path.parent.mkdir(parents=True, exist_ok=True)
        notebook = reading_copy(item.source, facts)
        aside = set_figures_aside(notebook, work / "figures" / item.id)
        copy_path.write_text(json.dumps(notebook), encoding="utf-8")
        out = run_pandoc(["-f", "ipynb+citations+smart", "-t", "json",
                          f"--extract-media={work / 'media' / item.id}",
                          f"--lua-filter={FILTERS / 'cells.lua'}", str(copy_path)],
                         f"chapter {item.id!r} ({item.source})")
        doc = json.loads(out)
        restore_figures(doc["blocks"], aside)
        check_alt_texts(doc["blocks"], f"chapter {item.id!r} ({item.source})")
        return doc
    text = resolve_text(item.source.read_text(encoding="utf-8"), facts, item.source)
    doc = json.loads(run_pandoc(["-f", "markdown+smart", "-t", "json"],
                                f"narrative {item.id!r} ({item.source})", stdin=text))
    _absolute_images(doc["blocks"], item.source.parent)
    check_alt_texts(doc["blocks"], f"narrative {item.id!r} ({item.source})")
    return doc


def check_alt_texts(blocks: list, where: str) -> None:
    """Refuse an image without alt text: screen readers would get nothing.

    The PDF is tagged (PDF/UA-1) and every figure needs a text alternative there, as in
    the HTML and the DOCX (WCAG 1.1.1).

    Raises
    ------
    RenderError
        Naming the piece and the figure (its label or caption) that lacks the text.
    """
    missing = []
    elements = [el for el in iter_elements(blocks) if el["t"] in {"Figure", "Image"}]
    figure_images: set[int] = set()
    for el in elements:
        if el["t"] == "Figure":
            images = [i for i in iter_elements(el["c"][2]) if i["t"] == "Image"]
            figure_images.update(id(i) for i in images)
            if any(not _plain(i["c"][1]).strip() for i in images):
                missing.append(el["c"][0][0] or _plain(el["c"][1][1])[:60]
                               or "(unlabelled figure)")
    for el in elements:
        if el["t"] == "Image" and id(el) not in figure_images and not _plain(el["c"][1]).strip():
            missing.append(el["c"][2][0].rsplit("/", 1)[-1][:60] or "(image)")
    if missing:
        raise RenderError(
            f"{where}: figure(s) without alt text: {', '.join(missing)}; give each figure a "
            "text alternative (show_figure(fig, (caption, alt)) or '#| fig-alt: ...'): the "
            "PDF is tagged for screen readers and is refused without it")


def _plain(inlines: Any) -> str:
    """The words of a list of inlines, joined by spaces."""
    return " ".join(el["c"] for el in iter_elements(inlines) if el["t"] == "Str")


def _absolute_images(blocks: list, base: Path) -> None:
    """Image paths in a narrative are relative to its file; make them absolute."""
    for el in iter_elements(blocks):
        if el["t"] == "Image":
            target = el["c"][2]
            src = target[0]
            if src and "://" not in src and not src.startswith("data:"):
                target[0] = str((base / src).resolve())


# --- merging --------------------------------------------------------------------------

def _header(level: int, ident: str, classes: list[str], text: str) -> dict:
    inlines: list[dict] = []
    for i, word in enumerate(text.split()):
        if i:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return {"t": "Header", "c": [level, [ident, classes, []], inlines]}


def _slug(text: str) -> str:
    keep = "".join(ch.lower() if ch.isalnum() else "-" for ch in text)
    return "-".join(part for part in keep.split("-") if part) or "del"


def structure_blocks(blocks: list, item: Item, top: int, extra_class: str | None,
                     first_class: str | None) -> list:
    """Shift an item's headings so its top level is ``top``; add its title if needed.

    The title is added when the item does not open with a heading, or when it has
    several headings at its top level (so that they become its sections).
    ``first_class`` marks the item's first heading (``appendix``); ``extra_class``
    marks all others (``unnumbered``).
    """
    blocks = list(blocks)
    headers = [b for b in blocks if b.get("t") == "Header"]
    if item.title and headers != []:
        top_level = min(h["c"][0] for h in headers)
        opens_with_header = blocks[0].get("t") == "Header"
        several_tops = sum(1 for h in headers if h["c"][0] == top_level) > 1
        if not opens_with_header or several_tops:
            # The title goes one level above the item's own headings.
            if top_level == 1:
                for el in iter_elements(blocks):
                    if el["t"] == "Header":
                        el["c"][0] += 1
                top_level = 2
            blocks.insert(0, _header(top_level - 1, _slug(item.title), [], item.title))
    elif item.title:
        blocks.insert(0, _header(1, _slug(item.title), [], item.title))
    all_headers = [el for el in iter_elements(blocks) if el["t"] == "Header"]
    if not all_headers:
        return blocks
    shift = top - min(h["c"][0] for h in all_headers)
    for index, h in enumerate(all_headers):
        h["c"][0] = min(h["c"][0] + shift, 6)
        classes = h["c"][1][1]
        if index == 0 and first_class:
            classes.append(first_class)
        elif extra_class and extra_class not in classes:
            classes.append(extra_class)
    return blocks


def merge(pieces: list[tuple[Item, dict]], parts: list[str], meta: Mapping[str, Any]) -> dict:
    """One pandoc document from the pieces, with part headings and unique ids.

    Raises
    ------
    RenderError
        When two pieces use the same figure/table label, or a piece refers to a
        label no piece defines.
    """
    has_parts = bool(parts)
    blocks: list = []
    current_part = None
    owner: dict[str, str] = {}
    found = [_labels_and_references(doc["blocks"]) for _, doc in pieces]
    for (item, _), (labels, _) in zip(pieces, found, strict=True):
        for label in sorted(labels):
            if label in owner:
                raise RenderError(f"label {label!r} is used in both {owner[label]} and "
                                  f"{item.source}; labels must be unique in the report")
            owner[label] = str(item.source)
    for (item, doc), (_, references) in zip(pieces, found, strict=True):
        unknown = references - owner.keys()
        if unknown:
            raise RenderError(f"{item.source}: reference(s) to unknown label(s) "
                              f"{', '.join('@' + u for u in sorted(unknown))}; "
                              "label the figure or table cell (#| label: fig-...)")
        if item.appendix:
            top, first, extra = 1, "appendix", "unnumbered"
        elif item.part:
            if item.part != current_part:
                number = parts.index(item.part) + 1
                # The number comes from report.lua; a title written "Del 2: ..." keeps
                # only its words, so the numbering can never disagree with the order.
                title = re.sub(r"^Del\s+\d+\s*[:.]?\s*", "", item.part)
                blocks.append(_header(1, f"del-{number}", ["part"], title))
                current_part = item.part
            top, first, extra = 2, None, None
        elif has_parts:
            top, first, extra = 1, "unnumbered", "unnumbered"  # front or back matter
        else:
            top, first, extra = 1, None, None
        blocks += structure_blocks(doc["blocks"], item, top, extra, first)
    _unique_header_ids(blocks)
    api = pieces[0][1]["pandoc-api-version"] if pieces else [1, 23, 1]
    return {"pandoc-api-version": api, "meta": _meta(meta, has_parts), "blocks": blocks}


def _unique_header_ids(blocks: list) -> None:
    seen: set[str] = set()
    for el in iter_elements(blocks):
        if el["t"] == "Header":
            ident = el["c"][1][0] or "seksjon"
            candidate, n = ident, 1
            while candidate in seen:
                n += 1
                candidate = f"{ident}-{n}"
            el["c"][1][0] = candidate
            seen.add(candidate)


def _meta_value(value: Any) -> dict:
    if isinstance(value, bool):
        return {"t": "MetaBool", "c": value}
    if isinstance(value, list):
        return {"t": "MetaList", "c": [_meta_value(v) for v in value]}
    words = str(value).split()
    inlines: list[dict] = []
    for i, word in enumerate(words):
        if i:
            inlines.append({"t": "Space"})
        inlines.append({"t": "Str", "c": word})
    return {"t": "MetaInlines", "c": inlines}


def _meta(meta: Mapping[str, Any], has_parts: bool) -> dict:
    fields = {
        "title": meta["title"],
        "pagetitle": meta["title"],
        "subtitle": meta["subtitle"],
        "organisation": meta["organisation"],
        "author": meta["authors"],
        "date": meta["date"],
        "lang": meta["lang"],
        "toc-title": "Innhold",
        "lnr-has-parts": has_parts,
        "lnr-figure-list": True,
    }
    return {key: _meta_value(value) for key, value in fields.items() if value not in ("", [])}


# --- writing --------------------------------------------------------------------------

def write_outputs(doc: dict, stage_dir: Path, work: Path,
                  meta: Mapping[str, Any] | None = None) -> list[Path]:
    """Write ``report.html`` (self-contained), ``report.docx`` and ``report.pdf``.

    The three are written at the same time, each from its own copy of the document:
    their pandoc runs and Typst compiles are other processes or release the GIL, so a
    report renders on every core there is (:data:`WRITERS`).
    """
    # The figures' numbers are for the HTML reader (lnutils.render.figure_data).
    paged = without_figure_data(doc)
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="lnreport-write") as pool:
        futures = [pool.submit(_write_html, doc, stage_dir, work),
                   pool.submit(_write_docx, paged, stage_dir, work, meta or {}),
                   pool.submit(write_pdf, paged, stage_dir, work, meta or {},
                               [FILTERS / "report.lua"], TOC_DEPTH)]
        outputs = [future.result() for future in futures]
    release_typst_memory()
    return outputs


def _common_args(work: Path) -> list[str]:
    return ["-f", "json", f"--toc-depth={TOC_DEPTH}",
            f"--lua-filter={FILTERS / 'report.lua'}", f"--resource-path={work}"]


def _write_html(doc: dict, stage_dir: Path, work: Path) -> Path:
    merged = work / "report.json"
    merged.write_text(json.dumps(with_figure_tables(doc)), encoding="utf-8")
    html = Path(stage_dir) / "report.html"
    run_pandoc([*_common_args(work), "--toc", str(merged), "-t", "html5", "--standalone",
                "--embed-resources", f"--template={TEMPLATES / 'report.html'}",
                f"--css={TEMPLATES / 'report.css'}", "-o", str(html)], "writing report.html")
    add_policy(html)
    return html


def _write_docx(paged: dict, stage_dir: Path, work: Path, meta: Mapping[str, Any]) -> Path:
    docx = Path(stage_dir) / "report.docx"
    docx_doc = docx_images(paged, work / "docx-media")
    # Word's title page has no organisation field: it goes under the authors.
    organisation = docx_doc["meta"].pop("organisation", None)
    if organisation:
        authors = docx_doc["meta"].setdefault("author", {"t": "MetaList", "c": []})
        authors["c"].append(organisation)
    docx_json = work / "report-docx.json"
    docx_json.write_text(json.dumps(docx_doc), encoding="utf-8")
    # The contents is written as text by report.lua, not as pandoc's empty field.
    args = [*_common_args(work), str(docx_json), "-t", "docx", "-o", str(docx)]
    reference = TEMPLATES / "reference.docx"
    if reference.is_file():
        args.append(f"--reference-doc={reference}")
    # dated like the PDF (the report's date), so the same report gives the same DOCX
    run_pandoc(args, "writing report.docx", timestamp=creation_time(meta))
    rewrite_rows(docx)
    return docx


def render_with_pandoc(items: list[Item], parts: list[str], meta: Mapping[str, Any],
                       facts: Mapping[str, Any], stage_dir: Path, work: Path) -> list[Path]:
    """Render the items into ``stage_dir/report.html`` and ``report.docx``."""
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="lnreport-read") as pool:
        docs = list(pool.map(lambda item: read_item(item, facts, work), items))
    pieces = list(zip(items, docs, strict=True))
    return write_outputs(merge(pieces, parts, meta), stage_dir, work, meta)
