"""The "Gode pasientforløp" report built whole, checked as the Trøndelag report is.

Built in a copy of the repository (``LNREPORT_ROOT``): the personal-data scan runs as
part of the build, then the HTML is opened in headless Chromium.
"""

import re

import pytest
from support.browser import check_in_browser
from support.builds import build_example


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_example(tmp_path_factory, "gode-pasientforlop-2015")


@pytest.mark.slow
def test_report_is_complete(built):
    html = (built / "report.html").read_text(encoding="utf-8")
    assert (built / "report.docx").stat().st_size > 10_000
    for label in ["fig-nytte", "tbl-programoppfyllelse"]:
        assert f'id="{label}"' in html, label
    assert len(re.findall(r'<figure id="fig-', html)) >= 8
    assert "Data og metode" in html and "Figurliste" in html


@pytest.mark.slow
@pytest.mark.browser
def test_report_reads_well_in_a_browser(built):
    check_in_browser(built / "report.html")
