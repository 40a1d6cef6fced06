"""Writing small input files for tests."""

import textwrap
from pathlib import Path


def write(folder: Path, name: str, text: str, *, dedent: bool = False) -> Path:
    """Write ``text`` (UTF-8) to ``folder/name`` and return the path."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
    return path


def write_two_group_survey(data: Path) -> None:
    """A codebook with one single-choice question (Kommune/Helseforetak) and three answers."""
    write(data, "codebook.yml", """\
survey: t
respondent_id: respondent
questions:
  - {id: org, type: single, options: {1: Kommune, 2: Helseforetak}}
""")
    write(data, "survey.csv", "respondent;org\nr1;1\nr2;2\nr3;1\n")
