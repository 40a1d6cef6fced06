"""The draft codebook ``lnreport new`` infers, on small hand-built exports of each shape.

Every shape is checked twice: what the inference decides, and that the export then
loads through the draft (the draft must validate against its own export at once).
"""

from pathlib import Path

import pytest
import yaml

from lnutils.inputs.answer_kinds import classify
from lnutils.inputs.codebook import load_codebook
from lnutils.inputs.inference import infer_codebook
from lnutils.inputs.survey import load_survey
from lnutils.problems import DataError
from lnutils.runner.scaffold import codebook_yaml


def _export(tmp_path: Path, text: str, name: str = "export.csv", encoding="utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _loads(tmp_path: Path, export: Path, draft) -> None:
    """The draft, written as YAML, reads its own export without a problem."""
    book = tmp_path / "codebook.yml"
    book.write_text(codebook_yaml(draft, export.name), encoding="utf-8")
    survey = load_survey(export, load_codebook(book))
    assert len(survey.respondents) == len(draft.table.rows)


# (header cell, cells of four respondents) -> (type, codes or None, nonanswers or None)
SINGLE_COLUMNS = [
    pytest.param("I hvilken grad var samlingene nyttige?", ["1", "4", "6", "5"],
                 "rating", {c: str(c) for c in range(1, 7)}, {}, id="numeric 1-6 rating"),
    pytest.param("Hvor fornøyd er du totalt?", ["10", "7", "3", "8"],
                 "rating", {c: str(c) for c in range(1, 11)}, {}, id="numeric 1-10 rating"),
    pytest.param("Nytte av samlingene", ["1", "5", "9", "3"],
                 "rating", {c: str(c) for c in range(1, 6)}, {9: "Vet ikke"},
                 id="a code apart from the scale is a non-answer"),
    pytest.param("fortsette", ["2", "7", "9", "10", "4", "6", "8"],
                 "rating", {c: str(c) for c in range(1, 11)}, {},
                 id="seven values and more are a rating"),
    pytest.param("Hvilken kommune?", ["2", "1", "3", "2"],
                 "single", {1: "1", 2: "2", 3: "3"}, {}, id="codes without a rating cue"),
    pytest.param("Samarbeid", ["I stor grad", "I svært liten grad", "Vet ikke", "I noen grad"],
                 "rating", {1: "I svært liten grad", 2: "I liten grad", 3: "I noen grad",
                            4: "I stor grad", 5: "I svært stor grad"}, {6: "Vet ikke"},
                 id="verbal grad scale"),
    pytest.param("Påstand", ["Helt enig", "Delvis uenig", "Helt uenig", "Ikke aktuelt"],
                 "rating", {1: "Helt uenig", 2: "Delvis uenig", 3: "Verken enig eller uenig",
                            4: "Delvis enig", 5: "Helt enig"}, {6: "Ikke aktuelt"},
                 id="agreement scale"),
    pytest.param("Kvalitet", ["God", "Svært dårlig", "Svært god", "God"],
                 "rating", {1: "Svært dårlig", 2: "Dårlig", 3: "Verken god eller dårlig",
                            4: "God", 5: "Svært god"}, {}, id="quality scale"),
    pytest.param("Deltok du?", ["Ja", "Nei", "Vet ikke", "ja"],
                 "yesno", {1: "Ja", 2: "Nei"}, {3: "Vet ikke"}, id="ja nei vet ikke"),
    pytest.param("Nytte", ["1 I liten grad", "2", "6 I stor grad", "Ikke deltatt"],
                 "rating", {1: "1 I liten grad", 2: "2", 3: "3", 4: "4", 5: "5",
                            6: "6 I stor grad"}, {7: "Ikke deltatt"},
                 id="numbered labels with end words"),
    pytest.param("Representerer", ["Kommune", "Helseforetak", "Kommune", "Annet"],
                 "single", {1: "Kommune", 2: "Helseforetak", 3: "Annet"}, {},
                 id="labelled single choice"),
    pytest.param("Kommentarer", ["Bra samlinger, takk for alt.", "", "Mer tid til teamene.",
                                 "Savnet lederne i kommunene mer"],
                 "text", None, None, id="free text"),
    pytest.param("Aktiviteter", ["Webinar;Samling", "Samling", "Veiledning;Webinar", ""],
                 "multi", {1: "Webinar", 2: "Samling", 3: "Veiledning"}, None,
                 id="multi in one delimited column"),
    pytest.param("Tomt", ["", "", "", ""], "text", None, None, id="no answers"),
    pytest.param("Kontakt", ["kari@example.no", "Ola", "kari@example.no", "Ola"], "text",
                 None, None, id="personal data is never an option label"),
]


@pytest.mark.parametrize(("header", "cells", "qtype", "codes", "nonanswers"), SINGLE_COLUMNS)
def test_one_column_questions(tmp_path, header, cells, qtype, codes, nonanswers):
    rows = "".join(f"R{i};\"{cell}\"\n" for i, cell in enumerate(cells, start=1))
    export = _export(tmp_path, f"respondent;{header}\n{rows}")
    draft = infer_codebook(export, "test")
    book = draft.codebook
    assert book["respondent_id"] == "respondent"
    [question] = book["questions"]
    assert question["type"] == qtype
    assert question["text"] == header
    if qtype == "multi":
        assert question["options"] == codes
        assert question["multi_delimiter"] == ";"
    elif "scale" in question:
        scale = book["scales"][question["scale"]]
        assert scale["codes"] == codes
        assert scale.get("nonanswers", {}) == nonanswers
    elif codes is not None:
        assert question["options"] == codes
    _loads(tmp_path, export, draft)


def test_nettskjema_report_shapes(tmp_path):
    """Metadata columns, checkbox columns, a radio matrix, a checkbox matrix, ids as headers."""
    export = _export(tmp_path, (
        '"$submission_id";"$created";"$answer_time_ms";"rolle";"deltok.1";"deltok.2";'
        '"deltok.3";"samarbeid.kommune";"samarbeid.hf";"verktoy.kor.brukt";"verktoy.kor.nyttig";'
        '"tekst"\n'
        '"4170011";"2024-05-27T09:50:00+02:00";"755320";"1";"1";"0";"1";"3";"4";"1";"0";""\n'
        '"4170052";"2024-05-28T10:14:00+02:00";"841472";"2";"0";"1";"1";"5";"";"0";"1";'
        '"Fint å møtes."\n'
        '"4170090";"2024-05-29T15:35:00+02:00";"716407";"1";"1";"1";"0";"2";"1";"1";"1";""\n'))
    draft = infer_codebook(export, "test")
    book = draft.codebook
    assert book["respondent_id"] == "$submission_id"
    assert book["ignore_columns"] == ["$created", "$answer_time_ms", "verktoy.kor.brukt",
                                      "verktoy.kor.nyttig"]
    by_id = {q["id"]: q for q in book["questions"]}
    assert list(by_id) == ["rolle", "deltok", "samarbeid", "tekst"]
    assert by_id["deltok"]["type"] == "multi"
    assert by_id["deltok"]["options"] == {1: "Alternativ 1", 2: "Alternativ 2",
                                          3: "Alternativ 3"}
    assert by_id["samarbeid"]["type"] == "battery"
    assert by_id["samarbeid"]["items"] == {"kommune": "kommune", "hf": "hf"}
    assert book["scales"][by_id["samarbeid"]["scale"]]["codes"] == {c: str(c) for c in range(1, 6)}
    assert by_id["tekst"]["type"] == "text"
    # What the export could not decide is said, per question.
    assert any("checkbox matrix" in n for n in draft.notes[("ignore", "verktoy.kor.brukt")])
    assert any("wording" in n for n in draft.notes[("question", "rolle")])
    assert any("label" in n for n in draft.notes[("question", "deltok")])
    text = codebook_yaml(draft, export.name)
    assert text.count("# TODO(evaluator): ") == sum(map(len, draft.notes.values())) + 1
    _loads(tmp_path, export, draft)


def test_questback_wording_headers(tmp_path):
    """Columns named by wording, `<question> - <option>` checkboxes and matrix rows, cp1252."""
    header = ("Respondent;Startet;Hvor arbeider du?;Hva deltok du på? - Samlinger;"
              "Hva deltok du på? - Webinarer;Hvor godt fungerte samarbeidet? - Med kommunene;"
              "Hvor godt fungerte samarbeidet? - Med helseforetaket")
    rows = ["1;01.06.2024 10:00;Kommune;Samlinger;;God;Svært god",
            "2;02.06.2024 11:30;Helseforetak;;Webinarer;Dårlig;Vet ikke",
            "3;02.06.2024 12:00;Kommune;Samlinger;Webinarer;Svært god;God"]
    export = _export(tmp_path, "\r\n".join([header, *rows]) + "\r\n", encoding="cp1252")
    draft = infer_codebook(export, "test")
    book = draft.codebook
    assert book["ignore_columns"] == ["Startet"]
    q1, q2, q3 = book["questions"]
    assert (q1["type"], q1["text"]) == ("single", "Hvor arbeider du?")
    assert (q2["type"], q2["text"], q2["options"]) == ("multi", "Hva deltok du på?",
                                                       {1: "Samlinger", 2: "Webinarer"})
    assert (q3["type"], q3["text"]) == ("battery", "Hvor godt fungerte samarbeidet?")
    assert q3["items"] == {"med_kommunene": "Med kommunene",
                           "med_helseforetaket": "Med helseforetaket"}
    assert book["scales"][q3["scale"]]["nonanswers"] == {6: "Vet ikke"}
    _loads(tmp_path, export, draft)


def test_an_export_without_any_id_column_is_a_located_error(tmp_path):
    export = _export(tmp_path, "Nytte;Rolle\n4;Leder\n4;Leder\n")
    with pytest.raises(DataError) as caught:
        infer_codebook(export, "test")
    assert "respondent id" in caught.value.report.format()


def test_the_first_unique_column_is_the_id_when_none_is_named_so(tmp_path):
    export = _export(tmp_path, "Nummer;Rolle\n11;Leder\n12;Leder\n13;Fagperson\n")
    draft = infer_codebook(export, "test")
    assert draft.codebook["respondent_id"] == "Nummer"
    _loads(tmp_path, export, draft)


@pytest.mark.parametrize(("values", "labels", "qtype"), [
    (["1", "2", "2"], {"1": "Ja", "2": "Nei", "3": "Vet ikke"}, "yesno"),
    (["1", "5", "6"], {"1": "I svært liten grad", "5": "I svært stor grad",
                       "6": "Vet ikke"}, "rating"),
    (["1", "2"], {"1": "Kommune", "2": "Helseforetak"}, "single"),
])
def test_spss_value_labels_decide_with_the_files_own_codes(values, labels, qtype):
    kind = classify(values, "", labels)
    assert kind.type == qtype
    assert {int(c) for c in labels} <= set(kind.codes) | set(kind.nonanswers)
    assert {**kind.codes, **kind.nonanswers}[1] == labels["1"]


def test_the_draft_yaml_keeps_the_codebook_data(tmp_path):
    export = _export(tmp_path, "respondent;Deltok du?\nA;Ja\nB;Nei\n")
    draft = infer_codebook(export, "test")
    assert yaml.safe_load(codebook_yaml(draft, export.name))["questions"] == \
        draft.codebook["questions"]


def test_an_xlsx_export_gives_the_draft_of_its_csv(tmp_path):
    import openpyxl

    rows = [["Respondent", "Hvor arbeider du?", "I hvilken grad var det nyttig?", "Deltok du?"],
            ["1", "Kommune", 4, "Ja"], ["2", "Helseforetak", 6, "Nei"], ["3", "Kommune", 2, "Ja"]]
    csv = _export(tmp_path, "".join(";".join(map(str, r)) + "\n" for r in rows))
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "export.xlsx")
    from_xlsx = infer_codebook(tmp_path / "export.xlsx", "test")
    assert from_xlsx.codebook == infer_codebook(csv, "test").codebook
    assert [q["type"] for q in from_xlsx.codebook["questions"]] == ["single", "rating", "yesno"]
    _loads(tmp_path, tmp_path / "export.xlsx", from_xlsx)


def test_checkbox_columns_named_by_option_ids_are_matched_by_their_headers(tmp_path):
    export = _export(tmp_path, "id;deltok.samling;deltok.webinar\nA;1;0\nB;0;1\nC;1;1\n")
    draft = infer_codebook(export, "test")
    [question] = draft.codebook["questions"]
    assert question["options"] == {1: "deltok.samling", 2: "deltok.webinar"}
    assert any("whole header" in n for n in draft.notes[("question", "deltok")])
    _loads(tmp_path, export, draft)


def test_dotted_columns_whose_question_id_is_taken_are_matched_by_header(tmp_path):
    """A second `nytte.*` group gets another id; its columns still find their question."""
    export = _export(tmp_path, "id;nytte;nytte.1;nytte.2;sam.Rad-A;sam.rad_b;x;sam.c\n"
                               "A;3;1;0;4;5;1;3\nB;4;0;1;2;3;2;4\nC;5;1;1;5;4;1;2\n")
    draft = infer_codebook(export, "test")
    by_id = {q["id"]: q for q in draft.codebook["questions"]}
    assert by_id["nytte_2"]["options"] == {1: "nytte.1", 2: "nytte.2"}
    assert by_id["sam"]["items"] == {"rad_a": "sam.Rad-A", "rad_b": "rad_b"}
    _loads(tmp_path, export, draft)


def test_only_non_answers_leave_the_type_to_the_evaluator():
    kind = classify(["Vet ikke", "Vet ikke"], "Samarbeid")
    assert kind.type == "text"
    assert "only non-answers" in kind.notes[0]


# --- every draft reads its own export: seeded random exports of mixed shapes -----------------

VERBAL = ["I svært liten grad", "I liten grad", "I noen grad", "I stor grad",
          "I svært stor grad", "Vet ikke"]
CHOICES = ["Kommune", "Helseforetak", "Brukerorganisasjon", "Annet"]
TEXTS = ["Dette var bra.", "Mer tid, takk!", "Savnet ledelsen",
         "Fint å møtes i regionen, men for lite tid."]


def _random_columns(rng, kind: str, n: int, name: str) -> dict[str, list[str]]:
    pick = {"num": lambda: str(rng.randint(1, 6)) if rng.random() > 0.1 else "",
            "numdk": lambda: str(rng.choice([1, 2, 3, 4, 5, 9])),
            "verbal": lambda: rng.choice(VERBAL) if rng.random() > 0.1 else "",
            "yesno": lambda: rng.choice(["Ja", "Nei", "Vet ikke", ""]),
            "choice": lambda: rng.choice(CHOICES),
            "text": lambda: rng.choice(TEXTS) if rng.random() > 0.5 else "",
            "delim": lambda: ";".join(rng.sample(CHOICES, rng.randint(0, 3)))}
    if kind in pick:
        return {name: [pick[kind]() for _ in range(n)]}
    if kind == "checkboxes":
        return {f"{name}.{i}": [rng.choice("01") for _ in range(n)] for i in range(1, 4)}
    if kind == "labelled_checkboxes":
        return {f"{name} - {x}": [x if rng.random() < 0.5 else "" for _ in range(n)]
                for x in CHOICES[:3]}
    if kind == "matrix":
        return {f"{name}.{r}": [str(rng.randint(1, 5)) for _ in range(n)] for r in "abc"}
    return {f"{name} - {r}": [rng.choice(VERBAL) for _ in range(n)] for r in ("Rad A", "Rad B")}


@pytest.mark.parametrize("seed", range(60))
def test_every_draft_reads_its_own_export(tmp_path, seed):
    import csv
    import io
    import random

    rng = random.Random(seed)
    n = rng.randint(3, 30)
    columns = {"$submission_id": [str(1000 + i) for i in range(n)],
               "$created": ["2024-05-01T10:00:00+02:00"] * n}
    kinds = ["num", "numdk", "verbal", "yesno", "choice", "text", "delim", "checkboxes",
             "labelled_checkboxes", "matrix", "verbal_matrix"]
    for j in range(rng.randint(1, 8)):
        name = rng.choice([f"sp{j}", f"Spørsmål {j} om noe?", f"I hvilken grad {j}?"])
        for key, values in _random_columns(rng, rng.choice(kinds), n, name).items():
            columns.setdefault(key, values)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=rng.choice([";", ",", "\t"]))
    writer.writerow(list(columns))
    writer.writerows([[columns[c][i] for c in columns] for i in range(n)])
    export = _export(tmp_path, buffer.getvalue(), encoding=rng.choice(["utf-8", "cp1252"]))
    _loads(tmp_path, export, infer_codebook(export, "test"))


def test_an_export_without_questions_is_a_located_error(tmp_path):
    export = _export(tmp_path, "$submission_id;$created\n1;2024-05-01\n2;2024-05-02\n")
    with pytest.raises(DataError) as caught:
        infer_codebook(export, "test")
    assert "no column of the export is a question" in caught.value.report.format()


def test_questions_on_one_scale_share_it(tmp_path):
    """Labels seen in one question only, and non-answers offered by some, end in one scale."""
    export = _export(tmp_path, "id;Nytte A;Nytte B;Nytte C\n"
                               "1;1 I liten grad;2;Ikke deltatt\n2;6;6 I stor grad;4\n"
                               "3;Vet ikke;Ikke deltatt;6\n")
    draft = infer_codebook(export, "test")
    assert list(draft.codebook["scales"]) == ["skala1_6"]
    scale = draft.codebook["scales"]["skala1_6"]
    assert scale["codes"] == {1: "1 I liten grad", 2: "2", 3: "3", 4: "4", 5: "5",
                              6: "6 I stor grad"}
    assert scale["nonanswers"] == {7: "Vet ikke", 8: "Ikke deltatt"}
    assert ("scale", "skala1_6") not in draft.notes  # its end points have words
    _loads(tmp_path, export, draft)


@pytest.mark.parametrize(("values", "middle"), [
    (["God", "Svært dårlig", "Svært god", "Verken eller", "Dårlig"], "Verken eller"),
    (["Helt enig", "Hverken enig eller uenig", "Helt uenig", "Enig"],
     "Hverken enig eller uenig"),
])
def test_a_verbal_scale_with_its_middle_step_worded_its_own_way(values, middle):
    kind = classify(values, "Hvor godt fungerte samlingene?")
    assert kind.type == "rating" and kind.codes[3] == middle
    assert list(kind.codes)[0] == 1 and len(kind.codes) == 5


def test_two_unknown_inner_steps_are_not_guessed():
    kind = classify(["Svært dårlig", "Rød", "Blå", "Svært god"], "Hva syntes du?")
    assert kind.type != "rating"
