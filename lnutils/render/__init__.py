"""Rendering: executed chapters and narratives -> the report (HTML and DOCX).

The build engine executes the chapters into a staging folder and then calls
:func:`render_report`. Two engines:

- ``pandoc`` (the default): pandoc from the pypandoc-binary wheel, with Lua
  filters; writes one self-contained ``report.html``, ``report.docx`` and
  ``report.pdf`` (pandoc's Typst writer, compiled by the ``typst`` wheel);
- ``quarto``: when the Quarto CLI is on PATH, a Quarto book project is written
  into the staging folder and rendered through the ``quarto`` package into the same
  three formats (notebooks are never re-executed).

``engine="auto"`` picks Quarto when it is installed, else pandoc. Whatever the
engine, every output and every executed notebook is scanned for personal data
before the function returns; a finding fails the render.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
from pathlib import Path

from lnutils.render.errors import RenderError
from lnutils.render.structure import load_facts, part_order, report_items, report_meta

__all__ = ["RenderError", "render_report", "choose_engine", "check_personal_data"]

log = logging.getLogger(__name__)
ENGINES = ("auto", "pandoc", "quarto")


def choose_engine(engine: str = "auto") -> str:
    """The engine to use: ``quarto`` when asked for (or auto and installed), else ``pandoc``."""
    if engine not in ENGINES:
        raise RenderError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}")
    if engine == "quarto" and shutil.which("quarto") is None:
        raise RenderError("engine 'quarto' asked for, but the quarto command is not on PATH; "
                          "install Quarto (https://quarto.org) or use --engine pandoc")
    if engine == "auto":
        return "quarto" if shutil.which("quarto") else "pandoc"
    return engine


def render_report(pipeline, stage_dir, *, engine: str = "auto",
                  region: str | None = None) -> list[Path]:
    """Render the executed chapters in ``stage_dir`` into the report.

    Parameters
    ----------
    pipeline : a loaded :class:`lnutils.pipeline.Pipeline`.
    stage_dir : the staging folder: ``notebooks/<chapter id>.ipynb`` (executed)
        and ``facts.json`` (flat facts).
    engine : ``"auto"``, ``"pandoc"`` or ``"quarto"``.
    region : render a per-region sub-report: its subtitle names the region and only
        the fan-out chapters are included.

    Returns
    -------
    list[Path]
        The files written: ``report.html``, ``report.docx`` and ``report.pdf`` for
        pandoc, Quarto's HTML, DOCX and PDF files for quarto.

    Raises
    ------
    RenderError
        Naming the file and what failed: a missing notebook or narrative, an unknown
        fact, a bad cell option, pandoc or Quarto failing, or personal data found
        in an output.
    """
    stage_dir = Path(stage_dir)
    chosen = choose_engine(engine)
    facts = load_facts(stage_dir)
    items = report_items(pipeline, stage_dir, region)
    if not items:
        raise RenderError(f"{pipeline.path}: the pipeline has no chapters or narratives to render")
    parts = part_order(pipeline, items)
    meta = report_meta(pipeline, region)
    start_name_index(pipeline)
    log.info("rendering %d pieces with %s into %s", len(items), chosen, stage_dir)
    if chosen == "quarto":
        from lnutils.render.quarto_engine import render_with_quarto, typst_sources

        outputs = render_with_quarto(items, parts, meta, facts, stage_dir)
        notebooks = sorted((stage_dir / "notebooks").glob("*.ipynb"))
        check_personal_data(outputs + notebooks, names_to_scan(pipeline),
                            typst_sources(stage_dir, outputs))
        return outputs
    from lnutils.render.pandoc_engine import render_with_pandoc

    with tempfile.TemporaryDirectory(prefix="lnrender-") as tmp:
        outputs = render_with_pandoc(items, parts, meta, facts, stage_dir, Path(tmp))
        notebooks = sorted((stage_dir / "notebooks").glob("*.ipynb"))
        # The PDF's text is read from the Typst source it was compiled from.
        texts = {stage_dir / "report.pdf": Path(tmp) / "pdf" / "report.typ"}
        check_personal_data(outputs + notebooks, names_to_scan(pipeline), texts)
    return outputs


_STARTED: set[tuple] = set()  # invitation lists whose index is built in the background
_STARTED_LOCK = threading.Lock()


def names_to_scan(pipeline):
    """The names of the pipeline's invitation list as a :class:`~lnutils.privacy.NameIndex`.

    Built once per version of the file in a process
    (:func:`lnutils.inputs.invitations.personal_name_index`): a build renders many reports
    with the same list, in several threads, and the first to ask builds it while the
    others wait for it.
    """
    from lnutils.inputs.invitations import personal_name_index
    from lnutils.privacy import NameIndex

    path = pipeline.input("invitations")
    if path is None or not Path(path).is_file():
        return NameIndex(())
    return personal_name_index(path)


def start_name_index(pipeline) -> None:
    """Start building the name index in the background; the scan waits for it.

    Reading the invitation list takes about as long as writing a report: the first
    report of a build need not wait for it at the end. A build starts it while its
    chapters execute (:func:`lnutils.runner.outputs.start_name_index`), each render
    again (a no-op once started). A failure is left to the scan, which raises it where
    it is reported.
    """
    path = pipeline.input("invitations")
    try:
        stat = Path(path).stat() if path is not None else None
    except OSError:
        return
    if stat is None:
        return
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _STARTED_LOCK:
        if key in _STARTED:
            return
        _STARTED.add(key)

    def build():
        try:
            names_to_scan(pipeline)
        except Exception:  # noqa: BLE001 - names_to_scan raises it again in the scan
            with _STARTED_LOCK:
                _STARTED.discard(key)

    threading.Thread(target=build, daemon=True, name="lnreport-names").start()


def check_personal_data(paths, names, typst_sources=None) -> None:
    """Raise RenderError listing every e-mail address, phone number or name found.

    Parameters
    ----------
    paths : output files (HTML, DOCX, PDF, executed notebooks).
    names : full names from the invitation list (a list, or a ``NameIndex`` to reuse).
    typst_sources : PDF path -> the Typst file it was compiled from. A PDF's text is
        scanned from its source (escapes undone); a PDF without one is refused, as its
        compressed streams cannot be read as text.
    """
    from lnutils.privacy import scan_paths

    paths = [Path(p) for p in paths if Path(p).is_file()]
    pdfs = [p for p in paths if p.suffix.lower() == ".pdf"]
    findings = scan_paths([p for p in paths if p not in pdfs], names)
    for pdf in pdfs:
        findings += _scan_pdf(pdf, (typst_sources or {}).get(pdf), names)
    if findings:
        shown = "\n".join("  " + f.format() for f in findings[:20])
        more = f"\n  ... and {len(findings) - 20} more" if len(findings) > 20 else ""
        raise RenderError(
            f"personal data found in the rendered report ({len(findings)} finding(s)):\n"
            f"{shown}{more}\nredact the text in the chapter that shows it "
            "(lnutils.privacy.redact_text) and build again; the report was not published")


def _scan_pdf(pdf: Path, typ: Path | None, names) -> list:
    """Findings in a PDF's text, read from its Typst source, named by the PDF."""
    import dataclasses

    from lnutils.privacy import scan_paths
    from lnutils.render.pdf import typst_text

    if typ is None or not Path(typ).is_file():
        raise RenderError(f"{pdf}: cannot scan the PDF for personal data without the Typst "
                          "source it was made from; the report was not published")
    text_file = Path(typ).with_suffix(".txt")
    text_file.write_text(typst_text(typ), encoding="utf-8")
    return [dataclasses.replace(f, path=pdf) for f in scan_paths([text_file], names)]
