"""The rendered HTML as a reader sees it: headless Chromium through Playwright.

Uses Debian's chromium (``apt-get install chromium``); ``playwright install`` is
never needed. Builds the miniature report from tests/fixtures/render and, when
the example report has been built, checks reports/_build/trondelag-2021 too.
A screenshot of the first page is saved next to each report.
"""

from pathlib import Path

import pytest
from fixtures.render.make_fixtures import render_fixture
from support.browser import ARGS, CHROMIUM, check_page

from lnutils import paths

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: install it with "
                    "`sudo apt-get install chromium` (make test does this in CI)")
    sync_api = pytest.importorskip("playwright.sync_api",
                                   reason="playwright is a dev dependency: pip install -e .[dev]")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield browser
        browser.close()


def _reports(tmp_path_factory):
    _, stage, _ = render_fixture(tmp_path_factory.mktemp("browser"))
    reports = [stage / "report.html"]
    example = paths.build_root() / "trondelag-2021" / "report.html"
    if example.is_file():
        reports.append(example)
    return reports


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    return _reports(tmp_path_factory)


def _open(browser, report: Path):
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"request failed: {r.url[:80]}"))
    page.goto(report.as_uri(), wait_until="load")
    return page, problems


def test_report_reads_well_in_a_browser(browser, reports):
    for report in reports:
        page, problems = _open(browser, report)
        try:
            check_page(page, report)
        finally:
            page.close()
        assert problems == [], f"{report}: {problems}"


def test_the_check_fails_on_a_broken_report(browser, reports):
    # A control: the same checks must catch a dangling link, visible code, a wrong language.
    original = reports[0].read_text(encoding="utf-8")
    broken = reports[0].with_name("broken.html")
    variants = {
        "dangling link": original.replace('id="fig-nytte"', 'id="fig-borte"', 1),
        "visible code": original.replace("<main", "<pre>region = None</pre><main", 1),
        "language": original.replace('lang="nb"', 'lang="en"', 1),
    }
    for what, damaged in variants.items():
        assert damaged != original, what
        broken.write_text(damaged, encoding="utf-8")
        page, _ = _open(browser, broken)
        try:
            with pytest.raises(AssertionError):
                check_page(page, broken)
        finally:
            page.close()
