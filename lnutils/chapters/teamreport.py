"""Tables and text about the improvement teams: Table 2, the self-evaluation forms, the plan.

The forms are the teams' own free text, and some carry names, e-mail addresses and phone
numbers. :func:`self_evaluations_markdown` passes every field through
:func:`lnutils.privacy.redact_text` before it reaches a chapter, so nothing personal is
shown, stored in an executed notebook or rendered, and escapes it for Markdown
(:mod:`lnutils.literal`), so that a form's text is never read as markup.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from lnutils.inputs.selfeval import FIELDS
from lnutils.literal import escape_markdown, markdown_list
from lnutils.privacy import name_index, redact_text

MODE_LABELS = {"fysisk": "Fysisk", "digital": "Digitalt", "delvis digital": "Delvis digitalt"}


def _list(values: Iterable[str]) -> str:
    values = list(values)
    if len(values) <= 1:
        return "".join(values)
    return ", ".join(values[:-1]) + " og " + values[-1]


def teams_table(teams: pd.DataFrame) -> pd.DataFrame:
    """Table 2: region, municipalities, health trust, user representatives, area, status.

    Parameters
    ----------
    teams : ``Network.teams`` from :func:`lnutils.inputs.teams.load_teams`.
    """
    rows = []
    for team in teams.to_dict("records"):
        users = f"{team['user_reps_start']} ved start, {team['user_reps_end']} ved slutt"
        if team.get("user_representation"):
            users += f". {team['user_representation']}"
        rows.append({
            "Region": team["name"],
            "Kommuner": _list(team["municipalities"]),
            "Helseforetak": team["health_trust"] or "Ingen",
            "Brukerrepresentanter": users,
            "Forbedringsområde": team["improvement_area"],
            "Status": team["status"],
        })
    return pd.DataFrame(rows)


def _field_markdown(value, names) -> str:
    """A form field as Markdown: redacted first, then escaped, so it stays literal text."""
    if isinstance(value, (list, tuple)):
        return markdown_list(redact_text(str(item), names) for item in value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return escape_markdown(redact_text(str(value), names))


def self_evaluation_markdown(form: dict, names: Iterable[str], level: int = 2) -> str:
    """One team's form as markdown: a heading per team, a sub-heading per field, redacted.

    Parameters
    ----------
    form : one row of :func:`lnutils.inputs.selfeval.load_self_evaluations` as a dict.
    names : personal names to remove, or their index
        (``lnutils.inputs.invitations.personal_name_index``: built once per list).
    level : heading level of the team's heading.
    """
    names = name_index(names)
    team = escape_markdown(redact_text(str(form["team"]), names), lines=False)
    lines = [f"{'#' * level} {team}", ""]
    for field, heading in FIELDS.items():
        text = _field_markdown(form.get(field), names)
        if not text:
            continue
        lines += [f"**{escape_markdown(heading, lines=False)}**", "", text, ""]
    return "\n".join(lines).strip() + "\n"


def self_evaluations_markdown(forms: pd.DataFrame, names: Iterable[str],
                              level: int = 2) -> str:
    """Every team's form (see :func:`self_evaluation_markdown`), in file order."""
    names = name_index(names)
    return "\n".join(self_evaluation_markdown(form, names, level)
                     for form in forms.to_dict("records"))


def plan_table(activities: pd.DataFrame, *, since: str = "2020-03-01") -> pd.DataFrame:
    """The dated activity plan from ``since`` on: date, arena, mode, team, note.

    Parameters
    ----------
    activities : from :func:`lnutils.inputs.activities.load_activities`.
    since : first date shown (the default is the month the pandemic closed meetings).
    """
    later = activities[activities["date"] >= pd.Timestamp(since)].sort_values("date")
    return pd.DataFrame({
        "Dato": later["date"].dt.strftime("%d.%m.%Y").to_numpy(),
        "Arena": later["arena"].to_numpy(),
        "Form": later["mode"].map(MODE_LABELS).fillna(later["mode"]).to_numpy(),
        "Team": later["team"].fillna("").to_numpy(),
        "Merknad": later["note"].fillna("").to_numpy(),
    })


# --- a sub-report's own team (fan-out chapter, issue 13) -------------------------------------

_MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
           "september", "oktober", "november", "desember"]


def _date(value) -> str:
    day = pd.Timestamp(value)
    return f"{day.day}. {_MONTHS[day.month - 1]} {day.year}"


def _people(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def region_team(teams: pd.DataFrame, region: str) -> pd.DataFrame:
    """The rows of Table 2 whose team is named as the region (a sub-report's own team)."""
    return teams[teams["name"] == region]


def region_activities(activities: pd.DataFrame, region: str) -> pd.DataFrame:
    """The events of the activity log that name the region's team."""
    return activities[activities["team"] == region]


def region_team_text(teams: pd.DataFrame, activities: pd.DataFrame, region: str) -> str:
    """A sub-report's paragraph about its own team, written from the teams and the log.

    Parameters
    ----------
    teams : ``Network.teams`` (Table 2).
    activities : the activity log.
    region : the fan-out value; the team of that name is the region's.
    """
    rows = region_team(teams, region)
    if rows.empty:
        return (f"Teamlisten har ikke et forbedringsteam med navnet {region}, så denne "
                "delrapporten viser ikke opplysninger om et team.")
    team = rows.iloc[0]
    munis = list(team["municipalities"])
    text = [f"Forbedringsteamet {team['name']} hadde med "
            f"{_people(len(munis), 'kommune', 'kommuner')} ({_list(munis)})"]
    trust = team.get("health_trust")
    text.append(f" og helseforetaket ved {trust}." if isinstance(trust, str) and trust
                else ", men ikke helseforetaket.")
    start, end = int(team["user_reps_start"]), int(team["user_reps_end"])
    reps = "brukerrepresentant", "brukerrepresentanter"
    text.append(f" Teamet hadde {_people(start, *reps)} ved start og {end} ved slutt.")
    log = region_activities(activities, region)
    if log.empty:
        text.append(" Aktivitetsloggen har ikke hendelser der teamet er ført opp.")
    else:
        arenas = log["arena"].value_counts()
        parts = _list(f"{arena.lower()} ({n})" for arena, n in arenas.items())
        text.append(f" Aktivitetsloggen har {_people(len(log), 'hendelse', 'hendelser')} "
                    f"der teamet er ført opp, fra {_date(log['date'].min())} til "
                    f"{_date(log['date'].max())}: {parts}.")
    return "".join(text)
