"""The pandoc engine end to end on the miniature project (tests/fixtures/render)."""

import re

import pytest
from fixtures.render.make_fixtures import (
    NARRATIVES,
    appendix_notebook,
    render_fixture,
    survey_notebook,
)

from lnutils.privacy import html_text
from lnutils.render import RenderError, choose_engine


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("render")
    pipeline, stage, outputs = render_fixture(root)
    html = (stage / "report.html").read_text(encoding="utf-8")
    return {"root": root, "stage": stage, "outputs": outputs, "html": html,
            "text": html_text(html)}


def test_writes_html_docx_and_pdf(rendered):
    stage = rendered["stage"]
    assert rendered["outputs"] == [stage / "report.html", stage / "report.docx",
                                   stage / "report.pdf"]
    assert all(p.stat().st_size > 1000 for p in rendered["outputs"])


def test_html_is_self_contained_and_norwegian(rendered):
    html = rendered["html"]
    assert '<html lang="nb"' in html
    sources = re.findall(r'<img[^>]*\ssrc="([^"]*)"', html)
    assert len(sources) == 2 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "<link " not in html and "<script" not in html


def test_title_page_and_contents(rendered):
    html = rendered["html"]
    title_page = html[html.index('<header class="title-page"'):html.index("</header>")]
    for text in ["Testorganisasjonen", "Evaluering av læringsnettverket",
                 "Rus og psykisk helse 2019–2021", "Faglig rådgiver B", "24. september 2021"]:
        assert text in title_page
    toc = html[html.index('<nav id="TOC"'):html.index("</nav>")]
    assert ">Innhold<" in toc
    assert toc.index("Sammendrag") < toc.index("Del 1:") < toc.index("Del 2:") \
        < toc.index("Del 3:") < toc.index("Vedlegg")


def _headings(html):
    return [re.sub(r"<[^>]+>|\s+", " ", m).split() for m in
            re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html[html.index("<main"):], re.S)]


def test_headings_are_numbered_in_reading_order(rendered):
    headings = [" ".join(h) for h in _headings(rendered["html"])]
    assert headings == [
        "Sammendrag",
        "Del 1: Intensjon og organisering", "1.1 Forankring og eierskap", "1.2 Organisering",
        "Del 2: Evalueringen", "2.1 Spørreundersøkelsen", "2.1.1 Organisering",
        "Del 3: Anbefalinger", "3.1 Samhandling",
        "Vedlegg 1: Forbedringsteamenes egenvurdering", "Fosen", "Værnes",
        "Vedlegg 2: Figurliste",
    ]


def test_part_introduction_sits_under_the_part_heading(rendered):
    html = rendered["html"]
    after_heading = html[html.index('id="del-2"'):]
    assert re.search(r"</h1>\s*<p>Denne delen bygger på tre kilder", after_heading)


def test_figures_and_tables_are_numbered_captioned_and_referenced(rendered):
    html = rendered["html"]
    captions = [re.sub(r"<[^>]+>|\s+", " ", c).strip()
                for c in re.findall(r"<(?:figcaption|caption)>(.*?)</(?:figcaption|caption)>",
                                    html, re.S)]
    assert captions == ["Figur 1 : Deltakelse i nettverksperioden",
                        "Figur 2 : Nytten av kommuneregionstrukturen",
                        "Tabell 1 : Hendelser per arena"]
    assert '<figure id="fig-periode">' in html and 'id="tbl-arenaer"' in html
    links = re.findall(r'<a href="#((?:fig|tbl)-[a-z-]+)" class="xref">([^<]+)</a>', html)
    assert [(target, " ".join(text.split())) for target, text in links] == [
        ("tbl-arenaer", "Tabell 1"), ("fig-periode", "Figur 1"), ("tbl-arenaer", "Tabell 1"),
        ("fig-nytte", "Figur 2")]
    assert 'alt="Stolpediagram: flest deltok i hele perioden."' in html


def test_figure_list_links_every_figure(rendered):
    html = rendered["html"]
    listing = html[html.index('<div class="figure-list">'):]
    entries = re.findall(r'<a href="#([^"]+)">(.*?)</a>', listing, re.S)
    assert [(target, " ".join(text.split())) for target, text in entries] == [
        ("fig-periode", "Figur 1: Deltakelse i nettverksperioden"),
        ("fig-nytte", "Figur 2: Nytten av kommuneregionstrukturen")]


def test_no_code_parameters_or_streams(rendered):
    html, text = rendered["html"], rendered["text"]
    assert "<pre" not in html and "<code" not in html
    for leftover in ["region = None", "facts_path", "debug: loaded", "Warning", "4.685714",
                     "#|", "fig-cap", "@fig-", "{{<"]:
        assert leftover not in text


def test_facts_and_typography_in_text(rendered):
    text = " ".join(rendered["text"].split())
    assert "svar fra 35 av 110 inviterte, en svarprosent på 31,8 %." in text
    assert "Snittet ble 4,69" in text
    assert "«Vi har blitt sett»" in text
    assert "system, tjeneste og individ" in text


def test_region_sub_report_names_region_and_leaves_out_whole_network_text(tmp_path):
    _, stage, _ = render_fixture(tmp_path, region="Fosen")
    html = (stage / "report.html").read_text(encoding="utf-8")
    assert "Delrapport for Fosen" in html
    # the narratives and the chapter with fanout=False are whole-network text
    assert "Sammendrag" not in html and "Forbedringsteamenes egenvurdering" not in html
    assert "Spørreundersøkelsen" in html


def test_unknown_fact_fails_naming_file_and_line(tmp_path):
    narratives = dict(NARRATIVES)
    narratives["trondelag/del1.md"] = "# Forankring\n\nHele {{< fact network.regions >}} deltok."
    with pytest.raises(RenderError, match=r"del1\.md, line 3: unknown fact 'network\.regions'"):
        render_fixture(tmp_path, narratives=narratives)


def test_reference_to_missing_figure_fails(tmp_path):
    narratives = dict(NARRATIVES)
    narratives["trondelag/del1.md"] = "# Forankring\n\nSe @fig-finnes-ikke."
    with pytest.raises(RenderError, match=r"del1\.md: reference\(s\) to unknown label\(s\) "
                                          r"@fig-finnes-ikke"):
        render_fixture(tmp_path, narratives=narratives)


def test_missing_executed_notebook_fails(tmp_path):
    from fixtures.render.make_fixtures import build_project

    _, stage = build_project(tmp_path)
    (stage / "notebooks" / "egenvurderinger.ipynb").unlink()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LNREPORT_ROOT", str(tmp_path))
        from lnutils.pipeline import load_pipeline
        from lnutils.render import render_report

        with pytest.raises(RenderError, match=r"egenvurderinger\.ipynb: executed notebook"):
            render_report(load_pipeline(tmp_path / "pipelines" / "render-test.yml"), stage,
                          engine="pandoc")


def test_leaked_address_fails_the_build(tmp_path):
    leaky = appendix_notebook("Spørsmål kan sendes til koordinator.fosen@kommune.no.")
    with pytest.raises(RenderError) as err:
        render_fixture(tmp_path, appendix=leaky)
    message = str(err.value)
    assert "personal data found" in message
    assert "report.html" in message and "report.docx" in message and "report.pdf" in message
    assert "egenvurderinger.ipynb" in message
    assert "koordinator.fosen@kommune.no" in message


def test_redacted_text_passes_the_scan(tmp_path):
    from lnutils.privacy import redact_text

    text = redact_text("Spørsmål kan sendes til koordinator.fosen@kommune.no.")
    _, stage, _ = render_fixture(tmp_path, appendix=appendix_notebook(text))
    assert "[e-post fjernet]" in (stage / "report.html").read_text(encoding="utf-8")


def test_engine_choice(monkeypatch):
    monkeypatch.setenv("PATH", "/nonexistent")
    assert choose_engine("auto") == "pandoc"
    assert choose_engine("pandoc") == "pandoc"
    with pytest.raises(RenderError, match="quarto command is not on PATH"):
        choose_engine("quarto")
    with pytest.raises(RenderError, match="unknown engine"):
        choose_engine("latex")


def test_survey_notebook_fixture_has_what_the_engine_must_remove():
    # Guard against a fixture that would make the removal tests pass trivially.
    nb = survey_notebook()
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert ["parameters"] in tags and ["injected-parameters"] in tags
    kinds = [o.output_type for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert "stream" in kinds and kinds.count("display_data") == 2


def test_markdown_output_of_a_cell_is_kept(rendered):
    # Markdown(...) results reach pandoc as raw markdown, which the writers would drop.
    assert "Kilde: teamenes egne skjemaer." in " ".join(rendered["text"].split())
    assert "<strong>egne</strong>" in rendered["html"]
