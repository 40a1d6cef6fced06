"""The project's layout: the one module that knows where things live."""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def repo_root() -> Path:
    """Return the repository root.

    ``LNREPORT_ROOT`` overrides it (used by tests that build in a temporary copy);
    otherwise it is the folder above the installed package when that folder holds
    ``pyproject.toml``, else the current working directory.
    """
    env = os.environ.get("LNREPORT_ROOT")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists():
        return candidate
    return Path.cwd().resolve()


def notebooks_dir() -> Path:
    return repo_root() / "notebooks"


def pipelines_dir() -> Path:
    return repo_root() / "pipelines"


def data_dir() -> Path:
    return repo_root() / "data"


def reports_dir() -> Path:
    return repo_root() / "reports"


def build_root() -> Path:
    """Folder under which built reports are published, one sub-folder per pipeline."""
    return reports_dir() / "_build"


def cache_dir() -> Path:
    """Folder for the build cache (executed chapters keyed by their inputs)."""
    return reports_dir() / "_cache"


# Norwegian letters that NFKD does not split into a base letter and an accent.
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


def slug(value: str, default: str = "region") -> str:
    """A folder name or fact key for a label: lower-case ASCII, words joined by ``-``.

    >>> slug("Værnesregionen / Stjørdal")
    'vaernesregionen-stjordal'
    """
    text = unicodedata.normalize("NFKD", str(value).translate(_FOLD))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or default
