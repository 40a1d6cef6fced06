"""Rows of Word tables that never split over a page.

Pandoc writes no row properties but the repeated heading row (``w:tblHeader``), and
Word and LibreOffice ignore ``w:cantSplit`` in a table style: a row whose text runs
over a page break is cut in two. This adds ``<w:cantSplit/>`` to every row of the
written document.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

DOCUMENT = "word/document.xml"
_ROW_WITH_PROPS = re.compile(r"<w:tr>\s*<w:trPr>")
_ROW_BARE = re.compile(r"<w:tr>(?!\s*<w:trPr>)")


def keep_rows_whole(xml: str) -> str:
    """``document.xml`` with every table row marked cantSplit."""
    xml = _ROW_WITH_PROPS.sub("<w:tr><w:trPr><w:cantSplit />", xml)
    return _ROW_BARE.sub("<w:tr><w:trPr><w:cantSplit /></w:trPr>", xml)


def rewrite_rows(docx: Path) -> None:
    """Rewrite ``docx`` in place with rows that never split (other parts unchanged)."""
    docx = Path(docx)
    with tempfile.NamedTemporaryFile(dir=docx.parent, suffix=".docx", delete=False) as tmp:
        target = Path(tmp.name)
    try:
        with zipfile.ZipFile(docx) as src, zipfile.ZipFile(target, "w") as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == DOCUMENT:
                    data = keep_rows_whole(data.decode("utf-8")).encode("utf-8")
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        shutil.copymode(docx, target)  # the temporary file is private (0600); the DOCX is not
        shutil.move(target, docx)
    finally:
        target.unlink(missing_ok=True)
