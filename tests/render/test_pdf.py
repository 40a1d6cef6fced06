"""report.pdf read back with pypdf: A4, contents with page numbers, tags, figures whole."""

import nbformat
import pytest
from fixtures.render.make_fixtures import render_fixture, survey_notebook
from support.pdf import (
    contents_entries,
    is_a4,
    printed_page_numbers,
    read_pdf,
    screenshot_first_pages,
)

from lnutils.render import RenderError

pytest.importorskip("pypdf", reason="pypdf is a dev dependency: pip install -e .[dev]")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    _, stage, _ = render_fixture(tmp_path_factory.mktemp("pdf"))
    return stage, read_pdf(stage / "report.pdf")


def test_every_page_is_a4(rendered):
    _, pdf = rendered
    assert len(pdf.page_sizes) >= 6
    assert all(is_a4(size) for size in pdf.page_sizes)


def test_title_language_and_tags(rendered):
    _, pdf = rendered
    assert pdf.title == "Evaluering av læringsnettverket"
    assert pdf.lang == "nb"
    assert pdf.marked and pdf.tree.role == "StructTreeRoot"
    roles = {e.role for e in pdf.tree.walk()}
    assert {"/H1", "/H2", "/Figure", "/Caption", "/Table", "/TOC"} <= roles


def test_cover_then_numbered_pages(rendered):
    _, pdf = rendered
    assert "Evaluering av læringsnettverket" in pdf.texts[0]
    assert "Rus og psykisk helse" in pdf.texts[0] and "24. september 2021" in pdf.texts[0]
    numbers = printed_page_numbers(pdf)
    # the cover has no page number (its last line is the date); the contents is page 1
    assert numbers[1:] == list(range(1, len(pdf.texts)))


def test_contents_lists_every_heading_with_its_page(rendered):
    _, pdf = rendered
    entries = contents_entries(pdf)
    assert list(entries)[:4] == ["Sammendrag", "Del 1: Intensjon og organisering",
                                 "1.1 Forankring og eierskap", "1.2 Organisering"]
    assert "Vedlegg 2: Figurliste" in entries
    numbers = printed_page_numbers(pdf)
    for heading, page in entries.items():
        shown_on = numbers.index(page)
        assert heading in pdf.texts[shown_on].replace("\n", " "), (heading, page)


def test_running_header_names_the_chapter(rendered):
    _, pdf = rendered
    appendix = next(t for t in pdf.texts[2:] if "Værnes" in t and "Fosen" in t)
    assert " ".join(appendix.split()).count("Vedlegg 1: Forbedringsteamenes egenvurdering") == 2


def test_one_alt_text_per_figure_and_figures_never_split(rendered):
    _, pdf = rendered
    assert [f.alt for f in pdf.figures] == ["Stolpediagram: flest deltok i hele perioden.",
                                            "Stolpediagram over skår 1 til 6."]
    groups = pdf.figure_groups()
    assert len(groups) == 2
    assert all(len(g.pages) == 1 for g in groups)


def test_captions_and_cross_references_are_numbered(rendered):
    _, pdf = rendered
    text = " ".join(" ".join(pdf.texts).replace("\xa0", " ").split())
    assert "Figur 1: Deltakelse i nettverksperioden" in text
    assert "Tabell 1: Hendelser per arena" in text
    assert "Figur 1 viser hvor lenge de deltok, og Tabell 1 viser arenaene" in text


def test_screenshots_of_the_first_pages(rendered):
    stage, _ = rendered
    shots = screenshot_first_pages(stage / "report.pdf", "report-pdf-page")
    if not shots:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    assert len(shots) == 2 and all(s.stat().st_size > 5_000 for s in shots)


def test_figure_without_alt_text_fails_naming_the_chapter(tmp_path):
    nb = survey_notebook()
    for cell in nb.cells:
        if cell.cell_type == "code" and "fig-nytte" in cell.source:
            cell.source = "\n".join(line for line in cell.source.split("\n")
                                    if "fig-alt" not in line)
    nbformat.validate(nb)
    with pytest.raises(RenderError, match=r"chapter 'sporreundersokelse' .*figure\(s\) "
                                          r"without alt text: fig-nytte"):
        render_fixture(tmp_path, survey=nb)
