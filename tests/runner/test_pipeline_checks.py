"""Placeholders checked against the facts computed for the data, each at its line."""

from lnutils.runner.pipeline_checks import _text_problems, placeholder_problems

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


def test_only_the_branch_the_render_keeps_is_checked():
    text = "\n".join([
        "{{< if survey.respondents > 30 >}}",
        "Mange: {{< fact survey.respondents >}}.",
        "{{< else >}}",
        "Snittet for den tomme gruppen: {{< fact group.mean >}}, {{< fact teams num:1 >}}.",
        "{{< /if >}}",
        "{{< claim survey.respondents < 10 >}}Få svarte.",  # the render's to check
    ])
    assert _text_problems(text, FACTS, "x.md") == []
    fewer = {**FACTS, "survey.respondents": 20}
    found = [(p.row, p.value) for p in _text_problems(text, fewer, "x.md")]
    assert found == [(4, "group.mean"), (4, "teams")]


def test_a_condition_naming_no_fact_is_located():
    found = _text_problems("Tekst.\n{{< if survey.answered > 3 >}}ja{{< /if >}}", FACTS,
                           "x.md")
    assert [(p.file, p.row) for p in found] == [("x.md", 2)]
    assert "survey.answered" in found[0].message and found[0].fix


def test_generic_facts_are_checked_without_a_facts_extension(tmp_path, monkeypatch):
    """The generic keys (q.<id>.…) are known to validation, as they are to the build."""
    from support.files import write, write_two_group_survey

    from lnutils.inputs.dataset import Dataset
    from lnutils.pipeline import load_pipeline
    from lnutils.runner.pipeline_checks import data_problems

    monkeypatch.setenv("LNREPORT_ROOT", str(tmp_path))  # narratives stay in the repository
    write_two_group_survey(tmp_path / "data")
    write(tmp_path / "reports", "t.md",
          "{{< fact q.org.top.label >}} og {{< fact q.org.mean >}}.\n")
    write(tmp_path, "p.yml", """\
name: t
report: {title: T}
data_dir: data
inputs: {codebook: codebook.yml, survey: survey.csv}
chapters: []
narratives: [{id: t, file: t.md}]
""")
    pipeline = load_pipeline(tmp_path / "p.yml")
    found = [(p.row, p.value) for p in data_problems(pipeline, Dataset(pipeline))]
    assert found == [(1, "q.org.mean")]
