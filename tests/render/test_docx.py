"""The DOCX report opened with python-docx: headings, figures, captions."""

import pytest
from fixtures.render.make_fixtures import render_fixture

docx = pytest.importorskip("docx", reason="python-docx is a dev dependency: pip install -e .[dev]")
from docx.shared import Emu  # noqa: E402


@pytest.fixture(scope="module")
def document(tmp_path_factory):
    _, stage, _ = render_fixture(tmp_path_factory.mktemp("docx"))
    return docx.Document(str(stage / "report.docx"))


def _paragraphs(document, prefix):
    return [p.text for p in document.paragraphs if p.style.name.startswith(prefix)]


def test_title_page_fields(document):
    assert _paragraphs(document, "Title") == ["Evaluering av læringsnettverket"]
    assert _paragraphs(document, "Subtitle") == ["Rus og psykisk helse 2019–2021"]
    assert _paragraphs(document, "Author") == ["Prosessveileder A", "Faglig rådgiver B",
                                               "Testorganisasjonen"]
    assert _paragraphs(document, "Date") == ["24. september 2021"]
    assert document.core_properties.language == "nb"


def test_headings_are_numbered_with_parts_and_appendix(document):
    assert _paragraphs(document, "Heading 1") == [
        "Sammendrag", "Del 1: Intensjon og organisering", "Del 2: Evalueringen",
        "Del 3: Anbefalinger", "Vedlegg 1: Forbedringsteamenes egenvurdering",
        "Vedlegg 2: Figurliste"]
    assert _paragraphs(document, "Heading 2") == [
        "1.1 Forankring og eierskap", "1.2 Organisering", "2.1 Spørreundersøkelsen",
        "3.1 Samhandling", "Fosen", "Værnes"]


def test_figures_are_images_with_alt_text_and_captions(document):
    shapes = document.inline_shapes
    assert len(shapes) == 2
    assert [s._inline.docPr.get("descr") for s in shapes] == [
        "Stolpediagram: flest deltok i hele perioden.", "Stolpediagram over skår 1 til 6."]
    assert _paragraphs(document, "Image Caption") == [
        "Figur 1: Deltakelse i nettverksperioden", "Figur 2: Nytten av kommuneregionstrukturen"]


def test_table_is_a_word_table_with_caption(document):
    assert _paragraphs(document, "Table Caption") == ["Tabell 1: Hendelser per arena"]
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Arena", "Antall hendelser"]
    assert [c.text for c in table.rows[-1].cells] == ["Sum", "42"]


def test_references_and_no_code(document):
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Figur 1 viser hvor lenge de deltok, og Tabell 1 viser arenaene" in body
    assert "@fig" not in body and "region = None" not in body and "#|" not in body


def test_each_top_heading_starts_a_new_page(document):
    body = document.element.body
    breaks = body.xpath('.//w:br[@w:type="page"]')
    # one before the contents, one before each top-level heading
    assert len(breaks) == len(_paragraphs(document, "Heading 1")) + 1 == 7


def test_page_is_a4_with_a_16_cm_text_column(document):
    section = document.sections[-1]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == round(section.right_margin.cm, 1) == 2.5
    text_width = Emu(section.page_width - section.left_margin - section.right_margin)
    assert round(text_width.cm, 1) == 16.0


def test_contents_is_text_without_a_field_update(document):
    entries = [(p.style.name, p.text) for p in document.paragraphs
               if p.style.name.startswith("toc ")]
    assert entries[:4] == [("toc 1", "Sammendrag"), ("toc 1", "Del 1: Intensjon og organisering"),
                           ("toc 2", "1.1 Forankring og eierskap"), ("toc 2", "1.2 Organisering")]
    assert ("toc 3", "2.1.1 Organisering") in entries
    assert _paragraphs(document, "TOC Heading") == ["Innhold"]
    # each entry links to the bookmark pandoc writes at its heading
    body = document.element.body
    anchors = body.xpath('.//w:hyperlink/@w:anchor')
    bookmarks = set(body.xpath('.//w:bookmarkStart/@w:name'))
    assert len(anchors) >= len(entries) and set(anchors) <= bookmarks
    # Word may update the field (to add page numbers): it is a real TOC field
    assert any("TOC" in t for t in body.xpath(".//w:instrText/text()"))


def test_styles_come_from_our_reference_document(document):
    names = {s.name for s in document.styles}
    assert {"Title", "Subtitle", "Heading 1", "Heading 2", "Image Caption", "Table Caption",
            "Table", "toc 1", "toc 2", "TOC Heading"} <= names
    assert document.styles["Heading 1"].font.name == "Calibri"
    footer_xml = document.sections[-1].footer._element.xml
    assert "PAGE" in footer_xml  # page numbers


def test_tables_span_the_text_column_with_unbroken_words(document):
    from docx.oxml.ns import qn

    table = document.tables[0]
    width = table._tbl.tblPr.find(qn("w:tblW"))
    assert width.get(qn("w:type")) == "pct" and width.get(qn("w:w")) == "5000"
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    # Word spreads the grid over the table's width (the 16 cm column): the longest word
    # of each column fits its share (about 4,6 pt per character at 9 pt).
    text_twips = 16 / 2.54 * 1440
    for i, col in enumerate(grid):
        words = [w for row in table.rows for w in row.cells[i].text.split()]
        assert max(len(w) for w in words) * 4.6 * 20 < col / sum(grid) * text_twips


def test_images_are_at_text_width(document):
    for shape in document.inline_shapes:
        assert round(shape.width.cm, 1) == 16.0


def test_shipped_reference_document_is_what_the_generator_makes():
    from lnutils.render.reference_docx import REFERENCE, make_reference

    assert make_reference() == REFERENCE.read_bytes(), (
        "templates/reference.docx differs from what lnutils/render/reference_docx.py makes; "
        "run `python -m lnutils.render.reference_docx` and commit the file")


def test_table_rows_never_split_and_cells_use_the_table_text_style(document):
    table = document.tables[0]
    assert all(row._tr.xpath("./w:trPr/w:cantSplit") for row in table.rows)
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")  # repeated on every page
    styles = {p.style.name for row in table.rows for c in row.cells for p in c.paragraphs}
    assert styles == {"Table Text"}


def test_docx_is_readable_like_the_other_outputs(tmp_path):
    """Rewriting the rows goes through a private temporary file; the DOCX keeps its mode."""
    import os
    import zipfile

    from lnutils.render.docx_rows import rewrite_rows

    docx = tmp_path / "report.docx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:tbl><w:tr><w:tc/></w:tr></w:tbl>")
    docx.chmod(0o644)
    rewrite_rows(docx)
    assert os.stat(docx).st_mode & 0o777 == 0o644
    with zipfile.ZipFile(docx) as z:
        assert "cantSplit" in z.read("word/document.xml").decode()


def test_the_same_report_gives_the_same_docx(tmp_path):
    """No temporary path and no time of the run inside: dated by the report's date."""
    import zipfile

    _, first, _ = render_fixture(tmp_path / "a")
    _, second, _ = render_fixture(tmp_path / "b")
    assert (first / "report.docx").read_bytes() == (second / "report.docx").read_bytes()
    with zipfile.ZipFile(first / "report.docx") as z:
        body = z.read("word/document.xml").decode()
        core = z.read("docProps/core.xml").decode()
    assert str(tmp_path) not in body and "/tmp" not in body
    assert "T12:00:00Z</dcterms:created>" in core
