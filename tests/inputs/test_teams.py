"""The network description (teams.yml): teams, arenas, plan, municipalities; bad input."""

from __future__ import annotations

import pytest
from support.files import write as write_file

from lnutils import paths
from lnutils.inputs.teams import load_teams
from lnutils.problems import DataError

EXAMPLE = paths.repo_root() / "data" / "example" / "trondelag-2021" / "teams.yml"

GOOD = """\
network:
  name: Testnettverket
  period: {start: 2019-09, end: 2021-06}
  original_plan:
    - {arena: Samling, month: 2019-10}
  arenas:
    - {name: Samling, counted: true}
    - {name: Teammøter, counted: false}
teams:
  - name: Nord
    kommuneregioner: [Nordregionen]
    municipalities: [Aby, Bby]
    health_trust: Nord DPS
    user_representatives: {start: 0, end: 1}
    improvement_area: Brukerpanel
  - name: Sør
    kommuneregioner: [Sørregionen]
    municipalities: [Cby]
    health_trust: null
    user_representatives: {start: 2, end: 2}
    improvement_area: Ansvarsgrupper
municipalities:
  - {name: Aby, kommuneregion: Nordregionen, county: Testfylke, population: 1000}
  - {name: Bby, kommuneregion: Nordregionen, county: Testfylke, population: 500}
  - {name: Cby, kommuneregion: Sørregionen, county: Testfylke, population: 2500}
"""


def write(tmp_path, text: str):
    return write_file(tmp_path, "teams.yml", text, dedent=True)


def problems(path) -> list:
    with pytest.raises(DataError) as info:
        load_teams(path)
    return info.value.report.errors


def test_a_hand_built_file_loads(tmp_path):
    net = load_teams(write(tmp_path, GOOD))
    assert list(net.teams["name"]) == ["Nord", "Sør"]
    nord, sor = net.teams.iloc[0], net.teams.iloc[1]
    assert nord["municipalities"] == ["Aby", "Bby"]
    # a health trust named means it was there from the start unless the file says not
    assert bool(nord["health_trust_at_start"]) and not bool(sor["health_trust_at_start"])
    assert sor["health_trust"] is None
    assert (nord["user_reps_start"], nord["user_reps_end"]) == (0, 1)
    assert net.period == {"start": "2019-09", "end": "2021-06"}
    assert list(net.arenas["counted"]) == [True, False]
    assert net.municipalities["population"].sum() == 4000
    assert list(net.original_plan["month"]) == ["2019-10"]


def test_the_example_network_loads():
    net = load_teams(EXAMPLE)
    assert len(net.teams) == 6
    assert net.arenas["counted"].sum() == len(net.arenas) - 1  # team meetings not logged
    assert set(net.municipalities["county"]) == {"Trøndelag", "Nordland"}


def test_a_missing_field_is_named_with_its_line_and_key(tmp_path):
    text = GOOD.replace("    improvement_area: Ansvarsgrupper\n", "")
    found = problems(write(tmp_path, text))
    assert len(found) == 1
    p = found[0]
    assert p.column == "teams[1].improvement_area"
    assert p.row == 16  # the line where the second team starts
    assert p.file.endswith("teams.yml")
    assert "improvement_area" in p.message and p.fix


def test_bad_values_are_all_reported(tmp_path):
    text = (GOOD.replace("{start: 0, end: 1}", "{start: -1, end: 1}")
                .replace("municipalities: [Cby]", "municipalities: [Cby, Dby]")
                .replace("month: 2019-10", "month: oktober")
                .replace("name: Sør\n", "name: Nord\n"))
    found = {p.column: p for p in problems(write(tmp_path, text))}
    assert set(found) == {"teams[0].user_representatives.start", "teams[1].municipalities",
                          "network.original_plan[0].month", "teams[1].name"}
    assert found["teams[1].municipalities"].value == "Dby"
    assert found["teams[0].user_representatives.start"].row == 14
    assert "YYYY-MM" in found["network.original_plan[0].month"].fix


def test_not_yaml_names_the_line(tmp_path):
    found = problems(write(tmp_path, "teams:\n  - name: [unclosed\n"))
    assert found[0].row is not None and "YAML" in found[0].message


def test_a_file_without_teams_is_refused(tmp_path):
    found = problems(write(tmp_path, "network: {name: x}\n"))
    assert found[0].column == "teams"
