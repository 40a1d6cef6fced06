"""Shared test configuration.

Tests live in folders by the part of ``lnutils`` they cover (``inputs/``, ``analysis/``,
``facts/``, ``figures/``, ``chapters/``, ``render/``, ``runner/``, ``reports/``, ``core/``);
helpers shared between them are in ``support/`` and test data in ``fixtures/``. This
file's folder is on ``sys.path`` (pytest puts a root conftest's folder there), so tests
import ``support.…`` and ``fixtures.…``.

Markers: ``slow`` (runs notebooks or whole builds) and ``browser`` (drives Chromium).
``make test-fast`` runs everything else.
"""

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def repo(tmp_path, monkeypatch):
    """A miniature repository (``fixtures/build``: pipelines, notebooks, data) as the root."""
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / "build", root)
    monkeypatch.setenv("LNREPORT_ROOT", str(root))
    return root


@pytest.fixture(autouse=True)
def _inputs_read_afresh():
    """Each test reads its inputs itself: none kept in memory by an earlier test
    (``lnutils.inputs.datacache`` keeps the last ones a process loaded)."""
    from lnutils.inputs import datacache

    datacache.forget_loaded()
    yield
