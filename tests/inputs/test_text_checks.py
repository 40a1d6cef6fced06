"""One Unicode form, no control characters, real dates: the checks every input's text gets."""

import unicodedata
from pathlib import Path

from lnutils.inputs.readers import RawTable, yaml_key_lines
from lnutils.inputs.text_checks import (
    control_character,
    control_problems,
    impossible_dates,
    nfc_table,
)


def _table(cells):
    return RawTable(Path("t.csv"), ["navn", "merknad"], [(2, cells)], "utf-8", ";")


def test_nfd_cells_and_headers_become_nfc():
    table = RawTable(Path("t.csv"), [unicodedata.normalize("NFD", "Område")],
                     [(2, [unicodedata.normalize("NFD", "Værnes")])], "utf-8", ";")
    fixed = nfc_table(table)
    assert fixed.columns == ["Område"] and fixed.rows == [(2, ["Værnes"])]
    assert nfc_table(fixed) is fixed  # already NFC: the same table


def test_control_characters_but_not_line_breaks():
    assert control_character("a\tb\nc\r") is None
    assert control_character("a\x00b") == "U+0000"
    assert control_character("\x1b[2J") == "U+001B"
    assert control_character("x\x85") == "U+0085"
    (problem,) = control_problems(_table(["Kari", "bra\x07"]))
    assert (problem.row, problem.column, problem.value) == (2, "merknad", "U+0007")
    assert problem.fix


def test_impossible_dates_in_yaml_are_found_with_line_and_key():
    text = ("forms:\n  - team: A\n    submitted: 2021-06-31\n  - team: B\n"
            "    submitted: 2021-06-30  # a real date\n    note: '2021-02-30 in quotes'\n")
    lines, _ = yaml_key_lines(text)
    assert impossible_dates(text, lines) == [(3, "forms[0].submitted", "2021-06-31")]
