"""What a render does once instead of many times: figures drawn for Word in one compile,
one walk of the AST, one name index for the reports of a build."""

import threading
import time

import pytest

import lnutils.render as render
from lnutils.render import RenderError
from lnutils.render.images import docx_images, svg_to_png, svgs_to_png
from lnutils.render.pandoc_cli import iter_elements
from lnutils.render.pandoc_engine import without_figure_data

SQUARE = ('<svg xmlns="http://www.w3.org/2000/svg" width="{w}pt" height="20pt">'
          '<rect width="{w}" height="20" fill="{fill}"/></svg>')


def _svg(folder, name, width, fill):
    path = folder / name
    path.write_text(SQUARE.format(w=width, fill=fill), encoding="utf-8")
    return path


def test_figures_drawn_together_are_the_pngs_drawn_one_by_one(tmp_path):
    together, alone = tmp_path / "together", tmp_path / "alone"
    for folder in (together, alone):
        folder.mkdir()
        _svg(folder, "a.svg", 30, "#1f4e79")
        _svg(folder, "b.svg", 60, "#c0392b")
    svgs_to_png([(together / "a.svg", together / "a.png"),
                 (together / "b.svg", together / "b.png")])
    for name in ("a", "b"):
        svg_to_png(alone / f"{name}.svg", alone / f"{name}.png")
        assert (together / f"{name}.png").read_bytes() == (alone / f"{name}.png").read_bytes()
    assert (together / "a.png").read_bytes() != (together / "b.png").read_bytes()


def test_a_figure_that_cannot_be_drawn_is_named(tmp_path):
    _svg(tmp_path, "good.svg", 30, "#1f4e79")
    (tmp_path / "broken.svg").write_text("<svg this is not", encoding="utf-8")
    with pytest.raises(RenderError, match=r"^broken\.svg: cannot draw the SVG figure"):
        svgs_to_png([(tmp_path / "good.svg", tmp_path / "good.png"),
                     (tmp_path / "broken.svg", tmp_path / "broken.png")])


def _image(src, alt="Alt"):
    return {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": alt}], [src, ""]]}


def test_docx_images_draws_each_figure_once_and_keeps_the_document(tmp_path):
    svg = _svg(tmp_path, "fig.svg", 30, "#1f4e79")
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {},
           "blocks": [{"t": "Para", "c": [_image(str(svg)), _image(str(svg))]}]}
    out = docx_images(doc, tmp_path / "docx")
    sources = [el["c"][2][0] for el in iter_elements(out["blocks"]) if el["t"] == "Image"]
    assert sources == [str(tmp_path / "docx" / "figur-1.png")] * 2
    assert sorted(p.name for p in (tmp_path / "docx").glob("*.png")) == ["figur-1.png"]
    assert doc["blocks"][0]["c"][0]["c"][2][0] == str(svg)  # the input is not changed


def test_iter_elements_gives_every_element_in_document_order():
    doc = [{"t": "Header", "c": [1, ["h", [], []], [{"t": "Str", "c": "A"}]]},
           {"t": "Div", "c": [["", [], []], [{"t": "Para", "c": [{"t": "Str", "c": "B"},
                                                                  {"t": "Space"}]}]]}]
    assert [el["t"] for el in iter_elements(doc)] == ["Header", "Str", "Div", "Para", "Str",
                                                      "Space"]


def _figure_data(text):
    return {"t": "Div", "c": [["", ["figure-data"], []],
                              [{"t": "Para", "c": [{"t": "Str", "c": text}]}]]}


def test_without_figure_data_drops_the_numbers_at_any_depth():
    kept = {"t": "Div", "c": [["", ["note"], []], [_figure_data("inner")]]}
    doc = {"blocks": [{"t": "Para", "c": [{"t": "Str", "c": "text"}]}, _figure_data("top"),
                      kept]}
    out = without_figure_data(doc)
    assert out["blocks"] == [doc["blocks"][0],
                             {"t": "Div", "c": [["", ["note"], []], []]}]
    assert len(doc["blocks"]) == 3 and kept["c"][1]  # the input is not changed


def test_the_name_index_is_built_once_for_the_renders_of_a_build(tmp_path, monkeypatch):
    invitations = tmp_path / "invitations.csv"
    invitations.write_text("navn\nKari Nordmann\n", encoding="utf-8")
    built = []

    def slow_names(path):
        built.append(path)
        time.sleep(0.1)  # long enough for every thread to ask while it is built
        return ["Kari Nordmann"]

    monkeypatch.setattr("lnutils.inputs.invitations.personal_names", slow_names)
    render._name_index_of_file.cache_clear()

    class Pipeline:
        def input(self, name):
            return invitations if name == "invitations" else None

    found = []
    threads = [threading.Thread(target=lambda: found.append(render.names_to_scan(Pipeline())))
               for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    render._name_index_of_file.cache_clear()
    assert built == [str(invitations)]
    assert len({id(index) for index in found}) == 1
