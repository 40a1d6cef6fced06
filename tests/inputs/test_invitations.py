"""The invitation list: pseudonyms instead of personal data, and clear errors."""

import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from lnutils.inputs import invitations
from lnutils.inputs.invitations import (
    PseudonymKeyWarning,
    load_invitations,
    load_invitations_input,
    personal_name_index,
    personal_names,
    pseudonym,
)
from lnutils.problems import DataError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"
LIST = FIXTURES / "invitations.csv"
RAW_VALUES = ["Kari Testesen", "kari.testesen@example.no", "+47 912 34 567", "91234568",
              "Ola Prøvesen", "ola.provesen@example.no", "siri@example.org", "Siri Eksempel"]


@pytest.fixture(autouse=True)
def _no_ambient_key(monkeypatch, tmp_path):
    """Tests decide the key themselves: no key from the environment or a real key file."""
    monkeypatch.delenv(invitations.KEY_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def test_columns_are_canonical_and_groups_kept():
    frame = load_invitations(LIST, key="k1")
    assert list(frame.columns) == ["person", "role", "organisation_type", "region", "arena",
                                   "name", "email", "phone"]
    assert frame["role"].tolist() == ["Koordinator", "Deltaker", "Brukerrepresentant"]
    assert frame["region"].tolist()[:2] == ["Fosen", "Værnes"]


def test_no_raw_personal_value_survives_loading():
    frame = load_invitations(LIST, key="k1")
    text = frame.to_csv() + repr(frame.warnings)
    for raw in RAW_VALUES:
        assert raw not in text
    assert frame["name"].str.startswith("navn-").all()
    assert frame["email"].str.startswith("epost-").all()
    assert pd.isna(frame.loc[2, "phone"])  # no phone given: nothing to hash


def test_pseudonyms_are_stable_for_a_key_and_differ_across_keys():
    first = load_invitations(LIST, key="k1")
    again = load_invitations(LIST, key=b"k1")
    other = load_invitations(LIST, key="k2")
    assert first["person"].tolist() == again["person"].tolist()
    assert first["name"].tolist() == again["name"].tolist()
    assert not set(first["name"]) & set(other["name"])
    assert first["person"].is_unique


def test_a_list_loaded_again_is_the_same_and_its_own(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("Navn,Rolle,Organisasjonstype\nKari Testesen,Deltaker,kommune\n",
                    encoding="utf-8")
    first = load_invitations(path, key="k1")
    first.loc[0, "role"] = "endret"  # a caller's change stays its own
    again = load_invitations(path, key="k1")
    assert again["role"].tolist() == ["Deltaker"]
    assert again["name"].tolist() == [pseudonym("Kari Testesen", "name", b"k1")]
    assert load_invitations(path, key="k2")["name"].tolist() == [
        pseudonym("Kari Testesen", "name", b"k2")]
    with pytest.warns(PseudonymKeyWarning):  # the development key warns at every load
        assert len(load_invitations(path).warnings) == 1
    with pytest.warns(PseudonymKeyWarning):
        assert len(load_invitations(path).warnings) == 1
    stat = path.stat()  # a changed list is read again, even at the same size and time
    path.write_text("Navn,Rolle,Organisasjonstype\nOla Testesen,Deltaker,kommune\n",
                    encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert load_invitations(path, key="k1")["name"].tolist() == [
        pseudonym("Ola Testesen", "name", b"k1")]


def test_pseudonym_normalises_the_value():
    key = b"k"
    assert pseudonym("Kari  Testesen ", "name", key) == pseudonym("kari testesen", "name", key)
    assert pseudonym("+47 912 34 567", "phone", key) == pseudonym("91234567", "phone", key)
    assert pseudonym("x", "name", key) != pseudonym("x", "email", key)
    assert len(pseudonym("x", "name", key)) == len("navn-") + invitations.PSEUDONYM_HEX


def test_key_from_environment_then_key_file(monkeypatch, tmp_path):
    by_argument = load_invitations(LIST, key="secret")["name"].tolist()
    monkeypatch.setenv(invitations.KEY_ENV, "secret")
    assert load_invitations(LIST)["name"].tolist() == by_argument
    monkeypatch.delenv(invitations.KEY_ENV)
    key_file = invitations.key_file()
    key_file.parent.mkdir(parents=True)
    key_file.write_text("secret\n", encoding="utf-8")
    assert load_invitations(LIST)["name"].tolist() == by_argument


def test_development_key_warns():
    with pytest.warns(PseudonymKeyWarning):
        frame = load_invitations(LIST)
    (warning,) = frame.warnings
    assert warning.severity == "warning"
    assert invitations.KEY_ENV in warning.fix


def test_no_warning_with_a_key():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        frame = load_invitations(LIST, key="k")
    assert frame.warnings == ()


def test_input_loader_uses_the_environment_key(monkeypatch):
    monkeypatch.setenv(invitations.KEY_ENV, "k1")
    frame = load_invitations_input(LIST, dataset=None)
    assert frame["name"].tolist() == load_invitations(LIST, key="k1")["name"].tolist()


def test_personal_names_reads_raw_names_only():
    assert personal_names(LIST) == ["Kari Testesen", "Ola Prøvesen", "Siri Eksempel"]


def test_name_index_is_built_once_per_content_of_the_list(tmp_path, monkeypatch):
    path = tmp_path / "inv.csv"
    path.write_text("Navn,Rolle,Organisasjonstype\nKari Testesen,Deltaker,kommune\n",
                    encoding="utf-8")
    reads = []
    monkeypatch.setattr(invitations, "personal_names",
                        lambda p: reads.append(p) or personal_names(p))
    first = personal_name_index(path)
    assert personal_name_index(path) is first
    assert first.names == ("Kari Testesen",) and len(reads) == 1
    # A changed list is read again, even at the same size and time stamp.
    stat = path.stat()
    path.write_text("Navn,Rolle,Organisasjonstype\nOla Prøvesen,Deltaker,kommune\n",
                    encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert personal_name_index(path).names == ("Ola Prøvesen",) and len(reads) == 2


def test_name_index_of_a_missing_list_is_the_readers_error(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        personal_name_index(tmp_path / "nowhere.csv")


def test_first_and_last_name_columns_are_joined(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_text("Fornavn,Etternavn,Rolle,Organisasjonstype\n"
                    "Kari,Testesen,Deltaker,kommune\n", encoding="utf-8")
    assert personal_names(path) == ["Kari Testesen"]
    frame = load_invitations(path, key="k")
    assert frame.loc[0, "name"] == pseudonym("Kari Testesen", "name", b"k")
    assert "Kari" not in frame.to_csv()


BAD = [
    # fixture, row, column, words in the message
    ("invitations_bad_no_role.csv", 1, "role", "no role column"),
    ("invitations_bad_empty_role.csv", 3, "Rolle", "role is empty"),
    ("invitations_bad_duplicate_email.csv", 5, "E-post", "same e-mail as row 2"),
    ("invitations_bad_email_in_note.csv", 3, "Merknad", "not pseudonymised"),
    ("invitations_bad_nobody.csv", 3, "Navn", "names nobody"),
]


@pytest.mark.parametrize(("fixture", "row", "column", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_invitation_list_names_file_row_and_column(fixture, row, column, words):
    with pytest.raises(DataError) as caught:
        load_invitations(FIXTURES / fixture, key="k")
    matching = [p for p in caught.value.report.problems if words in p.message]
    assert matching, caught.value.report.format()
    problem = matching[0]
    assert problem.file.endswith(fixture)
    assert (problem.row, problem.column) == (row, column)
    # The message must not repeat personal data it complains about.
    assert "40 00 00 00" not in caught.value.report.format()


def test_empty_group_values_are_missing():
    frame = load_invitations(LIST, key="k")
    assert pd.isna(frame.loc[2, "region"])  # Siri is in no region
    assert frame["region"].value_counts().to_dict() == {"Fosen": 1, "Værnes": 1}
