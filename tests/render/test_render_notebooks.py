"""Executed notebooks made ready for pandoc: what is kept and what goes."""

import json

import nbformat
import pytest
from fixtures.render.make_fixtures import FACTS, survey_notebook

from lnutils.render import RenderError
from lnutils.render.notebooks import cell_options, reading_copy


@pytest.fixture()
def survey_path(tmp_path):
    path = tmp_path / "sporreundersokelse.ipynb"
    nbformat.write(survey_notebook(), path)
    return path


def test_cell_options_are_split_from_code():
    options, code = cell_options('#| label: fig-svar\n#| fig-cap: "Svar: alle"\nfig', "nb, cell 1")
    assert options == {"label": "fig-svar", "fig-cap": "Svar: alle"}
    assert code == "fig"


@pytest.mark.parametrize("source", ["#| label: fig_svar\nfig", "#| label: svar\nfig",
                                    "#| fig-cap: [unclosed\nfig"])
def test_bad_cell_options_name_the_cell(source):
    with pytest.raises(RenderError, match=r"nb\.ipynb, cell 4"):
        cell_options(source, "nb.ipynb, cell 4")


def test_reading_copy_keeps_what_a_reader_sees(survey_path):
    before = survey_path.read_text(encoding="utf-8")
    copy = reading_copy(survey_path, FACTS)
    assert survey_path.read_text(encoding="utf-8") == before  # the executed notebook is untouched
    kinds = [c["cell_type"] for c in copy["cells"]]
    # parameters, injected parameters, the print-only cell and the plain repr are gone
    assert kinds == ["markdown", "code", "markdown", "code", "code"]
    code = [c for c in copy["cells"] if c["cell_type"] == "code"]
    assert all(c["source"] == "" for c in code)
    assert code[0]["metadata"] == {"label": "fig-periode",
                                   "fig-cap": "Deltakelse i nettverksperioden",
                                   "fig-alt": "Stolpediagram: flest deltok i hele perioden."}
    assert [list(o["data"]) for o in code[0]["outputs"]] == [["image/png"]]  # stderr dropped
    assert [list(o["data"]) for o in code[2]["outputs"]] == [["text/html"]]
    assert "Det svarte 35 av 110." in copy["cells"][0]["source"]


def test_error_output_is_refused(tmp_path):
    nb = survey_notebook()
    nb.cells[3].outputs.append(nbformat.v4.new_output("error", ename="KeyError", evalue="'q19'",
                                                      traceback=[]))
    path = tmp_path / "feil.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(RenderError, match=r"feil\.ipynb, cell 4: the cell ended in an error"):
        reading_copy(path, FACTS)


def test_unknown_fact_in_markdown_cell_names_notebook_and_cell(tmp_path):
    path = tmp_path / "kap.ipynb"
    nbformat.write(survey_notebook("\nOg {{< fact survey.nope >}}."), path)
    with pytest.raises(RenderError, match=r"kap\.ipynb, cell 3, line \d+: unknown fact"):
        reading_copy(path, FACTS)


def test_unreadable_notebook(tmp_path):
    path = tmp_path / "tom.ipynb"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(RenderError, match="cannot read"):
        reading_copy(path, json.loads("{}"))


def test_quarto_hiding_options_are_honoured(tmp_path):
    nb = survey_notebook()
    nb.cells[4].source = "#| include: false\n" + nb.cells[4].source  # first figure
    nb.cells[7].metadata["tags"] = ["remove-output"]  # the table
    path = tmp_path / "skjult.ipynb"
    nbformat.write(nb, path)
    code = [c for c in reading_copy(path, FACTS)["cells"] if c["cell_type"] == "code"]
    assert [c["metadata"].get("label") for c in code] == ["fig-nytte"]


def test_figure_without_alt_text_is_reported(tmp_path, caplog):
    nb = survey_notebook()
    nb.cells[6].source = nb.cells[6].source.replace("#| fig-alt", "#| x-alt")
    path = tmp_path / "alt.ipynb"
    nbformat.write(nb, path)
    reading_copy(path, FACTS)
    assert "alt.ipynb, cell 7: figure fig-nytte has no '#| fig-alt:' text" in caplog.text
