"""A report as a reader sees it: headless Chromium (Debian's) driven by Playwright.

Shared by the browser tests of the miniature report and of the example reports.
"""

import contextlib
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def check_page(page, report: Path) -> None:
    """The reader's checks of one opened report page (language, images, links, no code)."""
    assert page.evaluate("document.documentElement.lang") == "nb", report

    images = page.evaluate("""() => Array.from(document.images).map(
        img => ({src: img.src.slice(0, 40), width: img.naturalWidth, alt: img.alt}))""")
    assert images, f"{report}: no images"
    assert all(i["width"] > 0 for i in images), f"{report}: images not loaded: {images}"
    assert all(i["src"].startswith("data:image/") for i in images), report  # self-contained

    hrefs = page.evaluate("""() => Array.from(
        document.querySelectorAll('nav#TOC a, a.xref, .figure-list a'))
        .map(a => a.getAttribute('href'))""")
    assert hrefs and all(h.startswith("#") for h in hrefs), report
    for href in hrefs:
        landed = page.evaluate("""(href) => {
            const target = document.getElementById(decodeURIComponent(href.slice(1)));
            if (!target) return null;
            target.scrollIntoView();
            const top = target.getBoundingClientRect().top;
            return top > -5 && top < window.innerHeight;  // in view (the end can't reach the top)
        }""", href)
        assert landed, f"{report}: link {href} does not land on an element"
    xrefs = page.locator("a.xref")
    if xrefs.count():
        xrefs.first.click()
        hash_ = page.evaluate("location.hash")
        assert page.evaluate("(h) => !!document.getElementById(decodeURIComponent(h.slice(1)))",
                             hash_), report

    visible_code = page.evaluate("""() => Array.from(document.querySelectorAll('pre, code'))
        .filter(e => e.offsetParent !== null).length""")
    assert visible_code == 0, f"{report}: code is visible"
    text = page.inner_text("body")
    for leftover in ["#|", "injected-parameters", "{{<", "@fig-", "@tbl-", "Traceback"]:
        assert leftover not in text, f"{report}: {leftover!r} is visible"

    page.evaluate("window.scrollTo(0, 0)")
    shot = report.with_name(report.stem + "-first-page.png")
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 10_000


def check_in_browser(report: Path) -> None:
    """Open ``report`` in headless Chromium and run the reader's checks."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium: install it with "
                    "`sudo apt-get install chromium` (make test does this in CI)")
    sync_api = pytest.importorskip("playwright.sync_api")
    errors = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(report.as_uri(), wait_until="load")
        check_page(page, report)
        browser.close()
    assert errors == []


@contextlib.contextmanager
def watched_page(report: Path):
    """A page with ``report`` opened in Chromium at 1280 px, watched as an attacker would be.

    Yields ``(page, seen)``; ``seen`` lists what must stay empty: ``requests`` leaving the
    file, console and page ``problems``, and ``dialogs`` (an ``alert`` that ran).
    """
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    seen: dict[str, list[str]] = {"requests": [], "problems": [], "dialogs": []}
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.on("request", lambda r: seen["requests"].append(r.url)
                if not r.url.startswith(("data:", report.as_uri())) else None)
        page.on("console", lambda m: seen["problems"].append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda e: seen["problems"].append(str(e)))
        page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
        page.goto(report.as_uri(), wait_until="load")
        page.wait_for_timeout(300)
        try:
            yield page, seen
        finally:
            browser.close()
