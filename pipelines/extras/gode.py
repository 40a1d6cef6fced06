"""Facts of the "Gode pasientforløp" 2014-2015 report, computed from its data.

Keys follow ``../shared/reference/gode-pasientforlop-2015.yml``; ``toolkit.data`` adds the
results of the (synthetic) toolkit data for the report's text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from lnutils.analysis import toolkit_summaries as ts
from lnutils.inputs.networks import HOUR_KINDS, mismatch_note
from lnutils.inputs.toolkit import STATUS_POINTS, checklist_points, parse_scores, programme_fidelity
from lnutils.inputs.toolkit import conversation_mean as mean

AUTUMN_MONTHS = range(8, 13)  # "høsten": August to December
HOLDS = {"mean_first": "mean of first conversation",
         "mean_second": "mean of second conversation"}


def _uniform(values) -> Any:
    """The one value every element shares, or None when they differ."""
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def network_facts(net) -> dict[str, Any]:
    """Counts, venues, listed names and the stated/listed mismatches of the networks."""
    table, munis = net.table, net.municipalities
    notes = {f"network_{r['network']}": mismatch_note(r, munis) for _, r in table.iterrows()}
    withdrawn = {f"network_{r['network']}_withdrawn_before_start": r["withdrawn_before_start"]
                 for _, r in table.iterrows() if r["withdrawn_before_start"]}
    return {
        "total_municipalities_stated": net.total_stated,
        "count": len(table),
        "stated_municipalities": dict(zip(table["network"], table["stated"], strict=True)),
        "venues": dict(zip(table["network"], table["venue"], strict=True)),
        "listed_municipalities": {n: list(g["municipality"])
                                  for n, g in munis.groupby("network", sort=True)},
        "known_mismatches": {**{k: v for k, v in notes.items() if v},
                             "distinct_names_listed": munis["municipality"].nunique()},
        **withdrawn,
    }


def gathering_facts(gatherings: pd.DataFrame, net) -> dict[str, Any]:
    """Gatherings per network, months, counts per period, first and final gathering."""
    own = gatherings[~gatherings["joint"]]
    joint = gatherings[gatherings["joint"]].sort_values("month")
    months = pd.to_datetime(gatherings["month"], format="%Y-%m")
    first = own.sort_values(["month", "network"]).head(1)  # its dates may be unknown
    final = joint.iloc[-1] if len(joint) else None
    facts = {
        "per_network": _uniform(own.groupby("network").size()),
        "months": {int(n): list(g.sort_values("number")["month"])
                   for n, g in own.groupby("network", sort=True)},
        "held_autumn_2014": int(((months.dt.year == 2014)
                                 & months.dt.month.isin(AUTUMN_MONTHS)).sum()),
        "held_2015": int((months.dt.year == 2015).sum()),
        "first_gathering": ([first.iloc[0]["first_day"], first.iloc[0]["last_day"]]
                            if len(first) and first.iloc[0]["first_day"] else None),
        "days_per_gathering": _uniform(gatherings["days"].dropna().astype(int)),
    }
    if final is not None:
        facts["final_conference"] = {"dates": [final["first_day"], final["last_day"]],
                                     "participants_about": final["participants_about"],
                                     "municipalities": final["municipalities"]}
    if net.team_size_stated:
        facts["team_size_average_about"] = sum(net.team_size_stated) / 2  # middle of "5-6"
    return facts


def hours_facts(hours: pd.DataFrame) -> dict[str, Any]:
    """Hours per gathering in the order project group, external talks, group work."""
    wide = hours.pivot(index="gathering", columns="kind", values="hours")
    wide = wide.reindex(columns=list(HOUR_KINDS))
    facts: dict[Any, Any] = {int(g): [float(v) for v in row] for g, row in wide.iterrows()}
    facts["total_hours"] = float(hours["hours"].sum())
    facts["total_group_work_hours"] = float(wide["gruppearbeid"].sum())
    return facts


def goal_facts(goals: pd.DataFrame) -> dict[str, Any]:
    counts = list(goals.sort_values("rank")["municipalities"])
    return {"categories": len(goals), "total_mentions": int(sum(counts)),
            "top_two_each": _uniform(counts[:2]), "counts_in_order": counts}


def _data_facts(forms, checklists) -> dict[str, Any]:
    """Headline results of the toolkit data (synthetic in the example), from the summaries
    the chapter's figures draw (:mod:`lnutils.analysis.toolkit_summaries`), whole network."""
    benefit = ts.benefit_summary(forms, by=None).table.iloc[0]
    fidelity = ts.fidelity_summary(checklists, by=None).table.iloc[0]
    missed = ts.most_missed_step(checklists)
    return {
        "forms": int(benefit["n_forms"]), "forms_complete": int(benefit["n_complete"]),
        "forms_pending": int(benefit["n_pending"]),
        "mean_benefit": _number(benefit["mean_benefit"]),
        "share_improved_pct": _number(100 * benefit["share_improved"]),
        "checklists": int(fidelity["n_checklists"]),
        "checklists_all_not_relevant": int(fidelity["n_all_not_relevant"]),
        "mean_fidelity_pct": _number(100 * fidelity["mean_fidelity"]),
        # the step most often relevant but not done, as a share of the checklists that
        # have it (the figure's measure); ties go to the lower step number
        "most_missed_step": int(missed["step"]) if missed else None,
        "municipalities": forms.forms["municipality"].nunique(),
    }


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def toolkit_facts(spec, forms=None, checklists=None) -> dict[str, Any]:
    """The toolkit's rules and worked examples (scored here), and the data's results."""
    example = spec.worked_example
    first, second = parse_scores(example["first_conversation"]), parse_scores(
        example["second_conversation"])
    m1, m2 = mean(first, spec.scale), mean(second, spec.scale)
    points = checklist_points(example["item_points"])
    holds = {f"item_{s.number}_holds": HOLDS[s.holds] for s in spec.steps.values() if s.holds}
    facts: dict[str, Any] = {
        "what_matters_form": {
            "scale_min": spec.scale[0], "scale_max": spec.scale[1],
            "worked_example": {"first_conversation": example["first_conversation"],
                               "second_conversation": example["second_conversation"],
                               "mean_first": m1, "mean_second": m2,
                               "perceived_benefit": m2 - m1}},
        "collaboration_checklist": {
            "items": len(spec.steps),
            "points": (f"{STATUS_POINTS['ja']} for done, {STATUS_POINTS['ikke_aktuelt']} for "
                       f"not relevant, {STATUS_POINTS['nei']} for relevant but not done"),
            "worked_example": {
                "item_points": example["item_points"], "points": points,
                "programme_fidelity_pct": 100 * programme_fidelity(points, len(spec.steps))},
            **holds},
    }
    if forms is not None and checklists is not None:
        facts["data"] = _data_facts(forms, checklists)
    return facts


def compute(dataset) -> dict[str, Any]:
    """Every fact of the report, nested like the reference file."""
    net = dataset["networks"]
    facts = {
        "networks": network_facts(net),
        "gatherings": gathering_facts(dataset["gatherings"], net),
        "gathering_hours": hours_facts(dataset["gathering_hours"]),
        "municipal_goals": goal_facts(dataset["municipal_goals"]),
    }
    if "toolkit_spec" in dataset:
        has_data = "toolkit_forms" in dataset and "toolkit_checklists" in dataset
        facts["toolkit"] = toolkit_facts(
            dataset["toolkit_spec"],
            dataset["toolkit_forms"] if has_data else None,
            dataset["toolkit_checklists"] if has_data else None)
    return claim_facts(dataset, facts)


# --- facts the narrative's claims read (issue 13) -------------------------------------------

def ranking_facts(goals: pd.DataFrame, checklists=None) -> dict[str, Any]:
    """Whether the top goal categories and the most missed step stand apart from the rest."""
    ordered = goals.sort_values("rank")
    counts = list(ordered["municipalities"])
    labels = list(ordered["category"])
    facts: dict[str, Any] = {"goals": {
        "top_two": {"first": labels[0] if labels else None,
                    "second": labels[1] if len(labels) > 1 else None},
        # the two first categories are ahead of the third (not tied with it)
        "top_two_ahead": len(counts) >= 2 and (len(counts) < 3 or counts[1] > counts[2])}}
    if checklists is not None:
        usable = checklists.checklists[~checklists.checklists["all_not_relevant"]]
        steps = checklists.steps[~checklists.steps["team_specific"]
                                 & checklists.steps["checklist"].isin(usable["checklist"])]
        missed = steps[steps["status"] == "nei"].groupby("step").size()
        facts["most_missed_step_tied"] = bool(len(missed) and (missed == missed.max()).sum() > 1)
    return facts


def claim_facts(dataset, facts: dict[str, Any]) -> dict[str, Any]:
    """Add the facts above to ``facts`` (returned)."""
    checklists = dataset["toolkit_checklists"] if "toolkit_checklists" in dataset else None
    extra = ranking_facts(dataset["municipal_goals"], checklists)
    facts["municipal_goals"].update(extra["goals"])
    if "most_missed_step_tied" in extra and "data" in facts.get("toolkit", {}):
        facts["toolkit"]["data"]["most_missed_step_tied"] = extra["most_missed_step_tied"]
    return facts
