"""The improvement teams' self-evaluation forms (one structured form per team).

``self_evaluations.yml`` holds ``forms:``, each with the fields of the network's form:
who took part, the improvement area and why, goals, what was done, learned, what was
smart, what could be better, the way forward and comments. :func:`load_self_evaluations`
checks every form and, when the dataset has a ``teams`` input, that each form belongs to
a known team and that no team has two. The texts may hold personal data (names,
e-mails, phones): report code passes them through :func:`lnutils.privacy.redact_text`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pandas as pd

from lnutils.inputs.checked import with_warnings
from lnutils.inputs.teams import YamlChecker, read_yaml
from lnutils.problems import DataError

# field -> heading in the report (Norwegian); order as on the form
FIELDS = {
    "participants": "Hvem har deltatt?",
    "improvement_area": "Valgt forbedringsområde",
    "background": "Bakgrunn og hvorfor",
    "goals": "Mål",
    "done": "Hva er gjort?",
    "learned": "Hva har dere lært?",
    "smart": "Hva var lurt?",
    "better": "Hva kunne vært bedre?",
    "way_forward": "Veien videre",
    "comments": "Kommentarer",
}
OPTIONAL = {"comments"}


def _known_teams(dataset: Any) -> set[str] | None:
    if dataset is None or "teams" not in dataset:
        return None
    try:
        return set(dataset["teams"].teams["name"])
    except DataError:  # reported when the teams input itself is validated
        return None


def _form(check: YamlChecker, i: int, raw: Any) -> dict | None:
    keys = ("forms", i)
    if not isinstance(raw, dict):
        check.at(keys, raw, "a form must be a mapping", "see the example self_evaluations.yml")
        return None
    for key in sorted(set(raw) - set(FIELDS) - {"team", "submitted"}):
        check.at((*keys, key), None, f"unknown field `{key}`",
                 f"use the form's fields: team, submitted, {', '.join(FIELDS)}")
    record: dict[str, Any] = {"team": str(raw.get("team") or "").strip()}
    if not record["team"]:
        check.at((*keys, "team"), raw.get("team"), "`team` is missing", "name the team")
    submitted = raw.get("submitted")
    if submitted is not None and not isinstance(submitted, dt.date):
        check.at((*keys, "submitted"), submitted, "not a date", "write it as YYYY-MM-DD")
        submitted = None
    record["submitted"] = submitted
    for key in FIELDS:
        value = raw.get(key)
        if key == "goals":
            ok = isinstance(value, list) and value and all(
                isinstance(v, str) and v.strip() for v in value)
            if not ok:
                check.at((*keys, key), value, "`goals` must be a list of goals",
                         "write one goal per line starting with '- '")
            record[key] = [v.strip() for v in value] if ok else []
        elif value is None or (isinstance(value, str) and not value.strip()):
            if key not in OPTIONAL:
                check.at((*keys, key), value, f"`{key}` ({FIELDS[key]}) is missing or empty",
                         "fill in the team's answer, or write 'Ikke besvart'")
            record[key] = ""
        elif not isinstance(value, str):
            check.at((*keys, key), value, f"`{key}` must be text", "write the answer as text")
            record[key] = ""
        else:
            record[key] = " ".join(value.split())
    return record


def load_self_evaluations(path: str | Path, dataset: Any = None) -> pd.DataFrame:
    """Load and validate the self-evaluation forms.

    Parameters
    ----------
    path : the YAML file with a ``forms:`` list.
    dataset : the pipeline's dataset (team names from its ``teams`` input), or None.

    Returns
    -------
    pandas.DataFrame
        One row per form: ``team``, ``submitted`` and one column per field of
        :data:`FIELDS` (``goals`` a list of strings), in file order.

    Raises
    ------
    DataError
        A form without a team or a required field, an unknown team or field, a team
        with two forms.
    """
    check = YamlChecker(path)
    raw = read_yaml(path, check)
    if not isinstance(raw, dict) or not isinstance(raw.get("forms"), list) or not raw["forms"]:
        check.at(("forms",), None, "the file needs a non-empty `forms:` list",
                 "see docs/inputs.md (self_evaluations)")
        check.raise_if_errors()
    forms = [_form(check, i, f) for i, f in enumerate(raw["forms"])]
    teams = _known_teams(dataset)
    seen: set[str] = set()
    for i, form in enumerate(forms):
        if form is None or not form["team"]:
            continue
        if teams is not None and form["team"] not in teams:
            check.at(("forms", i, "team"), form["team"], "team not listed in the teams file",
                     f"use one of: {', '.join(sorted(teams))}")
        if form["team"] in seen:
            check.at(("forms", i, "team"), form["team"], "a second form for the same team",
                     "merge the two forms into one")
        seen.add(form["team"])
    for team in sorted((teams or set()) - seen):
        check.warn(None, "forms", team, f"no self-evaluation from team {team!r}",
                   "add the team's form when it arrives; the report notes it is missing")
    check.raise_if_errors()
    frame = pd.DataFrame([f for f in forms if f], columns=["team", "submitted", *FIELDS])
    frame = with_warnings(frame, check.warnings)
    return frame
