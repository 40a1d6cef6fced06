"""Loaders of the multi-network inputs: the example data, warnings, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.files import write

from lnutils.inputs.networks import (
    load_gathering_hours,
    load_gatherings,
    load_municipal_goals,
    load_networks,
    load_team_composition,
    load_tools_adopted,
)
from lnutils.problems import WARNING, DataError

DATA = Path(__file__).resolve().parents[2] / "data/example/gode-pasientforlop-2015"
GATHERING_HEADER = ("network,number,kind,month,first_day,last_day,days,participants_about,"
                    "municipalities\n")
NETWORKS_YML = """
total_municipalities_stated: 5
networks:
  - {number: 1, venue: Oslo, stated_municipalities: 3,
     municipalities: [Aby, {name: Bby, groups: 2}]}
  - {number: 2, venue: Bergen, stated_municipalities: 2, municipalities: [Cby, Dby]}
"""


def problems_of(exc: pytest.ExceptionInfo) -> list[tuple]:
    return [(p.row, p.column, p.value) for p in exc.value.report.problems]


@pytest.fixture
def small_networks(tmp_path):
    return load_networks(write(tmp_path, "networks.yml", NETWORKS_YML))


# ---------------------------------------------------------------- networks.yml


def test_example_networks_keep_stated_and_listed_counts():
    net = load_networks(DATA / "networks.yml")
    table = net.table.set_index("network")
    assert table.loc[1, ["stated", "names_listed", "groups_listed"]].tolist() == [13, 12, 13]
    assert table.loc[3, ["stated", "names_listed"]].tolist() == [16, 15]
    assert all(p.severity == WARNING for p in net.warnings)
    assert [p.message.split(":")[0] for p in net.warnings[:2]] == ["network 1", "network 3"]


def test_groups_count_in_the_listed_total(small_networks):
    # network 1: Aby + Bby (2 groups) = 3 groups, 2 names -> stated 3 differs from 2 names
    table = small_networks.table.set_index("network")
    assert table.loc[1, ["names_listed", "groups_listed"]].tolist() == [2, 3]
    messages = [p.message for p in small_networks.warnings]
    assert messages[0] == "network 1: 3 stated, 2 names listed; Bby counted twice (2 groups)"
    assert any("5 municipalities stated in total, 4 distinct" in m for m in messages)


@pytest.mark.parametrize("text, column", [
    ("total_municipalities_stated: 1\nnetworks:\n  - {venue: X, stated_municipalities: 1}\n",
     "networks[0].number"),
    ("total_municipalities_stated: 1\nnetworks:\n  - {number: 1, stated_municipalities: 2,"
     " municipalities: [A, A]}\n", "networks[0].municipalities"),
    ("total_municipalities_stated: 1\nnetworks:\n  - {number: 1, stated_municipalities: 1,"
     " municipalities: [{name: A, groups: 0}]}\n", "networks[0].municipalities[0].groups"),
    ("networks: {}\n", "networks"),
])
def test_bad_networks_file(tmp_path, text, column):
    with pytest.raises(DataError) as exc:
        load_networks(write(tmp_path, "networks.yml", text))
    assert column in [p.column for p in exc.value.report.problems]


# ---------------------------------------------------------------- gatherings


def test_example_gatherings():
    g = load_gatherings(DATA / "gatherings.csv")
    assert len(g) == 16 and g["joint"].sum() == 1
    joint = g[g["joint"]].iloc[0]
    assert (joint["participants_about"], joint["municipalities"]) == (300, 57)


@pytest.mark.parametrize("row, expected", [
    ("1,1,nettverkssamling,2014-13,,,2,,", (2, "month", "2014-13")),
    ("1,1,nettverkssamling,2014-09,2014-09-17,2014-09-19,2,,", (2, "days", "2")),
    ("1,1,nettverkssamling,2014-09,2014-10-01,2014-10-02,2,,", (2, "first_day", "2014-10-01")),
    ("1,1,fellessamling,2015-12,,,2,300,57", (2, "network", "1")),
    ("1,1,samling,2014-09,,,2,,", (2, "kind", "samling")),
    ("9,1,nettverkssamling,2014-09,,,2,,", (2, "network", "9")),
    ("1,1,nettverkssamling,2014-09,,,to,,", (2, "days", "to")),
])
def test_bad_gatherings(tmp_path, small_networks, row, expected):
    path = write(tmp_path, "g.csv", GATHERING_HEADER + row + "\n")
    with pytest.raises(DataError) as exc:
        load_gatherings(path, {"networks": small_networks})
    assert problems_of(exc) == [expected]


def test_repeated_gathering(tmp_path):
    row = "1,1,nettverkssamling,2014-09,,,2,,\n"
    with pytest.raises(DataError) as exc:
        load_gatherings(write(tmp_path, "g.csv", GATHERING_HEADER + row + row))
    assert problems_of(exc) == [(3, "number", 1)]


def test_missing_column_is_named(tmp_path):
    with pytest.raises(DataError) as exc:
        load_gathering_hours(write(tmp_path, "h.csv", "gathering,hours\n1,3\n"))
    assert problems_of(exc) == [(1, "kind", None)]


# ---------------------------------------------------------------- hours and goals


def test_hours_accept_a_decimal_comma(tmp_path):
    hours = load_gathering_hours(write(tmp_path, "h.csv",
                                       'gathering,kind,hours\n1,eksterne,"3,75"\n'))
    assert hours["hours"].tolist() == [3.75]
    assert hours["label"].tolist() == ["Eksterne foredrag"]


@pytest.mark.parametrize("rows, expected", [
    ("1,pause,1\n", [(2, "kind", "pause")]),
    ("1,eksterne,-1\n", [(2, "hours", "-1")]),
    ("1,eksterne,1\n1,eksterne,2\n", [(3, "kind", "eksterne")]),
])
def test_bad_hours(tmp_path, rows, expected):
    with pytest.raises(DataError) as exc:
        load_gathering_hours(write(tmp_path, "h.csv", "gathering,kind,hours\n" + rows))
    assert problems_of(exc) == expected


def test_goals_need_ranks_without_gaps(tmp_path):
    text = "rank,category,theme,municipalities\n1,Mål A,x,3\n3,Mål B,x,2\n"
    with pytest.raises(DataError) as exc:
        load_municipal_goals(write(tmp_path, "g.csv", text))
    assert problems_of(exc) == [(None, "rank", None)]


def test_goal_counts_rising_with_rank_is_a_warning(tmp_path):
    text = "rank,category,theme,municipalities\n1,Mål A,x,2\n2,Mål B,x,3\n"
    goals = load_municipal_goals(write(tmp_path, "g.csv", text))
    assert [(p.row, p.severity) for p in goals.warnings] == [(3, WARNING)]


def test_example_goals():
    goals = load_municipal_goals(DATA / "municipal_goals.csv")
    assert goals["rank"].tolist() == list(range(1, len(goals) + 1))
    assert not goals.warnings


# ---------------------------------------------------------------- team and tools


def test_team_roles_and_unknown_municipality(tmp_path, small_networks):
    text = ("network,municipality,team,gathering,role,present,count,note\n"
            "1,Aby,,1,nav,ja,,\n1,Cby,,1,dps,ja,,\n1,Aby,,1,sjef,ja,,\n1,Aby,,1,nav,kanskje,,\n")
    with pytest.raises(DataError) as exc:
        load_team_composition(write(tmp_path, "t.csv", text), {"networks": small_networks})
    assert problems_of(exc) == [(3, "municipality", "Cby"), (4, "role", "sjef"),
                                (5, "present", "kanskje")]


def test_team_composition_loads(tmp_path):
    text = ("network,municipality,team,gathering,role,present,count,note\n"
            "1,Aby,,1,brukerrepresentant,nei,,\n1,Aby,,2,brukerrepresentant,ja,2,\n")
    team = load_team_composition(write(tmp_path, "t.csv", text))
    assert team["present"].tolist() == [False, True]
    assert team["team"].tolist() == ["Aby", "Aby"]  # a blank team is the municipality's own


def test_tools(tmp_path):
    header = "network,municipality,tool,status,gathering,note\n"
    tools = load_tools_adopted(write(tmp_path, "t.csv", header + "1,Aby,kor,i_bruk,1,\n"))
    assert tools["tool_label"].tolist() == ["KOR"]
    with pytest.raises(DataError) as exc:
        load_tools_adopted(write(tmp_path, "t.csv", header + "1,Aby,kor,i_bruk,1,\n"
                                 "1,Aby,kor,planlagt,2,\n1,Aby,fit,i_bruk,1,\n"))
    assert problems_of(exc) == [(3, "tool", "kor"), (4, "tool", "fit")]


def test_example_team_and_tools_agree_with_the_network_lists():
    net = load_networks(DATA / "networks.yml")
    data = {"networks": net}
    assert len(load_team_composition(DATA / "team_composition.csv", data)) > 0
    tools = load_tools_adopted(DATA / "tools_adopted.csv", data)
    assert set(tools["municipality"]) <= set(net.municipalities["municipality"])
