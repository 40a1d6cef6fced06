"""A sub-report's own team: every number of its paragraph against the raw example data.

For every region of the example's fan-out, the paragraph the region's chapter shows
(``region_team_text``) is compared with the team's entry in ``teams.yml`` and its rows of
``activities.csv``, read here directly from the files.
"""

import csv
import re

import pytest
import yaml

from lnutils import paths
from lnutils.chapters.teamreport import region_team, region_team_text
from lnutils.inputs.dataset import load_dataset
from lnutils.pipeline import load_pipeline
from lnutils.runner.plan import fanout_values

DATA = paths.data_dir() / "example" / "trondelag-2021"


@pytest.fixture(scope="module")
def example():
    pipeline = load_pipeline(paths.repo_root() / "pipelines" / "trondelag-2021.yml")
    dataset = load_dataset(pipeline)
    return fanout_values(pipeline), dataset["teams"].teams, dataset["activities"]


def _raw_team(region):
    teams = yaml.safe_load((DATA / "teams.yml").read_text(encoding="utf-8"))["teams"]
    return next(t for t in teams if t["name"] == region)


def _raw_log(region):
    with (DATA / "activities.csv").open(encoding="utf-8-sig", newline="") as fh:
        return [row for row in csv.DictReader(fh, delimiter=";")
                if row["forbedringsteam"] == region]


def test_every_region_of_the_fanout_has_a_team(example):
    values, teams, _ = example
    assert values and all(len(region_team(teams, v)) == 1 for v in values)


@pytest.mark.parametrize("index", range(6))
def test_each_number_of_a_regions_paragraph_is_that_regions_own(example, index):
    values, teams, log = example
    region = values[index]
    text = region_team_text(teams, log, region)
    raw, events = _raw_team(region), _raw_log(region)
    munis = raw["municipalities"]
    reps = raw["user_representatives"]
    expected = [len(munis), reps["start"], reps["end"], len(events)]
    expected += sorted(_arena_counts(events).values())
    undated = re.sub(r"\d{1,2}\. \w+ \d{4}", "", text)
    found = [int(n) for n in re.findall(r"\d+", undated)]
    assert found[:4] == expected[:4], text
    assert sorted(found[4:]) == expected[4:], text
    first, last = min(e["dato"] for e in events), max(e["dato"] for e in events)
    shown = re.findall(r"fra (\d{1,2})\. \w+ (\d{4}) til (\d{1,2})\. \w+ (\d{4})", text)
    assert shown == [(str(int(first[8:])), first[:4], str(int(last[8:])), last[:4])], text
    assert all(m in text for m in munis)
    for other in set(values) - {region}:
        assert f"Forbedringsteamet {other} " not in text


def _arena_counts(events):
    counts = {}
    for e in events:
        counts[e["arena"]] = counts.get(e["arena"], 0) + 1
    return counts


def test_a_region_without_a_team_says_so(example):
    _, teams, log = example
    text = region_team_text(teams, log, "Ingensteds")
    assert "ikke et forbedringsteam med navnet Ingensteds" in text and not re.search(r"\d", text)
