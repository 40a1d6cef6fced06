"""What a render does once instead of many times, or only where it is needed: figures
drawn for Word in one compile, figures set aside while pandoc reads a chapter, the
figures' numbers made a table for the HTML alone, one name index for a build."""

import json
import threading
import time

import nbformat
import pytest

import lnutils.inputs.invitations as invitations_module
import lnutils.render as render
from lnutils.render import RenderError
from lnutils.render.figure_data import figure_table, with_figure_tables, without_figure_data
from lnutils.render.images import docx_images, svg_to_png, svgs_to_png
from lnutils.render.pandoc_cli import iter_elements, run_pandoc
from lnutils.render.pandoc_engine import read_item
from lnutils.render.structure import Item

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
    assert sources == ["docx/figur-1.png"] * 2  # found on pandoc's resource path
    assert sorted(p.name for p in (tmp_path / "docx").glob("*.png")) == ["figur-1.png"]
    assert doc["blocks"][0]["c"][0]["c"][2][0] == str(svg)  # the input is not changed


def test_iter_elements_gives_every_element_in_document_order():
    doc = [{"t": "Header", "c": [1, ["h", [], []], [{"t": "Str", "c": "A"}]]},
           {"t": "Div", "c": [["", [], []], [{"t": "Para", "c": [{"t": "Str", "c": "B"},
                                                                  {"t": "Space"}]}]]}]
    assert [el["t"] for el in iter_elements(doc)] == ["Header", "Str", "Div", "Para", "Str",
                                                      "Space"]


NUMBERS = {"columns": ["Svar", "Antall", "Andel"],
           "rows": [["Ja", "20", "57,1\u00a0%"], ["Vet ikke", "3"]],
           "align": ["left", "right", "middle"]}

# How cells.lua made the table until the HTML writer alone needed it: the reference
# that figure_table must give, element for element.
CELLS_LUA_TABLE = """
local function plain_inlines(text)
  local out = pandoc.Inlines{}
  for word in (text or ''):gmatch('%S+') do
    if #out > 0 then out:insert(pandoc.Space()) end
    out:insert(pandoc.Str(word))
  end
  return out
end
local ALIGN = {left = pandoc.AlignLeft, right = pandoc.AlignRight,
               center = pandoc.AlignCenter}
local function cell_of(text)
  return pandoc.Cell(pandoc.Blocks{pandoc.Plain(plain_inlines(text))})
end
function Div(div)
  local data = pandoc.json.decode(div.attributes['lnr-table'], false)
  local colspecs, head = {}, {}
  for i, name in ipairs(data.columns) do
    colspecs[i] = {ALIGN[(data.align or {})[i] or ''] or pandoc.AlignDefault,
                   pandoc.ColWidthDefault}
    head[i] = cell_of(tostring(name))
  end
  local rows = {}
  for _, values in ipairs(data.rows or {}) do
    local cells = {}
    for i = 1, #data.columns do
      cells[i] = cell_of(values[i] == nil and '' or tostring(values[i]))
    end
    rows[#rows + 1] = pandoc.Row(cells)
  end
  local tbl = pandoc.Table({long = {}}, colspecs, pandoc.TableHead{pandoc.Row(head)},
                           {{attr = pandoc.Attr(), body = rows, head = {},
                             row_head_columns = 0}}, pandoc.TableFoot())
  return pandoc.Div({tbl}, pandoc.Attr('', {'figure-data'}))
end
"""


def _marker(numbers):
    return {"t": "Div", "c": [["", ["lnr-figure-data"], [["lnr-table", json.dumps(numbers)]]],
                              []]}


def test_figure_table_is_the_table_cells_lua_made(tmp_path):
    lua = tmp_path / "table.lua"
    lua.write_text(CELLS_LUA_TABLE, encoding="utf-8")
    doc = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": [_marker(NUMBERS)]}
    made_by_lua = json.loads(run_pandoc(["-f", "json", "-t", "json", f"--lua-filter={lua}"],
                                        "test", stdin=json.dumps(doc)))["blocks"]
    assert [figure_table(json.dumps(NUMBERS))] == made_by_lua


def _figure_data(text):
    return {"t": "Div", "c": [["", ["figure-data"], []],
                              [{"t": "Para", "c": [{"t": "Str", "c": text}]}]]}


def test_the_numbers_are_a_table_in_the_html_and_gone_elsewhere():
    para = {"t": "Para", "c": [{"t": "Str", "c": "tekst"}]}
    note = {"t": "Div", "c": [["", ["note"], []], [_figure_data("inner"), _marker(NUMBERS)]]}
    doc = {"blocks": [para, _marker(NUMBERS), _marker({"rows": []}), note]}
    html = with_figure_tables(doc)["blocks"]
    assert html[0] == para
    assert html[1] == figure_table(json.dumps(NUMBERS))
    assert html[2]["c"][1] == [_figure_data("inner"), figure_table(json.dumps(NUMBERS))]
    assert len(html) == 3  # numbers that are not a table are left out
    assert without_figure_data(doc)["blocks"] == [para, {"t": "Div", "c": [["", ["note"], []],
                                                                         []]}]
    assert doc["blocks"][1] == _marker(NUMBERS) and len(note["c"][1]) == 2  # input kept


def test_figures_are_set_aside_while_pandoc_reads_the_chapter(tmp_path):
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="20pt" height="10pt">'
           '<title>Æ ø å</title></svg>')
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_figure(fig, text)")
    cell.outputs = [nbformat.v4.new_output(
        "display_data", data={"image/svg+xml": svg},
        metadata={"image/svg+xml": {"caption": "Figur", "alt": "Alt-tekst"}})]
    nb.cells.append(cell)
    path = tmp_path / "kapittel.ipynb"
    nbformat.write(nb, path)
    work = tmp_path / "work"
    doc = read_item(Item("chapter", "kapittel", path), {}, work)
    (image,) = [el for el in iter_elements(doc["blocks"]) if el["t"] == "Image"]
    figure = work / "figures" / "kapittel" / "figur-1.svg"
    assert image["c"][2][0] == str(figure)
    assert figure.read_bytes() == svg.encode("utf-8")  # as pandoc would have extracted it
    assert svg not in (work / "notebooks" / "kapittel.ipynb").read_text(encoding="utf-8")


def test_the_name_index_is_built_once_for_the_renders_of_a_build(tmp_path, monkeypatch):
    invitations = tmp_path / "invitations.csv"
    invitations.write_text("navn\nKari Nordmann\n", encoding="utf-8")
    built = []

    def slow_names(path):
        built.append(path)
        time.sleep(0.1)  # long enough for every thread to ask while it is built
        return ["Kari Nordmann"]

    monkeypatch.setattr("lnutils.inputs.invitations.personal_names", slow_names)
    invitations_module._INDEXES.clear()

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
    invitations_module._INDEXES.clear()
    assert built == [invitations]
    assert len({id(index) for index in found}) == 1


def test_a_list_that_cannot_be_read_fails_the_scan_not_the_background(tmp_path, monkeypatch):
    invitations = tmp_path / "invitations.csv"
    invitations.write_text("navn\n", encoding="utf-8")

    def unreadable(path):
        raise ValueError(f"{path}: no name column")

    monkeypatch.setattr("lnutils.inputs.invitations.personal_names", unreadable)
    invitations_module._INDEXES.clear()

    class Pipeline:
        def input(self, name):
            return invitations if name == "invitations" else None

    render.start_name_index(Pipeline())
    for thread in threading.enumerate():
        if thread.name == "lnreport-names":
            thread.join()
    with pytest.raises(ValueError, match="no name column"):
        render.names_to_scan(Pipeline())
    invitations_module._INDEXES.clear()
