"""Reading a rendered report.pdf as a checker would: pages, text, tags, figures.

Shared by the PDF tests of the miniature report and of the example build. Uses pypdf
(a dev dependency) and, for screenshots, poppler's ``pdftoppm`` when installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

A4_POINTS = (595.28, 841.89)


@dataclass
class Element:
    """One element of the PDF's structure tree, with the pages its content is on."""

    role: str
    alt: str | None
    pages: set[int] = field(default_factory=set)
    children: list[Element] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def structure(reader) -> Element:
    """The tagged structure of the PDF (``/StructTreeRoot``) as :class:`Element` s."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    page_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}

    def convert(node, page):
        if isinstance(node, IndirectObject):
            node = node.get_object()
        if not isinstance(node, DictionaryObject):
            return None, ({page} if page is not None else set())  # an MCID on ``page``
        if "/Pg" in node:
            page = page_of.get(node.raw_get("/Pg").idnum, page)
        if node.get("/Type") == "/MCR" or "/S" not in node:
            return None, ({page} if page is not None else set())
        alt = node.get("/Alt")
        element = Element(str(node["/S"]), None if alt is None else str(alt))
        kids = node.get("/K", [])
        if not isinstance(kids, (list, ArrayObject)):
            kids = [kids]
        for kid in kids:
            child, pages = convert(kid, page)
            if child is not None:
                element.children.append(child)
                element.pages |= child.pages
            element.pages |= pages
        return element, set()

    root = reader.trailer["/Root"]["/StructTreeRoot"]
    top = Element("StructTreeRoot", None)
    kids = root["/K"]
    for kid in kids if isinstance(kids, (list, ArrayObject)) else [kids]:
        child, _ = convert(kid, None)
        if child is not None:
            top.children.append(child)
            top.pages |= child.pages
    return top


@dataclass
class PdfReport:
    """What the tests read from one report.pdf."""

    path: Path
    page_sizes: list[tuple[float, float]]
    texts: list[str]
    title: str
    lang: str | None
    marked: bool
    tree: Element

    @property
    def figures(self) -> list[Element]:
        return [e for e in self.tree.walk() if e.role == "/Figure"]

    def figure_groups(self) -> list[Element]:
        """The element holding each figure and its caption (Typst's figure group)."""
        groups = []
        for element in self.tree.walk():
            has_caption = any(c.role == "/Caption" for c in element.children)
            figures = [e for e in element.walk() if e.role == "/Figure"]
            if has_caption and len(figures) == 1 and element.role != "/Table":
                groups.append(element)
        return groups


def read_pdf(path: Path) -> PdfReport:
    """Open ``path`` with pypdf and gather what the checks need."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    mark_info = root.get("/MarkInfo") or {}
    return PdfReport(
        path=Path(path),
        page_sizes=[(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages],
        texts=[p.extract_text() or "" for p in reader.pages],
        title=str((reader.metadata or {}).get("/Title", "")),
        lang=None if root.get("/Lang") is None else str(root["/Lang"]),
        marked=bool(mark_info.get("/Marked")),
        tree=structure(reader) if "/StructTreeRoot" in root else Element("none", None),
    )


def is_a4(size: tuple[float, float]) -> bool:
    return abs(size[0] - A4_POINTS[0]) < 1 and abs(size[1] - A4_POINTS[1]) < 1


def printed_page_numbers(report: PdfReport) -> list[int | None]:
    """The page number printed at the foot of each page (None where there is none)."""
    numbers = []
    for text in report.texts:
        lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
        match = re.search(r"(\d+)$", lines[-1]) if lines else None
        numbers.append(int(match.group(1)) if match else None)
    return numbers


def contents_entries(report: PdfReport) -> dict[str, int]:
    """Contents entries ("Sammendrag" -> 2) from the contents page(s)."""
    entries = {}
    for text in report.texts[1:4]:
        for line in text.splitlines():
            match = re.match(r"^(.*?\S)\s*(?:\.\s*){3,}\s*(\d+)$", line.strip())
            if match:
                entries[match.group(1)] = int(match.group(2))
    return entries


def screenshot_first_pages(pdf: Path, stem: str, pages: int = 2,
                           resolution: int = 70) -> list[Path]:
    """PNGs of the first ``pages`` pages next to ``pdf`` (``<stem>-1.png``, ...)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    prefix = pdf.with_name(stem)
    subprocess.run([tool, "-png", "-r", str(resolution), "-f", "1", "-l", str(pages),
                    str(pdf), str(prefix)], check=True, capture_output=True)
    return sorted(pdf.parent.glob(f"{stem}-*.png"))


def docx_to_pdf(docx: Path) -> Path | None:
    """``docx`` converted by LibreOffice (headless) to a PDF beside it, when installed."""
    tool = shutil.which("libreoffice") or shutil.which("soffice")
    if tool is None:
        return None
    out = docx.parent / "docx-as-pdf"
    out.mkdir(exist_ok=True)
    subprocess.run([tool, "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    str(docx)], check=True, capture_output=True, timeout=180)
    converted = out / (docx.stem + ".pdf")
    return converted if converted.is_file() else None
