"""Bad and hostile inputs that must end in a short, located error in bounded time and memory.

Each case damages a copy of the example data (or writes a pipeline around it) and runs
``lnreport validate`` (or ``build``, which refuses before any kernel starts) in a
subprocess that records its time and peak memory. Every case checks that the command
fails with exit status 1 (positive controls: no such error), prints a message naming
the file and where in it, with a fix, prints no traceback, leaves the raw files
byte-identical and stays within its time and memory budget. Cases that must not echo a
file (``/etc/passwd``) check that its contents are absent from the output.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each case runs lnreport in a subprocess (about 45 s in all)

REPO = Path(__file__).resolve().parent.parent.parent
EXAMPLE = REPO / "data" / "example" / "trondelag-2021"
PIPELINE = REPO / "pipelines" / "trondelag-2021.yml"
MEASURE = REPO / "tests" / "fixtures" / "hostile" / "measure.py"
SECRET = Path("/etc/passwd")

SECONDS = 20  # per case: Python start, pandas import and validation of the example
PEAK_MIB = 600  # the example validates in about 200 MiB


@dataclass
class Case:
    """One bad input: how to make it, and what the refusal must say."""

    make: callable  # (folder) -> path to validate, or (command, path)
    where: list[str]  # strings the located message must hold (file, row/column)
    status: int = 1
    env: dict[str, str] = field(default_factory=dict)
    seconds: float = SECONDS
    peak_mib: float = PEAK_MIB
    max_lines: int = 200  # a short report, whatever the input (20 per kind and file)
    secret: bool = False  # the output must not contain /etc/passwd's lines
    whole_file: bool = False  # the problem is the file as a whole: no row or column
    marks: tuple = ()


# --- builders -------------------------------------------------------------------------------


def data(folder: Path) -> Path:
    target = folder / "data"
    shutil.copytree(EXAMPLE, target)
    return target


def pipeline(folder: Path, *, inputs: dict[str, str] | None = None, extra: str = "",
             replace: tuple[str, str] | None = None) -> Path:
    """The example pipeline reading ``folder/data``, with inputs or text changed."""
    data(folder)
    text = PIPELINE.read_text(encoding="utf-8")
    text = text.replace("data_dir: ../data/example/trondelag-2021", "data_dir: data")
    for name, value in (inputs or {}).items():
        start = text.index(f"  {name}: ")
        end = text.index("\n", start)
        text = text[:start] + f"  {name}: {value}" + text[end:]
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    path = folder / "pipeline.yml"
    path.write_text(text + extra, encoding="utf-8")
    if (PIPELINE.parent / "extras").is_dir():  # the network's own facts, beside the pipeline
        shutil.copytree(PIPELINE.parent / "extras", folder / "extras")
    return path


def laughs(levels: int = 9, width: int = 9, indent: str = "") -> str:
    """The "billion laughs": each anchor repeats the previous one ``width`` times."""
    lol = ", ".join(['"lol"'] * width)
    lines = [f"{indent}l0: &l0 [{lol}]"]
    for i in range(1, levels + 1):
        lines.append(f"{indent}l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def append(name: str, text: str):
    def make(folder: Path) -> Path:
        target = data(folder)
        with (target / name).open("a", encoding="utf-8") as fh:
            fh.write(text)
        return target
    return make


def prepend_meta_bomb(folder: Path) -> Path:
    target = data(folder)
    path = target / "codebook.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("meta:\n", "meta:\n" + laughs(indent="  "), 1)
                    if "meta:\n" in text else text + "meta:\n" + laughs(indent="  "),
                    encoding="utf-8")
    return target


def replace_file(name: str, text: str):
    def make(folder: Path) -> Path:
        target = data(folder)
        (target / name).write_text(text, encoding="utf-8")
        return target
    return make


def deep_flow(depth: int) -> str:
    return "deep: " + "[" * depth + "1" + "]" * depth + "\n"


def deep_block(depth: int) -> str:
    return "".join(f"{'  ' * i}k{i}:\n" for i in range(depth)) + "  " * depth + "end\n"


def sparse(name: str, megabytes: int):
    """A file that claims ``megabytes`` without using the disk (a sparse file)."""
    def make(folder: Path) -> Path:
        target = data(folder)
        with (target / name).open("r+b") as fh:
            fh.truncate(megabytes * 1_000_000)
        return target
    return make


def survey_rows(rows: list[str], keep: bool = True):
    """The example survey with rows appended (``keep=False``: header only, then rows)."""
    def make(folder: Path) -> Path:
        target = data(folder)
        path = target / "survey.csv"
        text = path.read_text(encoding="utf-8-sig")
        head = text if keep else text.splitlines()[0] + "\n"
        path.write_text(head + "".join(rows), encoding="utf-8")
        return target
    return make


def survey_header() -> list[str]:
    return (EXAMPLE / "survey.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(";")


def junk_export(megabytes: float):
    """A well-formed export of ``megabytes`` whose every answer is junk."""
    def make(folder: Path) -> Path:
        target = data(folder)
        header = survey_header()
        limit = int(megabytes * 1_000_000)
        with (target / "survey.csv").open("w", encoding="utf-8") as fh:
            fh.write(";".join(header) + "\n")
            size, i = 0, 0
            while size < limit:
                i += 1
                line = ";".join([f"J{i}"] + [f"zz{(i * 7 + j) % 997}"
                                             for j in range(len(header) - 1)]) + "\n"
                fh.write(line)
                size += len(line)
        return target
    return make


def wide_rows(count: int):
    width = len(survey_header())
    return survey_rows([";".join(["X"] * (width + 2)) + "\n" for _ in range(count)])


def duplicate_ids(count: int):
    def make(folder: Path) -> Path:
        target = data(folder)
        path = target / "survey.csv"
        lines = path.read_text(encoding="utf-8-sig").splitlines()
        path.write_text("\n".join(lines + [lines[1]] * count) + "\n", encoding="utf-8")
        return target
    return make


def huge_cell(folder: Path) -> Path:
    """A 1 MB value in a coded column: shown by its start, not printed whole."""
    target = data(folder)
    path = target / "survey.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    cells = lines[1].split(";")
    cells[3] = "x" * 1_000_000  # periode
    lines[1] = ";".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


def xlsx_bomb(folder: Path) -> Path:
    """A workbook of a few kB that unpacks to 20 MB of XML."""
    target = data(folder)
    (target / "survey.csv").unlink()
    with zipfile.ZipFile(target / "survey.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", " " * 20_000_000)
    return target


def junk_activities(rows: int):
    def make(folder: Path) -> Path:
        target = data(folder)
        with (target / "activities.csv").open("a", encoding="utf-8") as fh:
            for i in range(rows):
                fh.write(f"2021-13-{i % 90:02d};Ukjent arena {i};telepati;;mange;\n")
        return target
    return make


def escape(value: str):
    return lambda folder: pipeline(folder, inputs={"activities": value})


def symlink_input(target_of_link: Path | str, name: str = "activities_link.csv"):
    def make(folder: Path) -> Path:
        path = pipeline(folder, inputs={"activities": name})
        (folder / "data" / name).symlink_to(target_of_link)
        return path
    return make


def folder_with_symlinked_survey(folder: Path) -> Path:
    target = data(folder)
    (target / "survey.csv").unlink()
    (target / "survey.csv").symlink_to(SECRET)
    return target


def symlinked_subfolder(folder: Path) -> Path:
    path = pipeline(folder, inputs={"activities": "sub/passwd"})
    (folder / "data" / "sub").symlink_to(SECRET.parent)
    return path


def symlink_loop(folder: Path) -> Path:
    path = pipeline(folder, inputs={"activities": "loop.csv"})
    (folder / "data" / "loop.csv").symlink_to(folder / "data" / "loop.csv")
    return path


def input_is_folder(folder: Path) -> Path:
    path = pipeline(folder, inputs={"activities": "a_folder"})
    (folder / "data" / "a_folder").mkdir()
    return path


def input_is_fifo(folder: Path) -> Path:
    path = pipeline(folder, inputs={"activities": "pipe.csv"})
    os.mkfifo(folder / "data" / "pipe.csv")
    return path


def allowed_outside(folder: Path) -> Path:
    """Positive control: an input in a folder the pipeline allows is read."""
    shared = folder / "shared"
    shared.mkdir()
    shutil.copy(EXAMPLE / "activities.csv", shared / "activities.csv")
    return pipeline(folder, inputs={"activities": "../shared/activities.csv"},
                    extra="allow_paths: [shared]\n")


def symlink_inside(folder: Path) -> Path:
    """Positive control: a link to a file inside the data folder is fine."""
    path = pipeline(folder, inputs={"activities": "link.csv"})
    (folder / "data" / "link.csv").symlink_to(folder / "data" / "activities.csv")
    return path


def pipeline_text(extra: str):
    return lambda folder: pipeline(folder, extra=extra)


def many_aliases(folder: Path) -> Path:
    anchors = "x-shared: &v {a: 1}\n" + "".join(f"x{i}: *v\n" for i in range(1001))
    return append("teams.yml", "\n" + anchors)(folder)


def build(make):
    """Run ``lnreport build`` on what ``make`` gives: it must refuse before any kernel."""
    return lambda folder: ("build", make(folder))


CASES = {
    # YAML: alias bombs, recursion, depth, size, alias count
    "codebook-billion-laughs": Case(append("codebook.yml", "\n" + laughs()),
                                    ["codebook.yml", "row", "alias"]),
    "codebook-bomb-in-meta": Case(prepend_meta_bomb, ["codebook.yml", "row", "alias"]),
    "teams-bomb": Case(append("teams.yml", "\n" + laughs()), ["teams.yml", "row", "alias"]),
    "self-evaluations-bomb": Case(append("self_evaluations.yml", "\n" + laughs()),
                                  ["self_evaluations.yml", "row", "alias"]),
    "quotes-bomb": Case(append("quotes.yml", "\n" + laughs()), ["quotes.yml", "row", "alias"]),
    "pipeline-bomb": Case(pipeline_text("\n" + laughs().replace("l", "x-l")),
                          ["pipeline.yml", "row", "alias"]),
    "codebook-recursive-alias": Case(append("codebook.yml", "\nloop: &loop [1, *loop]\n"),
                                     ["codebook.yml", "row", "recursive"]),
    "codebook-deep-flow": Case(append("codebook.yml", "\n" + deep_flow(5000)),
                               ["codebook.yml", "row", "nests deeper"]),
    "teams-deep-block": Case(append("teams.yml", "\n" + deep_block(150)),
                             ["teams.yml", "row", "nests deeper"]),
    "quotes-deep-flow": Case(append("quotes.yml", "\n" + deep_flow(300)),
                             ["quotes.yml", "row", "nests deeper"]),
    "pipeline-deep-flow": Case(pipeline_text("\n" + deep_flow(200).replace("deep", "x-deep")),
                               ["pipeline.yml", "row", "nests deeper"]),
    "pipeline-very-deep-flow-build": Case(
        build(pipeline_text("\n" + deep_flow(5000).replace("deep", "x-deep"))),
        ["pipeline.yml", "row", "nests deeper"]),
    "teams-many-aliases": Case(many_aliases, ["teams.yml", "row", "aliases"]),
    "codebook-too-large": Case(sparse("codebook.yml", 6), ["codebook.yml", "LNREPORT_MAX_YAML_MB"]),
    # tables: size, zip bomb, junk rows, capped reports
    "survey-too-large": Case(sparse("survey.csv", 150),
                             ["survey.csv", "LNREPORT_MAX_TABLE_MB"]),
    "survey-xlsx-unpacks-too-large": Case(xlsx_bomb, ["survey.xlsx", "unpacked"],
                                          env={"LNREPORT_MAX_TABLE_MB": "1"}, whole_file=True),
    "survey-junk-rows-20mb": Case(junk_export(20), ["survey.csv", "row", "more error(s)"],
                                  seconds=150, marks=(pytest.mark.slow,)),
    "survey-junk-rows-1mb": Case(junk_export(1), ["survey.csv", "row", "more error(s)"],
                                 seconds=40),
    "survey-rows-too-wide": Case(wide_rows(20_000), ["survey.csv", "row", "more error(s)"]),
    "survey-duplicate-ids": Case(duplicate_ids(20_000), ["survey.csv", "row", "more error(s)"]),
    "survey-huge-cell": Case(huge_cell, ["survey.csv", "row 2", "periode"], max_lines=30),
    "activities-junk-rows": Case(junk_activities(5000), ["activities.csv", "row",
                                                         "more error(s)"]),
    # paths: escapes, links, odd files
    "input-parent-escape": Case(escape("../../../../../../../etc/passwd"),
                                ["pipeline.yml", "row", "inputs.activities", "outside"],
                                secret=True),
    "input-absolute": Case(escape(str(SECRET)), ["pipeline.yml", "inputs.activities",
                                                 "outside"], secret=True),
    "input-symlink-out": Case(symlink_input(SECRET), ["pipeline.yml", "inputs.activities",
                                                      "symbolic link"], secret=True),
    "folder-symlinked-survey": Case(folder_with_symlinked_survey,
                                    ["inputs.survey", "symbolic link"], secret=True),
    "input-symlinked-subfolder": Case(symlinked_subfolder,
                                      ["pipeline.yml", "inputs.activities", "symbolic link"],
                                      secret=True),
    "input-symlink-loop": Case(symlink_loop, ["pipeline.yml", "inputs.activities", "loop"]),
    "input-is-folder": Case(input_is_folder, ["pipeline.yml", "inputs.activities",
                                              "not a regular file"]),
    "input-is-fifo": Case(input_is_fifo, ["pipeline.yml", "inputs.activities",
                                          "not a regular file"]),
    "notebook-escape": Case(lambda f: pipeline(f, replace=(
        "notebook: notebooks/metode.ipynb", "notebook: ../../../../../../etc/passwd")),
        ["pipeline.yml", "chapters.", ".notebook", "outside the repository"], secret=True),
    "narrative-escape": Case(lambda f: pipeline(f, replace=(
        "file: trondelag-2021/sammendrag.md", "file: ../../../../../../../etc/passwd")),
        ["pipeline.yml", "narratives.0.file", "outside the repository"], secret=True),
    # positive controls: what the guards must let through
    "allowed-folder-is-read": Case(allowed_outside, [], status=0),
    "symlink-inside-is-read": Case(symlink_inside, [], status=0),
}


def digest(folder: Path) -> dict[str, str]:
    """Bytes of every regular file under ``folder`` (links and pipes are not followed)."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file():
            out[path.relative_to(folder).as_posix()] = "special"
            continue
        with path.open("rb") as fh:
            out[path.relative_to(folder).as_posix()] = hashlib.file_digest(fh, "sha256").hexdigest()
    return out


def run(folder: Path, case: Case, made) -> tuple[dict, str]:
    command, target = made if isinstance(made, tuple) else ("validate", made)
    env = {**os.environ, "LNREPORT_PSEUDONYM_KEY": "test-key-for-hostile-inputs",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
           **case.env}
    result = folder / "result.json"
    done = subprocess.run([sys.executable, str(MEASURE), str(result), command, str(target)],
                          cwd=folder, env=env, capture_output=True, text=True,
                          timeout=case.seconds * 3)
    output = done.stdout + done.stderr
    measured = json.loads(result.read_text(encoding="utf-8")) if result.exists() else {}
    measured["returncode"] = done.returncode
    return measured, output


@pytest.mark.parametrize("name", [pytest.param(n, marks=c.marks) for n, c in CASES.items()])
def test_bad_input_is_refused_briefly_and_in_place(name, tmp_path):
    case = CASES[name]
    folder = tmp_path / name
    folder.mkdir()
    made = case.make(folder)
    before = digest(folder)
    secret = hashlib.sha256(SECRET.read_bytes()).hexdigest()
    measured, output = run(folder, case, made)
    assert "Traceback" not in output, output[-3000:]
    assert measured.get("status") == case.status, output[-3000:]
    assert measured["returncode"] == case.status
    lines = output.splitlines()
    assert len(lines) <= case.max_lines, f"{len(lines)} lines:\n" + "\n".join(lines[:40])
    assert measured["seconds"] < case.seconds, measured
    assert measured["peak_mib"] < case.peak_mib, measured
    if case.status:
        text = "\n".join(lines)
        for word in case.where:
            assert word in text, (word, output[-3000:])
        # the file and the place are on one line, with a fix right under the problems
        assert any(case.where[0] in line and ("row " in line or "column " in line
                                              or case.whole_file)
                   for line in lines), output[-3000:]
        assert "fix:" in text
    if case.secret:
        for line in SECRET.read_text(encoding="utf-8").splitlines():
            if line.strip():
                assert line not in output
    (folder / "result.json").unlink(missing_ok=True)
    assert digest(folder) == before  # raw data, pipeline and links untouched
    assert hashlib.sha256(SECRET.read_bytes()).hexdigest() == secret
