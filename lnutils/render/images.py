"""Figures for Word: SVG drawn to PNG, every image at the text width with its alt text.

Pandoc puts an SVG into a DOCX only with a PNG beside it for Word, which it makes with
``rsvg-convert``, a program we do not ship. The Typst compiler in the ``typst`` wheel
reads SVG, so it draws the PNG here (at 200 pixels per inch of the printed size).
"""

from __future__ import annotations

import json
from pathlib import Path

from lnutils.render.errors import RenderError
from lnutils.render.pandoc_cli import iter_elements

PPI = 200  # 16 cm at 200 ppi: 1260 pixels, sharp on paper and on screen
TEXT_WIDTH = "16cm"  # the text column: A4 less 2,5 cm margins (reference_docx.py)


def svg_to_png(svg: Path, png: Path, ppi: int = PPI) -> Path:
    """Draw ``svg`` as ``png`` at its own size and ``ppi`` pixels per inch."""
    import typst

    from lnutils.render.pdf import font_paths

    page = (f'#set page(width: auto, height: auto, margin: 0pt, fill: white)\n'
            f'#image({json.dumps(svg.name)})\n').encode()
    source = svg.with_name(svg.stem + "-page.typ")
    source.write_bytes(page)
    try:
        typst.compile(str(source), output=str(png), root=str(svg.parent), format="png",
                      ppi=ppi, font_paths=font_paths(), ignore_system_fonts=True)
    except typst.TypstError as exc:
        raise RenderError(f"{svg.name}: cannot draw the SVG figure as PNG for the DOCX: "
                          f"{exc.message}") from None
    return png


def docx_images(doc: dict, folder: Path) -> dict:
    """A copy of ``doc`` for the DOCX: SVG images as PNG, every image at the text width."""
    copy = json.loads(json.dumps(doc))
    folder.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, str] = {}
    for element in iter_elements(copy["blocks"]):
        if element["t"] != "Image":
            continue
        attr, _, target = element["c"]
        src = target[0]
        if src.lower().endswith(".svg") and Path(src).is_file():
            if src not in drawn:
                local = folder / f"figur-{len(drawn) + 1}.svg"
                local.write_bytes(Path(src).read_bytes())
                drawn[src] = str(svg_to_png(local, local.with_suffix(".png")))
            target[0] = drawn[src]
        attr[2] = [kv for kv in attr[2] if kv[0] not in {"width", "height"}]
        attr[2].append(["width", TEXT_WIDTH])
    return copy
