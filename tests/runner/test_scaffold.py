"""``lnreport new``: the folder, draft codebook, pipeline and narrative, end to end.

Each test scaffolds into a temporary repository (``LNREPORT_ROOT``) whose ``notebooks``
are the real ones, then checks the draft with ``lnreport validate`` as a user would.
"""

import re
import shutil
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
import yaml

from lnutils import paths
from lnutils.cli import main
from lnutils.facts import facts_for_pipeline
from lnutils.pipeline import load_pipeline
from lnutils.render.placeholders import resolve_text

EXPORT = (
    "Respondent;Startet;Hvilken region hører du til?;Hvor arbeider du?;"
    "Hva deltok du på? - Samlinger;Hva deltok du på? - Webinarer;"
    "I hvilken grad var nettverket nyttig?;"
    "Hvor godt fungerte samarbeidet? - Med kommunene;"
    "Hvor godt fungerte samarbeidet? - Med helseforetaket;Vil du anbefale nettverket?;"
    "Andre kommentarer\r\n"
    "1;01.06.2024 10:00;Øst;Kommune;Samlinger;;4;God;Svært god;Ja;Gode samlinger, takk.\r\n"
    "2;02.06.2024 11:30;Vest;Helseforetak;;Webinarer;5;Dårlig;Vet ikke;Nei;\r\n"
    "3;02.06.2024 12:00;Øst;Kommune;Samlinger;Webinarer;3;Svært god;God;Vet ikke;"
    "Mer tid til teamarbeid hadde hjulpet.\r\n"
    "4;03.06.2024 08:10;Vest;Kommune;Samlinger;;6;God;God;Ja;\r\n")
EXAMPLE = paths.repo_root() / "data" / "example" / "fjordnett-2024"
NOTEBOOKS = paths.repo_root() / "notebooks"
INVITATIONS = ("Navn;E-post;Rolle;Organisasjonstype;Region\n"
               "Kari Nordvang;kari@kommune.example.no;Leder;Kommune;Øst\n"
               "Per Solbakk;per@kommune.example.no;Fagperson;Kommune;Øst\n"
               "Ola Lyngmo;ola@hf.example.no;Fagperson;Helseforetak;Vest\n"
               "Siri Aspelid;siri@kommune.example.no;Fagperson;Kommune;Vest\n"
               "Eva Myrhaug;eva@hf.example.no;Leder;Helseforetak;Vest\n")


@pytest.fixture
def root(tmp_path, monkeypatch):
    """An empty repository with the real notebooks, as LNREPORT_ROOT."""
    repo = tmp_path / "repo"
    repo.mkdir()
    shutil.copytree(NOTEBOOKS, repo / "notebooks")  # a link would lead outside the repository
    monkeypatch.setenv("LNREPORT_ROOT", str(repo))
    return repo


@pytest.fixture
def raw(tmp_path):
    """The raw files as they came: Windows-1252 with CRLF line ends, and the list."""
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "eksport.csv").write_bytes(EXPORT.encode("cp1252"))
    (folder / "inviterte.csv").write_bytes(INVITATIONS.encode("utf-8"))
    return folder


def test_new_writes_a_draft_that_validates(root, raw, capsys):
    status = main(["new", "testnett", "--export", str(raw / "eksport.csv"),
                   "--invitations", str(raw / "inviterte.csv")])
    out = capsys.readouterr().out
    assert status == 0, out
    data = root / "data" / "testnett"
    for name in ["eksport.csv", "inviterte.csv"]:
        assert (data / name).read_bytes() == (raw / name).read_bytes(), name
    reports = sorted(p.name for p in (root / "reports" / "testnett").iterdir())
    assert reports == ["bakgrunn.md", "del2.md", "sammendrag.md"]
    assert "wrote pipelines/testnett.yml" in out and "TODO(evaluator)" in out

    pipeline_file = root / "pipelines" / "testnett.yml"
    assert main(["validate", str(pipeline_file)]) == 0, capsys.readouterr().out
    pipeline = yaml.safe_load(pipeline_file.read_text(encoding="utf-8"))
    assert "facts" not in pipeline
    assert pipeline["inputs"] == {"codebook": "codebook.yml", "survey": "eksport.csv",
                                  "invitations": "inviterte.csv"}
    assert [s["questions"] for s in pipeline["sections"]] == [
        ["q1", "q2", "q3"], ["q4", "q5", "q6", "q7"]]
    assert pipeline["sections"][0]["response"] == {"region": "q1",
                                                   "organisation_type": "q2"}
    chapters = {c["id"]: c for c in pipeline["chapters"]}
    assert list(chapters) == ["bakgrunn", "del2", "metode"]
    assert chapters["bakgrunn"]["parameters"] == {"section": "bakgrunn"}
    assert chapters["bakgrunn"]["inputs"] == ["survey", "invitations"]
    assert chapters["del2"]["notebook"] == "notebooks/survey_section.ipynb"
    assert pipeline["fanout"] == {"parameter": "region", "values_from": "q1"}


def test_the_narrative_holds_placeholders_for_every_question(root, raw):
    assert main(["new", "testnett", "--export", str(raw / "eksport.csv")]) == 0
    texts = "".join(p.read_text(encoding="utf-8")
                    for p in sorted((root / "reports" / "testnett").glob("*.md")))
    codebook = yaml.safe_load((root / "data/testnett/codebook.yml").read_text(encoding="utf-8"))
    for q in codebook["questions"]:
        assert f"{{{{< fact q.{q['id']}." in texts, q["id"]
    keys = set(re.findall(r"\{\{< fact ([^ >]+)", texts))
    assert {"q.q4.mean", "q.q5.best.labels", "q.q3.top.labels", "q.q3.per_person"} <= keys
    assert not re.search(r"\d", re.sub(r"\{\{<.*?>\}\}", "", texts))
    # Ranking words are inside `if` blocks on ties: the linter finds every sentence covered.
    assert main(["lint", str(root / "pipelines" / "testnett.yml"), "--no-facts"]) == 0


def test_the_codebook_marks_what_the_evaluator_must_decide(root, raw):
    assert main(["new", "testnett", "--export", str(raw / "eksport.csv")]) == 0
    text = (root / "data/testnett/codebook.yml").read_text(encoding="utf-8")
    lines = text.splitlines()
    todo = [i for i, line in enumerate(lines) if line.startswith("# TODO(evaluator): ")]
    assert todo
    # The note on the region question's options stands right above that question.
    options_note = next(i for i in todo if "order they first appear" in lines[i])
    assert lines[options_note + 1] == "- id: q1"


def test_new_refuses_to_overwrite_and_writes_nothing(root, raw, capsys):
    (root / "pipelines").mkdir()
    existing = root / "pipelines" / "testnett.yml"
    existing.write_text("name: testnett\n", encoding="utf-8")
    status = main(["new", "testnett", "--export", str(raw / "eksport.csv")])
    err = capsys.readouterr().err
    assert status == 2
    assert "pipelines/testnett.yml" in err and "never overwritten" in err
    assert existing.read_text(encoding="utf-8") == "name: testnett\n"
    assert not (root / "data" / "testnett").exists()
    assert not (root / "reports").exists()


def test_an_export_already_in_the_data_folder_stays_where_it_is(root, raw, capsys):
    data = root / "data" / "testnett"
    data.mkdir(parents=True)
    (data / "eksport.csv").write_bytes((raw / "eksport.csv").read_bytes())
    assert main(["new", "testnett", "--export", str(data / "eksport.csv")]) == 0
    assert "wrote data/testnett/eksport.csv" not in capsys.readouterr().out
    assert (data / "eksport.csv").read_bytes() == (raw / "eksport.csv").read_bytes()
    assert main(["validate", str(root / "pipelines" / "testnett.yml")]) == 0


def test_a_second_run_is_refused(root, raw, capsys):
    assert main(["new", "testnett", "--export", str(raw / "eksport.csv")]) == 0
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and "notebooks" not in
              p.parts}
    assert main(["new", "testnett", "--export", str(raw / "eksport.csv")]) == 2
    assert "codebook.yml" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize(("args", "message"), [
    (["new", "Nytt Nett", "--export", "x.csv"], "not a pipeline name"),
    (["new", "nett", "--export", "missing.csv"], "file not found"),
])
def test_bad_arguments_are_usage_errors(root, raw, capsys, args, message):
    assert main(args) == 2
    assert message in capsys.readouterr().err


def test_an_unreadable_export_is_a_data_error(root, tmp_path, capsys):
    export = tmp_path / "tom.csv"
    export.write_bytes(b"")
    assert main(["new", "nett", "--export", str(export)]) == 1
    assert "empty" in capsys.readouterr().err
    assert not (root / "data").exists()


def test_new_from_an_spss_file(root, tmp_path, capsys):
    frame = pd.DataFrame({"respondent": ["a", "b", "c"], "nytte": [1.0, 5.0, 6.0],
                          "rolle": [1.0, 2.0, 1.0]})
    export = tmp_path / "eksport.sav"
    pyreadstat.write_sav(frame, str(export),
                         column_labels=["Respondent", "Var samlingene nyttige?", "Rolle"],
                         variable_value_labels={
                             "nytte": {1.0: "I svært liten grad", 5.0: "I svært stor grad",
                                       6.0: "Vet ikke"},
                             "rolle": {1.0: "Leder", 2.0: "Fagperson"}})
    assert main(["new", "spssnett", "--export", str(export)]) == 0
    assert (root / "data/spssnett/eksport.sav").read_bytes() == export.read_bytes()
    assert main(["validate", str(root / "pipelines" / "spssnett.yml")]) == 0, \
        capsys.readouterr().out


def test_new_on_the_nettskjema_example(root, capsys):
    """The third example's raw export and list scaffold a draft that validates at once."""
    data = EXAMPLE
    assert main(["new", "nettskjema", "--export", str(data / "survey.csv"),
                 "--invitations", str(data / "invitations.csv")]) == 0
    assert main(["validate", str(root / "pipelines" / "nettskjema.yml")]) == 0, \
        capsys.readouterr().out
    codebook = yaml.safe_load((root / "data/nettskjema/codebook.yml").read_text(encoding="utf-8"))
    types = {q["id"]: q["type"] for q in codebook["questions"]}
    assert types["deltok"] == "multi" and types["samhandling"] == "battery"
    assert types["kommentar"] == "text"
    assert codebook["respondent_id"] == "$submission_id"
    assert Path(root / "data/nettskjema/survey.csv").read_bytes() == \
        (data / "survey.csv").read_bytes()


@pytest.mark.slow
def test_a_scaffold_builds_into_a_report_with_regional_sub_reports(tmp_path, raw, monkeypatch):
    """From an export and a list alone: `lnreport new`, then `lnreport build`, no edits."""
    source = paths.repo_root()
    repo = tmp_path / "repo"
    for folder in ["notebooks", "pipelines"]:
        shutil.copytree(source / folder, repo / folder)
    shutil.copytree(source / "reports", repo / "reports", ignore=shutil.ignore_patterns("_*"))
    shutil.copy(source / "pyproject.toml", repo / "pyproject.toml")
    monkeypatch.setenv("LNREPORT_ROOT", str(repo))
    assert main(["new", "proeve", "--export", str(raw / "eksport.csv"),
                 "--invitations", str(raw / "inviterte.csv")]) == 0
    assert main(["build", str(repo / "pipelines" / "proeve.yml"), "--quiet",
                 "--engine", "pandoc"]) == 0
    built = repo / "reports" / "_build" / "proeve"
    html = (built / "report.html").read_text(encoding="utf-8")
    assert "{{<" not in html and "Om respondentene" in html
    assert sorted(p.name for p in (built / "regions").iterdir()) == ["ost", "vest"]


def test_the_draft_text_holds_when_nobody_answered_a_question(root, raw, capsys):
    """Early in a survey, or in a small region, a question may have no answers yet: the
    draft's sentences then say so instead of stopping the build on a missing mean."""
    assert main(["new", "testnett", "--export", str(raw / "eksport.csv")]) == 0
    data = root / "data" / "testnett" / "eksport.csv"
    lines = data.read_bytes().decode("cp1252").split("\r\n")
    blank = [";".join(cells[:6] + [""] * 5) for cells in (line.split(";") for line in lines[1:])
             if len(cells) > 1]
    empty = root / "tom"
    empty.mkdir()
    (empty / "eksport.csv").write_bytes("\r\n".join([lines[0], *blank, ""]).encode("cp1252"))
    shutil.copy(root / "data" / "testnett" / "codebook.yml", empty / "codebook.yml")
    capsys.readouterr()
    pipeline = str(root / "pipelines" / "testnett.yml")
    assert main(["validate", pipeline, "--data-dir", str(empty)]) == 0, capsys.readouterr().out
    facts = facts_for_pipeline(load_pipeline(pipeline, data_dir=empty))
    text = resolve_text((root / "reports" / "testnett" / "del2.md").read_text(encoding="utf-8"),
                        facts, root / "reports" / "testnett" / "del2.md")
    assert "Ingen ga et svar på skalaen i spørsmålet" in text
    assert "Ingen vurderte påstandene i" in text and "Ingen valgte et svar på" in text
    assert "Ingen skrev et svar på" in text
