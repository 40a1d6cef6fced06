"""The example report in Chromium at 1280 px: figure text large enough to read, no errors.

Figures are SVG drawn at the text column's physical width with text as paths, so the
smallest text on screen is the type scale's smallest size (``figures.style.SMALL``, in
points, what the figure tests measure on the artists) times the scale at which the
browser shows the figure (its width on screen over its width in points).
"""

import base64
import re

import pytest
from support.browser import ARGS, CHROMIUM
from support.builds import build_example

from lnutils.figures.style import SMALL

pytestmark = [pytest.mark.slow, pytest.mark.browser]
SVG_WIDTH = re.compile(rb'<svg[^>]*\swidth="([\d.]+)pt"')


@pytest.fixture(scope="module")
def page_of(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Chromium not found at /usr/bin/chromium (make test installs it)")
    sync_api = pytest.importorskip("playwright.sync_api")
    built = build_example(tmp_path_factory, "trondelag-2021")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)

        def open_report(relative: str):
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto((built / relative).as_uri(), wait_until="load")
            return page, errors

        yield open_report
        browser.close()


def smallest_text_px(page) -> list[tuple[str, float]]:
    """(alt text, smallest text in CSS px) of every SVG figure on the page."""
    images = page.evaluate("""() => Array.from(document.images)
        .filter(i => i.src.startsWith('data:image/svg+xml;base64,'))
        .map(i => ({alt: i.alt, shown: i.getBoundingClientRect().width, src: i.src}))""")
    sizes = []
    for image in images:
        svg = base64.b64decode(image["src"].split(",", 1)[1])
        width_pt = float(SVG_WIDTH.search(svg).group(1))
        sizes.append((image["alt"][:60], SMALL * image["shown"] / width_pt))
    return sizes


@pytest.mark.parametrize("report", ["report.html", "regions/fosen/report.html"])
def test_figure_text_is_at_least_11_px_at_1280_px(page_of, report):
    page, errors = page_of(report)
    sizes = smallest_text_px(page)
    assert len(sizes) >= (19 if report == "report.html" else 5)
    too_small = [(alt, round(px, 1)) for alt, px in sizes if px < 11]
    assert too_small == [], f"smallest {min(px for _, px in sizes):.1f} px"
    assert errors == []
