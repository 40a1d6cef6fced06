"""Personal data in an invitation-list column that is not pseudonymised is an error."""

import pytest

from lnutils.inputs.invitations import load_invitations
from lnutils.problems import DataError

HEADER = "Navn;E-post;Telefon;Rolle;Organisasjonstype;Region;Arena;Merknad\n"
ROWS = [
    "Hilde Ramsli;hilde@rennebu.example.no;45806802;Fagperson;Kommune;Orkland Fjell;Team;",
    "Synnøve Øyen-Bakk;synnove@gauldal.example.no;49731588;Leder;Kommune;;Arbeidsgruppe;",
]


def _write(tmp_path, rows):
    path = tmp_path / "invitations.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_clean_list_loads(tmp_path):
    assert len(load_invitations(_write(tmp_path, ROWS), key="k")) == 2


@pytest.mark.parametrize(("column", "value", "kind"), [
    ("Region", "hilde (at) rennebu.example.no", "an e-mail address"),
    ("Arena", "Team, ring 912-34-567", "a phone number"),
    ("Region", "+47 912 34 567", "a phone number"),
    ("Merknad", "Kontakt Ramsli, Hilde", "the name of an invited person"),
    ("Arena", "Synnöve Øyen Bakks team", "the name of an invited person"),
    ("Merknad", "ola.nordmann@example.no", "an e-mail address"),
])
def test_personal_data_outside_personal_fields_is_located(tmp_path, column, value, kind):
    index = HEADER.strip().split(";").index(column)
    cells = ROWS[1].split(";")
    cells[index] = value
    path = _write(tmp_path, [ROWS[0], ";".join(cells)])
    with pytest.raises(DataError) as caught:
        load_invitations(path, key="k")
    (problem,) = caught.value.report.errors
    assert (problem.row, problem.column) == (3, column)
    assert kind in problem.message and problem.fix
    assert value not in caught.value.report.format()


def test_ordinary_group_values_are_not_personal(tmp_path):
    rows = [r.replace("Orkland Fjell", "Orkland Fjell 2021-2022 (35 av 110)") for r in ROWS]
    assert len(load_invitations(_write(tmp_path, rows), key="k")) == 2
