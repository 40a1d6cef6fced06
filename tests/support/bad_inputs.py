"""Building blocks of the bad-input corpus (tests/inputs/test_bad_inputs.py).

Every case starts from a fresh copy of the example network (data, pipeline, its facts
file, narratives and notebooks) in a temporary project root, damages one thing in code,
and says what ``lnreport validate`` must answer. Nothing here is a committed fixture:
the damaged files are made from the example data each run.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "data" / "example" / "trondelag-2021"
PIPELINE = REPO / "pipelines" / "trondelag-2021.yml"
GODE = REPO / "data" / "example" / "gode-pasientforlop-2015"
# The programme's inputs only: no facts, no chapters (those are the other example's cases).
GODE_PIPELINE = """name: gode
report: {title: Gode pasientforløp}
data_dir: ../data/gode
inputs:
  networks: networks.yml
  gatherings: gatherings.csv
  gathering_hours: gathering_hours.csv
  municipal_goals: municipal_goals.csv
  team_composition: team_composition.csv
  tools_adopted: tools_adopted.csv
  toolkit_spec: toolkit/toolkit.yml
  toolkit_forms: toolkit/forms.csv
  toolkit_checklists: toolkit/checklists.csv
"""


@dataclass(frozen=True)
class Where:
    """Where the error must point: a file name, and row and column when they exist."""

    file: str
    row: int | None = None
    column: str | None = None
    words: str = ""


@dataclass(frozen=True)
class Case:
    """One bad or hostile input.

    Attributes
    ----------
    id : a short name for the test id.
    damage : changes the copy (gets the project root of the copy).
    where : where the error must point; None for input that must be accepted.
    target : "pipeline" (validate the pipeline file) or "folder" (the data folder).
    exit : the exit status expected (1 refused, 0 accepted, 2 wrong usage).
    extra : more command-line arguments (``{root}`` is replaced by the copy's root).
    """

    id: str
    damage: Callable[[Path], None]
    where: Where | None = None
    target: str = "folder"
    exit: int | None = None
    extra: tuple[str, ...] = ()

    @property
    def expected_exit(self) -> int:
        if self.exit is not None:
            return self.exit
        return 0 if self.where is None else 1


def make_root(root: Path, *, whole: bool = True) -> Path:
    """A project root holding a copy of the example data and, when ``whole``, its pipeline.

    The whole copy also holds the pipeline's facts file, narratives and notebooks.
    """
    shutil.copytree(EXAMPLE, root / "data" / "trondelag-2021")
    shutil.copytree(GODE, root / "data" / "gode")
    (root / "pipelines").mkdir(parents=True)
    (root / "pipelines" / "gode.yml").write_text(GODE_PIPELINE, encoding="utf-8")
    if not whole:
        return root
    shutil.copytree(REPO / "pipelines" / "extras", root / "pipelines" / "extras")
    text = PIPELINE.read_text(encoding="utf-8").replace(
        "data_dir: ../data/example/trondelag-2021", "data_dir: ../data/trondelag-2021")
    (root / "pipelines" / "trondelag-2021.yml").write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "reports" / "trondelag-2021", root / "reports" / "trondelag-2021")
    shutil.copytree(REPO / "notebooks", root / "notebooks")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    return root


def data(root: Path, name: str = "") -> Path:
    """A file of the copied data; ``gode/<name>`` for the programme's data."""
    if name.startswith("gode/"):
        return root / "data" / name
    return root / "data" / "trondelag-2021" / name


def pipeline_file(root: Path) -> Path:
    return root / "pipelines" / "trondelag-2021.yml"


def digests(root: Path) -> dict[str, str]:
    """SHA-256 of every file under ``root``."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


# ------------------------------------------------------------------ ways to damage a copy

def sub(path_of: Callable[[Path], Path], old: str, new: str, count: int = 1):
    """Replace ``old`` by ``new`` in a text file (``count`` times; -1 for all)."""
    def damage(root: Path) -> None:
        path = path_of(root)
        text = path.read_text(encoding="utf-8-sig")
        assert old in text, f"{old!r} not in {path.name}"
        bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
        path.write_text(bom + text.replace(old, new, count), encoding="utf-8")
    return damage


def in_data(name: str, old: str, new: str, count: int = 1):
    return sub(lambda r: data(r, name), old, new, count)


def in_pipeline(old: str, new: str, count: int = 1):
    return sub(pipeline_file, old, new, count)


def in_narrative(name: str, old: str, new: str, count: int = 1):
    return sub(lambda r: r / "reports" / "trondelag-2021" / name, old, new, count)


def _delimiter(path: Path) -> str:
    return "," if path.parent.name in ("gode", "toolkit") else ";"


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=_delimiter(path)))


def _write_rows(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, delimiter=_delimiter(path), lineterminator="\n").writerows(rows)
    bom = "\ufeff" if _delimiter(path) == ";" else ""
    path.write_text(bom + out.getvalue(), encoding="utf-8")


def cell(name: str, row: int, column: str, value: str):
    """Set one cell of a semicolon CSV (``row`` as a spreadsheet numbers it)."""
    def damage(root: Path) -> None:
        path = data(root, name)
        rows = _rows(path)
        rows[row - 1][rows[0].index(column)] = value
        _write_rows(path, rows)
    return damage


def column(name: str, col: str, value: str):
    """Set every cell of one column of a semicolon CSV."""
    def damage(root: Path) -> None:
        path = data(root, name)
        rows = _rows(path)
        index = rows[0].index(col)
        for r in rows[1:]:
            r[index] = value
        _write_rows(path, rows)
    return damage


def raw_bytes(name: str, make: Callable[[bytes], bytes]):
    """Replace a data file's bytes by ``make(old bytes)``."""
    def damage(root: Path) -> None:
        path = data(root, name)
        path.write_bytes(make(path.read_bytes()))
    return damage


def nfd(name: str):
    """The file re-saved in Unicode NFD, as a Mac may save it."""
    return raw_bytes(name, lambda b: unicodedata.normalize(
        "NFD", b.decode("utf-8")).encode("utf-8"))


def drop_quote_topic(topic: str):
    """Remove one topic (and its quotes) from quotes.yml."""
    def damage(root: Path) -> None:
        path = data(root, "quotes.yml")
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\n  {topic}:\n(?:    .*\n|      .*\n)*", "\n", text),
                        encoding="utf-8")
    return damage


def remove(path_of: Callable[[Path], Path]):
    def damage(root: Path) -> None:
        path_of(root).unlink()
    return damage


def both(*damages: Callable[[Path], None]):
    def damage(root: Path) -> None:
        for d in damages:
            d(root)
    return damage


def nothing(root: Path) -> None:
    """The example as it is."""
