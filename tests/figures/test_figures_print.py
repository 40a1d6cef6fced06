"""Every figure at print quality: drawn at the 16 cm column width, no text under 8 pt, the
same type sizes in every figure, 3:1 contrast between everything drawn side by side and
against the page, readable text on fills, and a data table behind every figure.

The figures are the real ones, built from the example network's data (35 answers) and
from the toolkit test fixtures, and measured on their artists.
"""

import importlib.util
import warnings
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

from lnutils.analysis import network_summaries as ns  # noqa: E402
from lnutils.analysis import toolkit_summaries as ts  # noqa: E402
from lnutils.figures import checks, gatherings, toolkit  # noqa: E402
from lnutils.figures.datatable import table_of  # noqa: E402
from lnutils.figures.style import (  # noqa: E402
    FIGURE_WIDTH,
    TYPE_SCALE,
    contrast_ratio,
    scale_colours,
)
from lnutils.inputs.toolkit import load_toolkit_spec  # noqa: E402
from lnutils.inputs.toolkit_forms import load_toolkit_checklists, load_toolkit_forms  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
PIPELINE = ROOT / "pipelines" / "trondelag-2021.yml"
TOOLKIT = ROOT / "tests" / "fixtures" / "toolkit"


def _survey_figures() -> dict:
    spec = importlib.util.spec_from_file_location("gallery", ROOT / "tools" / "gallery.py")
    gallery = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gallery)
    from lnutils.inputs.dataset import load_dataset  # noqa: PLC0415
    from lnutils.pipeline import load_pipeline  # noqa: PLC0415

    ds = load_dataset(load_pipeline(PIPELINE))
    with warnings.catch_warnings():  # the example's development pseudonym key
        warnings.simplefilter("ignore")
        return {name: draw()[0] for name, _, draw in gallery._entries(ds)}


def _network_figures() -> dict:
    spec = load_toolkit_spec(TOOLKIT / "toolkit.yml")
    forms = load_toolkit_forms(TOOLKIT / "forms.csv", {"toolkit_spec": spec})
    lists = load_toolkit_checklists(TOOLKIT / "checklists.csv", {"toolkit_spec": spec})
    timeline = pd.DataFrame({"label": ["Nettverk 1", "Nettverk 1", "Felles"],
                             "joint": [False, False, True], "number": [1, 2, 4],
                             "date": pd.to_datetime(["2014-09-01", "2015-01-01",
                                                     "2015-12-01"])})
    hours = ns.hours_by_kind(pd.DataFrame({
        "gathering": [1, 1, 2, 2], "kind": ["eksterne", "gruppe", "eksterne", "gruppe"],
        "label": ["Eksterne foredrag", "Gruppearbeid"] * 2, "hours": [3.75, 5.5, 2.0, 1.0]}))
    goals = pd.DataFrame({"rank": [1, 2], "category": ["Mål A", "Mål B"], "theme": ["x"] * 2,
                          "municipalities": [9, 4]})
    matrix = pd.DataFrame({"KOR": ["I bruk", ""], "LEAN": ["", "Vurderer"]},
                          index=pd.MultiIndex.from_tuples([(1, "Aby"), (2, "Bby")]))
    return {
        "timeline": gatherings.plot_gathering_timeline(timeline),
        "hours": gatherings.plot_hours_by_kind(hours),
        "goals": gatherings.plot_goals(goals),
        "tools": gatherings.plot_tools_matrix(matrix),
        "benefit": toolkit.plot_benefit_distribution(ts.benefit_distribution(forms).table),
        "improved": toolkit.plot_share_improved(ts.benefit_summary(forms).table),
        "steps": toolkit.plot_step_completion(ts.step_completion(lists).table),
        "run": toolkit.plot_run_chart(ts.benefit_run_chart(forms), ylabel="Opplevd nytte"),
    }


@pytest.fixture(scope="module")
def figures() -> dict:
    if not PIPELINE.is_file():
        pytest.skip("example pipeline not available")
    return {**_survey_figures(), **_network_figures()}


def test_every_figure_is_as_wide_as_the_text_column(figures):
    wrong = {name: fig.get_figwidth() for name, fig in figures.items()
             if abs(fig.get_figwidth() - FIGURE_WIDTH) > 1e-6}
    assert wrong == {}


def test_no_text_under_8_pt_and_one_type_scale(figures):
    sizes = {name: checks.print_font_sizes(fig) for name, fig in figures.items()}
    small = {name: [(t, round(s, 2)) for t, s in found if s < 8 - 1e-6]
             for name, found in sizes.items()}
    assert {k: v for k, v in small.items() if v} == {}
    used = {round(s, 2) for found in sizes.values() for _, s in found}
    assert used <= set(TYPE_SCALE.values()), f"sizes outside the type scale: {used}"


def test_adjacent_segments_reach_3_to_1(figures):
    stacked = 0
    for name, fig in figures.items():
        pairs = checks.adjacent_pairs(fig)
        stacked += len(pairs)
        weak = [p for p in pairs if p.contrast < 3]
        assert weak == [], f"{name}: {weak}"
    assert stacked > 50  # the stacked and diverging figures were measured, not skipped


def test_fills_reach_3_to_1_against_the_page_or_carry_an_outline(figures):
    for name, fig in figures.items():
        weak = [(fill, round(c, 2)) for fill, c, outlined in checks.fills_against_page(fig)
                if c < 3 and not outlined]
        assert weak == [], name


def test_text_on_fills_reaches_4_5_to_1(figures):
    measured = 0
    for name, fig in figures.items():
        found = checks.text_on_fills(fig)
        measured += len(found)
        assert [(t, round(c, 2)) for t, c in found if c < 4.5] == [], name
    assert measured > 20


def test_every_scale_colour_reaches_3_to_1_against_white():
    for n in range(2, 8):
        assert min(contrast_ratio(c, "white") for c in scale_colours(n)) >= 3, n


def test_every_figure_carries_a_table_of_its_numbers(figures):
    for name, fig in figures.items():
        table = table_of(fig)
        assert table is not None and table.rows, name
        cells = [c for row in table.rows for c in row]
        assert not {"nan", "NaN", "None", "<NA>", "NA"} & set(cells), name
        assert len(table.align) == len(table.columns)
    arena = table_of(figures["tabell1_arenaer"])
    assert arena.columns[0] == "Arena" and arena.align[-1] == "right"


def test_labels_wrap_between_words_never_inside_one():
    from lnutils.figures.parts import wrap

    assert wrap("Koordinator- og brukerrepresentantsamlinger", 20) == (
        "Koordinator- og\nbrukerrepresentantsamlinger")
    assert wrap("Arbeidsutvalg møter", 15) == "Arbeidsutvalg\nmøter"


def test_scale_legends_read_in_scale_order_by_rows():
    from lnutils.figures.parts import row_major

    # 7 entries in 4 columns: matplotlib shows columns of 2, 2, 2, 1 entries
    assert row_major(list(range(7)), 4) == [0, 4, 1, 5, 2, 6, 3]
    assert row_major(list(range(6)), 3) == [0, 3, 1, 4, 2, 5]
    assert row_major(list(range(3)), 5) == [0, 1, 2]
