"""DataFrame outputs become real tables (cells.lua), without pandas' row numbers."""

import nbformat
import pandas as pd

from lnutils.render.pandoc_engine import iter_elements, read_item
from lnutils.render.structure import Item


def _table_cells(tbl):
    """Text of each row (head rows first) of a pandoc JSON Table."""
    def text(cell):
        return " ".join(el["c"] for el in iter_elements(cell[4]) if el["t"] == "Str")

    _, _, _, head, bodies, _ = tbl["c"]
    rows = [[text(c) for c in row[1]] for row in head[1]]
    for body in bodies:
        rows += [[text(c) for c in row[1]] for row in body[3]]
    return rows


def _render_frames(tmp_path, *frames):
    nb = nbformat.v4.new_notebook()
    for i, frame in enumerate(frames, start=1):
        cell = nbformat.v4.new_code_cell(f"#| label: tbl-t{i}\n#| tbl-cap: Tabell {i}\nframe")
        cell.outputs = [nbformat.v4.new_output("execute_result", execution_count=i, data={
            "text/html": frame._repr_html_(), "text/plain": repr(frame)})]
        nb.cells.append(cell)
    path = tmp_path / "tabeller.ipynb"
    nbformat.write(nb, path)
    doc = read_item(Item("chapter", "tabeller", path), {}, tmp_path / "work")
    return [el for el in iter_elements(doc["blocks"]) if el["t"] == "Table"]


def test_default_index_is_dropped_and_named_index_kept(tmp_path):
    frame = pd.DataFrame({"Arena": ["Webinarer", "Sum"], "Antall": [4, 72]})
    plain, indexed = _render_frames(tmp_path, frame, frame.set_index("Arena"))
    assert _table_cells(plain) == [["Arena", "Antall"], ["Webinarer", "4"], ["Sum", "72"]]
    assert _table_cells(indexed) == [["Arena", "Antall"], ["Webinarer", "4"], ["Sum", "72"]]
    assert [t["c"][0][0] for t in (plain, indexed)] == ["tbl-t1", "tbl-t2"]


def test_a_first_column_that_only_looks_like_row_numbers_is_kept(tmp_path):
    frame = pd.DataFrame({"Skår": [1, 2], "Antall": [3, 9]}, index=[5, 6])
    (table,) = _render_frames(tmp_path, frame)
    assert _table_cells(table) == [["", "Skår", "Antall"], ["5", "1", "3"], ["6", "2", "9"]]


def test_pivot_and_multiindex_headings_become_one_row(tmp_path):
    long = pd.DataFrame({"question": ["tid", "tid", "info"], "nonanswer": ["a", "b", "a"],
                         "n": [1, 2, 3]})
    pivot = long.pivot_table(index="question", columns="nonanswer", values="n", fill_value=0)
    multi = long.set_index(["question", "nonanswer"])
    first, second = _render_frames(tmp_path, pivot, multi)
    assert _table_cells(first)[0] == ["question", "a", "b"]
    assert _table_cells(second)[0] == ["question", "nonanswer", "n"]
    assert len(_table_cells(second)) == 4


def test_two_level_columns_keep_both_heading_rows(tmp_path):
    frame = pd.DataFrame([[1, 2, 3, 4]], columns=pd.MultiIndex.from_product(
        [["Kommune", "HF"], ["n", "snitt"]]))
    (table,) = _render_frames(tmp_path, frame)
    assert _table_cells(table)[:2] == [["Kommune", "HF"], ["n", "snitt", "n", "snitt"]]


def test_decimal_numbers_get_a_decimal_comma(tmp_path):
    frame = pd.DataFrame({"Spørsmål": ["tid", "v1.2"], "Snitt": [4.61, 3.0],
                          "Andel": ["31.8%", "2021"]})
    (table,) = _render_frames(tmp_path, frame)
    # pandas pads the column to two decimals: 3.00
    assert _table_cells(table)[1:] == [["tid", "4,61", "31,8%"], ["v1.2", "3,00", "2021"]]
