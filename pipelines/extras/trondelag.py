"""Facts of the Trøndelag 2019-2021 evaluation, computed from its inputs.

Keys follow ``../shared/reference/trondelag-2021.yml``; orderings are lists of battery
item ids (highest first). Further keys a careful evaluator wants: response rates by
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

from lnutils.analysis.stats import wilson_interval
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


# --- the tidy answers --------------------------------------------------------------------------

def _rows(answers: pd.DataFrame, question: str, item: str = "") -> pd.DataFrame:
    return answers[(answers["question"] == question) & (answers["item"] == item)]


def _opinions(answers: pd.DataFrame, question: str, item: str = "") -> pd.Series:
    """Opinion codes (no "Vet ikke", "Ikke deltatt", missing or not asked), by respondent."""
    rows = _rows(answers, question, item)
    rows = rows[rows["nonanswer"].isna() & rows["code"].notna()]
    return rows.set_index("respondent")["code"].astype(int)


def _labels(answers: pd.DataFrame, question: str) -> pd.Series:
    """Chosen label (normalised) per respondent, opinions only."""
    rows = _rows(answers, question)
    rows = rows[rows["nonanswer"].isna() & rows["label"].notna()]
    return rows.set_index("respondent")["label"].map(normalise_label)


def _nonanswers(answers: pd.DataFrame, question: str, item: str, kind: str) -> int:
    return int((_rows(answers, question, item)["nonanswer"] == kind).sum())


def _mean(values: pd.Series) -> float | None:
    return float(values.mean()) if len(values) else None


def _item_means(answers: pd.DataFrame, codebook, question: str) -> dict[str, float | None]:
    return {item: _mean(_opinions(answers, question, item))
            for item in codebook.question(question).items}


def _ranked(means: dict[str, float | None]) -> list[str]:
    """Item ids by mean, highest first (items without opinions last)."""
    return sorted(means, key=lambda k: -(means[k] if means[k] is not None else -1e9))


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
    }
    for key in ("open_from", "open_to", "reminders", "deadline_extensions"):
        value = meta.get(key)
        facts[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return facts


def _counts(answers: pd.DataFrame, question: str) -> dict[str, int]:
    return {group_key(k): int(v) for k, v in _labels(answers, question).value_counts().items()}


def profile_facts(answers: pd.DataFrame, respondents: pd.DataFrame, teams) -> dict[str, Any]:
    """Who answered: period, arena, organisation, activities, team region (figures 6-10)."""
    periods = _labels(answers, "periode").map(PERIOD_KEYS).value_counts()
    arenas = _counts(answers, "arena")
    arena_labels = _labels(answers, "arena")
    formal = {k: v for k, v in arenas.items() if k in ACTIVE_ARENAS}
    formal[OTHER_ARENAS] = sum(v for k, v in arenas.items() if k not in ACTIVE_ARENAS)
    ticks = respondents[[c for c in respondents if c.startswith("aktiviteter.")]].sum(axis=1)
    regions = _labels(answers, "region")
    team_names = {normalise_label(n) for n in teams.teams["name"]}
    missing = sorted(team_names - set(regions))
    return {
        "participation_period": {k: int(v) for k, v in periods.items()},
        "formal_arena": formal,
        "most_active_arenas": int(arena_labels.isin(ACTIVE_ARENAS).sum()),
        "represented": _counts(answers, "representerer"),
        "activities_attended": {
            "respondents_with_one_activity_only": int((ticks == 1).sum()),
            "mean_activities": float(ticks.mean()),
        },
        "region_question_answered": int(len(regions)),
        "region_counts": _counts(answers, "region"),
        "regions_covered": "all" if not missing else missing,
    }


def _scale_summary(answers: pd.DataFrame, question: str, item: str = "") -> dict[str, Any]:
    values = _opinions(answers, question, item)
    return {"n": int(len(values)), "mean": _mean(values),
            "vet_ikke": _nonanswers(answers, question, item, "vet_ikke")}


def organisation_facts(answers: pd.DataFrame, codebook) -> dict[str, Any]:
    """Organisation and conduct of the network (figures 11-15)."""
    region = _scale_summary(answers, "nytte_region")
    region["answered_5_or_6"] = int((_opinions(answers, "nytte_region") >= 5).sum())
    own, team = _opinions(answers, "innsats_egen"), _opinions(answers, "innsats_team")
    leaders = _rows(answers, "ledere_spurte")
    arena_means = _item_means(answers, codebook, "nytte_arena")
    vet_ikke = {item: _nonanswers(answers, "nytte_arena", item, "vet_ikke")
                for item in arena_means}
    digital = _rows(answers, "digitalt")
    return {
        "region_structure_useful": region,
        "effort": {"n": int(len(own)), "own_mean": _mean(own), "team_mean": _mean(team),
                   "own_effort_mean_lower_than_team_effort": bool(own.mean() < team.mean())},
        "leaders_asked": {"ja": int((leaders["label"] == "Ja").sum()),
                          "nei": int((leaders["label"] == "Nei").sum()),
                          "vet_ikke": int((leaders["nonanswer"] == "vet_ikke").sum())},
        "arena_usefulness": {
            "did_not_attend_network_gatherings":
                _nonanswers(answers, "nytte_arena", "nettverkssamlinger", "ikke_deltatt"),
            "did_not_attend_joint_team_gatherings":
                _nonanswers(answers, "nytte_arena", "forbedringsteamsamlinger", "ikke_deltatt"),
            "highest_rated": _ranked(arena_means)[:2],
            "many_vet_ikke": sorted(vet_ikke, key=lambda k: -vet_ikke[k])[:3],
            "means": arena_means, "vet_ikke": vet_ikke,
        },
        "covid_effect": _scale_summary(answers, "covid"),
        "digital_tools_make_collaboration_easier": {
            "yes": int((digital["label"] == "Ja").sum()),
            "no": int((digital["label"] == "Nei").sum()),
            "vet_ikke": int((digital["nonanswer"] == "vet_ikke").sum()),
            "n": int(digital["nonanswer"].isin(["missing", "not_asked"]).eq(False).sum()),
        },
    }


def _majority_4_or_higher(answers: pd.DataFrame, question: str, items) -> list[str]:
    """Items where more than half of those with an opinion answered 4 or higher."""
    return [item for item in items
            if len(v := _opinions(answers, question, item)) and (v >= 4).mean() > 0.5]


def _usefulness(answers: pd.DataFrame) -> dict[str, Any]:
    values = _opinions(answers, "nytte_org")
    groups = _labels(answers, "representerer").reindex(values.index)
    periods = _labels(answers, "periode").map(PERIOD_KEYS).reindex(values.index)
    by_group = {group_key(g): float(v.mean()) for g, v in values.groupby(groups)}
    overall = float(values.mean())
    return {
        "n": int(len(values)), "mean": overall,
        "whole_period_mean": _mean(values[periods == "whole_period"]),
        "kommune_mean": by_group.get("kommune"),
        "mean_by_group": by_group,
        "n_by_group": {group_key(g): int(len(v)) for g, v in values.groupby(groups)},
        "lowest_group": min(by_group, key=by_group.get) if by_group else None,
        "brukerorganisasjon_above_overall_mean": (
            by_group["brukerorganisasjon"] > overall if "brukerorganisasjon" in by_group
            else None),
    }


def effect_facts(answers: pd.DataFrame, codebook) -> dict[str, Any]:
    """What the network achieved (figures 16-20)."""
    q19, q20 = _item_means(answers, codebook, "q19"), _item_means(answers, codebook, "q20")
    q21, q22 = _item_means(answers, codebook, "q21"), _item_means(answers, codebook, "q22")
    return {
        "q19_organisation_succeeded": {
            "vet_ikke": sum(_nonanswers(answers, "q19", i, "vet_ikke") for i in q19),
            "highest_items": _ranked(q19)[:2], "lowest_items": _ranked(q19)[-2:][::-1],
            "means": q19},
        "q20_collaboration": {
            "highest_item": _ranked(q20)[0],
            "majority_4_or_higher": _majority_4_or_higher(answers, "q20", q20),
            "some_vet_ikke": any(_nonanswers(answers, "q20", i, "vet_ikke") for i in q20),
            "means": q20},
        "q21_professional_and_service_development": {"highest_items": _ranked(q21)[:2],
                                                     "means": q21},
        "q22_user_involvement": {"order_of_means": _ranked(q22), "means": q22},
        "overall_usefulness_for_organisation": _usefulness(answers),
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
        invited = invitations[column].fillna("").map(normalise_label)
        answered = _labels(answers, question)
        groups: dict[str, Any] = {}
        for label, n in invited[invited != ""].value_counts().items():
            got = int((answered == label).sum())
            row = {"invited": int(n), "responded": got, "pct": 100 * got / n}
            if got <= n:  # more answers than invitations: groups reported differently
                low, high = wilson_interval(got, int(n))
                row.update(low_pct=100 * low, high_pct=100 * high)
            groups[group_key(label)] = row
        out[column] = groups
    return out


def item_nonresponse(answers: pd.DataFrame, codebook) -> dict[str, Any]:
    """Per question (and battery item): asked, missing and missing as % of asked."""
    out: dict[str, Any] = {}
    for q in codebook.questions:
        if q.type == "multi":
            continue  # an unticked box is an answer, not a missing one
        rows = answers[answers["question"] == q.id]
        entry = {}
        for item, part in rows.groupby("item", sort=False):
            asked = int((part["nonanswer"] != "not_asked").sum())
            missing = int((part["nonanswer"] == "missing").sum())
            entry[item or "_"] = {"asked": asked, "missing": missing,
                                  "pct": 100 * missing / asked if asked else None}
        out[q.id] = entry.get("_", entry) if list(entry) == ["_"] else entry
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
    answers = survey.answers
    table_1, activities = activity_facts(dataset["activities"], teams)
    return claim_facts(dataset, {
        "survey": survey_facts(survey, invitations, codebook.meta),
        "profile": profile_facts(answers, survey.respondents, teams),
        "organisation": organisation_facts(answers, codebook),
        "effect": effect_facts(answers, codebook),
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
