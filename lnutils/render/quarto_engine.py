"""The Quarto engine: render the generated book project through the ``quarto`` package.

Used when the Quarto CLI is on PATH (it cannot be installed on our own machines; see
reports/README.md). The ``quarto`` Python package runs the CLI; the project lists the
executed notebooks, which Quarto renders from their stored outputs without executing
them, into the same three formats as the pandoc engine: HTML, DOCX and PDF (Typst).

The package does not report the CLI's exit status, so success is judged by what was
written: each of the three formats must have produced a file during this render.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lnutils.render.errors import RenderError
from lnutils.render.project import write_project
from lnutils.render.structure import Item

OUTPUT_DIR = "_quarto"
FORMATS = {".html": "HTML", ".docx": "DOCX", ".pdf": "PDF"}
REFERENCE_DOCX = Path(__file__).resolve().parent / "templates" / "reference.docx"


def render_with_quarto(items: list[Item], parts: list[str], meta: Mapping[str, Any],
                       facts: Mapping[str, Any], stage_dir: Path) -> list[Path]:
    """Write the project into ``stage_dir`` and have Quarto render it.

    Returns
    -------
    list[Path]
        The HTML, DOCX and PDF files Quarto wrote under ``stage_dir/_quarto``.

    Raises
    ------
    RenderError
        When the CLI or the ``quarto`` package is missing, or a format wrote nothing.
    """
    if shutil.which("quarto") is None:
        raise RenderError("the quarto command is not on PATH; use --engine pandoc")
    try:
        import quarto
    except ImportError:
        raise RenderError("the quarto Python package is not installed; run "
                          "`pip install -e .` or use --engine pandoc") from None
    stage_dir = Path(stage_dir)
    write_project(items, parts, meta, facts, stage_dir)
    shutil.copyfile(REFERENCE_DOCX, stage_dir / REFERENCE_DOCX.name)
    started = time.time()
    # A project render makes every format the project lists; execute=False passes
    # --no-execute: papermill executed the notebooks, Quarto never runs them again.
    quarto.render(str(stage_dir), execute=False, quiet=True)
    return quarto_outputs(stage_dir, started)


def quarto_outputs(stage_dir: Path, since: float = 0.0) -> list[Path]:
    """The files of each format Quarto wrote under ``stage_dir/_quarto`` after ``since``.

    Raises
    ------
    RenderError
        Naming the formats that produced nothing.
    """
    out_dir = Path(stage_dir) / OUTPUT_DIR
    found = sorted(p for p in out_dir.rglob("*") if p.suffix in FORMATS and p.is_file()
                   and p.stat().st_mtime >= since - 1) if out_dir.is_dir() else []
    missing = [name for suffix, name in FORMATS.items()
               if not any(p.suffix == suffix for p in found)]
    if missing:
        raise RenderError(f"quarto render {stage_dir} wrote no {', '.join(missing)} under "
                          f"{out_dir}; Quarto's own messages are printed above. Run "
                          f"`quarto render {stage_dir} --no-execute` to see them again, "
                          "or build with --engine pandoc")
    return found


def typst_sources(stage_dir: Path, outputs: list[Path]) -> dict[Path, Path]:
    """Each PDF Quarto wrote -> the Typst source it kept (``keep-typ``), when found."""
    sources = {}
    for pdf in (p for p in outputs if p.suffix == ".pdf"):
        candidates = sorted(Path(stage_dir).rglob(pdf.stem + ".typ"))
        if candidates:
            sources[pdf] = candidates[0]
    return sources
