"""The teams' self-evaluation forms: fields, teams, and personal data for redaction."""

from __future__ import annotations

import re
import textwrap

import pytest
from support.files import write as write_file

from lnutils import paths
from lnutils.inputs.invitations import personal_names
from lnutils.inputs.selfeval import FIELDS, load_self_evaluations
from lnutils.inputs.teams import load_teams
from lnutils.problems import DataError

DATA = paths.repo_root() / "data" / "example" / "trondelag-2021"

FORM = """\
  - team: {team}
    submitted: 2021-06-18
    participants: To fra kommunen og én fra DPS.
    improvement_area: Brukerpanel
    background: Brukerne har hatt lite å si.
    goals: [Et brukerpanel, En fagdag]
    done: Rekruttert tre personer.
    learned: Struktur er viktig.
    smart: Faste møter.
    better: Mer fysisk kontakt.
    way_forward: Utvide panelet.
"""


class FakeDataset(dict):
    """Enough of a Dataset for a loader: ``name in ds`` and ``ds[name]``."""


@pytest.fixture(scope="module")
def dataset():
    return FakeDataset(teams=load_teams(DATA / "teams.yml"))


def write(tmp_path, *forms: str):
    return write_file(tmp_path, "self_evaluations.yml", "forms:\n" + "".join(forms))


def errors(path, dataset=None) -> list:
    with pytest.raises(DataError) as info:
        load_self_evaluations(path, dataset)
    return info.value.report.errors


def test_a_hand_built_form_loads(tmp_path):
    forms = load_self_evaluations(write(tmp_path, FORM.format(team="Fosen")))
    assert list(forms.columns) == ["team", "submitted", *FIELDS]
    form = forms.iloc[0]
    assert form["goals"] == ["Et brukerpanel", "En fagdag"]
    assert form["comments"] == ""  # optional
    assert str(form["submitted"]) == "2021-06-18"


def test_the_example_has_one_form_per_team_and_personal_data_to_redact(dataset):
    forms = load_self_evaluations(DATA / "self_evaluations.yml", dataset)
    assert sorted(forms["team"]) == sorted(dataset["teams"].teams["name"])
    assert forms.warnings == ()
    text = " ".join(" ".join(str(v) for v in row) for row in forms.itertuples())
    assert re.search(r"[\w.-]+@[\w-]+\.example\.no", text)  # e-mail addresses
    assert re.search(r"tlf\. \d{3} \d{2} \d{3}", text)        # phone numbers
    named = [n for n in personal_names(DATA / "invitations.csv") if n in text]
    assert len(named) >= 2  # invited people named in the forms, so redaction has work


def test_missing_fields_unknown_team_and_a_second_form_are_errors(tmp_path, dataset):
    broken = FORM.format(team="Atlantis").replace("    learned: Struktur er viktig.\n", "")
    path = write(tmp_path, FORM.format(team="Fosen"), broken, FORM.format(team="Fosen"),
                 "  - team: Værnes\n    hobby: fisking\n")
    found = {(p.column, p.row) for p in errors(path, dataset)}
    assert ("forms[1].learned", 13) in found         # line of the broken form
    assert ("forms[1].team", 13) in found            # unknown team
    assert ("forms[2].team", 23) in found            # Fosen again
    assert ("forms[3].hobby", 35) in found           # unknown field, on its own line
    assert ("forms[3].goals", 34) in found           # absent: the form's first line


def test_a_team_without_a_form_is_a_warning(tmp_path, dataset):
    forms = load_self_evaluations(write(tmp_path, FORM.format(team="Fosen")), dataset)
    missing = {p.value for p in forms.warnings}
    assert missing == set(dataset["teams"].teams["name"]) - {"Fosen"}


def test_goals_must_be_a_list(tmp_path):
    path = write(tmp_path, FORM.format(team="Fosen").replace(
        "goals: [Et brukerpanel, En fagdag]", "goals: Et brukerpanel"))
    assert [p.column for p in errors(path)] == ["forms[0].goals"]


def test_a_file_without_forms_is_refused(tmp_path):
    path = tmp_path / "self_evaluations.yml"
    path.write_text(textwrap.dedent("teams: []\n"), encoding="utf-8")
    assert errors(path)[0].column == "forms"
