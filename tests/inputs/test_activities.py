"""The activity log: events read, checked against the network's arenas and teams."""

from __future__ import annotations

import pandas as pd
import pytest
from support.files import write as write_file

from lnutils import paths
from lnutils.inputs.activities import load_activities
from lnutils.inputs.teams import load_teams
from lnutils.problems import DataError

DATA = paths.repo_root() / "data" / "example" / "trondelag-2021"
HEADER = "dato;arena;form;forbedringsteam;deltakere;merknad\n"


class FakeDataset(dict):
    """Enough of a Dataset for a loader: ``name in ds`` and ``ds[name]``."""


@pytest.fixture(scope="module")
def dataset():
    return FakeDataset(teams=load_teams(DATA / "teams.yml"))


def write(tmp_path, rows: str, header: str = HEADER):
    return write_file(tmp_path, "activities.csv", header + rows)


def errors(path, dataset=None) -> dict:
    with pytest.raises(DataError) as info:
        load_activities(path, dataset)
    return {(p.row, p.column): p for p in info.value.report.errors}


def test_a_hand_built_log_loads(tmp_path, dataset):
    path = write(tmp_path, "2020-02-05;Felles nettverkssamlinger;fysisk;;80;To dager\n"
                           "2020-09-18;Veiledning i forbedringsteamene;Digital;Fosen;6;\n"
                           "2021-01-12;Arbeidsutvalg møter;digital;;;\n")
    log = load_activities(path, dataset)
    assert list(log["date"]) == [pd.Timestamp("2020-02-05"), pd.Timestamp("2020-09-18"),
                                 pd.Timestamp("2021-01-12")]
    assert list(log["mode"]) == ["fysisk", "digital", "digital"]  # case does not matter
    assert log["team"].iloc[1] == "Fosen" and pd.isna(log["team"].iloc[0])
    assert log["participants"].iloc[0] == 80 and pd.isna(log["participants"].iloc[2])


def test_the_example_log_gives_one_row_per_event(dataset):
    log = load_activities(DATA / "activities.csv", dataset)
    counted = set(dataset["teams"].arenas.query("counted")["name"])
    assert set(log["arena"]) <= counted
    assert log["date"].is_monotonic_increasing


def test_every_bad_cell_is_named_by_row_and_column(tmp_path, dataset):
    path = write(tmp_path, "2020-02-05;Felles nettverkssamlinger;fysisk;;80;\n"
                           "05.02.2020;Felles nettverkssamlinger;fysisk;;80;\n"
                           "2020-02-30;Kaffepause;på skype;Atlantis;mange;\n")
    found = errors(path, dataset)
    assert set(found) == {(3, "dato"), (4, "dato"), (4, "arena"), (4, "form"),
                          (4, "forbedringsteam"), (4, "deltakere")}
    assert found[(3, "dato")].value == "05.02.2020"
    assert "YYYY-MM-DD" in found[(3, "dato")].fix
    assert "Felles nettverkssamlinger" in found[(4, "arena")].fix
    assert found[(4, "form")].value == "på skype"
    assert all(p.file.endswith("activities.csv") for p in found.values())


def test_without_a_teams_input_arenas_are_not_checked(tmp_path):
    path = write(tmp_path, "2020-02-05;Kaffepause;fysisk;Atlantis;3;\n")
    assert list(load_activities(path)["arena"]) == ["Kaffepause"]


def test_a_missing_column_is_reported_on_the_header(tmp_path):
    path = write(tmp_path, "2020-02-05;Samling\n", header="dato;arena\n")
    found = errors(path)
    assert list(found) == [(1, "mode")]
    assert "form" in found[(1, "mode")].fix
