"""Tidy summaries of a multi-network programme: overview, gatherings, hours, goals, tools.

Inputs are the loaded ``networks``, ``gatherings``, ``gathering_hours``,
``municipal_goals``, ``tools_adopted`` and ``team_composition`` (see
:mod:`lnutils.inputs.networks`). Display tables (``*_table``) carry Norwegian column names and are
ready to show in a chapter; the others are tidy frames for the figures.
"""

from __future__ import annotations

import pandas as pd

from lnutils.inputs.networks import ROLES, TOOL_STATUSES, TOOLS, mismatch_note

MONTHS_NB = ["jan.", "feb.", "mars", "apr.", "mai", "juni", "juli", "aug.", "sep.", "okt.",
             "nov.", "des."]
JOINT_LABEL = "Felles"


def month_label(month: str) -> str:
    """'2014-09' -> 'sep. 2014'."""
    year, number = month.split("-")
    return f"{MONTHS_NB[int(number) - 1]} {year}"


def network_label(number, venue: str = "") -> str:
    return f"Nettverk {number}" + (f" ({venue})" if venue else "")


def network_overview_table(networks, gatherings: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per network: venue, stated and listed municipalities, gathering months, note.

    The note says in Norwegian where the stated count and the list differ.
    """
    rows = []
    for _, net in networks.table.iterrows():
        row = {"Nettverk": net["network"], "Samlingssted": net["venue"],
               "Kommuner (oppgitt)": net["stated"], "Kommuner (listet)": net["names_listed"]}
        if gatherings is not None:
            own = gatherings[gatherings["network"] == net["network"]].sort_values("number")
            row["Samlinger"] = ", ".join(month_label(m) for m in own["month"])
        row["Merknad"] = _note_nb(net, networks.municipalities)
        rows.append(row)
    return pd.DataFrame(rows)


def _note_nb(net: pd.Series, municipalities: pd.DataFrame) -> str:
    if not mismatch_note(net, municipalities):
        notes = []
    else:
        notes = [f"{net['stated']} oppgitt, {net['names_listed']} navn i listen"]
        own = municipalities[(municipalities["network"] == net["network"])
                             & (municipalities["groups"] > 1)]
        notes += [f"{m['municipality']} deltok med {m['groups']} grupper"
                  for _, m in own.iterrows()]
    if net["withdrawn_before_start"]:
        notes.append(f"{net['withdrawn_before_start']} kommuner trakk seg før oppstart")
    return "; ".join(notes)


def gathering_timeline(gatherings: pd.DataFrame, networks=None) -> pd.DataFrame:
    """One row per gathering: network label, number, month (Timestamp), kind, joint."""
    venues = {}
    if networks is not None:
        venues = dict(zip(networks.table["network"], networks.table["venue"], strict=True))
    frame = gatherings.copy()
    frame["label"] = [JOINT_LABEL if joint else network_label(n, venues.get(n, ""))
                      for n, joint in zip(frame["network"], frame["joint"], strict=True)]
    frame["date"] = pd.to_datetime(frame["month"], format="%Y-%m")
    frame["month_label"] = frame["month"].map(month_label)
    return frame[["label", "network", "joint", "number", "kind", "month", "date",
                  "month_label"]].sort_values(["joint", "network", "number"],
                                              ignore_index=True)


def hours_by_kind(hours: pd.DataFrame) -> pd.DataFrame:
    """Hours per gathering and kind, with each kind's share of the gathering's hours."""
    frame = hours.copy()
    frame["total"] = frame.groupby("gathering")["hours"].transform("sum")
    frame["share"] = frame["hours"] / frame["total"]
    return frame


def goals_table(goals: pd.DataFrame) -> pd.DataFrame:
    """Goal categories by rank with the share of all mentions."""
    frame = goals.sort_values("rank", ignore_index=True).copy()
    frame["share_of_mentions"] = frame["municipalities"] / frame["municipalities"].sum()
    return frame


def tools_matrix(tools: pd.DataFrame, networks=None) -> pd.DataFrame:
    """Municipality x tool, cells holding the status label ('' where the source is silent).

    With ``networks`` every listed municipality gets a row, so silence shows as well.
    Rows are indexed by (network, municipality); columns follow the order of TOOLS.
    """
    frame = tools.copy()
    frame["cell"] = frame["status"].map(TOOL_STATUSES)
    wide = frame.pivot(index=["network", "municipality"], columns="tool", values="cell")
    if networks is not None:
        index = pd.MultiIndex.from_frame(networks.municipalities[["network", "municipality"]])
        wide = wide.reindex(index)
    wide = wide.reindex(columns=[t for t in TOOLS if t in set(tools["tool"])])
    wide.columns = [TOOLS[t] for t in wide.columns]
    return wide.fillna("")


def team_roles_table(team: pd.DataFrame) -> pd.DataFrame:
    """Municipality x role as the source states it: 'ja', 'nei' or a count ('6').

    When the source mentions a role at both gatherings, the later statement wins.
    """
    frame = team.sort_values("gathering").copy()
    frame["cell"] = [str(c) if present and pd.notna(c) else ("ja" if present else "nei")
                     for present, c in zip(frame["present"], frame["count"], strict=True)]
    latest = frame.groupby(["network", "municipality", "role"], sort=False).last()
    wide = latest["cell"].unstack("role")
    wide = wide.reindex(columns=[r for r in ROLES if r in wide.columns])
    wide.columns = [ROLES[r] for r in wide.columns]
    return wide.fillna("").sort_index()


def tools_count_table(tools: pd.DataFrame) -> pd.DataFrame:
    """Per tool: municipalities using, planning or considering it."""
    counts = tools.pivot_table(index="tool", columns="status", values="municipality",
                               aggfunc="nunique", fill_value=0)
    counts = counts.reindex(index=[t for t in TOOLS if t in counts.index],
                            columns=list(TOOL_STATUSES), fill_value=0)
    counts.index = [TOOLS[t] for t in counts.index]
    counts.columns = [TOOL_STATUSES[s] for s in counts.columns]
    counts["Totalt"] = counts.sum(axis=1)
    return counts
