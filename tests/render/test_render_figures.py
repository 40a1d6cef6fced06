"""Figures whose caption and alt text come from the output (chapters.display.show_figure)."""

import base64
import json
import re

import matplotlib.pyplot as plt
import nbformat

from lnutils.chapters.display import show_figure
from lnutils.render.pandoc_engine import iter_elements, read_item
from lnutils.render.structure import Item


def _output(caption, alt):
    fig, ax = plt.subplots(figsize=(2, 1))
    ax.bar(["a", "b"], [1, 2])
    data, metadata = show_figure(fig, (caption, alt))._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def _figures(tmp_path, cells):
    nb = nbformat.v4.new_notebook()
    for source, output in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = [output]
        nb.cells.append(cell)
    path = tmp_path / "figurer.ipynb"
    nbformat.write(nb, path)
    doc = read_item(Item("chapter", "figurer", path), {}, tmp_path / "work")
    return [el for el in iter_elements(doc["blocks"]) if el["t"] == "Figure"]


def _words(inlines):
    return " ".join(el["c"] for el in iter_elements(inlines) if el["t"] == "Str")


def _image(figure):
    return next(el for el in iter_elements(figure["c"][2]) if el["t"] == "Image")


def test_caption_and_alt_from_the_output(tmp_path):
    (figure,) = _figures(tmp_path, [(
        "#| label: fig-nytte\nshow_figure(fig, text)",
        _output("Nytten av nettverket (n = 35)", "Stolpediagram: 21 av 35 svarte 5 eller 6."))])
    attr, caption, _ = figure["c"]
    image = _image(figure)
    assert attr[0] == "fig-nytte"
    assert _words(caption[1]) == "Nytten av nettverket (n = 35)"
    assert _words(image["c"][1]) == "Stolpediagram: 21 av 35 svarte 5 eller 6."
    assert image["c"][0][2] == []  # no caption/alt attributes left on the image


def test_cell_options_win_over_the_output(tmp_path):
    (figure,) = _figures(tmp_path, [(
        '#| fig-cap: "Egen tekst"\n#| fig-alt: "Egen alt"\nshow_figure(fig, text)',
        _output("Fra data", "Alt fra data"))])
    assert _words(figure["c"][1][1]) == "Egen tekst"
    assert _words(_image(figure)["c"][1]) == "Egen alt"


def test_data_written_text_is_not_read_as_markdown(tmp_path):
    (figure,) = _figures(tmp_path, [("show_figure(fig, text)",
                                     _output("1. samling *før* pandemien", "alt"))])
    assert _words(figure["c"][1][1]) == "1. samling *før* pandemien"


def _labelled(label, caption):
    from lnutils.chapters.questions import LabelledFigure
    from lnutils.figures.alt import FigureText

    fig, ax = plt.subplots(figsize=(2, 1))
    ax.bar(["a"], [1])
    data, metadata = LabelledFigure(fig, FigureText(caption, "alt"), label)._repr_mimebundle_()
    return nbformat.v4.new_output("display_data", data=data, metadata=metadata)


def test_figures_of_one_cell_take_their_labels_from_their_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_section(ctx)")
    cell.outputs = [_labelled("fig-del-a", "Første"), _labelled("fig-del-b", "Andre")]
    option = nbformat.v4.new_code_cell("#| label: fig-celle\nshow_section(ctx)")
    option.outputs = [_labelled("fig-del-c", "Tredje")]
    nb.cells = [cell, option]
    path = tmp_path / "seksjon.ipynb"
    nbformat.write(nb, path)
    doc = read_item(Item("chapter", "seksjon", path), {}, tmp_path / "work")
    figures = [el for el in iter_elements(doc["blocks"]) if el["t"] == "Figure"]
    assert [f["c"][0][0] for f in figures] == ["fig-del-a", "fig-del-b", "fig-celle"]
    assert all(_image(f)["c"][0][2] == [] for f in figures)  # no label attribute left


def _svg_output(caption, alt, table=None):
    import io

    fig, ax = plt.subplots(figsize=(16 / 2.54, 6 / 2.54))
    ax.bar(["Ja", "Nei"], [20, 15])
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    plt.close(fig)
    metadata = {"image/svg+xml": {"caption": caption, "alt": alt}}
    if table is not None:
        metadata["lnutils"] = {"table": table}
    return nbformat.v4.new_output("display_data", data={"image/svg+xml": buffer.getvalue(),
                                                        "text/plain": alt}, metadata=metadata)


NUMBERS = {"columns": ["Svar", "Antall", "Andel"],
           "rows": [["Ja", "20", "57,1 %"], ["Nei", "15", "42,9 %"]],
           "align": ["left", "right", "right"]}


def test_svg_figure_with_its_numbers_in_every_output(tmp_path):
    import docx
    from fixtures.render.make_fixtures import appendix_notebook, render_fixture
    from support.pdf import read_pdf

    nb = appendix_notebook()
    cell = nbformat.v4.new_code_cell("#| label: fig-svar\nshow_figure(fig, text)")
    cell.outputs = [_svg_output("Svar på spørsmålet (n = 35)",
                                "Stolpediagram: 20 svarte ja og 15 nei.", NUMBERS)]
    nb.cells.append(cell)
    _, stage, _ = render_fixture(tmp_path, appendix=nb)

    html = (stage / "report.html").read_text(encoding="utf-8")
    figure = html[html.index('<figure id="fig-svar">'):]
    assert 'src="data:image/svg+xml;base64,' in figure[:400]
    after = figure[figure.index("</figure>") + len("</figure>"):]
    assert after.lstrip().startswith(  # directly under the figure
        '<details class="figure-data"><summary>Tall i figuren</summary>')
    details = after[:after.index("</details>")]
    assert re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", details) == [
        "Svar", "Antall", "Andel", "Ja", "20", "57,1 %", "Nei", "15", "42,9 %"]
    assert 'style="text-align: right;"' in details  # numbers right-aligned
    assert html.count("<details") == 1

    document = docx.Document(str(stage / "report.docx"))
    descr = [s._inline.docPr.get("descr") for s in document.inline_shapes]
    assert "Stolpediagram: 20 svarte ja og 15 nei." in descr
    rels = [r.target_ref for r in document.part.rels.values() if "image" in r.reltype]
    assert rels and all(r.endswith(".png") for r in rels)  # Word gets the SVG drawn as PNG
    words = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "57,1 %" not in words  # the numbers table is for HTML only

    pdf = read_pdf(stage / "report.pdf")
    assert "Stolpediagram: 20 svarte ja og 15 nei." in [f.alt for f in pdf.figures]
    assert "57,1" not in " ".join(pdf.texts)


def test_png_figure_numbers_from_output_metadata(tmp_path):
    svg = _output("Nytten", "Stolpediagram over nytten.")
    # the same figure as a PNG output (show_figure writes SVG; a notebook may show PNG)
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n").decode("ascii")
    output = nbformat.v4.new_output("display_data", data={"image/png": png},
                                    metadata={"image/png": svg.metadata["image/svg+xml"]})
    output.metadata["lnutils"] = {"table": NUMBERS}
    from lnutils.render.notebooks import reading_copy

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_figure(fig, text)")
    cell.outputs = [output]
    nb.cells.append(cell)
    path = tmp_path / "f.ipynb"
    nbformat.write(nb, path)
    kept = reading_copy(path, {})["cells"][0]["outputs"][0]
    assert "lnutils" not in kept["metadata"]
    attribute = kept["metadata"]["image/png"]["lnr-table"]
    assert json.loads(attribute) == NUMBERS
