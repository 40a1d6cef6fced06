"""Hostile text from data reaches HTML, DOCX and PDF as inert, literal text.

The strings of ``fixtures/render/hostile.py`` enter the miniature report every way data
text can: a chapter's Markdown output (escaped with ``lnutils.literal`` as the
chapters do, and once unescaped, to test the renderer's own guard), a DataFrame table,
a figure's caption, alt text and number table, and a fact placeholder at the start of a
narrative's lines. The HTML is opened in Chromium: no script may run, no request may
leave the page, no console error; the DOCX and the PDF must hold the text literally.
"""

import base64
import json
import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from fixtures.render.hostile import CORPUS, EXTERNAL, PRINTABLE, shown, squeeze
from fixtures.render.make_fixtures import FACTS, NARRATIVES, appendix_notebook, png_bytes
from fixtures.render.make_fixtures import render_fixture as _render_fixture
from support.browser import CHROMIUM, watched_page

from lnutils.literal import escape_markdown, markdown_list
from lnutils.privacy import html_text


def _markdown_output(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("display_data", data={"text/markdown": text,
                                                        "text/plain": "<Markdown>"})


def _hostile_appendix() -> nbformat.NotebookNode:
    nb = appendix_notebook()
    table = pd.DataFrame({"Arena": PRINTABLE, "Merknad": list(reversed(PRINTABLE))})
    figure_table = {"columns": ["Svar", "Antall"], "rows": [[s, "1"] for s in PRINTABLE],
                    "align": ["left", "right"]}
    figure = nbformat.v4.new_output(
        "display_data",
        data={"image/png": base64.b64encode(png_bytes()).decode("ascii"),
              "text/plain": "figur"},
        metadata={"image/png": {"caption": PRINTABLE[0] + " " + PRINTABLE[3],
                                "alt": PRINTABLE[1] + " " + PRINTABLE[8]},
                  "lnutils": {"table": figure_table}})
    cells = [
        ("Markdown(escaped)", [_markdown_output(
            "\n\n".join(escape_markdown(s) for s in CORPUS) + "\n\n" + markdown_list(CORPUS))]),
        # unescaped: raw HTML, links, images, citations, math must still come out inert
        ("Markdown(raw)", [_markdown_output("\n\n".join(PRINTABLE[:10]))]),
        ("table", [nbformat.v4.new_output("execute_result", execution_count=1,
                                          data={"text/html": table.to_html(),
                                                "text/plain": "table"})]),
        ("#| label: fig-fiendtlig\nshow_figure(fig, text)", [figure]),
    ]
    for source, outputs in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = outputs
        nb.cells.append(cell)
    return nb


def render_hostile(root: Path):
    facts = dict(FACTS)
    narratives = dict(NARRATIVES)
    lines = []
    for i, text in enumerate(CORPUS):
        facts[f"fiendtlig.{i}"] = text
        lines.append(f"{{{{< fact fiendtlig.{i} >}}}}")
    # each placeholder opens a paragraph: a date there must not become a list
    narratives["trondelag/del1.md"] = narratives["trondelag/del1.md"] + "\n\n" + \
        "\n\n".join(lines)
    return _render_fixture(root, appendix=_hostile_appendix(), facts=facts,
                           narratives=narratives)


def _attribute_names(html: str) -> set[str]:
    from html.parser import HTMLParser

    names: set[str] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            names.update(name for name, _ in attrs)

    Collect().feed(html)
    return names


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    _, stage, _ = render_hostile(tmp_path_factory.mktemp("hostile"))
    return stage


def test_html_has_no_live_markup_from_data(rendered):
    html = (rendered / "report.html").read_text(encoding="utf-8")
    main = html[html.index("<main"):]
    assert "<script" not in html.lower()
    assert EXTERNAL not in " ".join(re.findall(r'(?:src|href)="([^"]*)"', html))
    assert _attribute_names(main) & {"onerror", "onmouseover", "onload"} == set()
    assert '<meta http-equiv="Content-Security-Policy"' in html
    text = " ".join(html_text(html).split())
    for s in CORPUS:
        assert shown(s) in text, s


def test_a_date_at_the_start_of_a_line_is_not_a_list(rendered):
    html = (rendered / "report.html").read_text(encoding="utf-8")
    assert "<ol" not in html
    assert "14. august 2019 startet arbeidet" in html


def test_docx_holds_the_text_literally_and_no_links_out(rendered):
    docx = pytest.importorskip("docx")
    document = docx.Document(str(rendered / "report.docx"))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    text = " ".join(" ".join(texts).split())
    for s in CORPUS:
        assert shown(s) in text, s
    external = [r for r in document.part.rels.values() if r.is_external]
    assert external == []
    assert not document.element.body.xpath(".//w:hyperlink[@r:id]")
    assert not document.element.body.xpath('.//w:instrText[contains(., "HYPERLINK")]')


def test_pdf_holds_the_text_literally(rendered):
    from support.pdf import read_pdf

    pytest.importorskip("pypdf")
    pdf = read_pdf(rendered / "report.pdf")
    text = squeeze(" ".join(pdf.texts))
    for s in CORPUS:
        assert squeeze(shown(s)) in text, s
    alts = [f.alt for f in pdf.figures]
    assert shown(PRINTABLE[1] + " " + PRINTABLE[8]) in alts


def test_figure_numbers_table_only_in_html(rendered):
    html = (rendered / "report.html").read_text(encoding="utf-8")
    details = html[html.index('<details class="figure-data">'):html.index("</details>")]
    assert "<summary>Tall i figuren</summary>" in details
    assert details.count("<tr") == len(PRINTABLE) + 1
    assert html_text(details).count("=SUM(A1:A3)") == 1


@pytest.mark.browser
def test_in_chromium_nothing_runs_and_nothing_leaves(rendered):
    report = rendered / "report.html"
    with watched_page(report) as (page, seen):
        page.mouse.move(10, 10)
        page.locator("details.figure-data summary").first.click()
        found = page.evaluate("""() => ({
            scripts: document.scripts.length,
            handlers: Array.from(document.querySelectorAll('*')).filter(
                e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,
            outside: Array.from(document.querySelectorAll('[src], [href]')).map(
                e => e.getAttribute('src') || e.getAttribute('href')).filter(
                u => !u.startsWith('#') && !u.startsWith('data:')),
            text: document.body.innerText,
            opened: document.querySelector('details.figure-data').open,
        })""")
    assert seen["dialogs"] == [] and found["scripts"] == 0 and found["handlers"] == 0
    assert found["outside"] == [] and seen["requests"] == []
    assert seen["problems"] == []
    assert found["opened"]
    text = " ".join(found["text"].split())
    for s in PRINTABLE:
        assert shown(s) in text, s
    print(json.dumps({"requests": seen["requests"], "dialogs": seen["dialogs"]}))


@pytest.mark.browser
def test_the_policy_alone_stops_markup_that_got_through(rendered):
    # A control for the Content-Security-Policy: markup put into the written report
    # by hand (as if escaping had failed) must still neither run nor load anything.
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: `sudo apt-get install chromium`")
    sync_api = pytest.importorskip("playwright.sync_api")
    from support.browser import ARGS

    html = (rendered / "report.html").read_text(encoding="utf-8")
    injected = html.replace(
        "<main", f'<script>window.ran = true;</script><img src="{EXTERNAL}/x.png">'
                 '<img src="x" onerror="window.ran = true"><main', 1)
    broken = rendered / "injected.html"
    broken.write_text(injected, encoding="utf-8")
    attempts, blocked, sent = [], [], []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page()
        page.on("request", lambda r: attempts.append(r.url)
                if not r.url.startswith(("data:", broken.as_uri())) else None)
        page.on("requestfailed", lambda r: blocked.append((r.url, r.failure)))
        # what reaches the network layer (CSP-blocked requests never do)
        page.route("**/*", lambda route: (sent.append(route.request.url), route.continue_()))
        page.goto(broken.as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        ran = page.evaluate("window.ran === true")
        browser.close()
    assert not ran
    assert len(attempts) == 2 and sorted(blocked) == sorted((u, "csp") for u in attempts)
    assert sent == [broken.as_uri()]
