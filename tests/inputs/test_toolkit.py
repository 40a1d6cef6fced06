"""Toolkit scoring: the source's worked examples, the documented decisions, bad input."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
import yaml
from support.files import write

from lnutils.inputs.toolkit import (
    ToolkitError,
    check_score,
    checklist_points,
    conversation_mean,
    load_toolkit_spec,
    parse_scores,
    perceived_benefit,
    programme_fidelity,
    score_checklist,
    score_form,
)
from lnutils.inputs.toolkit_forms import load_toolkit_checklists, load_toolkit_forms
from lnutils.problems import DataError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "toolkit"
REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "gode-pasientforlop-2015.yml"
HEADER = "form,municipality,user,activity,date_1,score_1,date_2,score_2\n"
STEPS = ",".join(f"step_{i}" for i in range(1, 11))


@pytest.fixture(scope="module")
def reference_toolkit() -> dict:
    if not REFERENCE.exists():
        pytest.skip("reference facts not available")
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))["toolkit"]


@pytest.fixture(scope="module")
def spec():
    return load_toolkit_spec(FIXTURES / "toolkit.yml")


def only_problem(exc: pytest.ExceptionInfo):
    problems = exc.value.report.problems
    assert len(problems) == 1, [p.format() for p in problems]
    return problems[0]


# ---------------------------------------------------------------- worked examples


def test_form_worked_example_from_the_reference(reference_toolkit):
    example = reference_toolkit["what_matters_form"]["worked_example"]
    first = parse_scores(example["first_conversation"])
    second = parse_scores(example["second_conversation"])
    assert conversation_mean(first) == example["mean_first"]
    assert conversation_mean(second) == example["mean_second"]
    assert perceived_benefit(first, second) == example["perceived_benefit"]


def test_checklist_worked_example_from_the_reference(reference_toolkit):
    example = reference_toolkit["collaboration_checklist"]["worked_example"]
    points = checklist_points(example["item_points"])
    assert points == example["points"]
    assert 100 * programme_fidelity(points) == example["programme_fidelity_pct"]


def test_checklist_points_one_for_done_and_not_relevant():
    score = score_checklist(["ja", "ikke_aktuelt", "nei", "ja", "ja",
                             "nei", "ja", "ja", "ikke_aktuelt", "ja"])
    assert (score.points, score.fidelity, score.missed_steps) == (8, 0.8, (3, 6))
    assert not score.all_not_relevant


# ---------------------------------------------------------------- decisions


def test_changed_activities_are_left_out_of_the_benefit():
    # shared: a (2 -> 5) and b (4 -> 4): means 3.0 and 4.5, benefit 1.5
    score = score_form({"a": 2, "b": 4, "c": 6}, {"a": 5, "b": 4, "d": 9})
    assert (score.status, score.mean_first, score.mean_second) == ("complete", 3.0, 4.5)
    assert score.benefit == 1.5 and score.n_paired == 2
    assert (score.only_first, score.only_second) == (("c",), ("d",))


def test_activities_match_ignoring_case_and_spacing():
    score = score_form({"Trene  jevnlig": 2}, {"trene jevnlig": 7})
    assert score.benefit == 5.0 and score.only_first == ()


def test_no_shared_activity_has_no_benefit():
    score = score_form({"a": 2}, {"b": 7})
    assert score.status == "unpaired" and math.isnan(score.benefit)
    assert score.improved is None


def test_missing_second_conversation_is_pending():
    score = score_form({"a": 3, "b": 4})
    assert (score.status, score.mean_first) == ("pending", 3.5)
    assert math.isnan(score.benefit) and score.improved is None


def test_no_change_is_not_an_improvement():
    assert score_form({"a": 3}, {"a": 3}).improved is False


def test_all_steps_not_relevant_scores_ten_but_is_flagged():
    score = score_checklist(["ikke_aktuelt"] * 10)
    assert (score.points, score.fidelity, score.all_not_relevant) == (10, 1.0, True)


@pytest.mark.parametrize("bad", [0, 11, 2.5, -1])
def test_scores_outside_the_scale_are_rejected(bad):
    with pytest.raises(ToolkitError):
        check_score(bad)


def test_rule_errors():
    with pytest.raises(ToolkitError, match="at least one"):
        conversation_mean([])
    with pytest.raises(ToolkitError, match="same activities"):
        perceived_benefit([1, 2], [3])
    with pytest.raises(ToolkitError, match="unknown step status"):
        score_checklist(["ja"] * 9 + ["kanskje"])
    with pytest.raises(ToolkitError, match="0 or 1"):
        checklist_points("1, 2, 0")
    with pytest.raises(ToolkitError):
        programme_fidelity(11)
    with pytest.raises(ToolkitError, match="whole numbers"):
        parse_scores("1, fire")


# ---------------------------------------------------------------- loaders


def test_forms_are_scored_as_worked_out_by_hand(spec):
    forms = load_toolkit_forms(FIXTURES / "forms.csv", {"toolkit_spec": spec})
    table = forms.forms.set_index("form")
    assert table.loc["F1", ["mean_first", "mean_second", "benefit"]].tolist() == [2.0, 5.0, 3.0]
    assert table.loc["F2", ["n_paired", "benefit", "improved"]].tolist() == [1, -2.0, False]
    assert table.loc["F3", "status"] == "pending" and table.loc["F3", "mean_first"] == 3.5
    assert len(forms.scores) == 4 * 2 + (2 + 1 + 1) + 2  # F1, F2 (Jobb twice), F3
    (warning,) = forms.warnings
    assert warning.row == 6 and "Trening; Matlaging" in warning.value


def test_checklists_are_scored_with_team_steps(spec):
    lists = load_toolkit_checklists(FIXTURES / "checklists.csv", {"toolkit_spec": spec})
    table = lists.checklists.set_index("checklist")
    assert table["points"].tolist() == [8, 7, 8, 10]
    assert table["all_not_relevant"].tolist() == [False, False, False, True]
    step8 = lists.steps[(lists.steps["checklist"] == "S3") & (lists.steps["step"] == 8)]
    assert step8[["label", "team_specific"]].values.tolist() == [["Eget steg", True]]
    assert [w.row for w in lists.warnings] == [5]


@pytest.mark.parametrize("cell, column, message", [
    ("11", "score_1", "outside 1-10"),
    ("0", "score_1", "outside 1-10"),
    ("4,5", "score_1", "not a whole number"),
])
def test_bad_scores_name_file_row_and_column(tmp_path, cell, column, message):
    path = write(tmp_path, "forms.csv",
                 HEADER + "F1,Aby,U1,Bolig,2015-03-02,2,,\n"
                 f'F1,Aby,U1,Venner,2015-03-02,"{cell}",,\n')
    with pytest.raises(DataError) as exc:
        load_toolkit_forms(path)
    problem = only_problem(exc)
    assert (problem.row, problem.column, problem.value) == (3, column, cell)
    assert message in problem.message and problem.file.endswith("forms.csv")


@pytest.mark.parametrize("rows, row, column, message", [
    ("F1,Aby,U1,Bolig,,,2015-06-01,5\n", 2, "score_1", "second conversation but no first"),
    ("F1,Aby,U1,Bolig,2015-06-01,2,2015-03-01,5\n", 2, "date_2", "before the first"),
    ("F1,Aby,U1,Bolig,2015-03-01,2,,\nF1,Aby,U1,bolig,2015-03-01,3,,\n", 3, "activity",
     "same activity"),
    ("F1,Aby,U1,Bolig,2015-03-01,2,,\nF1,Aby,U9,Jobb,2015-03-01,3,,\n", 3, "user",
     "one user"),
    ("F1,Aby,U1,Bolig,2015-03-01,2,,5\n", 2, "date_2", "needs the date"),
    ("F1,Aby,U1,Bolig,,,,\n", 2, "score_1", "no score"),
])
def test_broken_form_rules_are_errors(tmp_path, rows, row, column, message):
    with pytest.raises(DataError) as exc:
        load_toolkit_forms(write(tmp_path, "forms.csv", HEADER + rows))
    problem = only_problem(exc)
    assert (problem.row, problem.column) == (row, column)
    assert message in f"{problem.message} / {problem.fix}"


def test_unknown_checklist_status_names_row_and_column(tmp_path):
    path = write(tmp_path, "c.csv", f"checklist,form,municipality,date,{STEPS}\n"
                 "S1,F1,Aby,2015-06-01,ja,ja,ja,kanskje,ja,ja,ja,ja,ja,ja\n")
    with pytest.raises(DataError) as exc:
        load_toolkit_checklists(path)
    problem = only_problem(exc)
    assert (problem.row, problem.column, problem.value) == (2, "step_4", "kanskje")


def test_spaced_status_is_accepted(tmp_path):
    path = write(tmp_path, "c.csv", f"checklist,form,municipality,date,{STEPS}\n"
                 "S1,F1,Aby,2015-06-01,Ja,Ikke aktuelt,ja,ja,ja,ja,ja,ja,ja,NEI\n")
    assert load_toolkit_checklists(path).checklists["points"].tolist() == [9]


def test_a_team_cannot_add_an_eleventh_step(tmp_path):
    path = write(tmp_path, "c.csv", f"checklist,form,municipality,date,{STEPS},step_11\n"
                 "S1,F1,Aby,2015-06-01" + ",ja" * 11 + "\n")
    with pytest.raises(DataError) as exc:
        load_toolkit_checklists(path)
    assert only_problem(exc).column == "step_11"


def test_checklist_steps_are_checked_against_the_form(spec):
    forms = load_toolkit_forms(FIXTURES / "forms.csv", {"toolkit_spec": spec})
    data = {"toolkit_spec": spec, "toolkit_forms": forms}
    lists = load_toolkit_checklists(FIXTURES / "checklists.csv", data)
    assert [w.row for w in lists.warnings] == [5]  # F3's step 9 is "nei": consistent


def test_step_nine_done_without_second_conversation_is_a_warning(tmp_path, spec):
    forms = load_toolkit_forms(FIXTURES / "forms.csv", {"toolkit_spec": spec})
    path = write(tmp_path, "c.csv", f"checklist,form,municipality,date,{STEPS}\n"
                 "S1,F3,Bby,2015-06-01" + ",ja" * 10 + "\n")
    lists = load_toolkit_checklists(path, {"toolkit_spec": spec, "toolkit_forms": forms})
    assert [(w.row, w.column) for w in lists.warnings] == [(2, "step_9")]


def test_spec_rejects_replacing_a_step_that_does_not_exist(tmp_path):
    text = (FIXTURES / "toolkit.yml").read_text(encoding="utf-8").replace(
        "      8: {label: Eget steg}", "      11: {label: Eget steg}")
    with pytest.raises(DataError) as exc:
        load_toolkit_spec(write(tmp_path, "toolkit.yml", text))
    assert "cannot add steps" in only_problem(exc).fix


def test_spec_gives_each_team_its_steps(spec):
    assert spec.steps_for("Bby")[8].label == "Eget steg"
    assert spec.steps_for("Aby")[8].label == "Steg åtte"
    assert spec.scale == (1, 10) and len(spec.steps) == 10
