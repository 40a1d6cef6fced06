"""The example report's three outputs as a reviewer gets them: PDF, DOCX and HTML.

Builds ``pipelines/trondelag-2021.yml`` in a copy of the repository and reads the PDF
(pypdf) and the DOCX (python-docx) of the main report and of each sub-report. Saves
pictures of the first pages next to the report: ``report-pdf-page-N.png`` (pdftoppm)
and ``report-docx-page-N.png`` (the DOCX converted by LibreOffice, when installed).
"""

import json
import re

import pytest
from support.builds import build_example
from support.pdf import (
    contents_entries,
    docx_to_pdf,
    is_a4,
    printed_page_numbers,
    read_pdf,
    screenshot_first_pages,
)

pytestmark = pytest.mark.slow
docx = pytest.importorskip("docx", reason="python-docx is a dev dependency")
pytest.importorskip("pypdf", reason="pypdf is a dev dependency")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, "trondelag-2021")


def _reports(built):
    return [built, *sorted(p for p in (built / "regions").iterdir() if p.is_dir())]


def test_every_report_has_html_docx_and_pdf_listed_in_the_manifest(built):
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["renders"]) == len(_reports(built)) == 7
    for render in manifest["renders"]:
        assert render["outputs"] == ["report.docx", "report.html", "report.pdf"]
    for folder in _reports(built):
        for name in ["report.html", "report.docx", "report.pdf"]:
            assert (folder / name).stat().st_size > 10_000, folder / name


def test_pdf_is_a4_tagged_numbered_with_one_alt_text_per_figure(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    figures_in_html = len(re.findall(r"<figure[^>]*>\s*<img", html))
    pdf = read_pdf(built / "report.pdf")
    assert all(is_a4(size) for size in pdf.page_sizes)
    assert 20 <= len(pdf.page_sizes) <= 60
    assert pdf.title == "Læringsnettverk for psykisk helse og rus i Trøndelag 2019–2021"
    assert pdf.lang == "nb" and pdf.marked
    assert printed_page_numbers(pdf)[1:] == list(range(1, len(pdf.page_sizes)))
    assert len(pdf.figures) == figures_in_html >= 19
    assert all(f.alt and len(f.alt) > 20 for f in pdf.figures)
    groups = pdf.figure_groups()
    assert len(groups) == len(pdf.figures)
    split = [g.pages for g in groups if len(g.pages) != 1]
    assert split == [], f"figures split across pages: {split}"


def test_pdf_contents_has_page_numbers_that_are_right(built):
    pdf = read_pdf(built / "report.pdf")
    entries = contents_entries(pdf)
    assert len(entries) >= 30
    numbers = printed_page_numbers(pdf)
    for heading, page in entries.items():
        text = " ".join(pdf.texts[numbers.index(page)].split())
        assert " ".join(heading.split()) in text, (heading, page)


def test_sub_report_pdf_names_its_region(built):
    pdf = read_pdf(built / "regions" / "fosen" / "report.pdf")
    assert "Delrapport for Fosen" in " ".join(pdf.texts[0].split())
    assert all(is_a4(size) for size in pdf.page_sizes) and pdf.lang == "nb"
    assert all(f.alt for f in pdf.figures) and pdf.figures


def test_docx_is_a4_with_contents_styles_and_full_width_tables(built):
    from docx.oxml.ns import qn

    document = docx.Document(str(built / "report.docx"))
    section = document.sections[-1]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.5 == round(section.right_margin.cm, 1)
    toc = [p.text for p in document.paragraphs if p.style.name.startswith("toc ")]
    headings = [p.text for p in document.paragraphs
                if p.style.name in {"Heading 1", "Heading 2", "Heading 3"}]
    assert toc == headings and len(toc) >= 30
    assert document.tables
    for table in document.tables:
        width = table._tbl.tblPr.find(qn("w:tblW"))
        assert (width.get(qn("w:type")), width.get(qn("w:w"))) == ("pct", "5000")
    shapes = document.inline_shapes
    assert shapes and all(round(s.width.cm, 1) == 16.0 for s in shapes)
    assert all(s._inline.docPr.get("descr") for s in shapes)


def test_screenshots_of_the_first_pages(built):
    shots = screenshot_first_pages(built / "report.pdf", "report-pdf-page", pages=3)
    if not shots:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    assert len(shots) == 3
    converted = docx_to_pdf(built / "report.docx")
    if converted is None:
        pytest.skip("LibreOffice is not installed: no pictures of the DOCX pages")
    docx_shots = screenshot_first_pages(converted, "report-docx-page", pages=3)
    for shot in docx_shots:
        shot.rename(built / shot.name)
    assert len(list(built.glob("report-docx-page-*.png"))) == 3
    print("screenshots:", *sorted(built.glob("report-*-page-*.png")), sep="\n  ")
