"""SPSS ``.sav`` exports: the same tidy tables as the CSV they were made from, labels kept.

The ``.sav`` files are written in the tests by pyreadstat, with value labels and
variable labels, the way Questback and the TSD data loader deliver them.
"""

from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from lnutils import paths
from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.inference import infer_codebook
from lnutils.inputs.readers import read_table
from lnutils.inputs.survey import load_survey
from lnutils.problems import DataError

DATA = paths.repo_root() / "data" / "example" / "trondelag-2021"


def _sav_of(survey, path: Path) -> Path:
    """The survey's respondent table as an SPSS file: codes, value labels, wording."""
    cb = survey.codebook
    frame = survey.respondents.reset_index()
    value_labels, column_labels = {}, ["Respondent"]
    for column in frame.columns[1:]:
        qid, _, part = column.partition(".")
        q = cb.question(qid)
        column_labels.append(q.text if not part else f"{q.text} - {part}")
        if q.type == "text":
            frame[column] = frame[column].astype(object).where(frame[column].notna(), "")
            continue
        frame[column] = frame[column].astype("float64")
        if q.type != "multi":
            value_labels[column] = {float(c): label for c, label in
                                    {**q.codes(), **q.nonanswers()}.items()}
    frame["respondent"] = frame["respondent"].astype(str)
    pyreadstat.write_sav(frame, str(path), column_labels=column_labels,
                         variable_value_labels=value_labels)
    return path


@pytest.fixture(scope="module")
def from_csv():
    return load_survey(DATA / "survey.csv", load_codebook(DATA / "codebook.yml"))


def test_a_sav_gives_the_same_tidy_tables_as_its_csv(from_csv, tmp_path):
    sav = _sav_of(from_csv, tmp_path / "survey.sav")
    from_sav = load_survey(sav, from_csv.codebook)
    pd.testing.assert_frame_equal(from_sav.answers, from_csv.answers)
    pd.testing.assert_frame_equal(from_sav.respondents, from_csv.respondents)
    assert from_sav.warnings == []


def test_the_sav_reader_keeps_codes_and_labels(from_csv, tmp_path):
    table = read_table(_sav_of(from_csv, tmp_path / "survey.sav"))
    cb = from_csv.codebook
    assert table.columns[0] == "respondent"
    assert table.rows[0][0] == 2  # the first respondent is on row 2, as in a spreadsheet
    column = table.columns.index("nytte_region")
    assert {cells[column] for _, cells in table.rows} <= {"", *map(str, range(1, 8))}
    assert table.value_labels["nytte_region"]["7"] == "Vet ikke"
    assert table.column_labels["nytte_region"] == cb.question("nytte_region").text


def test_lnreport_new_infers_from_value_labels(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b", "c", "d"], "q1": [1.0, 2.0, 1.0, None],
                          "q2": [5.0, 4.0, 6.0, 2.0], "q3": [1.0, 2.0, 3.0, 1.0]})
    path = tmp_path / "export.sav"
    wording = ["Id", "Hvor arbeider du?", "Var samlingene nyttige?", "Vil du delta igjen?"]
    pyreadstat.write_sav(frame, str(path), column_labels=wording,
                         variable_value_labels={
                             "q1": {1.0: "Kommune", 2.0: "Helseforetak", 3.0: "Annet"},
                             "q2": {1.0: "I svært liten grad", 5.0: "I svært stor grad",
                                    6.0: "Vet ikke"},
                             "q3": {1.0: "Ja", 2.0: "Nei", 3.0: "Vet ikke"}})
    draft = infer_codebook(path, "test")
    q1, q2, q3 = draft.codebook["questions"]
    assert (q1["id"], q1["type"], q1["text"]) == ("q1", "single", "Hvor arbeider du?")
    assert q1["options"] == {1: "Kommune", 2: "Helseforetak", 3: "Annet"}
    assert q2["type"] == "rating"
    scale = draft.codebook["scales"][q2["scale"]]
    assert scale["nonanswers"] == {6: "Vet ikke"}
    assert any("no value label" in n for n in draft.notes[("question", "q2")])
    assert q3["type"] == "yesno"


def test_a_file_that_is_not_spss_is_a_located_error(tmp_path):
    path = tmp_path / "broken.sav"
    path.write_bytes(b"not an spss file")
    with pytest.raises(DataError) as caught:
        read_table(path)
    assert "broken.sav" in caught.value.report.format()
    assert "SPSS" in caught.value.report.format()


def test_value_labels_that_contradict_the_codebook_are_warned_of(from_csv, tmp_path):
    sav = _sav_of(from_csv, tmp_path / "survey.sav")
    frame, meta = pyreadstat.read_sav(str(sav))
    labels = dict(meta.variable_value_labels)
    labels["ledere_spurte"] = {1.0: "Nei", 2.0: "Ja", 3.0: "Vet ikke"}  # numbered the other way
    swapped = tmp_path / "swapped.sav"
    pyreadstat.write_sav(frame, str(swapped), column_labels=meta.column_labels,
                         variable_value_labels=labels)
    survey = load_survey(swapped, from_csv.codebook)
    messages = [p.message for p in survey.warnings]
    assert len(messages) == 2
    assert all("ledere_spurte" == p.column for p in survey.warnings)
    assert "code 1 is 'Nei'" in messages[0] and "'Ja'" in messages[0]
