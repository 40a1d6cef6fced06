"""validate_path: pipelines and data folders, every input, every problem, never a traceback."""

import shutil
import textwrap
import warnings
from pathlib import Path

import pytest

from lnutils.inputs import dataset, invitations
from lnutils.inputs.validation import validate_path

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture(autouse=True)
def _pseudonym_key(monkeypatch):
    monkeypatch.setenv(invitations.KEY_ENV, "test-key")


def _folder(tmp_path, survey="survey_codes.csv", name="survey.csv", invitations_file=True):
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    shutil.copy(FIXTURES / "codebook.yml", folder / "codebook.yml")
    if survey:
        shutil.copy(FIXTURES / survey, folder / name)
    if invitations_file:
        shutil.copy(FIXTURES / "invitations.csv", folder / "invitations.csv")
    return folder


def _pipeline(tmp_path, data_dir="data", inputs=None):
    inputs = inputs or {"codebook": "codebook.yml", "survey": "survey.csv",
                        "invitations": "invitations.csv"}
    lines = "\n".join(f"  {k}: {v}" for k, v in inputs.items())
    path = tmp_path / "pipelines" / "test.yml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(textwrap.dedent(f"""\
        name: test
        report: {{title: Test}}
        data_dir: ../{data_dir}
        inputs:
        """) + lines + "\n", encoding="utf-8")
    return path


def test_valid_data_folder(tmp_path):
    report = validate_path(_folder(tmp_path))
    assert report.ok, report.format()
    assert [Path(c).name for c in report.checked] == [
        "codebook.yml", "survey.csv", "invitations.csv"]


def test_data_folder_with_xlsx_survey_and_no_invitations(tmp_path):
    import openpyxl

    folder = _folder(tmp_path, survey=None, invitations_file=False)
    book = openpyxl.Workbook()
    book.active.append(["respondent", "arena", "region", "aktiviteter", "nytte",
                        "ledere_spurte", "arenaer.samling", "arenaer.webinar", "kommentar"])
    book.active.append(["r1", 1, 2, "Webinar", 4, "Ja", 5, 6, None])
    book.save(folder / "survey.xlsx")
    report = validate_path(folder)
    assert report.ok, report.format()
    assert [Path(c).name for c in report.checked] == ["codebook.yml", "survey.xlsx"]


def test_data_folder_without_survey(tmp_path):
    report = validate_path(_folder(tmp_path, survey=None))
    (problem,) = report.errors
    assert problem.file.endswith("survey.csv")
    assert "no survey file" in problem.message


def test_data_folder_with_two_surveys(tmp_path):
    folder = _folder(tmp_path)
    shutil.copy(FIXTURES / "survey_codes.csv", folder / "survey.xlsx")
    (problem,) = validate_path(folder).errors
    assert "more than one survey file" in problem.message


def test_missing_path_and_data_dir_with_a_folder(tmp_path):
    assert "no such file" in validate_path(tmp_path / "nope").errors[0].message
    report = validate_path(_folder(tmp_path), data_dir=tmp_path)
    assert "--data-dir applies to a pipeline file" in report.errors[0].message


def test_valid_pipeline(tmp_path):
    _folder(tmp_path)
    report = validate_path(_pipeline(tmp_path))
    assert report.ok, report.format()
    assert len(report.checked) == 4  # the pipeline file and its three inputs


def test_pipeline_pointing_at_a_missing_data_folder(tmp_path):
    report = validate_path(_pipeline(tmp_path, data_dir="missing"))
    (problem,) = report.errors
    assert problem.file.endswith("test.yml")
    assert problem.column == "data_dir"
    assert "does not exist" in problem.message


def test_pipeline_with_missing_input_files(tmp_path):
    _folder(tmp_path, invitations_file=False)
    path = _pipeline(tmp_path, inputs={"codebook": "codebook.yml", "survey": "svar.csv",
                                       "invitations": "invitations.csv"})
    report = validate_path(path)
    assert {(Path(p.file).name, p.column) for p in report.errors} == {
        ("svar.csv", "inputs.survey"), ("invitations.csv", "inputs.invitations")}


def test_data_dir_override_reads_another_folder(tmp_path):
    _folder(tmp_path)
    wave2 = tmp_path / "wave2"
    shutil.copytree(tmp_path / "data", wave2)
    shutil.copy(FIXTURES / "bad_code_out_of_range.csv", wave2 / "survey.csv")
    pipeline = _pipeline(tmp_path)
    assert validate_path(pipeline).ok
    report = validate_path(pipeline, data_dir=wave2)
    (problem,) = report.errors
    assert problem.file == str(wave2 / "survey.csv")
    assert (problem.row, problem.column) == (3, "nytte")
    missing = validate_path(pipeline, data_dir=tmp_path / "nope")
    assert missing.errors[0].column == "--data-dir"


def test_problems_of_every_input_in_one_run(tmp_path):
    folder = _folder(tmp_path, survey="bad_routing.csv")
    shutil.copy(FIXTURES / "invitations_bad_empty_role.csv", folder / "invitations.csv")
    report = validate_path(folder)
    assert {Path(p.file).name for p in report.errors} == {"survey.csv", "invitations.csv"}


def test_broken_codebook_skips_the_survey_with_a_warning(tmp_path):
    folder = _folder(tmp_path)
    shutil.copy(FIXTURES / "codebook_bad_routing_unknown.yml", folder / "codebook.yml")
    report = validate_path(folder)
    assert [p.column for p in report.errors] == ["questions[1].routing.question"]
    (skipped,) = [w for w in report.warnings if Path(w.file).name == "survey.csv"]
    assert "its codebook has errors" in skipped.message


def test_loader_not_written_yet_is_a_warning(tmp_path, monkeypatch):
    _folder(tmp_path)
    (tmp_path / "data" / "teams.yml").write_text("[]\n", encoding="utf-8")
    monkeypatch.setitem(dataset.LOADERS, "teams", "lnutils.not_written_yet:load_teams")
    report = validate_path(tmp_path / "data")
    assert report.ok
    (warning,) = report.warnings
    assert Path(warning.file).name == "teams.yml"
    assert "loader of 'teams' is not available" in warning.message


def test_crashing_loader_is_an_error_not_a_traceback(tmp_path, monkeypatch):
    _folder(tmp_path)
    (tmp_path / "data" / "quotes.yml").write_text("{}\n", encoding="utf-8")
    module = tmp_path / "crashing_loader.py"
    module.write_text("def load(path, dataset):\n    raise ValueError('boom')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(dataset.LOADERS, "quotes", "crashing_loader:load")
    (problem,) = validate_path(tmp_path / "data").errors
    assert "ValueError: boom" in problem.message
    assert Path(problem.file).name == "quotes.yml"


def test_loader_warnings_are_reported(tmp_path, monkeypatch):
    monkeypatch.delenv(invitations.KEY_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the key warning goes into the report, not to Python
        report = validate_path(_folder(tmp_path, survey="warn_mixed_codes_labels.csv"))
    assert report.ok
    messages = [w.message for w in report.warnings]
    assert len(messages) == 2
    assert "mixes answer codes" in messages[0] and "development key" in messages[1]


def test_python_warnings_of_a_loader_become_report_warnings(tmp_path, monkeypatch):
    _folder(tmp_path)
    (tmp_path / "data" / "quotes.yml").write_text("{}\n", encoding="utf-8")
    module = tmp_path / "warning_loader.py"
    module.write_text("import warnings\n\ndef load(path, dataset):\n"
                      "    warnings.warn('two quotes share a key')\n    return {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(dataset.LOADERS, "quotes", "warning_loader:load")
    report = validate_path(tmp_path / "data")
    assert report.ok
    (warning,) = report.warnings
    assert Path(warning.file).name == "quotes.yml"
    assert warning.message == "two quotes share a key"


def test_a_codebook_or_export_given_as_path_gets_a_hint(tmp_path):
    folder = _folder(tmp_path)
    (problem,) = validate_path(folder / "codebook.yml").errors
    assert "this is a codebook" in problem.message and str(folder) in problem.fix
    (problem,) = validate_path(folder / "survey.csv").errors
    assert "not a pipeline file or a data folder" in problem.message
