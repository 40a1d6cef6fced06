"""Inputs of a programme that runs several learning networks side by side (a national
programme with a network per health-trust area).

Each ``load_x(path, dataset)`` reads one raw file, checks it and returns tidy data, or
raises :class:`~lnutils.problems.DataError` listing every problem with file, row and
column. Differences the source itself contains (a network's stated number of
municipalities against the names it lists) are *warnings*: the data is used as printed and
the loaded object carries them in ``warnings`` (a frame as a
:class:`~lnutils.inputs.checked.CheckedTable`) so
that ``lnreport validate`` shows them. The cell checks come from
:mod:`lnutils.inputs.table_checks`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from lnutils.inputs.checked import with_warnings
from lnutils.inputs.table_checks import read_csv, rows
from lnutils.inputs.teams import YamlChecker, read_yaml
from lnutils.problems import DataError, Problem

HOUR_KINDS = {
    "prosjektgruppe": "Foredrag fra prosjektgruppen",
    "eksterne": "Eksterne foredrag",
    "gruppearbeid": "Gruppearbeid og fremlegg i plenum",
}
GATHERING_KINDS = ("nettverkssamling", "fellessamling")
JOINT = "alle"  # network column of a gathering shared by every network
ROLES = {
    "alle": "Hele teamet", "leder": "Leder", "fagpersonale": "Fagpersonale rus/psykisk helse",
    "nav": "NAV", "dps": "DPS/spesialisthelsetjenesten", "lege": "Lege",
    "tildeling": "Tildeling/forvaltning", "psykolog": "Psykolog", "helsesoster": "Helsesøster",
    "brukerrepresentant": "Brukerrepresentant", "erfaringskonsulent": "Erfaringskonsulent",
    "parorende": "Pårørende", "annet": "Annet",
}
TOOLS = {
    "kor": "KOR", "bsb": "Bruker spør bruker", "brukerplan": "Brukerplan", "lean": "LEAN",
    "verktoykasse": "Verktøykassen", "aktorkart": "Aktørkart",
}
TOOL_STATUSES = {"i_bruk": "I bruk", "planlagt": "Planlagt", "vurderer": "Vurderer"}
YES_NO = {"ja": True, "nei": False}
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


# ---------------------------------------------------------------- networks.yml


@dataclass
class Networks:
    """The networks of a programme: one row per network and one per listed municipality.

    ``table`` columns: network, venue, stated, names_listed, groups_listed,
    withdrawn_before_start. ``municipalities`` columns: network, municipality, printed_as,
    groups. ``warnings`` holds the warnings found while loading.
    """

    table: pd.DataFrame
    municipalities: pd.DataFrame
    total_stated: int
    team_size_stated: tuple[float, float] | None
    programme: str = ""
    warnings: list[Problem] = field(default_factory=list)

    def describe_short(self) -> str:
        return (f"{len(self.table)} networks, {len(self.municipalities)} municipalities listed "
                f"({self.total_stated} stated)")


def _municipality_entry(check, where, entry) -> dict[str, Any] | None:
    if isinstance(entry, str) and entry.strip():
        return {"municipality": entry.strip(), "printed_as": entry.strip(), "groups": 1}
    if isinstance(entry, dict) and isinstance(entry.get("name"), str):
        groups = entry.get("groups", 1)
        if not isinstance(groups, int) or groups < 1:
            check.add(None, where + ".groups", groups, "groups must be a whole number >= 1",
                      "give the number of teams this municipality took part with")
            groups = 1
        return {"municipality": entry["name"].strip(),
                "printed_as": str(entry.get("printed_as", entry["name"])).strip(),
                "groups": groups}
    check.add(None, where, entry, "a municipality is a name or {name: ..., groups: ...}",
              "write the name, or a mapping with `name`")
    return None


def _network_rows(check, raw_networks) -> tuple[list[dict], list[dict]]:
    table, munis = [], []
    seen = set()
    for i, net in enumerate(raw_networks):
        where = f"networks[{i}]"
        if not isinstance(net, dict):
            check.add(None, where, net, "each network must be a mapping", "see the README")
            continue
        number, stated = net.get("number"), net.get("stated_municipalities")
        if not isinstance(number, int) or number in seen:
            check.add(None, where + ".number", number, "network number missing or repeated",
                      "number the networks 1, 2, 3, ...")
            continue
        seen.add(number)
        if not isinstance(stated, int) or stated < 0:
            check.add(None, where + ".stated_municipalities", stated,
                      "the stated number of municipalities must be a whole number",
                      "copy the count the source gives for this network")
            continue
        listed = [_municipality_entry(check, f"{where}.municipalities[{j}]", e)
                  for j, e in enumerate(net.get("municipalities") or [])]
        listed = [m for m in listed if m]
        names = [m["municipality"] for m in listed]
        for name in {n for n in names if names.count(n) > 1}:
            check.add(None, where + ".municipalities", name, "municipality listed twice",
                      "list it once and give `groups:` when it took part with several teams")
        munis += [{"network": number, **m} for m in listed]
        table.append({
            "network": number, "venue": str(net.get("venue", "")).strip(), "stated": stated,
            "names_listed": len(set(names)), "groups_listed": sum(m["groups"] for m in listed),
            "withdrawn_before_start": int(net.get("withdrawn_before_start", 0) or 0),
        })
    return table, munis


def mismatch_note(row: pd.Series, municipalities: pd.DataFrame) -> str:
    """Say how a network's stated count differs from its list ("" when they agree)."""
    if row["stated"] == row["names_listed"]:
        return ""
    note = f"{row['stated']} stated, {row['names_listed']} names listed"
    own = municipalities[(municipalities["network"] == row["network"])
                         & (municipalities["groups"] > 1)]
    times = {2: "twice", 3: "three times"}
    for _, m in own.iterrows():
        counted = times.get(m["groups"], f"{m['groups']} times")
        note += f"; {m['municipality']} counted {counted} ({m['groups']} groups)"
    return note


def _warn_mismatches(check, net: Networks) -> None:
    for _, row in net.table.iterrows():
        note = mismatch_note(row, net.municipalities)
        if note:
            check.warn(None, f"networks[network={row['network']}].municipalities",
                       row["stated"], f"network {row['network']}: {note}",
                       "kept as printed in the source; say so where the report counts them")
    distinct = net.municipalities["municipality"].nunique()
    if distinct != net.total_stated:
        check.warn(None, "total_municipalities_stated", net.total_stated,
                   f"{net.total_stated} municipalities stated in total, {distinct} distinct "
                   "names listed", "kept as printed; report both numbers")
    if int(net.table["stated"].sum()) != net.total_stated:
        check.warn(None, "networks.stated_municipalities", int(net.table["stated"].sum()),
                   f"the networks' stated counts add up to {int(net.table['stated'].sum())}, "
                   f"not {net.total_stated}", "check the counts against the source")


def load_networks(path: str | Path, dataset=None) -> Networks:
    """Load ``networks.yml``: the networks, their venues and listed municipalities.

    Raises
    ------
    DataError
        When the file is not YAML or a network lacks its number, stated count or list.
        Stated/listed mismatches are warnings in the returned ``warnings``.
    """
    check = YamlChecker(path)
    raw = read_yaml(path, check)
    if not isinstance(raw, dict) or not isinstance(raw.get("networks"), list):
        check.add(None, "networks", None, "the file needs a `networks:` list",
                  "see docs/inputs.md (networks)")
        check.raise_if_errors()
    total = raw.get("total_municipalities_stated")
    if not isinstance(total, int):
        check.add(None, "total_municipalities_stated", total, "a whole number is required",
                  "copy the programme's stated number of municipalities")
    size = raw.get("team_size_average_stated")
    if size is not None and not (isinstance(size, list) and len(size) == 2
                                 and all(isinstance(v, (int, float)) for v in size)):
        check.add(None, "team_size_average_stated", size, "must be a range [low, high]",
                  "write e.g. [5, 6]")
        size = None
    table, munis = _network_rows(check, raw["networks"])
    check.raise_if_errors()
    net = Networks(pd.DataFrame(table), pd.DataFrame(munis), total,
                   tuple(size) if size else None, str(raw.get("programme", "")))
    _warn_mismatches(check, net)
    net.warnings = check.warnings
    return net


def _known_municipalities(dataset) -> dict[str, int] | None:
    """municipality -> network from the dataset's networks input, when it loads."""
    if dataset is None or "networks" not in dataset:
        return None
    try:
        net = dataset["networks"]
    except DataError:
        return None  # its own problems are reported where it is validated
    return dict(zip(net.municipalities["municipality"], net.municipalities["network"],
                    strict=True))


# ---------------------------------------------------------------- gatherings.csv


def _gathering_row(check, row, rec, networks) -> dict[str, Any] | None:
    raw_net = rec["network"].strip()
    network = None
    if raw_net != JOINT:
        network = check.integer(row, "network", raw_net, minimum=1)
        if network is not None and networks is not None and network not in networks:
            check.add(row, "network", raw_net, "no such network in networks.yml",
                      f"use a network number from networks.yml or {JOINT!r}")
    kind = check.choice(row, "kind", rec["kind"], GATHERING_KINDS)
    if kind == "fellessamling" and raw_net != JOINT:
        check.add(row, "network", raw_net, "a joint gathering belongs to every network",
                  f"write {JOINT!r} in the network column")
    month = rec["month"].strip()
    if not _MONTH.match(month):
        check.add(row, "month", month, "month must be written YYYY-MM", "e.g. 2014-09")
    first = check.date(row, "first_day", rec["first_day"])
    last = check.date(row, "last_day", rec["last_day"])
    days = check.integer(row, "days", rec["days"], minimum=1)
    if first and last:
        if last < first:
            check.add(row, "last_day", rec["last_day"], "the last day is before the first",
                      "swap or correct the dates")
        elif days is not None and (last - first).days + 1 != days:
            check.add(row, "days", rec["days"], f"the dates span {(last - first).days + 1} "
                      "day(s)", "make `days` agree with first_day and last_day")
    if first and _MONTH.match(month) and first.strftime("%Y-%m") != month:
        check.add(row, "first_day", rec["first_day"], f"not in the month {month}",
                  "correct the month or the date")
    return {"network": network, "joint": raw_net == JOINT,
            "number": check.integer(row, "number", rec["number"], minimum=1),
            "kind": kind, "month": month, "first_day": first, "last_day": last, "days": days,
            "participants_about": check.integer(row, "participants_about",
                                                rec["participants_about"], minimum=0,
                                                required=False),
            "municipalities": check.integer(row, "municipalities", rec["municipalities"],
                                            minimum=0, required=False)}


def load_gatherings(path: str | Path, dataset=None) -> pd.DataFrame:
    """Load ``gatherings.csv``: one row per gathering with its month and (known) dates.

    Returns one row per gathering: network (Int64; NA for a joint gathering), joint, number,
    kind, month (``YYYY-MM``), first_day, last_day (dates or None), days,
    participants_about, municipalities (Int64, NA when unknown).
    """
    table, check = read_csv(path, ["network", "number", "kind", "month", "first_day",
                                   "last_day", "days", "participants_about", "municipalities"])
    known = _known_municipalities(dataset)
    networks = set(known.values()) if known else None
    out = [_gathering_row(check, row, rec, networks) for row, rec in rows(table)]
    seen: dict[tuple, int] = {}
    for row, rec in zip(range(2, len(out) + 2), out, strict=True):
        key = (rec["network"], rec["joint"], rec["number"])
        if key in seen:
            check.add(row, "number", rec["number"], f"same gathering as row {seen[key]}",
                      "each network numbers its gatherings once")
        seen.setdefault(key, row)
    check.raise_if_errors()
    frame = pd.DataFrame(out)
    for column in ("network", "number", "days", "participants_about", "municipalities"):
        frame[column] = frame[column].astype("Int64")
    return frame


# ---------------------------------------------------------------- gathering_hours.csv


def load_gathering_hours(path: str | Path, dataset=None) -> pd.DataFrame:
    """Load ``gathering_hours.csv``: hours per gathering by kind of session.

    Kinds are ``prosjektgruppe`` (talks by the project group), ``eksterne`` (external
    talks) and ``gruppearbeid`` (group work and plenary presentations). Returns columns
    gathering (int), kind, label (Norwegian), hours (float).
    """
    table, check = read_csv(path, ["gathering", "kind", "hours"])
    out, seen = [], {}
    for row, rec in rows(table):
        item = {"gathering": check.integer(row, "gathering", rec["gathering"], minimum=1),
                "kind": check.choice(row, "kind", rec["kind"], list(HOUR_KINDS)),
                "hours": check.number(row, "hours", rec["hours"], minimum=0)}
        key = (item["gathering"], item["kind"])
        if key in seen:
            check.add(row, "kind", rec["kind"], f"repeats row {seen[key]}",
                      "give each gathering and kind once")
        seen.setdefault(key, row)
        out.append(item)
    check.raise_if_errors()
    frame = pd.DataFrame(out, columns=["gathering", "kind", "hours"])
    frame["label"] = frame["kind"].map(HOUR_KINDS)
    return frame[["gathering", "kind", "label", "hours"]]


# ---------------------------------------------------------------- municipal_goals.csv


def load_municipal_goals(path: str | Path, dataset=None) -> pd.DataFrame:
    """Load ``municipal_goals.csv``: goal categories and how many municipalities chose each.

    Ranks must run 1, 2, 3, ... without gaps; a count that rises with rank is a warning
    (the source table is ordered by count).
    """
    table, check = read_csv(path, ["rank", "category", "theme", "municipalities"])
    out = []
    for row, rec in rows(table):
        if not rec["category"].strip():
            check.add(row, "category", rec["category"], "empty category", "describe the goal")
        out.append({"rank": check.integer(row, "rank", rec["rank"], minimum=1),
                    "category": rec["category"].strip(), "theme": rec["theme"].strip(),
                    "municipalities": check.integer(row, "municipalities",
                                                    rec["municipalities"], minimum=1)})
    ranks = [o["rank"] for o in out]
    if None not in ranks and sorted(ranks) != list(range(1, len(ranks) + 1)):
        check.add(None, "rank", None, "ranks must run 1, 2, 3, ... once each",
                  "renumber the rows")
    counts = [o["municipalities"] for o in out]
    for row, (a, b) in enumerate(zip(counts, counts[1:], strict=False), start=3):
        if a is not None and b is not None and b > a:
            check.warn(row, "municipalities", b, "more municipalities than the row above",
                       "the table is meant to be sorted by count")
    check.raise_if_errors()
    frame = pd.DataFrame(out).sort_values("rank", ignore_index=True)
    frame = with_warnings(frame, check.warnings)
    return frame


# ---------------------------------------------------------------- team and tools


def _municipality_cell(check, row, rec, known) -> tuple[int | None, str]:
    network = check.integer(row, "network", rec["network"], minimum=1)
    name = rec["municipality"].strip()
    if not name:
        check.add(row, "municipality", name, "empty municipality", "write its name")
    elif known is not None and known.get(name) != network:
        check.add(row, "municipality", name,
                  f"not listed under network {network} in networks.yml",
                  "use the name and network as listed in networks.yml")
    return network, name


def load_team_composition(path: str | Path, dataset=None) -> pd.DataFrame:
    """Load ``team_composition.csv``: who sat in a team, where the source says so.

    One row per municipality, gathering and role; ``present`` is ``ja``/``nei`` (the
    source says the role was missing), ``count`` how many when stated. Role ``alle`` gives
    the size of the whole team.
    """
    table, check = read_csv(path, ["network", "municipality", "team", "gathering", "role",
                                   "present", "count"])
    known = _known_municipalities(dataset)
    out = []
    for row, rec in rows(table):
        network, name = _municipality_cell(check, row, rec, known)
        present = check.choice(row, "present", rec["present"], list(YES_NO))
        out.append({"network": network, "municipality": name,
                    "team": rec["team"].strip() or name,
                    "gathering": check.integer(row, "gathering", rec["gathering"], minimum=1),
                    "role": check.choice(row, "role", rec["role"], list(ROLES)),
                    "present": YES_NO.get(present),
                    "count": check.integer(row, "count", rec["count"], minimum=1,
                                           required=False),
                    "note": rec.get("note", "").strip()})
    check.raise_if_errors()
    frame = pd.DataFrame(out)
    frame["count"] = frame["count"].astype("Int64")
    frame["role_label"] = frame["role"].map(ROLES)
    return frame


def load_tools_adopted(path: str | Path, dataset=None) -> pd.DataFrame:
    """Load ``tools_adopted.csv``: tools a municipality uses, plans or considers.

    Tools: kor, bsb, brukerplan, lean, verktoykasse, aktorkart. Status: i_bruk (in use),
    planlagt (decided or planned), vurderer (considering).
    """
    table, check = read_csv(path, ["network", "municipality", "tool", "status", "gathering"])
    known = _known_municipalities(dataset)
    out, seen = [], {}
    for row, rec in rows(table):
        network, name = _municipality_cell(check, row, rec, known)
        tool = check.choice(row, "tool", rec["tool"], list(TOOLS))
        if (name, tool) in seen:
            check.add(row, "tool", tool, f"repeats row {seen[(name, tool)]}",
                      "give each municipality and tool once")
        seen.setdefault((name, tool), row)
        out.append({"network": network, "municipality": name, "tool": tool,
                    "status": check.choice(row, "status", rec["status"], list(TOOL_STATUSES)),
                    "gathering": check.integer(row, "gathering", rec["gathering"], minimum=1),
                    "note": rec.get("note", "").strip()})
    check.raise_if_errors()
    frame = pd.DataFrame(out)
    frame["tool_label"] = frame["tool"].map(TOOLS)
    return frame
