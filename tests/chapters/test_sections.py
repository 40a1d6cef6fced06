"""Generic survey sections on a hand-built survey of six respondents.

Each question type gets its figure with a caption written from the data and a stable
label; scales come from the codebook (1–5 and 1–10 here, not 1–6); small groups are
protected; quotes are redacted and shown as literal text.
"""

import textwrap

import pypandoc
import pytest
from matplotlib.figure import Figure

from lnutils.chapters import explore
from lnutils.chapters.context import open_chapter
from lnutils.chapters.explore import question_facts, question_table, show_question
from lnutils.chapters.questions import LabelledFigure, figure_label, literal
from lnutils.chapters.sections import section_labels, section_of, section_outputs
from lnutils.figures.alt import FigureText

CODEBOOK = """\
survey: liten
respondent_id: respondent
scales:
  fem: {kind: rating, codes: {1: "1 Svært lite", 2: "2", 3: "3", 4: "4", 5: "5 Svært mye"},
        nonanswers: {6: Vet ikke}}
  ti: {kind: rating, codes: {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8",
                             9: "9", 10: "10"}}
  janeivetikke: {kind: nominal, codes: {1: Ja, 2: Nei}, nonanswers: {3: Vet ikke}}
questions:
  - {id: gruppe, number: 1, text: "Hvor jobber du?", type: single,
     options: {1: Kommune, 2: Helseforetak}}
  - {id: akt, number: 2, text: "Hva deltok du på?", type: multi,
     options: {1: Samling, 2: Webinar}}
  - {id: svar, number: 3, text: "Ble arbeidet etterspurt?", type: yesno, scale: janeivetikke}
  - {id: fem, number: 4, text: "Hvor nyttig var det?", type: rating, scale: fem}
  - {id: ti, number: 5, text: "Hvor godt likte du det?", type: rating, scale: ti}
  - {id: ti2, number: 9, text: "Og nå?", type: rating, scale: ti}
  - {id: bat, number: 6, text: "I hvilken grad bidro nettverket til ...", type: battery,
     scale: fem, items: {x: Relasjoner, y: Kompetanse}}
  - {id: fritekst, number: 7, text: "Hva var viktigst?", type: text}
  - {id: tekst2, number: 8, text: "Andre kommentarer", type: text}
"""
SURVEY = """\
respondent;gruppe;akt.1;akt.2;svar;fem;ti;bat.x;bat.y;fritekst;tekst2;ti2
r1;1;1;0;1;5;10;5;4;Kari Nordmann hjalp oss *mye*;;9
r2;1;1;1;2;4;8;4;6;Godt opplegg;Fint;8
r3;1;0;1;1;3;7;3;3;;;9
r4;1;1;1;3;6;9;2;5;;;9
r5;2;1;0;1;2;;1;2;;;5
r6;2;0;1;2;1;3;6;6;;;
"""
INVITATIONS = "Navn;Rolle;Organisasjonstype\n" + "".join(
    f"Person {i};Fagperson;{'Kommune' if i < 8 else 'Helseforetak'}\n" for i in range(11)
) + "Kari Nordmann;Leder;Helseforetak\n"
QUOTES = """\
topics:
  viktigst:
    title: Det viktigste
    question: fritekst
    quotes: [Kari Nordmann hjalp oss *mye*]
"""
PIPELINE = """\
name: liten
report: {title: Liten}
data_dir: data
inputs: {codebook: codebook.yml, survey: survey.csv, invitations: invitations.csv,
         quotes: quotes.yml}
privacy: {min_group_size: 3}
breakdowns: [gruppe]
sections:
  - id: alt_i_ett
    title: Alt i ett
    notes: "Les *dette* som @fig-x"
    questions: [gruppe, akt, svar, fem, {id: ti, breakdowns: []}, bat, fritekst, tekst2,
                {id: ti2, paired_with: ti}]
    breakdowns: [gruppe]
    response: {organisation_type: gruppe}
fanout: {parameter: region, values_from: gruppe}
chapters:
  - {id: alt, notebook: notebooks/survey_section.ipynb, parameters: {section: alt_i_ett}}
"""


@pytest.fixture(scope="module")
def pipeline_file(tmp_path_factory):
    root = tmp_path_factory.mktemp("sections")
    data = root / "data"
    data.mkdir()
    for name, text in [("codebook.yml", CODEBOOK), ("survey.csv", SURVEY),
                       ("invitations.csv", INVITATIONS), ("quotes.yml", QUOTES)]:
        (data / name).write_text(text, encoding="utf-8")
    path = root / "liten.yml"
    path.write_text(PIPELINE, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def ctx(pipeline_file):
    return open_chapter(str(pipeline_file))


@pytest.fixture(scope="module")
def shown(ctx):
    return section_outputs(ctx, section_of(ctx, "alt_i_ett"))


def _figures(shown):
    """label -> (caption, alt) with plain spaces (the formatting uses no-break spaces)."""
    return {item.label: FigureText(_spaces(item.caption), _spaces(item.alt))
            for item in shown if isinstance(item, LabelledFigure)}


def _spaces(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def _markdown(shown):
    return [item.data for item in shown if not isinstance(item, LabelledFigure)]


def test_every_question_gets_the_figure_its_type_asks_for(ctx, shown):
    labels = list(_figures(shown))
    assert labels == ["fig-alt-i-ett-svarprosent-organisation-type", "fig-alt-i-ett-gruppe",
                      "fig-alt-i-ett-akt", "fig-alt-i-ett-svar", "fig-alt-i-ett-fem-gruppe",
                      "fig-alt-i-ett-ti", "fig-alt-i-ett-bat", "fig-alt-i-ett-ti2-ti"]
    assert labels == section_labels(section_of(ctx, "alt_i_ett"), ctx.survey.codebook)
    figures = _figures(shown)
    assert figures["fig-alt-i-ett-gruppe"].caption == (
        "Spørsmål 1: «Hvor jobber du?» (n = 6).")
    assert "Kommune: 4 (66,7 %)" in figures["fig-alt-i-ett-gruppe"].alt
    assert "summerer seg til mer enn 100 %" in figures["fig-alt-i-ett-akt"].caption
    assert "ja 3 (50,0 %)" in figures["fig-alt-i-ett-svar"].alt
    assert "positive" in figures["fig-alt-i-ett-bat"].caption  # diverging bars


def test_ratings_use_the_codebooks_scale(shown):
    figures = _figures(shown)
    ti = figures["fig-alt-i-ett-ti"]
    # 10, 8, 7, 9 and 3 (r5 skipped): mean 37 / 5
    assert "Gjennomsnitt 7,40 på skalaen 1–10 (n = 5)." in ti.caption
    by_group = figures["fig-alt-i-ett-fem-gruppe"]
    assert "skalaen 1–5" in by_group.caption and "1–6" not in by_group.caption
    # opinions 5, 4, 3, 2, 1 ("Vet ikke" left out): mean 3,00
    assert "Alle 3,00 (n = 5" in by_group.alt


def test_a_pair_of_ratings_is_one_figure_with_the_difference(shown):
    paired = _figures(shown)["fig-alt-i-ett-ti2-ti"]
    # pairs (ti2, ti): (9, 10), (8, 8), (9, 7), (9, 9); r5 has no ti, r6 no ti2
    assert "(n = 4)" in paired.caption and "Spørsmål 9" in paired.caption
    assert "8,75" in paired.alt and "8,50" in paired.alt  # 35 / 4 and 34 / 4
    assert "KI 8,0–9,5" in paired.alt  # the interval on the 1–10 scale, not cut at 6


def test_small_groups_are_protected_in_breakdowns(shown):
    by_group = _figures(shown)["fig-alt-i-ett-fem-gruppe"]
    assert "Helseforetak" not in by_group.alt  # two answers, under the threshold of 3
    # Kommune (5, 4, 3 and "Vet ikke") would leave Helseforetak as "Alle" minus Kommune:
    # secondary suppression hides it too, and the caption names neither size
    assert "Kommune" not in by_group.alt and "Alle 3,00 (n = 5" in by_group.alt
    assert "regnes ut som totalen minus" in by_group.caption


def test_free_text_shows_only_redacted_curated_quotes(shown):
    texts = _markdown(shown)
    assert texts[0].startswith("# Alt i ett")
    assert "\\*dette\\*" in texts[0] and "\\@fig\\-x" in texts[0]  # notes stay literal
    quotes = next(t for t in texts if "Det viktigste" in t)
    assert "Kari Nordmann" not in quotes and "navn fjernet" in quotes
    assert "\\*mye\\*" in quotes
    assert "Spørsmål 8: «Andre kommentarer»: 1 svarte med egne ord" in literal_free(texts)
    assert not any("Fint" in t for t in texts)  # answers without a chosen quote stay out


def literal_free(texts):
    return " ".join(t.replace("\\", "") for t in texts)


def test_a_sub_report_leaves_out_the_response_rate(pipeline_file):
    sub = open_chapter(str(pipeline_file), region="Kommune")
    section = section_of(sub, "alt_i_ett")
    labels = section_labels(section, sub.survey.codebook, subreport=True)
    assert "fig-alt-i-ett-svarprosent-organisation-type" not in labels
    figures = _figures(section_outputs(sub, section))
    assert list(figures) == labels
    assert "(n = 4)" in figures["fig-alt-i-ett-gruppe"].caption  # the region's four


def test_a_sub_report_quotes_only_its_own_respondents(pipeline_file):
    def texts(region):
        sub = open_chapter(str(pipeline_file), region=region)
        return literal_free(_markdown(section_outputs(sub, section_of(sub, "alt_i_ett"))))

    assert "Det viktigste" in texts("Kommune")  # r1, a municipality, wrote the quote
    other = texts("Helseforetak")
    assert "Det viktigste" not in other and "navn fjernet" not in other
    assert "«Hva var viktigst?»: ingen svarte med egne ord." in other
    assert "gjengis ikke" not in other  # nothing there to leave out


def test_literal_text_reads_back_unchanged_through_pandoc():
    text = "Se *dette* og @fig-x, [lenke](http://x) <b>fet</b> # ikke tittel _a_ `kode`"
    html = pypandoc.convert_text(literal(text), "plain", format="markdown+smart")
    assert " ".join(html.split()) == text


def test_figure_labels_use_hyphens_only():
    assert figure_label("organisering", "nytte_region") == "fig-organisering-nytte-region"
    assert figure_label("effekt", "nytte_org", "representerer", "periode") == (
        "fig-effekt-nytte-org-representerer-periode")


def test_labelled_figure_carries_label_caption_and_alt():
    fig = Figure()
    fig.subplots().plot([1, 2])
    data, meta = LabelledFigure(fig, FigureText("Tekst.", "Alt."), "fig-a-b")._repr_mimebundle_()
    assert "image/svg+xml" in data
    assert meta["image/svg+xml"] == {"caption": "Tekst.", "alt": "Alt.", "label": "fig-a-b"}


def test_explore_tables_follow_the_question_type(ctx):
    assert list(question_table(ctx, "gruppe")["Antall"]) == [4, 2]
    assert list(question_table(ctx, "akt")["Antall"]) == [4, 4]
    battery = question_table(ctx, "bat")
    assert list(battery["n"]) == [5, 4]  # "Vet ikke" (6 on this scale) is no opinion
    by = question_table(ctx, "fem", by="gruppe")
    assert "Helseforetak" not in by.index and by.loc["Alle"].sum() == 6
    assert question_table(ctx, "fritekst")["Fritekstsvar"].iloc[0] == 2
    with pytest.raises(ValueError, match="multi"):
        question_table(ctx, "akt", by="gruppe")


def test_explore_lists_the_questions_facts(ctx, monkeypatch):
    # the real facts of the six answers: 5, 4, 3, 2, 1 and one «Vet ikke» (code 6)
    table = question_facts(ctx, "fem")
    facts = dict(zip(table["fakta"], table["verdi"], strict=True))
    assert all(key.startswith("q.fem.") for key in facts)
    assert facts["q.fem.n"] == 5 and facts["q.fem.mean"] == pytest.approx(3.0)
    assert facts["q.fem.nonanswer.vet_ikke"] == 1
    assert (facts["q.fem.scale_min"], facts["q.fem.scale_max"]) == (1, 5)
    assert facts["q.fem.option.6.n"] == 1
    # by group: the two health-trust answers are under the threshold, and the
    # municipalities' four would give them away (total minus shown): both are hidden
    assert facts["q.fem.by.gruppe.hidden_count"] == 2
    assert not any(key.startswith(("q.fem.by.gruppe.1.", "q.fem.by.gruppe.2."))
                   for key in facts)
    shown = []
    monkeypatch.setattr(explore, "display", shown.append)
    show_question(ctx, "fem", by="gruppe")
    assert list(shown[-1]["fakta"]) == list(table["fakta"])


def test_explore_in_a_sub_report_lists_the_regions_facts(pipeline_file):
    region = open_chapter(str(pipeline_file), region="Kommune")
    table = question_facts(region, "fem")
    facts = dict(zip(table["fakta"], table["verdi"], strict=True))
    assert facts["q.fem.n"] == 3 and facts["q.fem.mean"] == pytest.approx(4.0)
    assert region.facts["all.q.fem.n"] == 5


def test_pipeline_without_sections_says_so(tmp_path, pipeline_file):
    plain = tmp_path / "p.yml"
    text = pipeline_file.read_text(encoding="utf-8")
    plain.write_text(text.split("sections:")[0].replace(
        "data_dir: data", f"data_dir: {pipeline_file.parent / 'data'}"), encoding="utf-8")
    with pytest.raises(KeyError, match="no `sections:`"):
        section_of(open_chapter(str(plain)), "")
    assert textwrap.dedent("x") == "x"


def test_a_breakdown_is_named_by_its_number_or_else_its_wording():
    from types import SimpleNamespace

    from lnutils.chapters.questions import by_phrase

    questions = {"org": SimpleNamespace(id="org", number=3, text="Hvor arbeider du?"),
                 "rolle": SimpleNamespace(id="rolle", number=None, text="Hvilken rolle?")}
    codebook = SimpleNamespace(question=questions.__getitem__)
    assert by_phrase(codebook, ["org"]) == "fordelt etter svarene på spørsmål 3"
    assert by_phrase(codebook, ["rolle"]) == "fordelt etter svarene på «Hvilken rolle?»"
    assert by_phrase(codebook, ["org", "rolle"]) == (
        "fordelt etter svarene på spørsmål 3 og «Hvilken rolle?»")
