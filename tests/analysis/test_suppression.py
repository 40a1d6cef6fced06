"""Small-group protection: thresholds, exceptions, merging and the figure note."""

import pandas as pd
import pytest

from lnutils.analysis.suppression import (
    OTHER,
    GroupSummary,
    Protection,
    applied_exceptions,
    group_key,
    plan_groups,
    threshold_for,
)
from lnutils.pipeline import Privacy

REASON = "Brukerorganisasjonene har godkjent at gruppen vises."
PRIVACY = Privacy(min_group_size=5, exceptions=[
    {"question": "representerer", "groups": ["brukerorganisasjon"], "min_group_size": 3,
     "reason": REASON}])
BY = ["representerer"]


def test_group_key_ignores_case_accents_and_spacing():
    assert group_key("Brukerorganisasjon ") == group_key("brukerorganisasjon")
    assert group_key("Kompetansemiljø") == "kompetansemiljo"


def test_threshold_for_uses_exception_only_for_its_question_and_groups():
    assert threshold_for(("Brukerorganisasjon",), by=BY, privacy=PRIVACY)[0] == 3
    assert threshold_for(("Kommune",), by=BY, privacy=PRIVACY) == (5, None)
    assert threshold_for(("Brukerorganisasjon",), by=["arena"], privacy=PRIVACY) == (5, None)
    # Groups may also be named by option code.
    coded = Privacy(exceptions=[{"question": "representerer", "groups": ["3"],
                                 "min_group_size": 2, "reason": REASON}])
    assert threshold_for(("X",), by=BY, privacy=coded, codes=(3,))[0] == 2
    assert threshold_for(("X",), by=BY, privacy=None) == (5, None)


def test_merge_small_groups_and_report_exception():
    sizes = {("Kommune",): 22, ("Helseforetak",): 6, ("Brukerorganisasjon",): 3,
             ("KS",): 2, ("Statsforvalteren",): 3}
    target, protection = plan_groups(sizes, by=BY, privacy=PRIVACY)
    assert target[("Kommune",)] == ("Kommune",)
    assert target[("Brukerorganisasjon",)] == ("Brukerorganisasjon",)
    assert target[("KS",)] == target[("Statsforvalteren",)] == (OTHER,)  # 2 + 3 = 5
    assert protection.merged == ("KS", "Statsforvalteren") and not protection.suppressed
    assert [e.reason for e in protection.applied] == [REASON]
    note = protection.note()
    assert "KS, Statsforvalteren" in note and "satt ned til 3" in note


def test_merged_cell_still_too_small_is_left_out():
    sizes = {("Kommune",): 22, ("KS",): 2, ("Statsforvalteren",): 1}
    target, protection = plan_groups(sizes, by=BY, privacy=Privacy())
    assert target[("KS",)] is None and target[("Statsforvalteren",)] is None
    assert protection.suppressed == ("KS", "Statsforvalteren") and not protection.applied
    # 25 - 22 would give the hidden three: Kommune goes too (secondary suppression)
    assert protection.complementary == ("Kommune",) and protection.nothing_shown
    assert "Statsforvalteren" not in protection.note()
    assert "regnes ut som totalen minus" in protection.note()


def test_two_groupings_merge_within_the_second():
    sizes = {("Kommune", "Hele"): 18, ("KS", "Hele"): 3, ("HF", "Hele"): 2,
             ("KS", "Første"): 1}
    target, protection = plan_groups(sizes, by=["org", "periode"], privacy=Privacy())
    assert protection.merged == () and protection.suppressed == ("KS – Første",)
    assert target[("KS", "Første")] is None
    # The merged cell (5) is the smallest shown; 24 - 18 - 5 would give the hidden one.
    assert target[("KS", "Hele")] is None and target[("HF", "Hele")] is None
    assert protection.complementary == ("KS – Hele", "HF – Hele")
    sizes[("Kommune", "Første")] = 6  # the hidden cell now sits beside enough others
    target, protection = plan_groups(sizes, by=["org", "periode"], privacy=Privacy())
    assert target[("KS", "Hele")] == target[("HF", "Hele")] == (OTHER, "Hele")
    # the column "Første" (7) minus the shown 6 would give the hidden one: 6 goes too
    assert target[("KS", "Første")] is None and target[("Kommune", "Første")] is None
    assert protection.complementary == ("Kommune – Første",)


def test_suppress_mode_and_exception_not_needed():
    sizes = {("Brukerorganisasjon",): 6, ("KS",): 4}
    sizes[("Kommune",)] = 5
    target, protection = plan_groups(sizes, by=BY, privacy=PRIVACY, mode="suppress")
    assert target == {("Brukerorganisasjon",): ("Brukerorganisasjon",), ("KS",): None,
                      ("Kommune",): None}
    assert protection.complementary == ("Kommune",)  # the smallest shown beside KS
    assert protection.applied == ()  # six is enough without the exception
    with pytest.raises(ValueError, match="mode"):
        plan_groups(sizes, by=BY, mode="hide")


def test_nothing_to_say_when_nothing_changed():
    assert Protection().note() == "" and not Protection().changed


def test_applied_exceptions_collected_once_from_summaries():
    exc = PRIVACY.exceptions[0]
    first = GroupSummary(pd.DataFrame(), Protection(applied=(exc,)))
    second = GroupSummary(pd.DataFrame(), Protection(applied=(exc,)))
    plain = GroupSummary(pd.DataFrame(), Protection())
    assert applied_exceptions(first, second, plain) == [exc]
    assert applied_exceptions() == []


def test_one_hidden_cell_gets_a_complementary_partner():
    sizes = {("Kommune",): 20, ("Helseforetak",): 8, ("KS",): 2}
    target, protection = plan_groups(sizes, by=BY, privacy=Privacy(), mode="suppress")
    # 30 - 20 - 8 = 2 would give KS: the smallest shown group goes with it
    assert target[("Helseforetak",)] is None and target[("Kommune",)] == ("Kommune",)
    assert protection.complementary == ("Helseforetak",)
    hidden = sum(n for c, n in sizes.items() if target[c] is None)
    assert hidden >= 5  # what the total minus the shown cells gives is itself big enough


def test_a_group_that_is_the_whole_total_is_neither_shown_nor_named():
    from lnutils.analysis.suppression import total_shown

    target, protection = plan_groups({("Kommune",): 3}, by=BY, privacy=Privacy())
    assert target[("Kommune",)] is None and protection.nothing_shown
    assert "Kommune" not in protection.note() and "3" not in protection.note()
    assert not total_shown(3, Privacy()) and total_shown(5, Privacy())


def test_exceptions_are_honoured_kept_last_and_printed_with_their_reason():
    from lnutils.analysis.suppression import rule_description

    sizes = {("Kommune",): 6, ("Brukerorganisasjon",): 3, ("KS",): 2}
    target, protection = plan_groups(sizes, by=BY, privacy=PRIVACY, mode="suppress")
    # KS (2) must get a partner: Kommune goes, the excepted group stays
    assert target[("Brukerorganisasjon",)] == ("Brukerorganisasjon",)
    assert target[("Kommune",)] is None and [e.reason for e in protection.applied] == [REASON]
    text = rule_description(PRIVACY)
    assert REASON in text and "brukerorganisasjon" in text.split("Unntak")[1]
    assert "færre enn 5 svar" in text and "er grensen 3" in text
    assert "ingen unntak" in rule_description(Privacy(min_group_size=3))


def test_a_notebook_cannot_lower_the_pipelines_threshold():
    from lnutils.chapters.context import open_chapter

    pipeline = "pipelines/trondelag-2021.yml"
    assert open_chapter(pipeline, min_group_size=2).privacy.min_group_size == 5
    assert open_chapter(pipeline, min_group_size=8).privacy.min_group_size == 8


def test_response_rates_hide_small_groups_and_their_complement():
    from lnutils.analysis.summaries import protect_response_rates, response_rate_by_group

    invited = pd.Series(["Kommune"] * 10 + ["KS"] * 3 + ["Brukerorganisasjon"] * 4
                        + ["HF"] * 6)
    answered = pd.Series(["Kommune"] * 6 + ["KS"] + ["Brukerorganisasjon"] * 3
                         + ["HF"] * 6)
    rates = response_rate_by_group(invited=invited, answered=answered)
    out = protect_response_rates(rates, question="representerer", privacy=PRIVACY)
    # KS (1) is hidden; Bruker (3) is shown by the exception; 16 - 6 - 3 - 6 = 1 would
    # give KS, so the smallest shown without an exception (Kommune or HF, 6) goes too
    assert "KS" not in set(out.table["group"]) and "Brukerorganisasjon" in set(out.table["group"])
    assert out.protection.suppressed == ("KS",) and len(out.protection.complementary) == 1
    shown = out.table[out.table["group"] != "Alle"]["answered"].sum()
    assert 16 - shown >= 5 and "Alle" in set(out.table["group"])
