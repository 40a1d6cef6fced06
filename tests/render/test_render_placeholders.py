"""Fact placeholders in narrative text: formats and errors."""

import pytest

from lnutils.render import RenderError
from lnutils.render.placeholders import format_fact, join_list, resolve_text

FACTS = {"survey.respondents": 35, "survey.invited": 110, "survey.response_rate_pct": 31.8,
         "organisation.mean": 4.6857, "share": 0.318, "order": ["system", "tjeneste", "individ"],
         "network.name": "Trøndelag", "big": 12345.5, "flag": True}


@pytest.mark.parametrize(("value", "spec", "expected"), [
    (35, None, "35"),
    (4.6857, None, "4,69"),
    (4.5, None, "4,5"),
    (3.0, None, "3"),
    (4.6857, "num:2", "4,69"),
    (4.6857, "num:1", "4,7"),
    (4.6857, "int", "5"),
    (31.8, "pct:1", "31,8\u00a0%"),
    (31.8, "pct", "31,8\u00a0%"),
    (0.318, "share:1", "31,8\u00a0%"),
    (12345.5, "num:1", "12\u202f345,5"),
    ("Fosen", "lower", "fosen"),
    (["a", "b", "c"], "list", "a, b og c"),
    (True, None, "ja"),
    ("2021-06-25", "date", "25. juni 2021"),
    ("2021-08-24", "date:short", "24. august"),
])
def test_format_fact(value, spec, expected):
    # lnutils.fmt decides which no-break space goes before "%" and between thousands.
    assert _spaces(format_fact(value, spec)) == _spaces(expected)


def _spaces(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("value", "spec"), [("tekst", "num:2"), (4.2, "list"), (4.2, "pct:x"),
                                             (4.2, "prosent"), (None, None),
                                             ("juni", "date")])
def test_format_fact_refuses_what_does_not_fit(value, spec):
    with pytest.raises(ValueError):
        format_fact(value, spec)


def test_join_list_short_lists():
    assert join_list([]) == "" and join_list(["a"]) == "a" and join_list(["a", "b"]) == "a og b"


def test_resolve_text_replaces_every_placeholder():
    text = ("Det svarte {{< fact survey.respondents >}} av {{<fact survey.invited>}} "
            "({{< fact survey.response_rate_pct pct:1 >}}), snitt {{< fact organisation.mean >}}.")
    assert _spaces(resolve_text(text, FACTS, "x.md")) == (
        "Det svarte 35 av 110 (31,8 %), snitt 4,69.")


def test_unknown_fact_names_file_line_and_key():
    text = "Første linje.\n\nAndre: {{< fact survey.respondentz >}} og {{< fact nope.x >}}."
    with pytest.raises(RenderError) as err:
        resolve_text(text, FACTS, "reports/t/sammendrag.md")
    message = str(err.value)
    assert "reports/t/sammendrag.md, line 3: unknown fact 'survey.respondentz'" in message
    assert "'nope.x'" in message


def test_malformed_placeholder_is_an_error():
    with pytest.raises(RenderError, match=r"line 1: malformed placeholder"):
        resolve_text("Se {{< fakt survey.invited >}}.", FACTS, "a.md")


def test_bad_format_names_the_fact():
    with pytest.raises(RenderError, match=r"fact 'network.name': format 'num' needs a number"):
        resolve_text("{{< fact network.name num:1 >}}", FACTS, "a.md")


def test_a_key_with_spaces_is_written_in_quotes():
    facts = {"table1.Felles nettverkssamlinger": 12, "table1.sum": 72}
    text = ('Samlinger: {{< fact "table1.Felles nettverkssamlinger" >}} av '
            '{{< fact table1.sum int >}}; {{< fact "table1.Felles nettverkssamlinger" num:1 >}}.')
    assert resolve_text(text, facts, "del1.md") == "Samlinger: 12 av 72; 12,0."
