"""The network description: improvement teams, arenas, the original plan and municipalities.

``teams.yml`` holds the learning network's improvement teams (region, municipalities,
health trust, user representatives at start and end, improvement area, status), the
network's arenas (and whether their events were counted), its period and original plan,
and the municipalities of the county with their populations (for the population a
network covers). :func:`load_teams` validates it and returns a :class:`Network`; every
problem names the file, the YAML line (as ``row``), the key path and a fix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from lnutils.inputs.readers import load_yaml, yaml_key_lines
from lnutils.inputs.table_checks import TableChecker
from lnutils.inputs.text_checks import CONTROL_FIX, impossible_dates, nfc, value_problems
from lnutils.problems import Problem

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
TEAM_COLUMNS = ["name", "kommuneregioner", "municipalities", "health_trust",
                "health_trust_at_start", "user_reps_start", "user_reps_end",
                "user_representation", "improvement_area", "status", "note"]


@dataclass(eq=False)
class Network:
    """A validated ``teams.yml``.

    Attributes
    ----------
    name, owner : the network's name and owner.
    period : ``start``, ``planned_end``, ``end`` as ``YYYY-MM`` strings (missing keys absent).
    teams : one row per team (columns :data:`TEAM_COLUMNS`; lists for regions and
        municipalities, ``health_trust`` None when the team had none).
    arenas : one row per arena: ``name``, ``counted`` (False: events not logged), ``note``.
    original_plan : planned events before the pandemic: ``arena``, ``month``.
    municipalities : ``name``, ``kommuneregion``, ``county``, ``population``.
    warnings : problems that did not stop loading.
    """

    name: str
    owner: str
    period: dict[str, str]
    teams: pd.DataFrame
    arenas: pd.DataFrame
    original_plan: pd.DataFrame
    municipalities: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)

    def describe_short(self) -> str:
        return (f"{len(self.teams)} teams, {len(self.arenas)} arenas, "
                f"{len(self.municipalities)} municipalities")


class YamlChecker(TableChecker):
    """A :class:`TableChecker` that finds the YAML line of a key path for ``row``."""

    def __init__(self, path: str | Path, lines: dict[tuple, int] | None = None):
        super().__init__(path)
        self.lines = lines or {}

    def at(self, keys: tuple, value: Any, message: str, fix: str) -> None:
        """Add an error at the key path ``keys`` (e.g. ``("teams", 2, "name")``)."""
        path = tuple(str(k) for k in keys)
        line = None
        for n in range(len(path), 0, -1):  # the nearest key that exists in the file
            line = self.lines.get(path[:n])
            if line is not None:
                break
        self.add(line, key_text(keys), value, message, fix)


def key_text(keys: tuple) -> str:
    """``("teams", 2, "name")`` -> ``"teams[2].name"``."""
    text = ""
    for k in keys:
        text += f"[{k}]" if isinstance(k, int) else (f".{k}" if text else str(k))
    return text


def read_yaml(path: str | Path, check: YamlChecker) -> Any:
    """Parse a YAML input, recording its key lines in ``check``; errors raise DataError.

    The text is read in Unicode NFC. Dates that do not exist, numbers that are not finite
    and control characters in text are errors located at their line and key.
    """
    try:
        text = nfc(Path(path).read_text(encoding="utf-8"))
        check.lines, duplicates = yaml_key_lines(text)
        data = load_yaml(text)
    except (OSError, UnicodeDecodeError) as exc:
        check.add(None, None, None, f"cannot read the file: {exc}", "save it as UTF-8 text")
        check.raise_if_errors()
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text[:exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        check.add(line, None, f"U+{code:04X}",
                  f"the text holds a character YAML does not allow (U+{code:04X})", CONTROL_FIX)
        check.raise_if_errors()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        check.add(mark.line + 1 if mark else None, None, None, f"not valid YAML: {exc}",
                  "fix the YAML syntax at that line")
        check.raise_if_errors()
    except ValueError as exc:  # PyYAML's date constructor: "day is out of range for month"
        for line, key, value in impossible_dates(text, check.lines):
            check.add(line, key or None, value, "no such date",
                      "correct the day or month (dates are written YYYY-MM-DD)")
        if not check.problems:
            check.add(None, None, None, f"a value cannot be read: {exc}",
                      "check the dates and numbers in the file")
        check.raise_if_errors()
    for keys, line in duplicates:
        check.add(line, key_text(keys), None, "key given twice (the first would be ignored)",
                  "keep one of the two")
    value_problems(data, check.at)
    return data


def _text(check: YamlChecker, obj: dict, keys: tuple, key: str, required: bool = True) -> str:
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            check.at((*keys, key), value, f"`{key}` is missing or empty", f"write the {key}")
        return ""
    if not isinstance(value, (str, int, float)):
        check.at((*keys, key), value, f"`{key}` must be text", "write it as one line of text")
        return ""
    return str(value).strip()


def _count(check: YamlChecker, obj: dict, keys: tuple, key: str) -> int | None:
    value = obj.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        check.at((*keys, key), value, f"`{key}` must be a whole number 0 or more",
                 "write the count, e.g. 1")
        return None
    return value


def _names(check: YamlChecker, obj: dict, keys: tuple, key: str) -> list[str]:
    value = obj.get(key)
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and v.strip() for v in value):
        check.at((*keys, key), value, f"`{key}` must be a non-empty list of names",
                 "write e.g. [Stjørdal, Frosta]")
        return []
    return [v.strip() for v in value]


def _team(check: YamlChecker, i: int, raw: Any) -> dict | None:
    keys = ("teams", i)
    if not isinstance(raw, dict):
        check.at(keys, raw, "a team must be a mapping", "see docs/inputs.md (teams)")
        return None
    trust = raw.get("health_trust")
    if trust is not None and (not isinstance(trust, str) or not trust.strip()):
        check.at((*keys, "health_trust"), trust, "`health_trust` must be text or null",
                 "name the health trust, or write null when the team had none")
        trust = None
    at_start = raw.get("health_trust_at_start", trust is not None)
    if not isinstance(at_start, bool):
        check.at((*keys, "health_trust_at_start"), at_start, "must be true or false",
                 "write true when the health trust took part from the start")
    users = raw.get("user_representatives")
    if not isinstance(users, dict):
        check.at((*keys, "user_representatives"), users,
                 "`user_representatives` must give `start` and `end`", "write {start: 1, end: 2}")
        users = {}
    ukeys = (*keys, "user_representatives")
    return {
        "name": _text(check, raw, keys, "name"),
        "kommuneregioner": _names(check, raw, keys, "kommuneregioner"),
        "municipalities": _names(check, raw, keys, "municipalities"),
        "health_trust": trust.strip() if isinstance(trust, str) else None,
        "health_trust_at_start": bool(at_start),
        "user_reps_start": _count(check, users, ukeys, "start") if users else None,
        "user_reps_end": _count(check, users, ukeys, "end") if users else None,
        "user_representation": _text(check, raw, keys, "user_representation", False),
        "improvement_area": _text(check, raw, keys, "improvement_area"),
        "status": _text(check, raw, keys, "status", False),
        "note": _text(check, raw, keys, "note", False),
    }


def _municipality(check: YamlChecker, i: int, raw: Any) -> dict | None:
    keys = ("municipalities", i)
    if not isinstance(raw, dict):
        check.at(keys, raw, "a municipality must be a mapping",
                 "write {name: ..., kommuneregion: ..., county: ..., population: ...}")
        return None
    return {"name": _text(check, raw, keys, "name"),
            "kommuneregion": _text(check, raw, keys, "kommuneregion"),
            "county": _text(check, raw, keys, "county"),
            "population": _count(check, raw, keys, "population")}


def _arena(check: YamlChecker, i: int, raw: Any) -> dict | None:
    keys = ("network", "arenas", i)
    if not isinstance(raw, dict):
        check.at(keys, raw, "an arena must be a mapping", "write {name: ..., counted: true}")
        return None
    counted = raw.get("counted", True)
    if not isinstance(counted, bool):
        check.at((*keys, "counted"), counted, "`counted` must be true or false",
                 "write false for an arena whose events were not logged")
    return {"name": _text(check, raw, keys, "name"), "counted": counted is not False,
            "note": _text(check, raw, keys, "note", False)}


def _month(check: YamlChecker, keys: tuple, value: Any) -> str:
    text = str(value).strip() if value is not None else ""
    if not MONTH.match(text):
        check.at(keys, value, "not a month", "write the month as YYYY-MM, e.g. 2019-09")
        return ""
    return text


def _unique(check: YamlChecker, rows: list[dict], section: tuple, what: str) -> None:
    seen: set[str] = set()
    for i, row in enumerate(rows):
        if row["name"] and row["name"] in seen:
            check.at((*section, i, "name"), row["name"], f"{what} listed twice",
                     "list it once")
        seen.add(row["name"])


def _network_block(check: YamlChecker, raw: Any) -> tuple[dict, list[dict], list[dict]]:
    if raw is None:
        return {}, [], []
    if not isinstance(raw, dict):
        check.at(("network",), raw, "`network` must be a mapping", "see the example data")
        return {}, [], []
    period = raw.get("period") or {}
    period = {k: _month(check, ("network", "period", k), v) for k, v in period.items()}
    arenas = [_arena(check, i, a) for i, a in enumerate(raw.get("arenas") or [])]
    plan = []
    for i, item in enumerate(raw.get("original_plan") or []):
        keys = ("network", "original_plan", i)
        if isinstance(item, dict):
            plan.append({"arena": _text(check, item, keys, "arena"),
                         "month": _month(check, (*keys, "month"), item.get("month"))})
        else:
            check.at(keys, item, "a planned event must be a mapping",
                     "write {arena: ..., month: YYYY-MM}")
    meta = {"name": str(raw.get("name", "")), "owner": str(raw.get("owner", "")),
            "period": {k: v for k, v in period.items() if v}}
    return meta, [a for a in arenas if a], plan


def _cross_check(check: YamlChecker, teams: list[dict], munis: list[dict]) -> None:
    if not munis:
        return
    known = {m["name"] for m in munis}
    for i, team in enumerate(teams):
        for name in team["municipalities"]:
            if name not in known:
                check.at(("teams", i, "municipalities"), name,
                         f"municipality {name!r} of team {team['name']!r} is not in "
                         "`municipalities`", "add it there with its population, or fix "
                         "the spelling")


def load_teams(path: str | Path, dataset: Any = None) -> Network:
    """Load and validate ``teams.yml``.

    Parameters
    ----------
    path : the YAML file.
    dataset : unused (the common loader signature).

    Returns
    -------
    Network

    Raises
    ------
    DataError
        With every problem found (file, YAML line, key path, value, fix).
    """
    check = YamlChecker(path)
    raw = read_yaml(path, check)
    if not isinstance(raw, dict) or not isinstance(raw.get("teams"), list) or not raw["teams"]:
        check.at(("teams",), None, "the file needs a non-empty `teams:` list",
                 "see docs/inputs.md (teams)")
        check.raise_if_errors()
    teams = [t for t in (_team(check, i, t) for i, t in enumerate(raw["teams"])) if t]
    munis = [m for m in (_municipality(check, i, m)
                         for i, m in enumerate(raw.get("municipalities") or [])) if m]
    meta, arenas, plan = _network_block(check, raw.get("network"))
    _unique(check, teams, ("teams",), "team")
    _unique(check, munis, ("municipalities",), "municipality")
    _unique(check, arenas, ("network", "arenas"), "arena")
    _cross_check(check, teams, munis)
    check.raise_if_errors()
    table = pd.DataFrame(teams, columns=TEAM_COLUMNS)
    # object dtype keeps None for "no health trust" (a string column would hold NaN)
    table["health_trust"] = pd.Series([t["health_trust"] for t in teams], dtype=object)
    return Network(
        name=meta.get("name", ""), owner=meta.get("owner", ""), period=meta.get("period", {}),
        teams=table,
        arenas=pd.DataFrame(arenas, columns=["name", "counted", "note"]),
        original_plan=pd.DataFrame(plan, columns=["arena", "month"]),
        municipalities=pd.DataFrame(munis, columns=["name", "kommuneregion", "county",
                                                    "population"]),
        warnings=check.warnings,
    )
