"""`lnreport validate` end to end: exit status, messages naming file/row/column, no traceback."""

import csv
import shutil
from pathlib import Path

import pytest
from fixtures.ingest.malformed import MALFORMED

from lnutils.cli import main
from lnutils.inputs import invitations

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch):
    monkeypatch.setenv(invitations.KEY_ENV, "test-key")


def _folder(tmp_path, survey, name="survey.csv"):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(FIXTURES / "codebook.yml", folder / "codebook.yml")
    shutil.copy(FIXTURES / survey, folder / name)
    shutil.copy(FIXTURES / "invitations.csv", folder / "invitations.csv")
    return folder


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out + err


def test_valid_folder_exits_0(tmp_path, capsys):
    status, out = _run(capsys, "validate", str(_folder(tmp_path, "survey_labels.csv")))
    assert status == 0
    assert "0 error(s), 0 warning(s)" in out


def test_warnings_still_exit_0(tmp_path, capsys):
    status, out = _run(capsys, "validate", str(_folder(tmp_path, "warn_mixed_codes_labels.csv")))
    assert status == 0
    assert "WARNING:" in out and "row 3, column 'nytte'" in out


# The .xls fixture is left out: a data folder holds survey.csv or survey.xlsx only.
EXPORTS = [m for m in MALFORMED if not m[0].endswith(".xls")]


@pytest.mark.parametrize(("fixture", "row", "column", "words"), EXPORTS,
                         ids=[f"{m[0]}:{m[1]}" for m in EXPORTS])
def test_malformed_export_exits_1_naming_file_row_column(tmp_path, capsys, fixture, row,
                                                          column, words):
    name = "survey.xlsx" if fixture.endswith(".xlsx") else "survey.csv"
    status, out = _run(capsys, "validate", str(_folder(tmp_path, fixture, name)))
    assert status == 1
    (line,) = [ln for ln in out.splitlines() if words in ln]
    where = [str(tmp_path / "data" / name)]
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column {column!r}")
    assert line.startswith("ERROR: " + ", ".join(where) + ": ")


def test_pipeline_with_missing_data_folder_exits_1(tmp_path, capsys):
    pipeline = tmp_path / "p.yml"
    pipeline.write_text("name: p\nreport: {title: T}\ndata_dir: nowhere\n"
                        "inputs: {codebook: codebook.yml}\n", encoding="utf-8")
    status, out = _run(capsys, "validate", str(pipeline))
    assert status == 1
    assert "column 'data_dir': the data folder the pipeline points at does not exist" in out


def test_data_dir_option(tmp_path, capsys):
    folder = _folder(tmp_path, "bad_duplicate_respondent.csv")
    pipeline = tmp_path / "p.yml"
    pipeline.write_text("name: p\nreport: {title: T}\ndata_dir: nowhere\n"
                        "inputs: {codebook: codebook.yml, survey: survey.csv}\n",
                        encoding="utf-8")
    status, out = _run(capsys, "validate", str(pipeline), "--data-dir", str(folder))
    assert status == 1
    assert "row 4, column 'respondent': respondent 'r02' already appears in row 3" in out


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["validate"])
    assert caught.value.code == 2


CODEBOOKS = sorted(p.name for p in FIXTURES.glob("codebook_bad_*.yml"))
INVITATION_LISTS = sorted(p.name for p in FIXTURES.glob("invitations_bad_*.csv"))


@pytest.mark.parametrize("fixture", CODEBOOKS)
def test_wrong_codebook_exits_1_naming_the_key(tmp_path, capsys, fixture):
    folder = _folder(tmp_path, "survey_codes.csv")
    shutil.copy(FIXTURES / fixture, folder / "codebook.yml")
    status, out = _run(capsys, "validate", str(folder))
    assert status == 1
    first = out.splitlines()[0]
    assert first.startswith(f"ERROR: {folder / 'codebook.yml'}, row ")
    assert "survey.csv" in out and "its codebook has errors" in out


@pytest.mark.parametrize("fixture", INVITATION_LISTS)
def test_bad_invitation_list_exits_1(tmp_path, capsys, fixture):
    folder = _folder(tmp_path, "survey_codes.csv")
    shutil.copy(FIXTURES / fixture, folder / "invitations.csv")
    status, out = _run(capsys, "validate", str(folder))
    assert status == 1
    assert f"ERROR: {folder / 'invitations.csv'}, row " in out


EXAMPLE = Path(__file__).parents[2] / "pipelines" / "trondelag-2021.yml"


@pytest.mark.skipif(not EXAMPLE.exists(), reason="the example pipeline is not in this checkout")
def test_example_pipeline_validates_and_a_damaged_copy_does_not(tmp_path, capsys):
    status, out = _run(capsys, "validate", str(EXAMPLE))
    assert status == 0, out
    # A new wave under test: the same data with one answer out of range, via --data-dir.
    source = EXAMPLE.parents[1] / "data" / "example" / "trondelag-2021"
    copy = shutil.copytree(source, tmp_path / "wave")
    survey = copy / "survey.csv"
    with survey.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f, delimiter=";"))
    rows[1][rows[0].index("nytte_region")] = "9"
    with survey.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f, delimiter=";").writerows(rows)
    status, out = _run(capsys, "validate", str(EXAMPLE), "--data-dir", str(copy))
    assert status == 1
    assert f"ERROR: {survey}, row 2, column 'nytte_region': code 9 is not an answer code" in out
