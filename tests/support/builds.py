"""Build an example pipeline in a copy of the repository.

Shared by the tests of the example reports. The copy (``LNREPORT_ROOT``) keeps the
published reports and the cache under ``reports/`` out of the tests' way. A pipeline is
built once per test process: the tests that read the same pristine build share it
(they only read it, or add files of their own beside it, such as page pictures).
"""

import shutil
from pathlib import Path

import pytest

from lnutils import paths
from lnutils.cli import main

_BUILT: dict[str, Path] = {}


def build_example(tmp_path_factory, name: str) -> Path:
    """Build ``pipelines/<name>.yml`` in a fresh copy (once); return its output folder."""
    if name in _BUILT and _BUILT[name].is_dir():
        return _BUILT[name]
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
    _BUILT[name] = repo / "reports" / "_build" / name
    return _BUILT[name]
