"""`lnreport validate` finds @fig-/@tbl- references no chapter will define, before any run."""

import shutil
from pathlib import Path

from lnutils.pipeline import load_pipeline
from lnutils.runner.checks import validate_pipeline
from lnutils.runner.reference_checks import check_references

PIPELINE = """\
name: survey
report: {title: Liten}
data_dir: ../data/survey
inputs: {codebook: codebook.yml, survey: survey.csv}
breakdowns: [arena]
sections:
  - id: nytte
    title: Nytte
    questions: [q19, {id: nytte, breakdowns: [arena]}]
chapters:
  - {id: nytte, notebook: notebooks/survey_section.ipynb, parameters: {section: nytte}}
  - {id: gamma, notebook: notebooks/gamma.ipynb}
narratives:
  - {id: tekst, file: tekst.md, position: after, anchor: nytte}
"""


SECTION_NOTEBOOK = Path(__file__).parents[2] / "notebooks" / "survey_section.ipynb"


def _pipeline(repo, text):
    shutil.copy(SECTION_NOTEBOOK, repo / "notebooks" / "survey_section.ipynb")
    (repo / "reports").mkdir(exist_ok=True)
    (repo / "reports" / "tekst.md").write_text(text, encoding="utf-8")
    path = repo / "pipelines" / "med-seksjon.yml"
    path.write_text(PIPELINE, encoding="utf-8")
    return path


def test_references_to_section_labels_resolve_before_any_run(repo):
    text = "Se @fig-nytte-q19 og @fig-nytte-nytte-arena.\n"
    assert check_references(load_pipeline(_pipeline(repo, text))) == []


def test_a_dangling_reference_names_file_line_and_closest_label(repo):
    text = "Innledning.\n\nSe @fig-nytte-q91 og @fig-nytte-nytte.\n"
    problems = check_references(load_pipeline(_pipeline(repo, text)))
    assert [(p.file.endswith("tekst.md"), p.row, p.value) for p in problems] == [
        (True, 3, "@fig-nytte-q91"), (True, 3, "@fig-nytte-nytte")]
    assert problems[0].fix == "did you mean 'fig-nytte-q19'?"
    assert not validate_pipeline(_pipeline(repo, text)).ok
