"""Writing small input files for tests."""

import textwrap
from pathlib import Path


def write(folder: Path, name: str, text: str, *, dedent: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``folder/name`` and return the path."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
    return path
