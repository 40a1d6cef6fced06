"""The activity log: one row per event of the network (meeting, gathering, webinar, guidance).

Columns (Norwegian or English headers): ``dato``/``date`` (YYYY-MM-DD), ``arena``,
``form``/``mode`` (fysisk, digital, delvis digital), ``forbedringsteam``/``team`` (blank
when the event was for several teams), ``deltakere``/``participants`` (whole number or
blank) and ``merknad``/``note``. When the dataset has a ``teams`` input, arenas and teams
are checked against it. Every problem names the file, row, column, value and a fix.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from lnutils.inputs.checked import with_warnings
from lnutils.inputs.readers import read_table
from lnutils.inputs.table_checks import TableChecker
from lnutils.inputs.text_checks import control_problems, nfc_table
from lnutils.problems import DataError

COLUMNS = {  # canonical -> accepted headers (compared in lower case)
    "date": ("dato", "date"),
    "arena": ("arena",),
    "mode": ("form", "mode", "gjennomføring"),
    "team": ("forbedringsteam", "team"),
    "participants": ("deltakere", "participants", "antall deltakere"),
    "note": ("merknad", "note", "kommentar"),
}
REQUIRED = ("date", "arena", "mode")
MODES = ("fysisk", "digital", "delvis digital")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _known(dataset: Any) -> tuple[set[str] | None, set[str] | None]:
    """Arena and team names from the dataset's ``teams`` input, when it loads."""
    if dataset is None or "teams" not in dataset:
        return None, None
    try:
        network = dataset["teams"]
    except DataError:  # reported when the teams input itself is validated
        return None, None
    arenas = set(network.arenas["name"]) if len(network.arenas) else None
    return arenas, set(network.teams["name"])


def _date(check: TableChecker, row: int, column: str, text: str) -> dt.date | None:
    if not _DATE.match(text):
        check.add(row, column, text, "not a date", "write the date as YYYY-MM-DD")
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        check.add(row, column, text, "no such date", "correct the day or month")
        return None


def _event(check: TableChecker, columns: list[str], index: dict[str, int], row: int,
           cells: list[str], arenas: set[str] | None, teams: set[str] | None) -> dict:
    """One checked row of the log."""
    def cell(canon: str) -> str:
        return cells[index[canon]].strip() if canon in index else ""

    def col(canon: str) -> str:
        return columns[index[canon]] if canon in index else canon

    date = _date(check, row, col("date"), cell("date"))
    arena, mode, team = cell("arena"), cell("mode").lower(), cell("team")
    if not arena:
        check.add(row, col("arena"), None, "arena is empty", "name the arena")
    elif arenas is not None and arena not in arenas:
        check.add(row, col("arena"), arena, "arena not listed in the teams file",
                  f"use one of: {', '.join(sorted(arenas))}")
    if mode not in MODES:
        check.add(row, col("mode"), cell("mode"), "unknown form of meeting",
                  f"write one of: {', '.join(MODES)}")
    if team and teams is not None and team not in teams:
        check.add(row, col("team"), team, "team not listed in the teams file",
                  f"use one of: {', '.join(sorted(teams))}, or leave it blank")
    people = check.integer(row, col("participants"), cell("participants"), minimum=0,
                           required=False)
    return {"date": date, "arena": arena, "mode": mode, "team": team or pd.NA,
            "participants": people, "note": cell("note")}


def load_activities(path: str | Path, dataset: Any = None) -> pd.DataFrame:
    """Load and validate the activity log.

    Parameters
    ----------
    path : the CSV or XLSX file.
    dataset : the pipeline's :class:`~lnutils.inputs.dataset.Dataset` (for arena and team names),
        or None.

    Returns
    -------
    pandas.DataFrame
        One row per event, columns ``date`` (datetime64), ``arena``, ``mode``, ``team``
        (NA when blank), ``participants`` (Int64), ``note``, in file order.

    Raises
    ------
    DataError
        Missing columns, bad dates, unknown arenas, modes or teams, bad counts.
    """
    table = nfc_table(read_table(path))
    check = TableChecker(path)
    check.problems += control_problems(table)
    index = {}
    for i, name in enumerate(table.columns):
        for canon, accepted in COLUMNS.items():
            if name.strip().lower() in accepted:
                index[canon] = i
    for canon in REQUIRED:
        if canon not in index:
            check.add(1, canon, None, f"the activity log has no {canon} column",
                      f"add a column named {COLUMNS[canon][0]!r}")
    check.raise_if_errors()
    arenas, teams = _known(dataset)
    records = [_event(check, table.columns, index, row, cells, arenas, teams)
               for row, cells in table.rows]
    if not records:
        check.add(None, None, None, "the activity log has no events", "add one row per event")
    check.raise_if_errors()
    frame = pd.DataFrame(records)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["participants"] = frame["participants"].astype("Int64")
    frame["team"] = frame["team"].astype("string")
    frame = with_warnings(frame, check.warnings)
    return frame
