"""Survey exports read through the codebook: tidy tables, every format, every malformed input."""

from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from fixtures.ingest.malformed import MALFORMED

from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.survey import load_survey
from lnutils.problems import DataError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(FIXTURES / "codebook.yml")


@pytest.fixture(scope="module")
def survey(codebook):
    return load_survey(FIXTURES / "survey_codes.csv", codebook)


def _answer(survey, respondent, question, item=""):
    a = survey.answers
    row = a[(a.respondent == respondent) & (a.question == question) & (a.item == item)]
    assert len(row) == 1
    return row.iloc[0]


# --- the tidy tables -------------------------------------------------------------------------


def test_respondent_table_has_one_row_per_respondent_and_codes(survey):
    r = survey.respondents
    assert list(r.index) == ["r01", "r02", "r03", "r04"]
    assert r.index.name == "respondent"
    assert r.loc["r01", "nytte"] == 5
    assert r.loc["r02", "nytte"] == 7  # "Vet ikke" keeps its code
    assert r.loc["r01", "arenaer.webinar"] == 8
    assert r["aktiviteter.2"].tolist()[:3] == [1, 1, 0]
    assert pd.isna(r.loc["r04", "aktiviteter.2"])  # r04 chose nothing: missing, not 0
    assert str(r["nytte"].dtype) == "Int64"
    assert r.loc["r03", "kommentar"] == "Mer tid, takk"


def test_long_table_has_one_row_per_respondent_question_item(survey):
    # 7 questions: 5 single-column + multi with 3 options + battery with 2 items = 10 rows each.
    assert len(survey.answers) == 4 * 10
    assert list(survey.answers.columns) == [
        "respondent", "question", "item", "code", "label", "nonanswer", "text"]


def test_nonanswers_are_kinds_not_opinions(survey):
    vet_ikke = _answer(survey, "r02", "nytte")
    assert vet_ikke.code == 7 and vet_ikke.label == "Vet ikke"
    assert vet_ikke.nonanswer == "vet_ikke"
    assert _answer(survey, "r01", "arenaer", "webinar").nonanswer == "ikke_deltatt"
    assert pd.isna(_answer(survey, "r01", "nytte").nonanswer)


def test_routing_marks_not_asked_and_missing(survey):
    # r02 and r04 are not in an improvement team: the region question was not put to them.
    assert _answer(survey, "r02", "region").nonanswer == "not_asked"
    assert _answer(survey, "r04", "region").nonanswer == "not_asked"
    # r04 answered nothing else: missing, not "not asked".
    assert _answer(survey, "r04", "nytte").nonanswer == "missing"
    assert _answer(survey, "r04", "aktiviteter", "1").nonanswer == "missing"
    assert pd.isna(_answer(survey, "r04", "nytte").code)


def test_multi_options_are_items_with_0_1_codes(survey):
    chosen = _answer(survey, "r03", "aktiviteter", "3")
    assert chosen.code == 1 and chosen.label == "Veiledning"
    assert _answer(survey, "r03", "aktiviteter", "2").code == 0


def test_text_answers_go_to_text(survey):
    text = _answer(survey, "r01", "kommentar")
    assert text.text == "Nyttig å møtes" and pd.isna(text.code)
    assert _answer(survey, "r02", "kommentar").nonanswer == "missing"


def test_labels_and_wording_columns_give_the_same_tables(codebook, survey):
    # Semicolon CSV, columns by wording, labels in any case, a delimited multi column.
    by_label = load_survey(FIXTURES / "survey_labels.csv", codebook)
    pd.testing.assert_frame_equal(by_label.answers, survey.answers)
    pd.testing.assert_frame_equal(by_label.respondents, survey.respondents)


def test_describe_short_counts(survey):
    # 40 rows: 2 not asked (region r02, r04); non-answers: r02 nytte, ledere_spurte,
    # arenaer.samling (3 vet ikke), r01 arenaer.webinar, r02 kommentar, r04 8 missing = 13.
    assert survey.describe_short() == (
        "4 respondents, 7 questions: 25 answers, 13 non-answers, 2 not asked")


def test_source_file_is_not_modified(codebook, tmp_path):
    source = FIXTURES / "survey_codes.csv"
    before = source.read_bytes()
    load_survey(source, codebook)
    assert source.read_bytes() == before


# --- one frame, every format -----------------------------------------------------------------

FRAME = pd.DataFrame({
    "respondent": ["a1", "a2", "a3"],
    "Hvilken arena deltok du mest i?": ["Forbedringsteam", "Arbeidsgruppe", "Forbedringsteam"],
    "region": ["Værnes", "", "Trondheim"],
    "aktiviteter": ["Fellessamling;Webinar", "Veiledning", ""],
    "nytte": ["6 I stor grad", "Vet ikke", "3"],
    "ledere_spurte": ["Ja", "Nei", "Vet ikke"],
    "arenaer.samling": ["Ikke deltatt", "5", "6 I stor grad"],
    "arenaer.webinar": ["4", "", "Vet ikke"],
    "kommentar": ["Gode møter på Værnes", "", "Mer tid, takk; og kaffe"],
})


def _write_csv(path, encoding, delimiter):
    FRAME.to_csv(path, sep=delimiter, index=False, encoding=encoding)
    return path


def _write_xlsx(path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(FRAME.columns))
    for row in FRAME.itertuples(index=False):
        # Numbers as numbers, as Excel holds them; empty cells as None.
        sheet.append([int(v) if v.isdigit() else (v or None) for v in row])
    workbook.save(path)
    return path


@pytest.mark.parametrize("variant", [
    ("utf-8", ";"), ("utf-8-sig", ","), ("cp1252", ","), ("utf-16", ","), ("utf-16", "\t"),
    ("latin-1", ";"), "xlsx",
])
def test_every_encoding_delimiter_and_xlsx_give_identical_tables(codebook, tmp_path, variant):
    reference = load_survey(_write_csv(tmp_path / "ref.csv", "utf-8", ","), codebook)
    if variant == "xlsx":
        path = _write_xlsx(tmp_path / "export.xlsx")
    else:
        path = _write_csv(tmp_path / "export.csv", *variant)
    other = load_survey(path, codebook)
    pd.testing.assert_frame_equal(other.answers, reference.answers)
    pd.testing.assert_frame_equal(other.respondents, reference.respondents)
    assert reference.respondents.loc["a1", "kommentar"] == "Gode møter på Værnes"
    assert reference.respondents.loc["a1", "region"] == 2


def test_utf16_without_bom_is_read(codebook, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(FRAME.to_csv(index=False).encode("utf-16-le"))
    assert len(load_survey(path, codebook).respondents) == 3


# --- malformed inputs: each names file, row and column ---------------------------------------



@pytest.mark.parametrize(("fixture", "row", "column", "words"), MALFORMED,
                         ids=[f"{m[0]}:{m[1]}" for m in MALFORMED])
def test_malformed_export_names_file_row_and_column(codebook, fixture, row, column, words):
    with pytest.raises(DataError) as caught:
        load_survey(FIXTURES / fixture, codebook)
    problems = caught.value.report.problems
    matching = [p for p in problems if words in p.message]
    assert matching, [p.format() for p in problems]
    problem = matching[0]
    assert problem.file.endswith(fixture)
    assert (problem.row, problem.column) == (row, column)
    assert problem.fix


def test_unknown_label_suggests_the_closest_valid_label(codebook):
    with pytest.raises(DataError) as caught:
        load_survey(FIXTURES / "bad_unknown_label.csv", codebook)
    fixes = {p.column: p.fix for p in caught.value.report.problems}
    assert fixes["nytte"] == "did you mean '6 I stor grad'?"
    assert fixes["aktiviteter"] == "did you mean 'Webinar'?"


def test_misspelt_column_suggests_the_question_id(codebook):
    with pytest.raises(DataError) as caught:
        load_survey(FIXTURES / "bad_misspelt_column.csv", codebook)
    assert "did you mean 'nytte'?" in caught.value.report.problems[0].fix


def test_all_problems_are_reported_in_one_run(codebook):
    with pytest.raises(DataError) as caught:
        load_survey(FIXTURES / "bad_unknown_label.csv", codebook)
    assert len(caught.value.report.errors) == 2


def test_mixed_codes_and_labels_is_a_warning_not_an_error(codebook):
    survey = load_survey(FIXTURES / "warn_mixed_codes_labels.csv", codebook)
    (warning,) = survey.warnings
    assert (warning.row, warning.column, warning.severity) == (3, "nytte", "warning")
    assert _answer(survey, "r02", "nytte").nonanswer == "vet_ikke"


def test_column_matching_several_questions_is_ambiguous(tmp_path):
    text = (FIXTURES / "codebook.yml").read_text(encoding="utf-8")
    # A second battery with the same item wordings: "Webinarer" no longer says which.
    text += ("  - id: arenaer2\n    type: battery\n    scale: skala6_arena\n"
             "    items: {samling: Felles nettverkssamlinger, webinar: Webinarer}\n")
    (tmp_path / "codebook.yml").write_text(text, encoding="utf-8")
    cb = load_codebook(tmp_path / "codebook.yml")
    export = tmp_path / "export.csv"
    export.write_text("respondent,Webinarer\nr1,4\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(export, cb)
    (ambiguous,) = [p for p in caught.value.report.problems if "several" in p.message]
    assert (ambiguous.row, ambiguous.column) == (1, "Webinarer")
    assert "arenaer.webinar" in ambiguous.message and "arenaer2.webinar" in ambiguous.message


def test_ignore_columns_skips_export_metadata(tmp_path):
    text = (FIXTURES / "codebook.yml").read_text(encoding="utf-8")
    text = text.replace("respondent_id: respondent\n",
                        "respondent_id: respondent\nignore_columns: [Starttid]\n")
    (tmp_path / "codebook.yml").write_text(text, encoding="utf-8")
    codebook = load_codebook(tmp_path / "codebook.yml")
    survey = load_survey(FIXTURES / "bad_extra_column.csv", codebook)
    assert "Starttid" not in survey.respondents.columns


def test_excel_separator_line_is_skipped_and_rows_keep_their_numbers(codebook, tmp_path):
    lines = (FIXTURES / "bad_code_out_of_range.csv").read_text(encoding="utf-8")
    path = tmp_path / "export.csv"
    path.write_text("sep=,\n" + lines, encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(path, codebook)
    (problem,) = caught.value.report.problems
    assert (problem.row, problem.column) == (3, "nytte")  # as Excel shows it: no sep line


def test_blank_rows_keep_spreadsheet_row_numbers(codebook, tmp_path):
    header, r01, r02, r03 = (FIXTURES / "bad_code_out_of_range.csv").read_text(
        encoding="utf-8").splitlines()
    path = tmp_path / "export.csv"
    # Two blank rows above the header and one between r01 and r02: r02 is row 6.
    path.write_text("\n,,\n" + "\n".join([header, r01, "", r02, r03]) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(path, codebook)
    (problem,) = caught.value.report.problems
    assert (problem.row, problem.column) == (6, "nytte")
    path.write_text("\n\n" + header.replace(",nytte,", ",nyte,") + "\n" + r01 + "\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_survey(path, codebook)
    assert {p.row for p in caught.value.report.problems} == {3}


def test_damaged_exports_raise_data_errors_only(codebook, tmp_path):
    """Seeded random damage (deleted, inserted, replaced bytes): never a traceback."""
    import random

    rng = random.Random(20211)
    source = (FIXTURES / "survey_labels.csv").read_bytes()
    for i in range(300):
        data = bytearray(source)
        for _ in range(rng.randint(1, 4)):
            pos = rng.randrange(len(data))
            data[pos:pos + rng.randint(0, 2)] = bytes([rng.choice(b',;"\n\x00\xff\xc3 1a')])
        path = tmp_path / f"damaged{i}.csv"
        path.write_bytes(bytes(data))
        try:
            load_survey(path, codebook)
        except DataError as exc:
            assert all(p.message and p.file for p in exc.report.problems)
