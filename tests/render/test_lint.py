"""The text linter (lnutils.render.lint): planted sentences are caught, shipped texts clean."""

import pytest

from lnutils import paths
from lnutils.pipeline import load_pipeline
from lnutils.render.lint import lint_pipeline, lint_text

# Sentences of the kind issue 13 found false after the data changed, and their like.
PLANTED = [
    ("Relasjonsbygging og erfaringsutveksling kom best ut.", "kom best"),
    ("Ingen svarte «vet ikke» på spørsmål {{< fact q >}}.", "Ingen"),
    ("Helseforetakene ga lavest skår.", "lavest"),
    ("Flertallet ga {{< fact x >}} eller mer.", "Flertallet"),
    ("Flertallet ga 4 eller mer.", "4"),
    ("Likevel svarte like mange ja ({{< fact a >}}) som nei ({{< fact b >}}).", "like mange"),
    ("Det deltok 7 kommuneregioner, hver med sitt eget team.", "7"),
    ("Det deltok {{< fact n >}} kommuneregioner, hver med sitt eget team.", "hver"),
    ("I mars 2020 ble det umulig å møtes fysisk.", "umulig"),
    ("De fleste deltok i hele perioden.", "De fleste"),
    ("Bare {{< fact a >}} av {{< fact b >}} svarte ja.", "Bare"),
    ("Svarene dekker alle teamene.", "dekker alle"),
    ("Snittet var 4,4 for egen innsats.", "4,4"),
    ("Andelen som svarte ja, økte fra forrige runde.", "økte"),
    ("Samtlige team har svart.", "Samtlige"),
    ("Kommunene var svakest representert.", "svakest"),
    ("Det kom færre enn ventet.", "færre enn"),
    ("Kun ett team manglet helseforetak.", "Kun"),
    ("- Arbeidsutvalget møttes oftest.", "oftest"),
]


@pytest.mark.parametrize(("sentence", "word"), PLANTED)
def test_planted_sentences_are_caught_with_file_line_and_word(sentence, word):
    text = f"# Overskrift\n\nEn første setning uten noe.\n{sentence}\n"
    findings = lint_text(text, "reports/x.md")
    assert word in [f.word for f in findings], findings
    assert all(f.line == 4 and f.format().startswith("reports/x.md, line 4: ")
               for f in findings)


@pytest.mark.parametrize("text", [
    "{{< claim a.n * 2 < b.n >}}Bare {{< fact a.n >}} av {{< fact b.n >}} svarte ja.",
    "Bare {{< fact a.n >}} av {{< fact b.n >}} svarte ja{{< claim a.n * 2 < b.n >}}.",
    "Helseforetakene ga {{< if x.lowest == \"hf\" >}}lavest{{< else >}}ikke lavest{{< /if >}}"
    " skår.",
    "{{< if a == 7 >}}\nDet deltok 7 regioner, hver med sitt team.\n{{< /if >}}",
    "Workshopen ble holdt 26. august 2021, og anbefalingene står i del 3.",
    "Nettverket varte fra 2019 til juni 2021 (se vedlegg 2 og @fig-q19).",
    "## 3.1 Resultater",
    "Koden `x = 3` og lenken [her](https://example.org/1/2) er ikke tekst.",
    "<!-- 7 kommuneregioner, alle med team -->",
])
def test_covered_or_non_data_text_is_not_reported(text):
    assert lint_text(text, "x.md") == []


def test_a_claim_covers_only_its_own_sentence():
    text = "{{< claim a > b >}}Flertallet svarte ja. Ingen svarte nei."
    assert [f.word for f in lint_text(text, "x.md")] == ["Ingen"]


def test_an_unclosed_if_is_a_finding():
    findings = lint_text("{{< if a > 1 >}}alle", "x.md")
    assert any("never closed" in f.word for f in findings)


SHIPPED = ["trondelag-2021", "gode-pasientforlop-2015", "fjordnett-2024"]


def test_every_shipped_pipeline_is_linted():
    shipped = sorted(p.stem for p in (paths.repo_root() / "pipelines").glob("*.yml"))
    assert shipped == sorted(SHIPPED)


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_narratives_and_notebook_markdown_have_no_findings(name):
    pipeline = load_pipeline(paths.repo_root() / "pipelines" / f"{name}.yml")
    assert [f.format() for f in lint_pipeline(pipeline)] == []
