"""Generic facts on a hand-built network: every key worked out by hand.

Eight respondents answer a questionnaire of every type: a 1-5 and a 1-10 rating, a
yes/no that ties, a multiple choice, a battery with a tie at the top, a rating nobody
gave an opinion on, and two background questions the pipeline breaks answers down by.
"""

from __future__ import annotations

import math

import pytest
from support.files import write

from lnutils.analysis import summaries as su
from lnutils.cli import main
from lnutils.facts import facts_for_pipeline, facts_for_regions
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError

pytestmark = pytest.mark.filterwarnings(
    "ignore::lnutils.inputs.invitations.PseudonymKeyWarning")

CODEBOOK = """\
survey: test
respondent_id: respondent
scales:
  fem:
    kind: rating
    codes: {1: "1 Svært dårlig", 2: "2", 3: "3", 4: "4", 5: "5 Svært godt"}
    nonanswers: {6: Vet ikke}
  ti:
    kind: rating
    codes: {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8", 9: "9", 10: "10"}
    nonanswers: {11: Vet ikke}
  jn:
    kind: nominal
    codes: {1: Ja, 2: Nei}
    nonanswers: {3: Vet ikke}
questions:
  - {id: org, type: single, options: {1: Kommune, 2: Helseforetak, 3: Bruker}}
  - {id: region, type: single, options: {1: Nord, 2: Sør}}
  - {id: fem, type: rating, scale: fem}
  - {id: ti, type: rating, scale: ti}
  - {id: ja, type: yesno, scale: jn}
  - {id: akt, type: multi, options: {1: Samling, 2: Webinar, 3: Veiledning}}
  - {id: bat, type: battery, scale: fem, items: {a: Alfa, b: Beta, c: Gamma}}
  - {id: tom, type: rating, scale: fem}
  - {id: tekst, type: text}
"""
HEADER = "respondent;org;region;fem;ti;ja;akt.1;akt.2;akt.3;bat.a;bat.b;bat.c;tom;tekst"
ROWS = """\
r1;1;1;5;10;1;1;1;0;5;4;1;6;Bra
r2;1;1;4;8;1;1;0;0;4;5;2;6;
r3;1;2;3;1;2;1;0;1;3;3;3;;
r4;1;2;2;5;2;0;0;0;4;4;1;6;
r5;1;1;1;6;1;0;1;0;5;5;2;;
r6;2;1;6;7;2;1;0;0;4;4;6;6;
r7;3;;5;9;1;1;0;0;4;3;1;6;
r8;;2;4;6;2;1;1;0;3;4;2;6;
"""
INVITATIONS = """\
Navn;E-post;Telefon;Rolle;Organisasjonstype;Organisasjon;Region;Arena
{rows}"""
PIPELINE = """\
name: test-network
report: {{title: Test, organisation: Test, authors: [], date: 2024-01-01, lang: nb}}
data_dir: data
inputs: {{codebook: codebook.yml, survey: survey.csv, invitations: invitations.csv}}
breakdowns: [org, region]
privacy: {{min_group_size: 3}}
{extra}"""


def _invitations() -> str:
    rows = []
    for i, (org, region) in enumerate([("Kommune", "Nord")] * 5 + [("Kommune", "Sør")] * 4
                                      + [("Helseforetak", "Nord"), ("Helseforetak", "Sør"),
                                         ("Bruker", "Sør"), ("Bruker", "")]):
        rows.append(f"Person {i};p{i}@example.no;4000000{i:02d};Fagperson;{org};Org;{region};")
    return INVITATIONS.format(rows="\n".join(rows) + "\n")


def _network(folder):
    data = folder / "data"
    write(data, "codebook.yml", CODEBOOK)
    write(data, "survey.csv", HEADER + "\n" + ROWS)
    write(data, "invitations.csv", _invitations())
    return write(folder, "test.yml", PIPELINE.format(extra=""))


@pytest.fixture(scope="module")
def pipeline_path(tmp_path_factory):
    return _network(tmp_path_factory.mktemp("network"))


@pytest.fixture(scope="module")
def facts(pipeline_path):
    return facts_for_pipeline(load_pipeline(pipeline_path))


def test_counts_of_every_kind_and_zero_is_a_fact(facts):
    assert facts["survey.respondents"] == 8
    assert facts["q.org.type"] == "single" and facts["q.org.asked"] == 8
    assert facts["q.org.answered"] == 7 and facts["q.org.nonanswer.missing"] == 1
    for kind in ("vet_ikke", "ikke_deltatt", "other", "not_asked"):
        assert facts[f"q.org.nonanswer.{kind}"] == 0
    assert facts["q.org.option.1.label"] == "Kommune" and facts["q.org.option.1.n"] == 5
    assert facts["q.org.option.1.pct"] == pytest.approx(500 / 7)
    assert facts["q.org.top.label"] == "Kommune" and facts["q.org.top.tied"] is False
    # nobody chose 2, 3 or 4 on the 1-10 scale: still there, as 0
    assert [facts[f"q.ti.option.{c}.n"] for c in (2, 3, 4)] == [0, 0, 0]
    assert facts["q.ti.option.2.pct"] == 0


def test_a_five_step_rating(facts):
    # opinions 5, 4, 3, 2, 1, 5, 4 ("Vet ikke" left out): mean 24/7
    assert facts["q.fem.n"] == 7 and facts["q.fem.mean"] == pytest.approx(24 / 7)
    assert facts["q.fem.nonanswer.vet_ikke"] == 1
    assert (facts["q.fem.scale_min"], facts["q.fem.scale_max"]) == (1, 5)
    assert facts["q.fem.ci_low"] < facts["q.fem.mean"] < facts["q.fem.ci_high"]
    # 1-2 lower, 3 the middle split half and half, 4-5 upper: 2.5/7 and 4.5/7
    assert facts["q.fem.lower_half.pct"] == pytest.approx(250 / 7)
    assert facts["q.fem.upper_half.pct"] == pytest.approx(450 / 7)
    assert facts["q.fem.option.6.label"] == "Vet ikke" and facts["q.fem.option.6.n"] == 1


def test_a_ten_step_rating(facts):
    assert (facts["q.ti.scale_min"], facts["q.ti.scale_max"]) == (1, 10)
    assert facts["q.ti.mean"] == pytest.approx(52 / 8)
    # 1-5 against 6-10 (no middle on an even scale): 1 and 5 below, six above
    assert facts["q.ti.lower_half.pct"] == 25 and facts["q.ti.upper_half.pct"] == 75


def test_a_tie_is_reported_as_a_tie(facts):
    assert facts["q.ja.top.tied"] is True
    assert facts["q.ja.top.labels"] == ["Ja", "Nei"]
    assert facts["q.ja.top.label"] == "Ja og Nei" and facts["q.ja.top.pct"] == 50
    # battery: Alfa and Beta both average 4 (32/8); Gamma 12/7
    assert facts["q.bat.ranking"] == ["a", "b", "c"]
    assert facts["q.bat.best.ids"] == ["a", "b"] and facts["q.bat.best.tied"] is True
    assert facts["q.bat.best.label"] == "Alfa og Beta"
    assert facts["q.bat.worst.ids"] == ["c"] and facts["q.bat.worst.label"] == "Gamma"
    assert facts["q.bat.worst.tied"] is False
    assert facts["q.bat.best.mean"] == pytest.approx(4.0)
    assert facts["q.bat.worst.mean"] == pytest.approx(12 / 7)
    assert facts["q.bat.item.c.mean"] == pytest.approx(12 / 7)
    assert facts["q.bat.item.c.n"] == 7 and facts["q.bat.item.a.label"] == "Alfa"
    assert (facts["q.bat.scale_min"], facts["q.bat.scale_max"]) == (1, 5)  # the codebook's


def test_ranking_ties_share_a_rank():
    import pandas as pd

    ranked = su.rank_by_mean(pd.DataFrame({"item": ["x", "y", "z"], "mean": [4.0, 4.5, 4.0]}))
    assert list(ranked["item"]) == ["y", "x", "z"] and list(ranked["rank"]) == [1, 2, 2]
    assert su.best_and_worst(ranked)["worst"] == ["x", "z"]


def test_multiple_choice_on_the_figures_base(facts):
    # r4 ticked nothing: outside the base of 7, as in the figure
    assert facts["q.akt.answered"] == 7 and facts["q.akt.nonanswer.missing"] == 1
    assert [facts[f"q.akt.option.{c}.n"] for c in (1, 2, 3)] == [6, 3, 1]
    assert facts["q.akt.sum_pct"] == pytest.approx(1000 / 7)
    assert facts["q.akt.per_person"] == pytest.approx(10 / 7)


def test_all_non_answers(facts):
    assert facts["q.tom.answered"] == 0 and facts["q.tom.n"] == 0
    assert facts["q.tom.nonanswer.vet_ikke"] == 6 and facts["q.tom.nonanswer.missing"] == 2
    assert facts["q.tom.mean"] is None and facts["q.tom.upper_half.pct"] is None
    assert facts["q.tom.option.1.n"] == 0
    assert facts["q.tekst.type"] == "text" and facts["q.tekst.answered"] == 1
    assert facts["q.tekst.nonanswer.missing"] == 7


def test_breakdowns_hide_small_groups_and_show_empty_ones(facts):
    # threshold 3: Helseforetak and Bruker (1 each) are hidden; q.fem.n minus Kommune
    # (5) would give their two answers, so Kommune is hidden too (secondary suppression)
    assert facts["q.fem.by.org.hidden_count"] == 3
    assert not any(k.startswith("q.fem.by.org.") and not k.endswith("hidden_count")
                   for k in facts)
    # a group of 1 can never be the lowest: it is not there to compare
    assert not any(k.startswith("q.bat.by.org.") and not k.endswith("hidden_count")
                   for k in facts)
    # Kommune (3 "Vet ikke") would be shown with its zeros, but beside the two hidden
    # groups it would give them away
    assert facts["q.tom.by.org.hidden_count"] == 3
    # by region: Nord 4, Sør 3 (r7 skipped the question)
    assert facts["q.ti.by.region.1.n"] == 4 and facts["q.ti.by.region.2.n"] == 3
    assert facts["q.ti.by.region.hidden_count"] == 0
    assert "q.region.by.region.1.n" not in facts  # no breakdown of itself
    assert "q.tekst.by.org.1.label" not in facts  # nor of free text


def test_response_rates_count_everyone_who_answered(facts, pipeline_path):
    assert facts["response.invited"] == 13 and facts["response.answered"] == 8
    assert facts["response.pct"] == pytest.approx(800 / 13)
    assert facts["response.ci_low"] < facts["response.pct"] < facts["response.ci_high"]
    assert facts["response.by.region.question"] == "region"
    assert facts["response.by.region.nord.answered"] == 4
    assert facts["response.by.region.nord.invited"] == 6
    assert facts["response.by.region.sor.label"] == "Sør"
    # organisation type: Helseforetak and Bruker (1 each) hidden, and Kommune (5 of 9)
    # with them, since the 8 who answered minus Kommune's 5 would give theirs
    assert "response.by.organisation_type.kommune.answered" not in facts
    assert facts["response.by.organisation_type.hidden_count"] == 3
    # the total counts r7, who skipped the region question (7 gave a region)
    from lnutils.inputs.dataset import load_dataset

    ds = load_dataset(load_pipeline(pipeline_path))
    rates = su.response_rate_by_group(
        invited=ds["invitations"]["region"],
        answered=su.respondent_groups(ds["survey"].answers, question="region"))
    assert rates.set_index("group").loc["Alle", "answered"] == 8


def test_sub_report_facts_are_the_regions_own(pipeline_path, facts):
    pipeline = load_pipeline(pipeline_path)
    (nord,) = facts_for_regions(pipeline, ["Nord"], facts).values()
    assert nord["survey.respondents"] == 4 and nord["all.survey.respondents"] == 8
    assert nord["q.fem.mean"] == pytest.approx((5 + 4 + 1) / 3)
    assert nord["all.q.fem.mean"] == facts["q.fem.mean"]
    assert nord["response.invited"] == 6 and nord["response.answered"] == 4
    assert set(nord) >= {"all." + k for k in facts}


def test_the_regions_facts_together_are_each_regions_own(tmp_path):
    """All regions in one pass give what each region alone gives: a region nobody is in
    (Øst), and a region named twice (by label and by code), included."""
    data = tmp_path / "data"
    write(data, "codebook.yml", CODEBOOK.replace("{1: Nord, 2: Sør}", "{1: Nord, 2: Sør, 3: Øst}"))
    write(data, "survey.csv", HEADER + "\n" + ROWS)
    write(data, "invitations.csv", _invitations())
    pipeline = load_pipeline(write(tmp_path, "test.yml", PIPELINE.format(extra="")))
    network = facts_for_pipeline(pipeline)
    values = ["Nord", "Øst", "1", "Sør"]
    together = facts_for_regions(pipeline, values, network)
    assert list(together) == values
    for value in values:
        (alone,) = facts_for_regions(pipeline, [value], network).values()
        assert list(together[value].items()) == list(alone.items()), value
    assert together["Øst"]["survey.respondents"] == 0 and together["Øst"]["survey.withheld"]
    nord = {k: v for k, v in together["Nord"].items() if not k.startswith("response.")}
    assert nord == {k: v for k, v in together["1"].items() if not k.startswith("response.")}


def test_no_facts_key_gives_the_generic_facts_and_an_extension_adds_on_top(
        pipeline_path, capsys):
    tmp_path = pipeline_path.parent
    assert main(["facts", str(pipeline_path)]) == 0
    assert '"q.fem.n": 7' in capsys.readouterr().out
    write(tmp_path, "extras.py", "def compute(dataset):\n"
                                 "    return {'survey': {'respondents': 8, 'own': 1}}\n")
    extended = write(tmp_path, "ext.yml", PIPELINE.format(extra="facts: extras.py\n"))
    both = facts_for_pipeline(load_pipeline(extended))
    assert both["survey.own"] == 1 and both["q.fem.n"] == 7


def test_an_unknown_breakdown_is_a_located_error(tmp_path, capsys):
    pipeline_path = _network(tmp_path)
    text = pipeline_path.read_text(encoding="utf-8").replace("[org, region]", "[orgg]")
    pipeline_path.write_text(text, encoding="utf-8")
    assert main(["validate", str(pipeline_path)]) == 1
    out = capsys.readouterr()
    assert "breakdown 'orgg'" in out.out + out.err and "did you mean 'org'" in out.out + out.err
    with pytest.raises(DataError) as err:
        facts_for_pipeline(load_pipeline(pipeline_path))
    problem = err.value.report.problems[0] if hasattr(err.value, "report") else None
    message = str(err.value)
    assert "orgg" in message and "org" in message and "breakdowns" in message
    assert problem is None or problem.column == "breakdowns"


def test_every_value_is_json_and_no_nan(facts):
    for key, value in facts.items():
        assert not (isinstance(value, float) and math.isnan(value)), key
