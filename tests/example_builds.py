"""Build an example pipeline in a copy of the repository and check it in a browser.

Shared by the tests of the two example reports. The copy (``LNREPORT_ROOT``) keeps the
published reports and the cache under ``reports/`` out of the tests' way.
"""

import shutil
from pathlib import Path

import pytest

from lnutils import paths
from lnutils.cli import main


def build_example(tmp_path_factory, name: str) -> Path:
    """Build ``pipelines/<name>.yml`` in a fresh copy; return its output folder."""
    root = paths.repo_root()
    repo = tmp_path_factory.mktemp(name) / "repo"
    for folder in ["notebooks", "pipelines", "data"]:
        shutil.copytree(root / folder, repo / folder)
    shutil.copytree(root / "reports", repo / "reports", ignore=shutil.ignore_patterns("_*"))
    shutil.copy(root / "pyproject.toml", repo / "pyproject.toml")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LNREPORT_ROOT", str(repo))
        status = main(["build", str(repo / "pipelines" / f"{name}.yml"), "--quiet",
                       "--engine", "pandoc"])
    assert status == 0
    return repo / "reports" / "_build" / name


def check_in_browser(report: Path) -> None:
    """Open ``report`` in headless Chromium and run the reader's checks of test_browser."""
    from test_browser import ARGS, CHROMIUM, _check_page

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
        _check_page(page, report)
        browser.close()
    assert errors == []
