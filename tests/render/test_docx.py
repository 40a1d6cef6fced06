"""The DOCX report opened with python-docx: headings, figures, captions."""

import pytest
from fixtures.render.make_fixtures import render_fixture

docx = pytest.importorskip("docx", reason="python-docx is a dev dependency: pip install -e .[dev]")


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
    assert len(breaks) == len(_paragraphs(document, "Heading 1")) == 6
