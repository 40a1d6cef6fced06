"""Table 2, the self-evaluation forms (redacted) and the plan, on small hand-built frames."""

import pandas as pd

from lnutils.chapters.teamreport import plan_table, self_evaluations_markdown, teams_table


def test_teams_table_lists_municipalities_and_user_reps():
    teams = pd.DataFrame([{
        "name": "Fjordregionen", "municipalities": ["A", "B", "C"], "health_trust": None,
        "user_reps_start": 0, "user_reps_end": 1, "user_representation": "",
        "improvement_area": "Brukerpanel", "status": "Pågående"}])
    row = teams_table(teams).iloc[0]
    assert row["Kommuner"] == "A, B og C"
    assert row["Helseforetak"] == "Ingen"
    assert row["Brukerrepresentanter"] == "0 ved start, 1 ved slutt"


def test_forms_are_redacted_and_structured():
    forms = pd.DataFrame([{
        "team": "Fjordregionen", "participants": "Kari Nordmann (kari@example.no, 912 34 567)",
        "improvement_area": "Brukerpanel", "goals": ["Ett panel", "To møter"],
        "done": "Møter", "comments": None}])
    text = self_evaluations_markdown(forms, ["Kari Nordmann"])
    assert text.startswith("## Fjordregionen")
    assert "kari@example.no" not in text and "Kari Nordmann" not in text
    assert "912 34 567" not in text
    read = _as_read(text)
    assert "[e-post fjernet]" in read and "[navn fjernet]" in read
    assert "- Ett panel\n- To møter" in text
    assert "Kommentarer" not in text  # empty fields are left out


def test_plan_starts_at_the_given_date_in_order():
    acts = pd.DataFrame({
        "date": pd.to_datetime(["2020-05-02", "2019-10-01", "2020-03-15"]),
        "arena": ["AU", "AG", "Webinar"], "mode": ["digital", "fysisk", "digital"],
        "team": [None, None, "Fosen"], "note": ["", "", "tema"]})
    plan = plan_table(acts, since="2020-03-01")
    assert plan["Dato"].tolist() == ["15.03.2020", "02.05.2020"]
    assert plan["Form"].tolist() == ["Digitalt", "Digitalt"]
    assert plan["Team"].tolist() == ["Fosen", ""]


def _as_read(markdown: str) -> str:
    """The text pandoc reads from ``markdown`` (as the renderer does), as plain text."""
    import pypandoc

    return pypandoc.convert_text(markdown, "plain", format="markdown+smart",
                                 extra_args=["--wrap=none"])


def test_form_text_stays_literal_text():
    forms = pd.DataFrame([{
        "team": "*Fjord* <b>", "participants": "14. august 2019 startet vi.\n* ikke en liste",
        "improvement_area": "[lenke](http://example.invalid) @kilde $x$", "goals": ["# ikke",
                                                                                    "1. ikke"],
        "done": "<script>alert(1)</script>", "comments": None}])
    text = self_evaluations_markdown(forms, [])
    read = _as_read(text)
    for literal in ["*Fjord* <b>", "14. august 2019 startet vi.", "* ikke en liste",
                    "[lenke](http://example.invalid) @kilde $x$", "- # ikke", "- 1. ikke",
                    "<script>alert(1)</script>"]:
        assert literal in read
