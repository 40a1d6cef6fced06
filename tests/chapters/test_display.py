"""show_figure: one SVG output at print width carrying caption, alt text and data table;
show_table: report tables with Norwegian numbers, right-aligned, no missing markers."""

import io
import re

import matplotlib.pyplot as plt
import pandas as pd
import pypandoc
import pytest

from lnutils.chapters.display import SVG, figure_svg, show_figure, show_table
from lnutils.figures.datatable import DataTable, attach_table
from lnutils.figures.style import FIGURE_WIDTH, new_figure, report_style


def _figure():
    with report_style():
        fig = new_figure(2)
        fig.subplots().bar(["a", "b"], [1, 2])
    return fig


def test_show_figure_carries_caption_and_alt():
    fig, ax = plt.subplots()  # a pyplot figure, as a notebook may make
    ax.bar(["a", "b"], [1, 2])
    out = show_figure(fig, ("Svar per gruppe (n = 3)", "Stolper: a 1, b 2."))
    data, meta = out._repr_mimebundle_()
    assert data[SVG].lstrip().startswith("<?xml") and "<svg" in data[SVG]
    assert meta[SVG] == {"caption": "Svar per gruppe (n = 3)", "alt": "Stolper: a 1, b 2."}
    assert not plt.fignum_exists(fig.number)  # closed: the inline backend will not show it again


def test_svg_is_drawn_at_the_column_width_with_text_as_paths():
    svg = show_figure(_figure())._repr_mimebundle_()[0][SVG]
    width = float(re.search(r'<svg[^>]* width="([\d.]+)pt"', svg).group(1))
    assert width == pytest.approx(FIGURE_WIDTH * 72, abs=0.5)  # 16 cm, uncropped
    assert "<text" not in svg  # glyphs as outlines: the same in every renderer
    assert "<dc:date>" not in svg  # unchanged figure, unchanged file


def test_svg_is_what_savefig_writes_and_leaves_the_figure_as_it_was():
    # figure_svg draws once where savefig draws twice (a layout pass, then the output).
    fig = _figure()
    fig.supxlabel("En merknad under figuren")
    canvas, dpi = fig.canvas, fig.dpi
    svg = figure_svg(fig)
    assert fig.canvas is canvas and fig.dpi == dpi
    buffer = io.StringIO()
    with report_style():
        fig.savefig(buffer, format="svg", bbox_inches=None, metadata={"Date": None})
    assert svg == buffer.getvalue() == figure_svg(fig)


def test_show_figure_plain_alt_string_and_nothing():
    assert show_figure(_figure(), "Bare alt")._repr_mimebundle_()[1] == {SVG: {"alt": "Bare alt"}}
    assert show_figure(_figure())._repr_mimebundle_()[1] == {SVG: {}}


def test_data_table_travels_in_the_output_metadata():
    fig = attach_table(_figure(), pd.DataFrame({"Svar": ["a", "b"], "Antall": [1, 2],
                                                "Snitt": [4.5, float("nan")]}))
    meta = show_figure(fig, ("Tittel", "Alt"))._repr_mimebundle_()[1]
    assert meta[SVG] == {"caption": "Tittel", "alt": "Alt"}
    assert meta["lnutils"]["table"] == {"columns": ["Svar", "Antall", "Snitt"],
                                        "rows": [["a", "1", "4,5"], ["b", "2", ""]],
                                        "align": ["left", "right", "right"]}
    explicit = show_figure(_figure(), table=pd.DataFrame({"Gruppe": ["x"], "n": [3]}))
    assert explicit._repr_mimebundle_()[1]["lnutils"]["table"]["rows"] == [["x", "3"]]


def test_table_cells_are_norwegian_and_never_show_missing_markers():
    frame = pd.DataFrame({"Arena": ["Arbeidsutvalg møter", "Teammøter", "Sum"],
                          "Antall": pd.array([30, pd.NA, 72], dtype="Int64"),
                          "Snitt": [4.6857, None, 1234.5], "Tom": [None, pd.NA, ""],
                          "Kommentar": ["", "Ikke registrert", "nan"]})
    table = DataTable.from_frame(frame, decimals=2)
    assert table.columns == ["Arena", "Antall", "Snitt", "Kommentar"]  # empty column left out
    assert table.rows == [["Arbeidsutvalg møter", "30", "4,69", ""],
                          ["Teammøter", "", "", "Ikke registrert"],
                          ["Sum", "72", "1234,50", ""]]
    assert table.align == ["left", "right", "right", "left"]


def test_a_table_output_has_the_same_plain_text_in_every_run():
    """Beside its HTML a notebook keeps a text version: the table itself, aligned as in
    print, never an object's memory address."""
    frame = pd.DataFrame({"Arena": ["Samling", "Webinar"], "Antall": [12, 3]})
    first, second = show_table(frame), show_table(frame.copy())
    assert repr(first) == repr(second) == "Arena    Antall\nSamling      12\nWebinar       3"
    assert " at 0x" not in repr(first)


def test_widths_keep_every_word_whole():
    long_text = "Ikke registrert; se egenvurderingene og teamenes egne referater " * 3
    table = DataTable(["Arena", "Antall hendelser", "Kommentar"],
                      [["Arbeidsutvalg møter", "30", long_text]], ["left", "right", "left"])
    widths = table.widths()
    assert sum(widths) == pytest.approx(1, abs=1e-3)
    # the first column is at least as wide as its longest word ("Arbeidsutvalg") needs
    assert widths[0] * 90 >= len("Arbeidsutvalg")
    assert widths[1] * 90 >= len("hendelser")


def test_show_table_html_is_read_by_pandoc_with_alignment_and_widths():
    frame = pd.DataFrame({"Gruppe": ["Kommune", "Alle"], "n": [22, 35], "Snitt": [4.5, 4.69]})
    html = show_table(frame, decimals=2)._repr_html_()
    native = pypandoc.convert_text(html, "native", format="html")
    assert "AlignRight" in native and "AlignLeft" in native and "ColWidth 0." in native
    assert "4,50" in html and "4,69" in html and "NaN" not in html
    assert show_table(frame.iloc[0:0]) is None
