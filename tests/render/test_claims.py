"""Checked claims and conditional text (lnutils.render.claims) through resolve_text."""

import pytest

from lnutils.render import RenderError
from lnutils.render.claims import ExpressionError, evaluate, expression_keys
from lnutils.render.placeholders import resolve_text

FACTS = {"a.n": 3, "b.n": 5, "survey.respondents": 35, "q.q19.option.1.n": 4,
         "teams.Inn-Trøndelag.reps": 0, "t.Arbeidsgruppe møter": 9, "order": ["x", "y"],
         "label": "Bygge relasjoner", "flag": True, "none": None}


@pytest.mark.parametrize(("expr", "value"), [
    ("a.n == 3", True), ("a.n < b.n", True), ("a.n >= b.n", False),
    ("1 < a.n < 4", True), ("1 < a.n < 2", False),
    ("q.q19.option.1.n == 4", True), ("teams.Inn-Trøndelag.reps == 0", True),
    ("`t.Arbeidsgruppe møter` > 8", True), ('label == "Bygge relasjoner"', True),
    ('"x" in order', True), ('"z" not in order', True), ("len(order) == 2", True),
    ('order == ["x", "y"]', True), ("a.n * 2 < survey.respondents", True),
    ("b.n - a.n == 2", True), ("max(a.n, b.n) == 5", True),
    ("not flag", False), ("flag and a.n > 1", True), ("a.n > 9 or flag", True),
    ("has(zz.q)", False), ("has(a.n)", True), ("none == null", True), ("a.n > -1", True),
])
def test_expressions(expr, value):
    assert evaluate(expr, FACTS) is value


@pytest.mark.parametrize(("expr", "message"), [
    ("a.n ==", "cannot read"), ("zz.q > 1", "unknown fact 'zz.q'"),
    ('label < 3', "cannot order"), ("__import__('os')", "cannot read"),
    ("a.n.__class__ == 1", "unknown fact"), ("len(a.n) == 1", "len() needs"),
    ("a.n / 0 == 1", "division by zero"), ("a.n and flag", "needs true or false"),
])
def test_bad_expressions_are_refused_with_the_cause(expr, message):
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        evaluate(expr, FACTS)


def test_expression_keys_in_order_without_duplicates():
    assert expression_keys("a.n < b.n and a.n > 0 or `t.Arbeidsgruppe møter` == 1") == [
        "a.n", "b.n", "t.Arbeidsgruppe møter"]


def test_a_true_claim_renders_nothing():
    text = "Før.\n{{< claim a.n < b.n >}}\nFlertallet {{< claim flag >}}sa ja."
    assert resolve_text(text, FACTS, "x.md") == "Før.\nFlertallet sa ja."


def test_a_false_claim_names_file_line_claim_and_values():
    text = "Linje en.\n\nTo {{< claim a.n > b.n and survey.respondents > 1 >}}her."
    with pytest.raises(RenderError) as err:
        resolve_text(text, FACTS, "reports/x.md")
    message = str(err.value)
    assert "reports/x.md, line 3" in message
    assert "a.n > b.n and survey.respondents > 1" in message
    assert "a.n = 3" in message and "b.n = 5" in message and "survey.respondents = 35" in message


def test_every_false_claim_and_unknown_key_is_listed_at_once():
    text = "{{< claim a.n > 4 >}}\n{{< claim nope.x == 1 >}}\n{{< claim b.n == 5 >}}"
    with pytest.raises(RenderError) as err:
        resolve_text(text, FACTS, "x.md")
    assert "x.md, line 1" in str(err.value) and "x.md, line 2: claim 'nope.x == 1': unknown" \
        in str(err.value) and "line 3" not in str(err.value)


def test_if_elif_else_choose_the_true_branch_inline_and_as_blocks():
    inline = ("Snittet var {{< if a.n > b.n >}}høyere{{< elif a.n < b.n >}}lavere"
              "{{< else >}}like høyt{{< /if >}} enn før.")
    assert resolve_text(inline, FACTS, "x.md") == "Snittet var lavere enn før."
    block = ("Først.\n\n{{< if flag >}}\nA med {{< fact a.n >}}.\n{{< else >}}\nB.\n"
             "{{< /if >}}\n\nSist.")
    assert resolve_text(block, FACTS, "x.md") == "Først.\n\nA med 3.\n\nSist."


def test_branches_not_chosen_are_not_checked_and_nested_blocks_work():
    text = ("{{< if has(missing.key) >}}{{< fact missing.key >}} {{< claim missing.key > 1 >}}"
            "{{< else >}}{{< if a.n == 3 >}}tre{{< else >}}ikke tre{{< /if >}}{{< /if >}}")
    assert resolve_text(text, FACTS, "x.md") == "tre"


def test_line_numbers_after_a_dropped_branch_stay_those_of_the_source():
    text = "{{< if not flag >}}\nen\nto\ntre\n{{< /if >}}\nHer: {{< fact bad.key >}}"
    with pytest.raises(RenderError, match=r"x.md, line 6: unknown fact 'bad.key'"):
        resolve_text(text, FACTS, "x.md")


@pytest.mark.parametrize(("text", "message"), [
    ("{{< if flag >}}ja", "never closed"),
    ("ja{{< /if >}}", "without an open"),
    ("{{< if flag >}}a{{< else >}}b{{< elif flag >}}c{{< /if >}}", "after {{< else >}}"),
    ("{{< if a.n >}}a{{< /if >}}", "not true or false"),
    ("{{< if flag >}}a{{< else a.n > 1 >}}b{{< /if >}}", "takes no expression"),
])
def test_broken_blocks_are_located_errors(text, message):
    with pytest.raises(RenderError, match=r"x.md, line 1: .*" + message.replace("{", r"\{")
                       .replace("}", r"\}")):
        resolve_text(text, FACTS, "x.md")


def test_claims_work_in_notebook_markdown_cells(tmp_path):
    import json

    from lnutils.render.notebooks import reading_copy

    nb = {"cells": [{"cell_type": "markdown", "metadata": {}, "id": "a",
                     "source": ["Tekst.\n", "{{< claim a.n > b.n >}}Flertallet."]}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "ch.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(RenderError, match=r"ch.ipynb, cell 1, line 2: claim no longer holds"):
        reading_copy(path, FACTS)
    ok = reading_copy(path, {**FACTS, "a.n": 9})
    assert ok["cells"][0]["source"] == "Tekst.\nFlertallet."
