"""Facts of the Trøndelag 2019-2021 evaluation, computed from its inputs.

Keys follow ``../shared/reference/trondelag-2021.yml``; orderings are lists of battery
item ids (highest first). Every survey number is read from the summaries the figures
draw (:mod:`lnutils.analysis.summaries`), on the figures' bases; only shown groups (the
small-group rule) are compared. Further keys a careful evaluator wants: response rates by
organisation type, region and arena against the invitation list with Wilson 95 %
intervals (``response_rates``), item non-response per question (``item_nonresponse``),
means per item, the activity log by form of meeting (``activities``).

The module knows the survey's vocabulary (question ids, the labels of a few options,
the names of two arenas); every number comes from the data.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from lnutils.analysis import summaries as su
from lnutils.analysis.stats import wilson_interval
from lnutils.analysis.summaries.nonresponse import question_counts
from lnutils.inputs.codebook import normalise_label
from lnutils.problems import DataError, Problem

# Labels of the options the report singles out (compared case-insensitively).
PERIOD_KEYS = {"første del av perioden": "first_part", "andre del av perioden": "second_part",
               "hele perioden": "whole_period"}
ACTIVE_ARENAS = ("forbedringsteam", "arbeidsgruppe", "arbeidsutvalg")  # "aktive roller"
OTHER_ARENAS = "other_arenas"
GATHERING_ARENA = "Felles nettverkssamlinger"
COORDINATOR_ARENA = "Koordinator- og brukerrepresentant samlinger"
PANDEMIC_START = pd.Timestamp("2020-03-12")  # physical meetings stopped from this date
# Questions the report's facts read (ids of the codebook).
QUESTIONS = ("periode", "arena", "representerer", "aktiviteter", "region", "nytte_region",
             "innsats_egen", "innsats_team", "ledere_spurte", "nytte_arena", "covid",
             "digitalt", "q19", "q20", "q21", "q22", "nytte_org")
# Survey question -> invitation-list column it groups by, for response rates.
GROUPINGS = {"representerer": "organisation_type", "region": "region", "arena": "arena"}


def group_key(label: str) -> str:
    """A label as a dotted-key-safe id: "Andre arenaer (fellessamlinger ...)" -> andre_arenaer."""
    text = normalise_label(str(label).split("(")[0])
    return re.sub(r"[^\wæøå]+", "_", text).strip("_")


# --- reading the summaries the figures draw ---------------------------------------------------

def _choice(answers: pd.DataFrame, codebook, question: str) -> pd.DataFrame:
    """count_choice of a question with a normalised label column ``key``."""
    table = su.count_choice(answers, question=question, codebook=codebook)
    return table.assign(key=table["label"].map(normalise_label))


def _opinion_counts(answers: pd.DataFrame, codebook, question: str) -> dict[str, int]:
    """Respondents per opinion option, by group key (an option nobody chose is a 0)."""
    table = _choice(answers, codebook, question)
    table = table[table["kind"] == su.OPINION]
    return {group_key(k): int(n) for k, n in zip(table["label"], table["n"], strict=True)}


def _count_of(table: pd.DataFrame, label: str) -> int:
    return int(table.loc[table["key"] == normalise_label(label), "n"].sum())


def _kind_count(table: pd.DataFrame, kind: str) -> int:
    return int(table.loc[table["kind"] == kind, "n"].sum())


def _mean(value) -> float | None:
    return None if pd.isna(value) else float(value)


def _battery(answers: pd.DataFrame, codebook, question: str) -> pd.DataFrame:
    return su.battery_means(answers, question=question, codebook=codebook).set_index("item")


def _ranked(means: pd.DataFrame) -> list[str]:
    """Item ids by mean, best first (a tie keeps the questionnaire's order)."""
    return list(su.rank_by_mean(means.reset_index())["item"])


def _highest(means: pd.DataFrame, k: int) -> list[str]:
    """The k best items by mean, and any item tied with the k-th (a tie is not cut)."""
    ranked = su.rank_by_mean(means.reset_index())
    return list(ranked.loc[ranked["rank"] <= k, "item"])


def _one_or_tie(ids: list[str]) -> str | list[str] | None:
    """One id, or the ids of a tie (a tie is reported, never broken by order)."""
    return ids[0] if len(ids) == 1 else (ids or None)


def _lowest(means: pd.DataFrame, k: int) -> list[str]:
    """The k worst items by mean, worst first, and any item tied with the k-th."""
    ranked = su.rank_by_mean(means.reset_index().assign(_low=lambda f: -f["mean"]),
                             value="_low")
    return list(ranked.loc[ranked["rank"] <= k, "item"])


# --- sections ----------------------------------------------------------------------------------

def survey_facts(survey, invitations: pd.DataFrame, meta: dict) -> dict[str, Any]:
    """Invited, respondents, response rate, survey window, reminders."""
    invited, responded = len(invitations), len(survey.respondents)
    arenas = invitations["arena"].map(normalise_label) if "arena" in invitations else None
    facts = {
        "invited": invited,
        "invited_active_roles_about": (int(arenas.isin(ACTIVE_ARENAS).sum())
                                       if arenas is not None else None),
        "respondents": responded,
        "response_rate_pct": round(100 * responded / invited, 1) if invited else None,
        "share_margin_pct": _share_margin_pct(responded),
    }
    for key in ("open_from", "open_to", "reminders", "deadline_extensions"):
        value = meta.get(key)
        facts[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return facts


def _share_margin_pct(n: int) -> float | None:
    """Half the width of the Wilson 95 % interval of a share near 50 % of n respondents.

    The widest interval a share of all respondents can have (n // 2 of n), in
    percentage points: how far any share in the text may be from the truth.
    """
    if n == 0:
        return None
    low, high = wilson_interval(n // 2, n)
    return 100 * (high - low) / 2


def profile_facts(answers: pd.DataFrame, codebook, teams) -> dict[str, Any]:
    """Who answered: period, arena, organisation, activities, team region (figures 6-10)."""
    periods = _choice(answers, codebook, "periode")
    arenas = _opinion_counts(answers, codebook, "arena")
    formal = {k: v for k, v in arenas.items() if k in ACTIVE_ARENAS}
    formal[OTHER_ARENAS] = sum(v for k, v in arenas.items() if k not in ACTIVE_ARENAS)
    activities = su.share_multi(answers, question="aktiviteter", codebook=codebook)
    regions = _choice(answers, codebook, "region")
    answered_regions = set(regions.loc[(regions["kind"] == su.OPINION) & (regions["n"] > 0),
                                       "key"])
    # teams no respondent named, by the teams' own spelling (the text names them)
    missing = sorted(str(n) for n in teams.teams["name"]
                     if normalise_label(n) not in answered_regions)
    return {
        "participation_period": {PERIOD_KEYS[k]: int(n) for k, n in
                                 zip(periods["key"], periods["n"], strict=True)
                                 if k in PERIOD_KEYS},
        "formal_arena": formal,
        "most_active_arenas": sum(arenas.get(k, 0) for k in ACTIVE_ARENAS),
        "represented": _opinion_counts(answers, codebook, "representerer"),
        "activities_attended": {
            "respondents_with_one_activity_only": int(activities["one_option_only"].iloc[0]),
            # on the figure's base: those who ticked at least one activity
            "mean_activities": su.options_per_person(activities),
        },
        "region_question_answered": int(regions["base"].iloc[0]),
        "region_counts": _opinion_counts(answers, codebook, "region"),
        "regions_covered": "all" if not missing else missing,
    }


def _scale_summary(answers: pd.DataFrame, question: str) -> dict[str, Any]:
    stats = su.summarise_rating(answers, question=question)
    return {"n": stats["n"], "mean": _mean(stats["mean"]), "vet_ikke": stats["n_vet_ikke"]}


def _yes_no(answers: pd.DataFrame, codebook, question: str) -> dict[str, int]:
    table = _choice(answers, codebook, question)
    return {"ja": _count_of(table, "Ja"), "nei": _count_of(table, "Nei"),
            "vet_ikke": _kind_count(table, "vet_ikke"), "n": int(table["base"].iloc[0])}


def organisation_facts(answers: pd.DataFrame, codebook) -> dict[str, Any]:
    """Organisation and conduct of the network (figures 11-15)."""
    region = _scale_summary(answers, "nytte_region")
    counts = _choice(answers, codebook, "nytte_region")
    top_two = sorted(counts.loc[counts["kind"] == su.OPINION, "code"])[-2:]
    region["answered_5_or_6"] = int(counts.loc[counts["code"].isin(top_two), "n"].sum())
    # Figure 12 compares the two ratings of the same respondents: one base for both means.
    paired = su.paired_ratings(answers, questions=["innsats_egen", "innsats_team"],
                               codebook=codebook).set_index("measure")
    own, team = paired.loc["innsats_egen"], paired.loc["innsats_team"]
    diff = paired.loc["differanse"]
    leaders = _yes_no(answers, codebook, "ledere_spurte")
    arenas = _battery(answers, codebook, "nytte_arena")
    vet_ikke = {item: int(n) for item, n in arenas["n_vet_ikke"].items()}
    digital = _yes_no(answers, codebook, "digitalt")
    return {
        "region_structure_useful": region,
        "effort": {"n": int(own["n"]), "own_mean": _mean(own["mean"]),
                   "team_mean": _mean(team["mean"]),
                   "own_effort_mean_lower_than_team_effort": bool(own["mean"] < team["mean"]),
                   # the team's rating minus one's own, per respondent, with its t interval
                   "difference": {"mean": _mean(diff["mean"]), "ci_low": _mean(diff["low"]),
                                  "ci_high": _mean(diff["high"])},
                   "team_rated_higher": int(diff["n_higher"]),
                   "team_rated_equal": int(diff["n_equal"]),
                   "team_rated_lower": int(diff["n_lower"])},
        "leaders_asked": {k: leaders[k] for k in ("ja", "nei", "vet_ikke")},
        "arena_usefulness": {
            "did_not_attend_network_gatherings":
                int(arenas.loc["nettverkssamlinger", "n_ikke_deltatt"]),
            "did_not_attend_joint_team_gatherings":
                int(arenas.loc["forbedringsteamsamlinger", "n_ikke_deltatt"]),
            "highest_rated": _highest(arenas, 2),
            "many_vet_ikke": sorted(vet_ikke, key=lambda k: -vet_ikke[k])[:3],
            "means": {k: _mean(v) for k, v in arenas["mean"].items()}, "vet_ikke": vet_ikke,
        },
        "covid_effect": _scale_summary(answers, "covid"),
        "digital_tools_make_collaboration_easier": {
            "yes": digital["ja"], "no": digital["nei"], "vet_ikke": digital["vet_ikke"],
            "n": digital["n"]},
    }


def _usefulness(answers: pd.DataFrame, codebook, privacy) -> dict[str, Any]:
    """Figure 20: the mean, and by group and period as the figure shows them (protected)."""
    overall = su.summarise_rating(answers, question="nytte_org")
    groups = su.mean_by_group(answers, question="nytte_org", by="representerer",
                              privacy=privacy, mode="suppress", codebook=codebook).table
    groups = groups[(groups["group"] != su.ALL) & groups["mean"].notna()]
    by_group = {group_key(g): float(m) for g, m in zip(groups["group"], groups["mean"],
                                                        strict=True)}
    periods = su.mean_by_group(answers, question="nytte_org", by="periode", privacy=privacy,
                               mode="suppress", codebook=codebook).table
    whole = periods[periods["group"].map(normalise_label).map(PERIOD_KEYS) == "whole_period"]
    lowest = su.best_and_worst(su.rank_by_mean(groups), key="group")["worst"]
    lowest = [group_key(g) for g in lowest]
    mean = _mean(overall["mean"])
    return {
        "n": overall["n"], "mean": mean,
        "whole_period_mean": _mean(whole["mean"].iloc[0]) if len(whole) else None,
        "kommune_mean": by_group.get("kommune"),
        "mean_by_group": by_group,
        "n_by_group": {group_key(g): int(n) for g, n in zip(groups["group"], groups["n"],
                                                            strict=True)},
        # only groups shown under the small-group rule can be the lowest; a tie is a list
        "lowest_group": _one_or_tie(lowest),
        "brukerorganisasjon_above_overall_mean": (
            by_group["brukerorganisasjon"] > mean if "brukerorganisasjon" in by_group
            else None),
    }


def effect_facts(answers: pd.DataFrame, codebook, privacy) -> dict[str, Any]:
    """What the network achieved (figures 16-20)."""
    q19, q20 = _battery(answers, codebook, "q19"), _battery(answers, codebook, "q20")
    q21, q22 = _battery(answers, codebook, "q21"), _battery(answers, codebook, "q22")

    def means(table: pd.DataFrame) -> dict[str, float | None]:
        return {k: _mean(v) for k, v in table["mean"].items()}

    return {
        "q19_organisation_succeeded": {
            "vet_ikke": int(q19["n_vet_ikke"].sum()),
            "highest_items": _highest(q19, 2), "lowest_items": _lowest(q19, 2),
            "means": means(q19)},
        "q20_collaboration": {
            "highest_item": _one_or_tie(_highest(q20, 1)),
            # more than half of the opinions in the scale's upper half (4 or higher of 1-5)
            "majority_4_or_higher": [i for i, s in q20["share_top"].items() if s > 0.5],
            "some_vet_ikke": bool(q20["n_vet_ikke"].sum() > 0),
            "means": means(q20)},
        "q21_professional_and_service_development": {"highest_items": _highest(q21, 2),
                                                     "means": means(q21)},
        "q22_user_involvement": {"order_of_means": _ranked(q22), "means": means(q22)},
        "overall_usefulness_for_organisation": _usefulness(answers, codebook, privacy),
    }


def network_facts(teams) -> dict[str, Any]:
    """Regions, population covered, teams, period and the original plan."""
    munis, table = teams.municipalities, teams.teams
    regions = {r for rs in table["kommuneregioner"] for r in rs}
    facts: dict[str, Any] = {"kommuneregioner_participating": len(regions)}
    if len(munis):
        county = munis["county"].mode().iloc[0]  # the network's own county
        own = munis[munis["county"] == county]
        covered = own[own["kommuneregion"].isin(regions)]["population"].sum()
        facts["kommuneregioner_in_county"] = int(own["kommuneregion"].nunique())
        facts["population_covered_pct_about"] = float(100 * covered / own["population"].sum())
    plan = teams.original_plan["arena"]
    facts.update({
        "improvement_teams": len(table),
        "teams_with_health_trust_at_start": int(table["health_trust_at_start"].sum()),
        "teams_without_user_rep_at_start": int((table["user_reps_start"] == 0).sum()),
        "period": [teams.period.get("start"), teams.period.get("end")],
        "planned_gatherings": int((plan == GATHERING_ARENA).sum()),
        "planned_coordinator_gatherings": int((plan == COORDINATOR_ARENA).sum()),
    })
    return facts


def activity_facts(log: pd.DataFrame, teams) -> tuple[dict[str, Any], dict[str, Any]]:
    """Table 1 (events per arena, None for arenas not logged) and the log by form."""
    counts = log["arena"].value_counts()
    table: dict[str, Any] = {}
    for _, arena in teams.arenas.iterrows():
        table[arena["name"]] = int(counts.get(arena["name"], 0)) if arena["counted"] else None
    table["SUM"] = int(sum(v for v in table.values() if v is not None))
    after = log[log["date"] >= PANDEMIC_START]
    modes = {"before_pandemic": log[log["date"] < PANDEMIC_START]["mode"].value_counts(),
             "after_pandemic": after["mode"].value_counts()}
    extra = {
        "first_event": log["date"].min().date().isoformat(),
        "last_event": log["date"].max().date().isoformat(),
        "by_mode": {k: {group_key(m): int(n) for m, n in v.items()} for k, v in modes.items()},
        "digital_after_pandemic_pct": (float(100 * (after["mode"] != "fysisk").mean())
                                       if len(after) else None),
    }
    return table, extra


def teams_table(teams) -> dict[str, Any]:
    """Table 2: municipalities, health trust and user representatives per team."""
    return {row["name"]: {"kommuner": list(row["municipalities"]),
                          "helseforetak": row["health_trust"],
                          "brukerrepresentanter_start": row["user_reps_start"],
                          "brukerrepresentanter_slutt": row["user_reps_end"]}
            for _, row in teams.teams.iterrows()}


def response_rates(answers: pd.DataFrame, invitations: pd.DataFrame) -> dict[str, Any]:
    """Respondents' self-reported group against the invited group, with Wilson 95 %."""
    out: dict[str, Any] = {}
    for question, column in GROUPINGS.items():
        if column not in invitations:
            continue
        invited = invitations[column].where(invitations[column].fillna("").str.strip() != "")
        rates = su.response_rate_by_group(
            invited=invited, answered=su.respondent_groups(answers, question=question),
            total=False)
        out[column] = {group_key(normalise_label(r.group)): {
            "invited": int(r.invited), "responded": int(r.answered), "pct": 100 * r.rate,
            "low_pct": 100 * r.low, "high_pct": 100 * r.high} for r in rates.itertuples()}
    return out


def item_nonresponse(answers: pd.DataFrame, codebook) -> dict[str, Any]:
    """Per question (and battery item): asked, missing and missing as % of asked.

    Counted as the method appendix counts them (:func:`question_counts`); a battery also
    per item, each item on its own.
    """
    out: dict[str, Any] = {}
    for q in codebook.questions:
        if q.type == "multi":
            continue  # an unticked box is an answer, not a missing one
        rows = answers[answers["question"] == q.id]
        parts = {"_": rows} if q.type != "battery" else dict(tuple(rows.groupby("item",
                                                                                 sort=False)))
        entry = {}
        for item, part in parts.items():
            counts = question_counts(part)
            asked, missing = counts["asked"], counts["missing"]
            entry[item] = {"asked": asked, "missing": missing,
                           "pct": 100 * missing / asked if asked else None}
        out[q.id] = entry["_"] if list(entry) == ["_"] else entry
    return out


def _check_codebook(codebook) -> None:
    missing = [q for q in QUESTIONS if q not in codebook]
    if missing:
        raise DataError(Problem(codebook.path, None, "questions", ", ".join(missing),
                                "the codebook lacks questions the Trøndelag facts read",
                                "add them with these ids, or use another facts module"))


def compute(dataset) -> dict[str, Any]:
    """Every fact of the report, nested (see the module docstring).

    Raises
    ------
    DataError
        When an input is invalid or the codebook lacks a question the facts read.
    """
    codebook = dataset["codebook"]
    _check_codebook(codebook)
    survey, teams, invitations = dataset["survey"], dataset["teams"], dataset["invitations"]
    answers, privacy = survey.answers, dataset.pipeline.spec.privacy
    table_1, activities = activity_facts(dataset["activities"], teams)
    return claim_facts(dataset, {
        "survey": survey_facts(survey, invitations, codebook.meta),
        "profile": profile_facts(answers, codebook, teams),
        "organisation": organisation_facts(answers, codebook),
        "effect": effect_facts(answers, codebook, privacy),
        "network": network_facts(teams),
        "activities_table_1": table_1,
        "activities": activities,
        "teams_table_2": teams_table(teams),
        "response_rates": response_rates(answers, invitations),
        "item_nonresponse": item_nonresponse(answers, codebook),
    })


# --- facts the narrative's claims read (issue 13) -------------------------------------------

def team_region_facts(teams) -> dict[str, Any]:
    """Teams against kommuneregioner: how many teams cover more than one region, and which."""
    table = teams.teams
    several = table[table["kommuneregioner"].map(len) > 1]
    return {
        "teams_spanning_regions": int(len(several)),
        "teams_spanning_regions_names": list(several["name"]),
        "teams_without_user_rep_at_end": int((table["user_reps_end"] == 0).sum()),
        "teams_ongoing": int((table["status"].fillna("").str.lower() == "pågående").sum())
        if "status" in table else 0,
    }


def pandemic_activity_facts(log: pd.DataFrame) -> dict[str, Any]:
    """The activity log after the pandemic began: counts by form of meeting (zeros kept)."""
    after = log[log["date"] >= PANDEMIC_START]
    physical = after[after["mode"] == "fysisk"]
    counts = log["arena"].value_counts()
    top = sorted(counts[counts == counts.max()].index) if len(counts) else []
    return {
        "pandemic_start": PANDEMIC_START.date().isoformat(),
        "after_pandemic": int(len(after)),
        "digital_after_pandemic": int((after["mode"] == "digital").sum()),
        "partly_digital_after_pandemic": int((after["mode"] == "delvis digital").sum()),
        "physical_after_pandemic": int(len(physical)),
        "physical_after_pandemic_dates": [d.date().isoformat() for d in physical["date"]],
        "physical_after_pandemic_arenas": sorted(set(physical["arena"])),
        "last_physical": (log[log["mode"] == "fysisk"]["date"].max().date().isoformat()
                          if (log["mode"] == "fysisk").any() else None),
        "top_arenas": top,
        **_last_gathering(log),
    }


def _last_gathering(log: pd.DataFrame) -> dict[str, Any]:
    gatherings = log[log["arena"] == GATHERING_ARENA].sort_values("date")
    if gatherings.empty:
        return {"last_gathering": None, "last_gathering_mode": None}
    last = gatherings.iloc[-1]
    return {"last_gathering": last["date"].date().isoformat(),
            "last_gathering_mode": last["mode"]}


def scale_facts(codebook) -> dict[str, Any]:
    """Lowest and highest answer code of the usefulness question the summary quotes."""
    codes = sorted(codebook.question("nytte_org").codes())
    return {"scale_min": codes[0], "scale_max": codes[-1]}


def claim_facts(dataset, facts: dict[str, Any]) -> dict[str, Any]:
    """Add the facts above to ``facts`` (returned), under the keys the text reads."""
    facts["network"].update(team_region_facts(dataset["teams"]))
    facts["activities"].update(pandemic_activity_facts(dataset["activities"]))
    facts["effect"]["overall_usefulness_for_organisation"].update(
        scale_facts(dataset["codebook"]))
    return facts
