"""Placeholders checked against the facts computed for the data, each at its line."""

from lnutils.runner.pipeline_checks import placeholder_problems

FACTS = {"survey.respondents": 35, "effort.mean": None, "period.start": "2021-06-25",
         "teams": ["Fosen", "Værnes"]}


def test_each_placeholder_that_cannot_be_shown_is_located():
    lines = list(enumerate([
        "Det svarte {{< fact survey.respondents >}} personer.",
        "Snittet var {{< fact effort.mean num:1 >}}.",
        "Ukjent: {{< fact survey.answered >}}, og {{< fact teams list >}} deltok.",
        "Dato {{< fact survey.respondents date >}} og {{< fact period.start date >}}.",
    ], start=10))
    found = [(p.file, p.row, p.value, p.message) for p in placeholder_problems(
        lines, FACTS, "sammendrag.md")]
    assert [(row, value) for _, row, value, _ in found] == [
        (11, "effort.mean"), (12, "survey.answered"), (13, "survey.respondents")]
    assert "the fact is None" in found[0][3]
    assert "names a fact these data do not give" in found[1][3]
    assert all(p.fix for p in placeholder_problems(lines, FACTS, "x.md"))


def test_text_without_placeholders_has_no_problems():
    assert placeholder_problems([(1, "Ingen tall her {{ ikke en plassholder }}.")], FACTS,
                                "x.md") == []
