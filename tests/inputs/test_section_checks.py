"""`lnreport validate` checks the question ids of a pipeline's sections and breakdowns."""

import textwrap

import pytest

from lnutils.inputs.section_checks import check_pipeline_sections, closest
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError
from lnutils.runner.checks import validate_pipeline

CODEBOOK = """\
survey: liten
respondent_id: respondent
scales:
  skala6: {kind: rating, codes: {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6"}}
questions:
  - {id: representerer, type: single, options: {1: Kommune, 2: Helseforetak}}
  - {id: periode, type: single, options: {1: Første, 2: Hele}}
  - {id: aktiviteter, type: multi, options: {1: Samling, 2: Webinar}}
  - {id: nytte, type: rating, scale: skala6}
  - {id: q19, type: battery, scale: skala6, items: {a: A, b: B}}
"""
SURVEY = "respondent;representerer;periode;aktiviteter.1;aktiviteter.2;nytte;q19.a;q19.b\n" \
         "r1;1;2;1;0;5;4;3\n"
GOOD = """\
name: liten
report: {title: Liten}
data_dir: data
inputs: {codebook: codebook.yml, survey: survey.csv}
breakdowns: [representerer, periode]
sections:
  - id: profil
    title: Hvem svarte
    questions: [representerer, aktiviteter]
  - id: nytte
    title: Nytte
    breakdowns: [representerer]
    questions:
      - q19
      - {id: nytte, breakdowns: [[representerer, periode], periode]}
chapters:
  - {id: profil, notebook: notebooks/survey_section.ipynb, parameters: {section: profil}}
"""


def _pipeline(tmp_path, text):
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    (data / "codebook.yml").write_text(CODEBOOK, encoding="utf-8")
    (data / "survey.csv").write_text(SURVEY, encoding="utf-8")
    path = tmp_path / "liten.yml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _problems(tmp_path, text):
    return check_pipeline_sections(load_pipeline(_pipeline(tmp_path, text)))


def test_a_good_pipeline_has_no_problems(tmp_path):
    assert _problems(tmp_path, GOOD) == []
    report = validate_pipeline(_pipeline(tmp_path, GOOD))
    assert report.ok, report.format()


def test_unknown_question_is_named_with_line_and_closest_name(tmp_path):
    text = GOOD.replace("questions: [representerer, aktiviteter]",
                        "questions: [representerer, aktivitetr]")
    [problem] = _problems(tmp_path, text)
    assert problem.file.endswith("liten.yml") and problem.row == 9
    assert problem.column == "sections.0.questions.1" and problem.value == "aktivitetr"
    assert "did you mean 'aktiviteter'?" in problem.fix


def test_breakdowns_must_be_declared_background_questions(tmp_path):
    text = (GOOD.replace("breakdowns: [representerer, periode]",
                         "breakdowns: [representerer, periode, nytte]")
            .replace("    breakdowns: [representerer]\n", "    breakdowns: [representrer]\n"))
    problems = {p.column: p for p in _problems(tmp_path, text)}
    assert set(problems) == {"breakdowns.2", "sections.1.breakdowns.0"}
    assert "single-choice or yes/no" in problems["breakdowns.2"].message
    assert problems["breakdowns.2"].row == 5
    assert "did you mean 'representerer'?" in problems["sections.1.breakdowns.0"].fix


def test_own_breakdowns_fit_ratings_only_and_pairs_are_checked_part_by_part(tmp_path):
    text = GOOD.replace("      - q19\n", "      - {id: q19, breakdowns: [periode]}\n").replace(
        "[[representerer, periode], periode]", "[[representerer, perode]]")
    problems = {p.column: p for p in _problems(tmp_path, text)}
    assert set(problems) == {"sections.1.questions.0.id",
                             "sections.1.questions.1.breakdowns.0.1"}
    assert "rating questions only" in problems["sections.1.questions.0.id"].message
    assert problems["sections.1.questions.1.breakdowns.0.1"].row == 15


def test_chapters_name_existing_sections_and_response_needs_invitations(tmp_path):
    text = GOOD.replace("parameters: {section: profil}", "parameters: {section: profl}").replace(
        "    questions: [representerer, aktiviteter]\n",
        "    questions: [representerer, aktiviteter]\n"
        "    response: {organisation: representerer}\n")
    problems = {p.column: p for p in _problems(tmp_path, text)}
    assert set(problems) == {"chapters.0.parameters.section", "sections.0.response.organisation",
                             "sections.0.response"}
    assert "did you mean 'profil'?" in problems["chapters.0.parameters.section"].fix
    assert "organisation_type" in problems["sections.0.response.organisation"].fix


def test_duplicate_section_ids_are_refused_by_the_schema(tmp_path):
    text = GOOD.replace("  - id: nytte\n", "  - id: profil\n")
    with pytest.raises(DataError, match="more than once"):
        load_pipeline(_pipeline(tmp_path, text))


def test_closest_lists_valid_names_when_nothing_is_close():
    assert closest("q19", ["q19x", "q20"]).startswith("did you mean")
    assert closest("zzz", ["a", "b"]) == "use one of: a, b"


def test_paired_questions_are_two_ratings_on_one_scale(tmp_path):
    own = "      - {id: nytte, breakdowns: [[representerer, periode], periode]}\n"
    text = GOOD.replace(own, "      - {id: nytte, paired_with: q19}\n")
    [problem] = _problems(tmp_path, text)
    assert problem.column == "sections.1.questions.1.paired_with"
    assert "only two rating questions" in problem.message
    text = GOOD.replace(own, "      - {id: nytte, paired_with: nyte}\n")
    [problem] = _problems(tmp_path, text)
    assert "did you mean 'nytte'?" in problem.fix


def test_sections_without_a_codebook_are_a_problem(tmp_path):
    text = GOOD.replace("inputs: {codebook: codebook.yml, survey: survey.csv}",
                        "inputs: {survey: survey.csv}")
    [problem] = _problems(tmp_path, text)
    assert problem.column == "inputs" and "codebook" in problem.fix
