"""The reference document that gives ``report.docx`` its page and styles.

Pandoc takes page size, margins, headers, footers and styles from a reference DOCX.
Ours is made from pandoc's own default by :func:`make_reference`, never edited by hand,
and shipped as ``templates/reference.docx``; ``python -m lnutils.render.reference_docx``
writes it again (it needs python-docx, a dev dependency) and a test checks that the
shipped file is what this code makes.

What it sets:

- A4, 2,5 cm margins all round: a 16 cm text column, the width the figures are drawn at;
- a running header naming the current top-level heading, page numbers in the footer;
- headings, title page (title, subtitle, authors, date), captions in the report's colours;
- the table style "Table": full width, a rule under the heading row, thin row rules,
  the heading row repeated on every page; cell text in "Table Text" (small sans);
- contents entries ("toc 1" to "toc 3") for the contents the renderer writes as text.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "templates" / "reference.docx"
ACCENT = "1F4E79"
MUTED = "57606A"
BODY_FONT = "Cambria"
HEADING_FONT = "Calibri"
FIXED_TIME = (2021, 1, 1, 0, 0, 0)  # zip entry times: the same bytes on every run


def pandoc_default() -> bytes:
    """Pandoc's default reference.docx, from the pandoc in the pypandoc-binary wheel."""
    from lnutils.render.pandoc_cli import pandoc_path

    return subprocess.run([pandoc_path(), "--print-default-data-file", "reference.docx"],
                          capture_output=True, check=True).stdout


def _font(style, name: str, size: float, *, bold=None, italic=None, colour=None) -> None:
    from docx.shared import Pt, RGBColor

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(_qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(_qn(attr), None)
    style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if colour is not None:
        style.font.color.rgb = RGBColor.from_string(colour)


def _qn(name: str) -> str:
    from docx.oxml.ns import qn

    return qn(name)


def _spacing(style, before: float, after: float, *, keep_next=None, align=None) -> None:
    from docx.shared import Pt

    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if keep_next is not None:
        fmt.keep_with_next = keep_next
    if align is not None:
        fmt.alignment = align


def _paragraph_styles(doc) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    styles = doc.styles
    _font(styles["Normal"], BODY_FONT, 11)
    styles["Normal"].paragraph_format.line_spacing = 1.15
    for name in ("Body Text", "First Paragraph"):
        _spacing(styles[name], 0, 8)
    _spacing(styles["Compact"], 0, 3)
    for level, size in ((1, 18), (2, 14), (3, 12), (4, 11)):
        style = styles[f"Heading {level}"]
        _font(style, HEADING_FONT, size, bold=True, colour=ACCENT)
        _spacing(style, 18 if level > 1 else 0, 8, keep_next=True)
    _font(styles["Title"], HEADING_FONT, 28, bold=True, colour=ACCENT)
    _spacing(styles["Title"], 160, 12, align=WD_ALIGN_PARAGRAPH.LEFT)
    _font(styles["Subtitle"], HEADING_FONT, 16, colour="1F2328")
    _spacing(styles["Subtitle"], 0, 36, align=WD_ALIGN_PARAGRAPH.LEFT)
    for name in ("Author", "Date"):
        _font(styles[name], HEADING_FONT, 11, colour=MUTED)
        _spacing(styles[name], 0, 4, align=WD_ALIGN_PARAGRAPH.LEFT)
    for name in ("Image Caption", "Table Caption"):
        _font(styles[name], HEADING_FONT, 9, italic=False, colour=MUTED)
        _spacing(styles[name], 4, 12)
    _spacing(styles["Table Caption"], 12, 4, keep_next=True)
    _spacing(styles["Captioned Figure"], 12, 0, keep_next=True)
    styles["Captioned Figure"].paragraph_format.keep_together = True
    _font(styles["TOC Heading"], HEADING_FONT, 18, bold=True, colour=ACCENT)
    _spacing(styles["TOC Heading"], 0, 12)
    for level in (1, 2, 3):
        name = f"toc {level}"
        style = styles[name] if name in [s.name for s in styles] \
            else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _font(style, HEADING_FONT, 10.5 if level == 1 else 10, bold=level == 1)
        _spacing(style, 6 if level == 1 else 0, 2)
        style.paragraph_format.left_indent = Cm(0.6 * (level - 1))
        style.font.size = Pt(10.5 if level == 1 else 10)
    table_text = styles["Table Text"] if "Table Text" in [s.name for s in styles] \
        else styles.add_style("Table Text", WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = styles["Normal"]
    _font(table_text, HEADING_FONT, 9)
    _spacing(table_text, 1, 1)
    table_text.paragraph_format.line_spacing = 1.0
    for name in ("Header", "Footer"):
        style = styles[name] if name in [s.name for s in styles] \
            else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _font(style, HEADING_FONT, 8.5, colour=MUTED)


_TABLE_STYLE = """
<w:style xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
         w:type="table" w:customStyle="1" w:styleId="Table">
  <w:name w:val="Table"/>
  <w:basedOn w:val="TableNormal"/>
  <w:uiPriority w:val="99"/>
  <w:pPr><w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/></w:pPr>
  <w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:cs="{font}"/><w:sz w:val="18"/></w:rPr>
  <w:tblPr>
    <w:tblW w:w="5000" w:type="pct"/>
    <w:tblBorders>
      <w:top w:val="single" w:sz="8" w:space="0" w:color="1F2328"/>
      <w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F2328"/>
      <w:insideH w:val="single" w:sz="4" w:space="0" w:color="B8C2CC"/>
    </w:tblBorders>
    <w:tblCellMar>
      <w:top w:w="40" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
      <w:bottom w:w="40" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>
    </w:tblCellMar>
  </w:tblPr>
  <w:trPr><w:cantSplit/></w:trPr>
  <w:tblStylePr w:type="firstRow">
    <w:rPr><w:b/></w:rPr>
    <w:trPr><w:tblHeader/></w:trPr>
    <w:tcPr><w:tcBorders><w:bottom w:val="single" w:sz="8" w:space="0" w:color="1F2328"/>
    </w:tcBorders></w:tcPr>
  </w:tblStylePr>
</w:style>
"""


def _table_style(doc) -> None:
    from docx.oxml import parse_xml

    styles_el = doc.styles.element
    for old in styles_el.findall(_qn("w:style")):
        if old.get(_qn("w:styleId")) == "Table":
            styles_el.remove(old)
    styles_el.append(parse_xml(_TABLE_STYLE.replace("{font}", HEADING_FONT)))


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, STYLEREF) with ``shown`` as its last result."""
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for xml in (f'<w:r {w}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {w}><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>',
                f'<w:r {w}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {w}><w:t>{shown}</w:t></w:r>',
                f'<w:r {w}><w:fldChar w:fldCharType="end"/></w:r>'):
        paragraph._p.append(parse_xml(xml))


def _page(doc) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = section.bottom_margin = Cm(2.5)
    section.header_distance = section.footer_distance = Cm(1.2)
    section.different_first_page_header_footer = True  # the title page stays bare
    header = section.header.paragraphs[0]
    header.style = doc.styles["Header"]
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _field(header, 'STYLEREF "Heading 1"', "")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(footer, "PAGE", "1")


def make_reference() -> bytes:
    """The reference document's bytes: pandoc's default with our page and styles."""
    import docx

    doc = docx.Document(io.BytesIO(pandoc_default()))
    _paragraph_styles(doc)
    _table_style(doc)
    _page(doc)
    stamp = dt.datetime(*FIXED_TIME, tzinfo=dt.UTC)
    doc.core_properties.created = doc.core_properties.modified = stamp
    doc.core_properties.language = "nb"
    doc.core_properties.title = "Rapportmal"
    buffer = io.BytesIO()
    doc.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times, so that equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, FIXED_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Write ``templates/reference.docx`` (or the path given)."""
    argv = sys.argv[1:] if argv is None else argv
    target = Path(argv[0]) if argv else REFERENCE
    target.write_bytes(make_reference())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
