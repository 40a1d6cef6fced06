"""Perturbed example data: the texts either stay true or the build names the false claim.

The copy has the ranking of question 19 reversed, «Vet ikke» where there was none, the
health-trust respondents removed (their count is then a 0, and the group is no longer
compared), every leader «asked», nobody finding digital tools
useful, no physical meeting after March 2020, one region per team and one team ended.

A fast check: the facts are computed from a changed copy of the data (``--data-dir``)
and every narrative and notebook Markdown cell is resolved with them, as the render
does, without executing a notebook (``lnutils.render.lint.check_pipeline_texts``).
"""

import shutil

import pandas as pd
import pytest
import yaml

from lnutils import paths
from lnutils.facts import facts_for_pipeline
from lnutils.pipeline import load_pipeline
from lnutils.render.lint import check_pipeline_texts
from lnutils.render.placeholders import resolve_text

PIPELINE = "trondelag-2021"


def _resolved(pipeline, facts, name):
    path = paths.reports_dir() / PIPELINE / f"{name}.md"
    return " ".join(resolve_text(path.read_text(encoding="utf-8"), facts, path).split())


@pytest.fixture(scope="module")
def shipped():
    pipeline = load_pipeline(paths.repo_root() / "pipelines" / f"{PIPELINE}.yml")
    return pipeline, facts_for_pipeline(pipeline)


@pytest.fixture(scope="module")
def perturbed(tmp_path_factory, shipped):
    """The example data with answers, the activity log and the teams changed."""
    source = shipped[0].data_dir
    data = tmp_path_factory.mktemp("perturbed") / "data"
    shutil.copytree(source, data)
    survey = pd.read_csv(data / "survey.csv", sep=";", dtype=str, encoding="utf-8-sig",
                         keep_default_na=False)
    survey["ledere_spurte"] = "Ja"          # «Bare 15 av 35» would now be false
    survey["ledere_spurte_nei"] = ""        # routed to «Nei» only
    survey["digitalt"] = "Nei"              # «Hele 24 av 35» would now be false
    steps = ["I meget liten grad", "I liten grad", "I noe grad", "I stor grad",
             "I meget stor grad"]
    reverse = dict(zip(steps, reversed(steps), strict=True))
    for column in [c for c in survey if c.startswith("q19.")]:
        survey[column] = survey[column].map(lambda v: reverse.get(v, v))  # ranking reversed
    survey.loc[survey.index[:3], "q19.relasjoner"] = "Vet ikke"   # where there were none
    survey = survey[survey["representerer"] != "Helseforetak"]      # a group emptied
    survey.to_csv(data / "survey.csv", sep=";", index=False, encoding="utf-8-sig")
    log = pd.read_csv(data / "activities.csv", sep=";", dtype=str, keep_default_na=False)
    after = (log["dato"] >= "2020-03-12") & (log["form"] == "fysisk")
    log.loc[after, "form"] = "digital"      # no physical meeting after the pandemic began
    log.to_csv(data / "activities.csv", sep=";", index=False)
    teams = yaml.safe_load((data / "teams.yml").read_text(encoding="utf-8"))
    for team in teams["teams"]:
        if len(team["kommuneregioner"]) > 1:  # one region per team: «ett i hver» holds
            team["kommuneregioner"] = team["kommuneregioner"][:1]
    teams["teams"][0]["status"] = "Avsluttet"  # «Alle teamene melder at arbeidet pågår»
    (data / "teams.yml").write_text(yaml.safe_dump(teams, allow_unicode=True),
                                    encoding="utf-8")
    pipeline = load_pipeline(shipped[0].path, data_dir=data)
    return pipeline, facts_for_pipeline(pipeline)


def test_shipped_texts_hold_on_the_shipped_data(shipped):
    pipeline, facts = shipped
    assert check_pipeline_texts(pipeline, facts) == []
    summary = _resolved(pipeline, facts, "sammendrag")
    teams = facts["network.improvement_teams"]
    regions = facts["network.kommuneregioner_participating"]
    assert teams < regions
    assert f"{regions} kommuneregioner deltok, med {teams} forbedringsteam" in summary
    assert "dekket flere kommuneregioner" in summary
    assert "ett i hver kommuneregion" not in summary
    physical = facts["activities.physical_after_pandemic"]
    assert physical > 0 and f"og {physical} fysiske (det siste fysiske møtet var" in summary


def test_false_claims_fail_naming_file_line_claim_and_values(perturbed):
    pipeline, facts = perturbed
    problems = "\n".join(check_pipeline_texts(pipeline, facts))
    assert "anbefalinger.md, line" in problems
    respondents = facts["survey.respondents"]
    assert ("claim no longer holds: organisation.leaders_asked.ja * 2 < survey.respondents "
            f"(organisation.leaders_asked.ja = {respondents}, "
            f"survey.respondents = {respondents})") in problems
    assert "organisation.digital_tools_make_collaboration_easier.yes * 2 > " in problems
    # only those two: every other text stays true on the changed data
    assert problems.count("claim no longer holds") == 2


def test_conditional_text_follows_the_perturbed_data(perturbed):
    pipeline, facts = perturbed
    assert facts["effect.q19_organisation_succeeded.vet_ikke"] > 0  # the data did change
    # a group emptied is a zero, a fact like any other, and no longer a group to compare
    assert facts["profile.represented.helseforetak"] == 0
    # ... but not a response-rate group to show: 0 of its invited is under the threshold
    assert "response.by.organisation_type.helseforetak.answered" not in facts
    assert ("effect.overall_usefulness_for_organisation.mean_by_group.helseforetak"
            not in facts)
    summary = _resolved(pipeline, facts, "sammendrag")
    assert facts["network.teams_spanning_regions"] == 0
    assert "ett i hver kommuneregion" in summary and "dekket flere" not in summary
    assert facts["activities.physical_after_pandemic"] == 0
    assert "og 0 fysiske." in summary and "siste fysiske møtet" not in summary
    part1 = _resolved(pipeline, facts, "del1")
    assert "dekket flere" not in part1 and "siste fysiske møtet" not in part1
    ongoing = facts["network.teams_ongoing"]
    assert ongoing == facts["network.improvement_teams"] - 1
    notebook_problems = [p for p in check_pipeline_texts(pipeline, facts)
                         if "anbefalinger.md" not in p]
    assert notebook_problems == []


def test_survey_chapter_texts_follow_the_perturbed_data(perturbed, shipped):
    (pipeline, facts), (_, before_facts) = perturbed, shipped
    before = _resolved(pipeline, before_facts, "effekt")
    after = _resolved(pipeline, facts, "effekt")
    # question 19 reversed: the best and the worst item change places in the text
    best, worst = facts["q.q19.best.label"].lower(), facts["q.q19.worst.label"].lower()
    assert best == before_facts["q.q19.worst.label"].lower()
    assert worst == before_facts["q.q19.best.label"].lower()
    assert f"best med å {worst}" in before and f"svakest med å {best}" in before
    assert f"best med å {best}" in after and f"svakest med å {worst}" in after
    assert f"best med å {worst}" not in after
    # «Vet ikke» added to question 19, where the shipped text says there is none
    none = "Ingen svarte «vet ikke» på dette spørsmålet"
    assert none in before and none not in after
    some = facts["q.q19.nonanswer.vet_ikke"]
    assert some > 0 and f"{some} svarte «vet ikke» på minst ett av punktene" in after
    # the lowest group named in the text is the lowest group shown, before and after the
    # health trusts were emptied (a zero, and no longer a group to call the lowest)
    plural = {"kommune": "Kommunene", "helseforetak": "Helseforetakene",
              "brukerorganisasjon": "Brukerorganisasjonene"}
    for values, text in [(before_facts, before), (facts, after)]:
        lowest = values["effect.overall_usefulness_for_organisation.lowest_group"]
        named = [word for word in plural.values() if f"{word} ga lavest snitt" in text]
        assert named == ([plural[lowest]] if lowest in plural else [])
    assert "Helseforetakene ga lavest" not in after
    # every leader «asked»: «like mange» gives way to the branch that holds
    organisation = _resolved(pipeline, facts, "organisering")
    assert "like mange" in _resolved(pipeline, before_facts, "organisering")
    assert "like mange" not in organisation
    yes = facts["organisation.leaders_asked.ja"]
    assert f"Flere svarte at lederne etterspurte arbeidet ({yes})" in organisation
