"""Figures for Word: SVG drawn to PNG, every image at the text width with its alt text.

Pandoc puts an SVG into a DOCX only with a PNG beside it for Word, which it makes with
``rsvg-convert``, a program we do not ship. The Typst compiler in the ``typst`` wheel
reads SVG, so it draws the PNG here (at 200 pixels per inch of the printed size).

All the figures of a report are drawn by one compile, one page each: the compiler
then reads its fonts and starts once per report, not once per figure, and each page
comes out as the same PNG a compile of that figure alone gives.
"""

from __future__ import annotations

import json
from pathlib import Path

from lnutils.render.errors import RenderError
from lnutils.render.pandoc_cli import iter_elements

PPI = 200  # 16 cm at 200 ppi: 1260 pixels, sharp on paper and on screen
TEXT_WIDTH = "16cm"  # the text column: A4 less 2,5 cm margins (reference_docx.py)
_PAGE = "#set page(width: auto, height: auto, margin: 0pt, fill: white)\n"


def svg_to_png(svg: Path, png: Path, ppi: int = PPI) -> Path:
    """Draw ``svg`` as ``png`` at its own size and ``ppi`` pixels per inch."""
    svgs_to_png([(Path(svg), Path(png))], ppi)
    return Path(png)


def svgs_to_png(pairs: list[tuple[Path, Path]], ppi: int = PPI) -> None:
    """Draw each ``(svg, png)`` pair: the SVG as a PNG at its own size, ``ppi`` per inch.

    The SVG files must share one folder (the compiler reads files under one root).

    Raises
    ------
    RenderError
        Naming the figure the compiler could not draw, and why.
    """
    if not pairs:
        return
    folders = {svg.parent for svg, _ in pairs}
    if len(folders) != 1:
        raise ValueError("svgs_to_png: the SVG files must be in one folder")
    pages = _draw_pages([svg.name for svg, _ in pairs], folders.pop(), ppi)
    for (_, png), data in zip(pairs, pages, strict=True):
        Path(png).write_bytes(data)


def _draw_pages(names: list[str], root: Path, ppi: int) -> list[bytes]:
    """The PNG bytes of each SVG file named in ``names`` (in ``root``), in order."""
    import typst

    from lnutils.render.pdf import typst_fonts

    source = _PAGE + "#pagebreak()\n".join(f"#image({json.dumps(n)})\n" for n in names)
    try:
        pages = typst.compile(source.encode(), root=str(root), format="png", ppi=ppi,
                              font_paths=typst_fonts())
    except typst.TypstError as exc:
        if len(names) > 1:  # find the figure at fault, to name it
            for name in names:
                _draw_pages([name], root, ppi)
        raise RenderError(f"{', '.join(names)}: cannot draw the SVG figure as PNG for the "
                          f"DOCX: {exc.message}") from None
    pages = [pages] if isinstance(pages, bytes) else list(pages)
    if len(pages) != len(names):
        raise RenderError(f"{', '.join(names)}: drawing the SVG figures for the DOCX gave "
                          f"{len(pages)} pages for {len(names)} figures")
    return pages


def docx_images(doc: dict, folder: Path) -> dict:
    """A copy of ``doc`` for the DOCX: SVG images as PNG, every image at the text width.

    Images under ``folder``'s parent (the render's scratch folder, which must be on
    pandoc's resource path) are named relative to it (``docx-media/figur-1.png``): pandoc
    writes an image's path into the DOCX, and a temporary folder's name would make every
    build's DOCX differ.
    """
    copy = json.loads(json.dumps(doc))
    folder.mkdir(parents=True, exist_ok=True)
    images = [el for el in iter_elements(copy["blocks"]) if el["t"] == "Image"]
    drawn: dict[str, Path] = {}  # SVG file -> its copy in folder, in order of first use
    for element in images:
        src = element["c"][2][0]
        if src not in drawn and src.lower().endswith(".svg") and Path(src).is_file():
            drawn[src] = folder / f"figur-{len(drawn) + 1}.svg"
            drawn[src].write_bytes(Path(src).read_bytes())
    svgs_to_png([(local, local.with_suffix(".png")) for local in drawn.values()])
    for element in images:
        attr, _, target = element["c"]
        if target[0] in drawn:
            target[0] = str(drawn[target[0]].with_suffix(".png"))
        target[0] = _relative_to(target[0], folder.parent)
        attr[2] = [kv for kv in attr[2] if kv[0] not in {"width", "height"}]
        attr[2].append(["width", TEXT_WIDTH])
    return copy


def _relative_to(src: str, base: Path) -> str:
    """``src`` relative to ``base`` when it lies under it, else as it is."""
    try:
        return Path(src).relative_to(base).as_posix()
    except ValueError:
        return src
