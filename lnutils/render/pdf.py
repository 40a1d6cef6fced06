"""The PDF: the merged report written as Typst by pandoc, compiled by the ``typst`` wheel.

Pandoc's Typst writer turns the same merged document the HTML and DOCX come from into
``report.typ``; the template ``templates/report.typst`` hands the title page to our own
layout ``templates/lnreport.typ`` (A4, cover, contents with page numbers, running header,
page numbers). The ``typst`` wheel bundles the compiler, so no TeX and nothing to
install; fonts come from the compiler and from matplotlib, never from the machine, so
the PDF looks the same everywhere.

The PDF is tagged to PDF/UA-1: it needs a title, the language and an alt text on every
figure, and Typst refuses the document otherwise.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lnutils.render.errors import RenderError
from lnutils.render.pandoc_cli import iter_elements, run_pandoc

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "templates" / "report.typst"
LAYOUT = HERE / "templates" / "lnreport.typ"
PDF_STANDARD = "ua-1"
_ESCAPED = re.compile(r"\\(.)")


def font_paths() -> list[str]:
    """Folders of the fonts the layout uses besides the compiler's own.

    DejaVu Sans ships with matplotlib, which draws the figures in it: captions, tables
    and figures then share one typeface. The folder is found without importing
    matplotlib (a fifth of a second), which a render has no other use for.
    """
    spec = importlib.util.find_spec("matplotlib")
    if "matplotlib" not in sys.modules and spec is not None and spec.submodule_search_locations:
        fonts = Path(spec.submodule_search_locations[0]) / "mpl-data" / "fonts" / "ttf"
        if fonts.is_dir():
            return [str(fonts)]
    import matplotlib

    return [str(Path(matplotlib.get_data_path()) / "fonts" / "ttf")]


@functools.lru_cache(maxsize=1)
def typst_fonts():
    """The fonts of every compile: the compiler's own and :func:`font_paths`, no system fonts.

    Read once per process and shared by every compile (the PDF, the figures for Word):
    reading them is most of the time of a small compile.
    """
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True,
                       font_paths=font_paths())


# Typst keeps what a compile worked out (the figures drawn as pixels among it) until
# this many later compiles have not used it.
TYPST_CACHE_COMPILES = 10


def release_typst_memory() -> None:
    """Let Typst forget what the compiles of the report just written worked out.

    A report takes two compiles (its figures for Word, its PDF), so without this the
    figures of the last five reports stay in memory, drawn at 200 ppi: some 60 MB a
    report. Empty compiles age them out, in milliseconds.
    """
    import typst

    for _ in range(TYPST_CACHE_COMPILES):
        typst.compile(b"", format="svg", font_paths=typst_fonts())


def _media_name(index: int, src: Path) -> str:
    # Plain names: the Typst source is scanned for personal data, and the long hex
    # names pandoc gives extracted images hold digit runs that look like phone numbers.
    return f"figur-{index}{src.suffix.lower()}"


def gather_images(doc: dict, folder: Path) -> dict:
    """A copy of ``doc`` whose images are files in ``folder/media`` (paths relative to it).

    Typst reads only files under its root folder, so every image is copied there.

    Raises
    ------
    RenderError
        When an image is not a file on disk (a web address, say): the PDF must not
        depend on anything outside the build.
    """
    copy = json.loads(json.dumps(doc))
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    seen: dict[str, str] = {}
    for element in iter_elements(copy["blocks"]):
        if element["t"] != "Image":
            continue
        target = element["c"][2]
        src = target[0]
        if src not in seen:
            path = Path(src)
            if "://" in src or src.startswith("data:") or not path.is_file():
                raise RenderError(f"image {src[:120]!r}: not a file of the build; the PDF "
                                  "can only show images the build made or the report folder "
                                  "holds")
            name = _media_name(len(seen) + 1, path)
            shutil.copyfile(path, media / name)
            seen[src] = f"media/{name}"
        target[0] = seen[src]
    return copy


def creation_time(meta: Mapping[str, Any]) -> dt.datetime | None:
    """The report's date at noon UTC, so the same report gives the same PDF."""
    try:
        day = dt.date.fromisoformat(str(meta.get("date_iso") or "")[:10])
    except ValueError:
        return None
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def write_pdf(doc: dict, stage_dir: Path, work: Path, meta: Mapping[str, Any],
              lua_filters: list[Path], toc_depth: int = 3) -> Path:
    """Write ``stage_dir/report.pdf`` from the merged document.

    Parameters
    ----------
    doc : the merged pandoc JSON document.
    stage_dir : where ``report.pdf`` goes.
    work : a scratch folder; ``work/pdf/report.typ`` stays there for the privacy scan.
    meta : the report's title-page fields (``date_iso`` dates the PDF).
    lua_filters : the filters to apply before Typst's own (``report.lua``).
    toc_depth : heading levels listed in the contents.

    Raises
    ------
    RenderError
        When pandoc or Typst fails; Typst's message says what and where.
    """
    folder = Path(work) / "pdf"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "report.json"
    source.write_text(json.dumps(gather_images(doc, folder)), encoding="utf-8")
    shutil.copyfile(LAYOUT, folder / LAYOUT.name)
    typ = folder / "report.typ"
    filters = [*lua_filters, HERE / "filters" / "typst.lua"]
    run_pandoc(["-f", "json", "-t", "typst", f"--template={TEMPLATE}",
                f"--variable=toc-depth:{toc_depth}",
                *[f"--lua-filter={f}" for f in filters], str(source), "-o", str(typ)],
               "writing report.typ (for report.pdf)")
    pdf = Path(stage_dir) / "report.pdf"
    compile_typst(typ, pdf, creation_time(meta))
    return pdf


def compile_typst(typ: Path, pdf: Path, timestamp: dt.datetime | None = None) -> None:
    """Compile ``typ`` to a tagged PDF/UA-1 ``pdf``; a failure is a RenderError."""
    try:
        import typst
    except ImportError:
        raise RenderError("the typst package is not installed; run `pip install -e .`") \
            from None
    options: dict[str, Any] = {}
    if timestamp is not None:
        options["timestamp"] = timestamp
    try:
        typst.compile(str(typ), output=str(pdf), root=str(typ.parent),
                      font_paths=typst_fonts(), pdf_standards=[PDF_STANDARD], **options)
    except typst.TypstError as exc:
        hints = "".join(f"\n  hint: {h}" for h in getattr(exc, "hints", []) or [])
        raise RenderError(f"writing report.pdf: Typst failed: {exc.message}{hints}\n"
                          f"{getattr(exc, 'diagnostic', '')}".rstrip()) from None


def typst_text(typ: Path) -> str:
    """The readable text of a Typst source written by pandoc: escapes undone.

    Used for the personal-data scan of the PDF: pandoc escapes ``@``, ``#``, ``$`` and
    the like with a backslash, which would hide an e-mail address from the scan, and
    writes a non-breaking space as ``~``.
    """
    text = Path(typ).read_text(encoding="utf-8")
    return _ESCAPED.sub(r"\1", text).replace("~", " ")
