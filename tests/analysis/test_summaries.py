"""Summaries on a hand-built survey of eight respondents; numbers worked out by hand."""

import math
import textwrap

import pandas as pd
import pytest
from fixtures.scales import SCALES_YAML

from lnutils.analysis.summaries import (
    ALL,
    battery_distribution,
    battery_means,
    count_choice,
    events_by_arena,
    events_per_month,
    group_labels,
    mean_by_group,
    options_per_person,
    paired_ratings,
    rating_by_group,
    response_rate_by_group,
    scale_halves,
    share_multi,
    summarise_rating,
)
from lnutils.analysis.suppression import OTHER
from lnutils.inputs.codebook import load_codebook
from lnutils.pipeline import Privacy
from lnutils.problems import DataError

CODEBOOK = """\
survey: test
""" + SCALES_YAML + """\
questions:
  - {id: org, type: single, options: {1: Kommune, 2: Helseforetak, 3: Bruker, 4: KS}}
  - {id: akt, type: multi, options: {1: Samling, 2: Webinar, 3: Veiledning}}
  - {id: nytte, type: rating, scale: skala6}
  - {id: egen, type: rating, scale: skala6}
  - {id: team, type: rating, scale: skala6}
  - {id: b, type: battery, scale: verbal5, items: {x: Relasjoner, y: Kompetanse}}
"""
SKALA6 = {1: "1 I liten grad", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6 I stor grad",
          7: "Vet ikke"}
VERBAL5 = {1: "I meget liten grad", 2: "I liten grad", 3: "I noe grad", 4: "I stor grad",
           5: "I meget stor grad", 6: "Vet ikke"}
ORG = {1: "Kommune", 2: "Helseforetak", 3: "Bruker", 4: "KS"}
VI = {7: "vet_ikke"}


def row(rid, question, code, labels, item="", kinds=None):
    if code is None:
        return (rid, question, item, pd.NA, pd.NA, "missing", pd.NA)
    kind = (kinds or {}).get(code, pd.NA)
    return (rid, question, item, code, labels[code], kind, pd.NA)


def make_answers():
    org = [1, 1, 1, 1, 2, 2, 3, 4]
    nytte = [6, 5, 4, 5, 3, 7, 6, None]
    akt = {"r1": {1, 2}, "r2": {1}, "r3": {1, 3}, "r4": set()}
    egen = {"r1": 4, "r2": 5, "r3": 3, "r4": 7}
    team = {"r1": 5, "r2": 5, "r3": 6, "r4": 4}
    bx = {"r1": 5, "r2": 4, "r3": 1, "r4": 6}
    by = {"r1": 3, "r2": 3, "r3": 2, "r4": 2}
    records = []
    for i in range(8):
        rid = f"r{i + 1}"
        records.append(row(rid, "org", org[i], ORG))
        records.append(row(rid, "nytte", nytte[i], SKALA6, kinds=VI))
        if rid in akt:
            records += [(rid, "akt", str(c), int(c in akt[rid]), lab, pd.NA, pd.NA)
                        for c, lab in {1: "Samling", 2: "Webinar", 3: "Veiledning"}.items()]
            records.append(row(rid, "egen", egen[rid], SKALA6, kinds=VI))
            records.append(row(rid, "team", team[rid], SKALA6, kinds=VI))
            records.append(row(rid, "b", bx[rid], VERBAL5, "x", {6: "vet_ikke"}))
            records.append(row(rid, "b", by[rid], VERBAL5, "y", {6: "vet_ikke"}))
        else:
            records += [(rid, q, "", pd.NA, pd.NA, "not_asked", pd.NA)
                        for q in ("egen", "team")]
    frame = pd.DataFrame.from_records(
        records, columns=["respondent", "question", "item", "code", "label", "nonanswer",
                          "text"])
    return frame.astype({"code": "Int64", "label": "str", "nonanswer": "str", "text": "str"})


@pytest.fixture
def answers():
    return make_answers()


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(textwrap.dedent(CODEBOOK), encoding="utf-8")
    return load_codebook(path)


def test_count_choice_base_excludes_skipped(answers, codebook):
    counts = count_choice(answers, question="nytte", codebook=codebook)
    assert list(counts["label"]) == list(SKALA6.values())
    assert list(counts["n"]) == [0, 0, 1, 1, 2, 2, 1]
    assert set(counts["base"]) == {7}
    assert set(counts["missing"]) == {1} and set(counts["not_asked"]) == {0}
    five = counts.set_index("code").loc[5]
    assert five["share"] == pytest.approx(2 / 7)
    assert counts.set_index("code").loc[7, "kind"] == "vet_ikke"
    # Without a codebook only the answers given are listed, non-answers last.
    assert list(count_choice(answers, question="nytte")["code"]) == [3, 4, 5, 6, 7]


def test_count_choice_does_not_touch_input(answers):
    before = answers.copy()
    count_choice(answers, question="org")
    pd.testing.assert_frame_equal(answers, before)


def test_unknown_question_is_named(answers):
    with pytest.raises(KeyError, match="nyte.*known questions"):
        count_choice(answers, question="nyte")


def test_rating_mean_leaves_out_vet_ikke(answers):
    # Opinions 6, 5, 4, 5, 3, 6: mean 29/6 = 4.833333; squares of deviations sum to
    # 6.833333, SD = sqrt(6.833333/5) = 1.169045; half = 2.570582 * 1.169045 / sqrt(6)
    # = 3.005146 / 2.449490 = 1.226838.
    out = summarise_rating(answers, question="nytte")
    assert (out["n"], out["base"], out["n_vet_ikke"]) == (6, 7, 1)
    assert out["mean"] == pytest.approx(4.833333, abs=1e-6)
    assert out["sd"] == pytest.approx(1.169045, abs=1e-6)
    assert (out["low"], out["high"]) == (pytest.approx(3.606495, abs=1e-5),
                                         pytest.approx(6.060171, abs=1e-5))


def test_share_multi(answers, codebook):
    out = share_multi(answers, question="akt", codebook=codebook)
    # r4 ticked nothing and is outside the base: 3 respondents.
    assert list(out["n"]) == [3, 1, 1] and set(out["base"]) == {3}
    assert out["share"].tolist() == pytest.approx([1, 1 / 3, 1 / 3])
    assert out["share"].sum() == pytest.approx(5 / 3)
    assert set(out["one_option_only"]) == {1} and set(out["missing"]) == {1}
    assert set(out["not_asked"]) == {0}
    # options per person on the figure's base (3 who ticked), not over all 4 asked
    assert options_per_person(out) == pytest.approx(5 / 3)
    # 3 of 3: low = n / (n + z^2) = 3 / 6.841459 = 0.438503
    assert out.loc[0, "low"] == pytest.approx(0.438503, abs=1e-6) and out.loc[0, "high"] == 1


def test_mean_by_group_merges_small_groups(answers):
    summary = mean_by_group(answers, question="nytte", by="org",
                            privacy=Privacy(min_group_size=2))
    out = summary.table
    # Kommune 6, 5, 4, 5 (mean 5); Helseforetak has one opinion (3; the other said
    # "Vet ikke"), Bruker one (6): merged, 2 opinions, mean 4.5. KS skipped the question.
    assert list(out["group"]) == ["Kommune", OTHER, ALL]
    assert list(out["n"]) == [4, 2, 6]
    assert out["mean"].tolist() == pytest.approx([5, 4.5, 29 / 6])
    protection = summary.protection
    assert protection.merged == ("Helseforetak", "Bruker") and not protection.suppressed
    assert "slått sammen" in protection.note()


def test_mean_by_group_default_threshold_suppresses(answers):
    out = mean_by_group(answers, question="nytte", by="org", mode="suppress", total=False)
    # Threshold 5: no group has five opinions.
    assert out.empty and out.table.empty
    assert out.protection.suppressed == ("Kommune", "Helseforetak", "Bruker")


def test_exception_lowers_threshold_and_is_reported(answers):
    privacy = Privacy(min_group_size=2, exceptions=[
        {"question": "org", "groups": ["bruker"], "min_group_size": 1,
         "reason": "Brukerstemmen skal synes; gruppen har samtykket."}])
    summary = mean_by_group(answers, question="nytte", by="org", privacy=privacy)
    # Helseforetak (1) is hidden; the total minus the shown groups would give it, so
    # the smallest group shown without an exception goes too, never the excepted one.
    assert list(summary.table["group"]) == ["Bruker", ALL]
    protection = summary.protection
    assert protection.suppressed == ("Helseforetak",)
    assert protection.complementary == ("Kommune",)
    assert [e.groups for e in protection.applied] == [["bruker"]]
    assert "Grensen er satt ned til 1 for bruker" in protection.note()


def test_mean_by_two_groupings(answers):
    # Respondent by organisation and own-effort rating: r3 (3), r1 (4), r2 (5); r4 said
    # "Vet ikke" on own effort and has no cell.
    summary = mean_by_group(answers, question="nytte", by=["org", "egen"],
                            privacy=Privacy(min_group_size=1), total=False)
    assert summary.by == ("org", "egen") and summary.order == {"3": 3, "4": 4, "5": 5}
    out = summary.table
    assert list(out["group"]) == ["Kommune – 3", "Kommune – 4", "Kommune – 5"]
    assert list(out["mean"]) == [4, 6, 5] and list(out["egen"]) == ["3", "4", "5"]
    hidden = mean_by_group(answers, question="nytte", by=["org", "egen"],
                           privacy=Privacy(min_group_size=2), total=False)
    assert hidden.empty and len(hidden.protection.suppressed) == 3


def test_rating_by_group_counts_vet_ikke_in_group_size(answers, codebook):
    summary = rating_by_group(answers, question="nytte", by="org", codebook=codebook,
                              privacy=Privacy(min_group_size=2))
    # Helseforetak: two answers (3 and "Vet ikke") is enough; Bruker alone is not, and
    # Helseforetak, the smallest shown, goes too so that Bruker cannot be worked out.
    assert summary.protection.suppressed == ("Bruker",)
    assert summary.protection.complementary == ("Helseforetak",)
    assert list(dict.fromkeys(summary.table["group"])) == ["Kommune", ALL]
    out = rating_by_group(answers, question="nytte", by="org", codebook=codebook,
                          privacy=Privacy(min_group_size=1)).table
    hf = out[out["group"] == "Helseforetak"].set_index("code")
    assert hf.loc[3, "n"] == 1 and hf.loc[7, "n"] == 1 and hf.loc[3, "share"] == 0.5
    assert len(out) == 4 * 7


def test_paired_ratings(answers):
    out = paired_ratings(answers, questions=["egen", "team"], titles=["Egen", "Teamet"])
    # r4 said "Vet ikke" on own effort: pairs (4,5), (5,5), (3,6); differences 1, 0, 3.
    rows = out.set_index("measure")
    assert rows.loc["egen", "n"] == 3 and rows.loc["egen", "mean"] == 4
    assert rows.loc["team", "mean"] == pytest.approx(16 / 3)
    assert rows.loc["differanse", "mean"] == pytest.approx(4 / 3)
    assert (rows.loc["differanse", "n_higher"], rows.loc["differanse", "n_equal"],
            rows.loc["differanse", "n_lower"]) == (2, 1, 0)


def test_battery_distribution_and_means(answers, codebook):
    dist = battery_distribution(answers, question="b", codebook=codebook)
    assert list(dict.fromkeys(dist["title"])) == ["Relasjoner", "Kompetanse"]
    x = dist[dist["item"] == "x"].set_index("code")
    assert x.loc[5, "n"] == 1 and x.loc[5, "base"] == 4 and x.loc[5, "n_opinion"] == 3
    assert x.loc[5, "share_opinion"] == pytest.approx(1 / 3)
    assert math.isnan(x.loc[6, "share_opinion"]) and x.loc[6, "share"] == 0.25
    means = battery_means(answers, question="b", codebook=codebook).set_index("item")
    # x: 5, 4, 1 -> mean 10/3, two of three in the upper half (4-5); y: 3, 3, 2, 2.
    assert means.loc["x", "mean"] == pytest.approx(10 / 3)
    assert (means.loc["x", "n_top"], means.loc["x", "share_top"]) == (2, pytest.approx(2 / 3))
    assert means.loc["y", "mean"] == 2.5 and means.loc["y", "n_top"] == 0


def test_battery_distribution_of_rating_questions(answers, codebook):
    dist = battery_distribution(answers, questions=["egen", "team"], codebook=codebook,
                                titles={"egen": "Egen innsats"})
    assert list(dict.fromkeys(dist["title"])) == ["Egen innsats", "team"]
    with pytest.raises(ValueError, match="either"):
        battery_distribution(answers, codebook=codebook)


def test_scale_halves():
    assert scale_halves(range(1, 7)) == ([1, 2, 3], [4, 5, 6], None)
    assert scale_halves([5, 4, 3, 2, 1]) == ([1, 2], [4, 5], 3)


def test_response_rate_by_group():
    invited = pd.Series(["Kommune"] * 100 + ["Helseforetak"] * 10)
    answered = pd.Series(["kommune"] * 30 + ["Helseforetak "] * 5)
    out = response_rate_by_group(invited=invited, answered=answered).set_index("group")
    assert out.loc["Kommune", "rate"] == 0.3
    # 5 of 10: half = 1.959964 * sqrt(0.025 + 3.841459/400) / 1.384146 = 0.263407
    assert out.loc["Helseforetak", "low"] == pytest.approx(0.236593, abs=1e-6)
    assert (out.loc[ALL, "answered"], out.loc[ALL, "invited"]) == (35, 110)
    assert out.loc[ALL, "low"] == pytest.approx(0.238538, abs=2e-6)


def test_response_rate_refuses_more_answers_than_invited():
    with pytest.raises(DataError, match="'KS' has 2 respondents but only 1 invited") as info:
        response_rate_by_group(invited=pd.Series(["KS"]), answered=pd.Series(["KS", "KS"]))
    problem = info.value.report.errors[0]
    assert (problem.column, problem.value) == ("KS", 2) and "match the" in problem.fix


def test_group_labels(answers):
    groups = group_labels(answers, question="org")
    assert groups.loc["r7", "label"] == "Bruker" and len(groups) == 8


ACTIVITIES = pd.DataFrame({
    "dato": ["2020-01-15", "2020-01-20", "2020-04-02"],
    "arena": ["Arbeidsgruppe", "Arbeidsutvalg", "Arbeidsutvalg"],
    "form": ["fysisk", "Fysisk", "digital"]})


def test_events_by_arena():
    out = events_by_arena(ACTIVITIES, date="dato", mode="form").set_index("arena")
    assert out["n"].to_dict() == {"Arbeidsgruppe": 1, "Arbeidsutvalg": 2}
    assert out.loc["Arbeidsutvalg", "fysisk"] == 1 and out.loc["Arbeidsutvalg", "digital"] == 1
    with pytest.raises(KeyError, match="no column.*'date'"):
        events_by_arena(ACTIVITIES)


def test_events_per_month_fills_empty_months():
    out = events_per_month(ACTIVITIES, date="dato", mode="form")
    months = out.groupby("month")["n"].sum()
    assert months.tolist() == [2, 0, 0, 1]
    assert months.index[0] == pd.Timestamp("2020-01-01")


def test_empty_answers_give_empty_summaries(codebook):
    empty = make_answers().iloc[0:0]
    assert count_choice(empty, question="nytte").empty
    assert mean_by_group(empty, question="nytte", by="org").empty
    assert share_multi(empty, question="akt").empty
    # With a codebook the scale is listed anyway, with zero counts on a zero base.
    dist = battery_distribution(empty, question="b", codebook=codebook)
    assert len(dist) == 2 * 6 and dist["n"].sum() == 0 and (dist["base"] == 0).all()


# --- back-test on the example data against the published figures ----------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "reference" / "trondelag-2021.yml"
PIPELINE = ROOT / "pipelines" / "trondelag-2021.yml"


@pytest.fixture(scope="module")
def example():
    if not (REFERENCE.is_file() and PIPELINE.is_file()):
        pytest.skip("example pipeline or reference facts not available")
    import yaml

    from lnutils.inputs.dataset import load_dataset
    from lnutils.pipeline import load_pipeline

    ds = load_dataset(load_pipeline(PIPELINE))
    reference = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    return ds["survey"].answers, ds["codebook"], reference


def test_example_matches_published_ratings(example):
    answers, codebook, ref = example
    org = ref["organisation"]
    region = summarise_rating(answers, question="nytte_region")
    assert round(region["mean"], 2) == org["region_structure_useful"]["mean"]
    assert region["base"] == org["region_structure_useful"]["n"]
    counts = count_choice(answers, question="nytte_region", codebook=codebook)
    assert counts[counts["code"].isin([5, 6])]["n"].sum() == org["region_structure_useful"][
        "answered_5_or_6"]
    assert round(summarise_rating(answers, question="covid")["mean"], 1) == (
        org["covid_effect"]["mean"])
    leaders = count_choice(answers, question="ledere_spurte", codebook=codebook)
    assert dict(zip(leaders["label"].str.lower().str.replace(" ", "_"), leaders["n"],
                    strict=True)) == org["leaders_asked"]


def test_example_matches_published_figure_20(example):
    answers, _, ref = example
    published = ref["effect"]["overall_usefulness_for_organisation"]
    overall = summarise_rating(answers, question="nytte_org")
    assert round(overall["mean"], 1) == published["mean"]
    # Marginal means as the report gives them (whole period; municipalities).
    period = mean_by_group(answers, question="nytte_org", by="periode").table.set_index("group")
    assert round(period.loc["Hele perioden", "mean"], 1) == published["whole_period_mean"]
    org = mean_by_group(answers, question="nytte_org", by="representerer",
                        privacy=Privacy(min_group_size=3)).table.set_index("group")
    assert round(org.loc["Kommune", "mean"], 1) == published["kommune_mean"]
    shown = org.drop(index=[ALL, OTHER], errors="ignore")
    assert shown["mean"].idxmin() == "Helseforetak"
    assert org.loc["Brukerorganisasjon", "mean"] > org.loc[ALL, "mean"]


def test_example_matches_published_profile(example):
    answers, codebook, ref = example
    profile = ref["profile"]
    periods = count_choice(answers, question="periode", codebook=codebook).set_index("label")
    assert periods.loc["Hele perioden", "n"] == profile["participation_period"]["whole_period"]
    region = count_choice(answers, question="region", codebook=codebook)
    assert region["base"].iloc[0] == profile["region_question_answered"]
    multi = share_multi(answers, question="aktiviteter", codebook=codebook)
    assert multi["one_option_only"].iloc[0] == profile["activities_attended"][
        "respondents_with_one_activity_only"]


def test_example_matches_published_user_involvement_order(example):
    answers, codebook, ref = example
    item_ids = {"system": "system", "service": "tjeneste", "individual": "individ"}
    means = battery_means(answers, question="q22", codebook=codebook)
    ranked = list(means.sort_values("mean", ascending=False)["item"])
    assert ranked == [item_ids[k] for k in ref["effect"]["q22_user_involvement"][
        "order_of_means"]]


GROUPED = {
    "count_choice": lambda a, cb, **k: count_choice(a, question="nytte", codebook=cb, **k),
    "count_choice_item": lambda a, cb, **k: count_choice(a, question="b", item="x",
                                                         codebook=cb, **k),
    "share_multi": lambda a, cb, **k: share_multi(a, question="akt", codebook=cb, **k),
    "battery_distribution": lambda a, cb, **k: battery_distribution(a, question="b",
                                                                    codebook=cb, **k),
    "battery_of_ratings": lambda a, cb, **k: battery_distribution(
        a, questions=["egen", "team"], codebook=cb, **k),
    "battery_means": lambda a, cb, **k: battery_means(a, question="b", codebook=cb, **k),
}


@pytest.mark.parametrize("name", sorted(GROUPED))
def test_a_summary_by_group_is_the_summary_of_each_group(answers, codebook, name):
    """``groups=``: one block per group, equal to the summary of that group's answers.

    Group "c" has a member without answer rows (zeros); r8 is in no group.
    """
    summary = GROUPED[name]
    groups = pd.Series(["b", "a", "b", "a", "b", "a", "c", "c"],
                       index=["r1", "r2", "r3", "r4", "r5", "r6", "r7", "r9"])
    together = summary(answers, codebook, groups=groups)
    assert list(dict.fromkeys(together["group"])) == ["b", "a", "c"]
    for key in ("b", "a", "c"):
        members = groups.index[groups == key]
        try:
            alone = summary(answers[answers["respondent"].isin(members)], codebook)
        except KeyError:  # none of them has a row of the question: as with no answers
            alone = summary(answers.iloc[0:0], codebook)
        block = together[together["group"] == key].drop(columns="group")
        pd.testing.assert_frame_equal(block.reset_index(drop=True), alone, check_exact=True)


def test_groups_need_one_entry_per_respondent(answers, codebook):
    with pytest.raises(ValueError, match="one entry per respondent"):
        count_choice(answers, question="org", groups=pd.Series([1, 2], index=["r1", "r1"]))
