"""The Quarto engine: render the generated book project with the Quarto CLI.

Used when ``quarto`` is on PATH (it cannot be installed on our own machines; see
docs in reports/README.md). The project lists the executed notebooks, which
Quarto renders from their stored outputs without executing them.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lnutils.render.errors import RenderError
from lnutils.render.project import write_project
from lnutils.render.structure import Item

OUTPUT_DIR = "_quarto"


def render_with_quarto(items: list[Item], parts: list[str], meta: Mapping[str, Any],
                       facts: Mapping[str, Any], stage_dir: Path) -> list[Path]:
    """Write the project into ``stage_dir`` and run ``quarto render`` on it.

    Returns
    -------
    list[Path]
        The HTML and DOCX files Quarto wrote under ``stage_dir/_quarto``.

    Raises
    ------
    RenderError
        When Quarto is missing, exits with an error, or writes no HTML/DOCX.
    """
    quarto = shutil.which("quarto")
    if quarto is None:
        raise RenderError("the quarto command is not on PATH; use --engine pandoc")
    write_project(items, parts, meta, facts, stage_dir)
    # A project render makes every format the project lists (HTML and DOCX); a
    # comma list in --to is refused for books (quarto-dev/quarto-cli#5947).
    # --no-execute: the notebooks were executed by papermill, never again here.
    result = subprocess.run([quarto, "render", str(stage_dir), "--no-execute"],
                            cwd=stage_dir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-30:])
        raise RenderError(f"quarto render {stage_dir} failed (exit {result.returncode}):\n{tail}")
    out_dir = stage_dir / OUTPUT_DIR
    outputs = sorted(p for p in out_dir.rglob("*") if p.suffix in {".html", ".docx"})
    if not outputs:
        raise RenderError(f"quarto render succeeded but wrote no HTML or DOCX under {out_dir}")
    return outputs
