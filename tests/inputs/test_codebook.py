"""The codebook: the API of a good one, and the key named for every kind of wrong one."""

from pathlib import Path

import pytest

from lnutils.inputs.codebook import CodebookError, key_path, load_codebook, load_codebook_input
from lnutils.problems import DataError

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ingest"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(FIXTURES / "codebook.yml")


def test_questions_in_questionnaire_order(codebook):
    assert [q.id for q in codebook.questions] == [
        "arena", "region", "aktiviteter", "nytte", "ledere_spurte", "arenaer", "kommentar"]
    assert codebook.survey == "testsurvey"
    assert codebook.respondent_id == "respondent"


def test_meta_is_kept_as_a_dict(codebook):
    assert codebook.meta == {"tool": "Questback", "reminders": 2}


def test_question_lookup_and_unknown_id(codebook):
    assert codebook.question("nytte").number == 4
    with pytest.raises(KeyError):
        codebook.question("q99")


def test_codes_and_nonanswers_per_type(codebook):
    arena = codebook.question("arena")
    assert arena.codes() == {1: "Forbedringsteam", 2: "Arbeidsgruppe", 3: "Andre arenaer"}
    assert arena.nonanswers() == {}
    nytte = codebook.question("nytte")
    assert list(nytte.codes()) == [1, 2, 3, 4, 5, 6]
    assert nytte.nonanswers() == {7: "Vet ikke"}
    battery = codebook.question("arenaer")
    assert battery.items == {"samling": "Felles nettverkssamlinger", "webinar": "Webinarer"}
    assert battery.nonanswers() == {7: "Vet ikke", 8: "Ikke deltatt"}
    assert codebook.question("kommentar").codes() == {}


def test_scale_nonanswer_kinds(codebook):
    scale = codebook.question("arenaer").scale
    assert scale.kind == "rating"
    assert scale.nonanswer_kind(7) == "vet_ikke"
    assert scale.nonanswer_kind(8) == "ikke_deltatt"
    with pytest.raises(KeyError):
        scale.nonanswer_kind(3)


def test_other_nonanswer_labels_get_kind_other(tmp_path):
    text = (FIXTURES / "codebook.yml").read_text(encoding="utf-8").replace(
        'nonanswers: {3: "Vet ikke"}', 'nonanswers: {3: "Vet ikke", 4: "Vil ikke svare"}')
    (tmp_path / "cb.yml").write_text(text, encoding="utf-8")
    assert load_codebook(tmp_path / "cb.yml").scales["janeivetikke"].nonanswer_kind(4) == "other"


def test_routing(codebook):
    routing = codebook.question("region").routing
    assert routing.question == "arena" and routing.in_ == [1]
    assert codebook.question("nytte").routing is None


def test_input_loader_signature(codebook):
    loaded = load_codebook_input(FIXTURES / "codebook.yml", dataset=None)
    assert loaded.question("nytte") == codebook.question("nytte")


def test_key_path_format():
    assert key_path(("questions", 3, "routing", "question")) == "questions[3].routing.question"
    assert key_path(("scales", "skala6", "codes", "2")) == "scales.skala6.codes.2"


WRONG = [
    # fixture, key path, YAML line, words in the message
    ("codebook_bad_duplicate_id.yml", "questions[1].id", 11, "already used by questions[0]"),
    ("codebook_bad_scale_without_labels.yml", "scales.tom.codes", 9, "no codes with labels"),
    ("codebook_bad_routing_unknown.yml", "questions[1].routing.question", 14, "unknown question"),
    ("codebook_bad_routing_code.yml", "questions[1].routing.in", 14, "code 5 is not an answer"),
    ("codebook_bad_unknown_scale.yml", "questions[1].scale", 13, "unknown scale 'skala7'"),
    ("codebook_bad_type.yml", "questions[1].type", 12, "'battery'"),
    ("codebook_bad_battery_items.yml", "questions[1].items", 11, "needs `items`"),
    ("codebook_bad_duplicate_key.yml", "questions[1].options.1", 15, "appears twice"),
    ("codebook_bad_unknown_key.yml", "questions[1].skala", 14, "unknown key 'skala'"),
    ("codebook_bad_duplicate_label.yml", "questions[1].options.2", 13, "the same label"),
    ("codebook_bad_yaml.yml", None, 13, "not valid YAML"),
]


@pytest.mark.parametrize(("fixture", "key", "line", "words"), WRONG, ids=[w[0] for w in WRONG])
def test_wrong_codebook_names_the_key(fixture, key, line, words):
    with pytest.raises(CodebookError) as caught:
        load_codebook(FIXTURES / fixture)
    assert isinstance(caught.value, DataError)
    (problem,) = caught.value.report.problems
    assert problem.file.endswith(fixture)
    assert (problem.column, problem.row) == (key, line)
    assert words in problem.message
    assert problem.fix


def _write(tmp_path, text):
    path = tmp_path / "codebook.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_of_a_codebook_in_one_run(tmp_path):
    path = _write(tmp_path, """survey: s
scales:
  janei: {kind: nominal, codes: {1: Ja, 2: Nei}}
questions:
  - {id: a, type: single, options: {1: X}}
  - {id: a, type: single, options: {1: Y}}
  - {id: b, type: rating, scale: janei}
  - {id: c, type: text, options: {1: Z}}
  - {id: d, type: single, options: {1: X}, routing: {question: d, in: [1]}}
""")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    keys = {p.column for p in caught.value.report.problems}
    assert keys == {"questions[1].id", "questions[2].scale", "questions[3].options",
                    "questions[4].routing.question"}


def test_routing_in_a_circle_is_rejected(tmp_path):
    path = _write(tmp_path, """survey: s
questions:
  - {id: a, type: single, options: {1: X}, routing: {question: b, in: [1]}}
  - {id: b, type: single, options: {1: Y}, routing: {question: a, in: [1]}}
""")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    messages = [p.message for p in caught.value.report.problems]
    assert any("a -> b -> a" in m for m in messages)


def test_missing_codebook_and_non_mapping(tmp_path):
    with pytest.raises(CodebookError, match="codebook file not found"):
        load_codebook(tmp_path / "nope.yml")
    with pytest.raises(CodebookError, match="must be a YAML mapping"):
        load_codebook(_write(tmp_path, "- just\n- a list\n"))


def test_a_question_needs_options_or_a_scale(tmp_path):
    path = _write(tmp_path, "survey: s\nquestions:\n  - {id: a, type: yesno}\n")
    with pytest.raises(CodebookError) as caught:
        load_codebook(path)
    (problem,) = caught.value.report.problems
    assert problem.column == "questions[0].options"
    assert "either `options` or `scale`" in problem.message
