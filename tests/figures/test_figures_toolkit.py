"""Summaries and figures of the toolkit and the network programme, on hand-built data.

Numbers are worked out by hand from tests/fixtures/toolkit (see its README): F1 benefit
+3,0 (Aby), F2 benefit −2,0 (Aby), F3 pending (Bby); checklists S1 80 %, S2 70 %, S3 80 %
(Bby's own step 8), S4 all "not relevant" (left out).
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from lnutils.analysis import network_summaries as ns
from lnutils.analysis import toolkit_summaries as ts
from lnutils.fmt import fmt_base
from lnutils.inputs.networks import load_networks
from lnutils.inputs.toolkit import load_toolkit_spec
from lnutils.inputs.toolkit_forms import load_toolkit_checklists, load_toolkit_forms

FIXTURES = Path(__file__).parents[1] / "fixtures" / "toolkit"


@pytest.fixture(scope="module")
def forms():
    spec = load_toolkit_spec(FIXTURES / "toolkit.yml")
    return load_toolkit_forms(FIXTURES / "forms.csv", {"toolkit_spec": spec})


@pytest.fixture(scope="module")
def checklists():
    spec = load_toolkit_spec(FIXTURES / "toolkit.yml")
    return load_toolkit_checklists(FIXTURES / "checklists.csv", {"toolkit_spec": spec})


# ---------------------------------------------------------------- toolkit summaries


def test_benefit_distribution(forms):
    dist = ts.benefit_distribution(forms).table
    assert dist["bin"].tolist() == list(range(-3, 6))
    assert dict(zip(dist["bin"], dist["n"], strict=True)) == {
        -3: 0, -2: 1, -1: 0, 0: 0, 1: 0, 2: 0, 3: 1, 4: 0, 5: 0}
    assert set(dist["base"]) == {2} and dist["share"].sum() == 1.0
    assert dist["label"].iloc[0] == "−3 eller lavere" and dist["label"].iloc[6] == "+3"


def test_benefit_rounds_half_away_from_zero():
    frame = pd.DataFrame({"status": ["complete"] * 3, "benefit": [0.5, -0.5, 6.2]})
    dist = ts.benefit_distribution(type("F", (), {"forms": frame})()).table
    assert dict(zip(dist["bin"], dist["n"], strict=True))[1] == 1
    assert dict(zip(dist["bin"], dist["n"], strict=True))[-1] == 1
    assert dict(zip(dist["bin"], dist["n"], strict=True))[5] == 1  # 6.2 gathered at the top


def test_benefit_summary(forms):
    pytest.importorskip("lnutils.analysis.stats")
    table = ts.benefit_summary(forms, min_group_size=0).table.set_index("group")
    assert table.loc["Aby", ["n_forms", "n_complete", "n_improved"]].tolist() == [2, 2, 1]
    assert table.loc["Aby", "share_improved"] == 0.5 and table.loc["Aby", "mean_benefit"] == 0.5
    assert table.loc["Bby", "n_pending"] == 1 and math.isnan(table.loc["Bby", "mean_benefit"])
    assert table.index[-1] == "Alle" and table.loc["Alle", "n_forms"] == 3
    assert table.loc["Aby", "low"] < 0.5 < table.loc["Aby", "high"]


def test_fidelity_summary_leaves_out_all_not_relevant(checklists):
    table = ts.fidelity_summary(checklists, min_group_size=1).table.set_index("group")
    assert table.loc["Aby", "mean_fidelity"] == pytest.approx(0.75)
    assert table.loc["Bby", ["n_checklists", "n_all_not_relevant", "n_used"]].tolist() == [
        2, 1, 1]
    assert table.loc["Bby", "mean_fidelity"] == pytest.approx(0.8)
    assert table.loc["Alle", "mean_fidelity"] == pytest.approx((0.8 + 0.7 + 0.8) / 3)


def test_small_groups_are_left_out_and_named(forms, checklists):
    # Aby has 2 complete forms and 2 checklists used, Bby 0 and 1: under 2, only Aby stays
    table = ts.benefit_summary(forms, min_group_size=2)
    assert table.table["group"].tolist() == ["Aby", "Alle"]
    assert table.protection.suppressed == ("Bby",)
    fidelity = ts.fidelity_summary(checklists, min_group_size=2)
    assert fidelity.table["group"].tolist() == ["Aby", "Alle"]
    steps = ts.step_completion(checklists, by="municipality", min_group_size=2)
    assert set(steps.table["group"]) == {"Aby", "Alle"}
    assert steps.protection.suppressed == ("Bby",)
    dist = ts.benefit_distribution(forms, by="municipality")  # default threshold 5
    assert set(dist.table["group"]) == {"Alle"} and dist.protection.suppressed == ("Aby",)


def test_step_completion_keeps_team_steps_apart(checklists):
    table = ts.step_completion(checklists).table
    step8 = table[table["step"] == 8].set_index("team_specific")
    assert step8.loc[False, ["n", "n_done", "n_missed", "done_share"]].tolist() == [
        2, 1, 1, 0.5]
    assert step8.loc[True, ["label", "n", "n_missed"]].tolist() == ["Eget steg", 1, 1]
    step3 = table[table["step"] == 3].iloc[0]
    assert (step3["n_not_relevant"], step3["n_relevant"], step3["done_share"]) == (1, 2, 1.0)


def test_most_missed_step(checklists):
    worst = ts.most_missed_step(checklists)
    assert (worst["step"], worst["label"], worst["n_missed"], worst["n"]) == (
        8, "Steg åtte", 1, 2)


def test_run_charts_have_monthly_means_and_their_median(forms, checklists):
    benefit = ts.benefit_run_chart(forms)
    assert benefit["value"].tolist() == [3.0, -2.0]
    assert benefit["period"].dt.month.tolist() == [6, 7]
    assert set(benefit["median"]) == {0.5}
    fidelity = ts.fidelity_run_chart(checklists)
    assert fidelity["value"].tolist() == pytest.approx([80.0, 75.0])
    assert fidelity["n"].tolist() == [1, 2] and set(fidelity["median"]) == {77.5}


def test_run_chart_of_nothing_is_empty():
    empty = pd.DataFrame({"d": pd.Series([], dtype="object"), "v": []})
    assert ts.run_chart_data(empty, date="d", value="v").empty


# ---------------------------------------------------------------- network summaries


NETWORKS_YML = """
total_municipalities_stated: 4
networks:
  - {number: 1, venue: Oslo, stated_municipalities: 3,
     municipalities: [Aby, {name: Bby, groups: 2}]}
  - {number: 2, venue: Bergen, stated_municipalities: 1, withdrawn_before_start: 2,
     municipalities: [Cby]}
"""


@pytest.fixture
def networks(tmp_path):
    path = tmp_path / "networks.yml"
    path.write_text(NETWORKS_YML, encoding="utf-8")
    return load_networks(path)


def test_network_overview_table(networks):
    gatherings = pd.DataFrame({"network": [1, 1, 2], "number": [2, 1, 1],
                               "month": ["2015-01", "2014-09", "2014-10"]})
    table = ns.network_overview_table(networks, gatherings).set_index("Nettverk")
    assert table.loc[1, "Samlinger"] == "sep. 2014, jan. 2015"
    assert table.loc[1, "Merknad"] == "3 oppgitt, 2 navn i listen; Bby deltok med 2 grupper"
    assert table.loc[2, "Merknad"] == "2 kommuner trakk seg før oppstart"


def test_tools_matrix_shows_silence_as_blank(networks):
    tools = pd.DataFrame({"network": [1, 2], "municipality": ["Aby", "Cby"],
                          "tool": ["kor", "bsb"], "status": ["i_bruk", "planlagt"]})
    matrix = ns.tools_matrix(tools, networks)
    assert list(matrix.columns) == ["KOR", "Bruker spør bruker"]
    assert matrix.loc[(1, "Aby")].tolist() == ["I bruk", ""]
    assert matrix.loc[(1, "Bby")].tolist() == ["", ""]
    assert matrix.loc[(2, "Cby"), "Bruker spør bruker"] == "Planlagt"


def test_team_roles_table_takes_the_later_gathering():
    team = pd.DataFrame({"network": [2, 2], "municipality": ["Aby", "Aby"],
                         "gathering": [2, 1], "role": ["brukerrepresentant"] * 2,
                         "present": [False, True], "count": pd.array([pd.NA, 2], "Int64")})
    table = ns.team_roles_table(team)
    assert table.loc[(2, "Aby"), "Brukerrepresentant"] == "nei"


def test_hours_shares_and_goal_shares():
    hours = pd.DataFrame({"gathering": [1, 1], "kind": ["eksterne", "gruppearbeid"],
                          "label": ["a", "b"], "hours": [1.0, 3.0]})
    assert ns.hours_by_kind(hours)["share"].tolist() == [0.25, 0.75]
    goals = pd.DataFrame({"rank": [2, 1], "category": ["b", "a"], "theme": ["x", "x"],
                          "municipalities": [1, 3]})
    table = ns.goals_table(goals)
    assert table["category"].tolist() == ["a", "b"]
    assert table["share_of_mentions"].tolist() == [0.75, 0.25]


def test_month_label():
    assert [ns.month_label(m) for m in ("2014-09", "2015-03", "2015-12")] == [
        "sep. 2014", "mars 2015", "des. 2015"]


# ---------------------------------------------------------------- figures (on their artists)


@pytest.fixture(scope="module")
def figures():
    pytest.importorskip("lnutils.figures.style")
    pytest.importorskip("lnutils.fmt")
    from lnutils.figures import gatherings, toolkit  # noqa: PLC0415

    return gatherings, toolkit


def texts(fig) -> list[str]:
    ax = fig.axes[0]
    found = [t.get_text() for t in ax.texts] + [ax.get_title("right"), ax.get_xlabel()]
    found += [t.get_text() for t in ax.get_xticklabels() + ax.get_yticklabels()]
    legend = ax.get_legend()
    if legend:
        found += [t.get_text() for t in legend.get_texts()]
    return found


def test_benefit_distribution_figure(figures, forms):
    _, ft = figures
    fig = ft.plot_benefit_distribution(ts.benefit_distribution(forms).table)
    ax = fig.axes[0]
    assert [p.get_height() for p in ax.patches] == [0, 1, 0, 0, 0, 0, 1, 0, 0]
    assert ax.get_title("right") == fmt_base(2)
    assert "Antall brukere" == ax.get_ylabel()


def test_step_completion_figure_marks_the_most_missed_step(figures, checklists):
    _, ft = figures
    fig = ft.plot_step_completion(ts.step_completion(checklists).table)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "8. Eget steg (eget steg)" in labels and "8. Steg åtte" in labels
    hatched = [labels[i] for i, p in enumerate(ax.patches) if p.get_hatch()]
    assert hatched == ["8. Steg åtte"]
    assert ax.patches[labels.index("8. Steg åtte")].get_width() == pytest.approx(50.0)
    assert any(t.startswith("50") and f"({fmt_base(2)})" in t for t in texts(fig))


def test_run_chart_draws_the_median(figures, forms):
    _, ft = figures
    fig = ft.plot_run_chart(ts.benefit_run_chart(forms), ylabel="Opplevd nytte")
    ax = fig.axes[0]
    line, median = ax.lines[0], ax.lines[1]
    assert list(line.get_ydata()) == [3.0, -2.0]
    assert set(median.get_ydata()) == {0.5}
    assert any(t.startswith("Median: 0,5") for t in texts(fig))


def test_share_improved_figure(figures, forms):
    pytest.importorskip("lnutils.analysis.stats")
    _, ft = figures
    fig = ft.plot_share_improved(ts.benefit_summary(forms, min_group_size=1).table)
    assert [round(p.get_width()) for p in fig.axes[0].patches] == [50, 50]


def test_network_figures(figures):
    fg, _ = figures
    timeline = pd.DataFrame({"label": ["Nettverk 1", "Nettverk 1", "Felles"],
                             "joint": [False, False, True], "number": [1, 2, 4],
                             "date": pd.to_datetime(["2014-09-01", "2015-01-01",
                                                     "2015-12-01"])})
    fig = fg.plot_gathering_timeline(timeline)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Nettverk 1", "Felles"]
    assert sorted(t.get_text() for t in fig.axes[0].texts) == ["1", "2", "4"]
    hours = ns.hours_by_kind(pd.DataFrame({
        "gathering": [1, 1, 2], "kind": ["eksterne", "gruppearbeid", "eksterne"],
        "label": ["Eksterne foredrag", "Gruppearbeid", "Eksterne foredrag"],
        "hours": [3.75, 5.5, 2.0]}))
    fig = fg.plot_hours_by_kind(hours)
    assert "9,25 t" in texts(fig) and "3,75" in [t.get_text() for t in fig.axes[0].texts]
    goals = pd.DataFrame({"rank": [1, 2], "category": ["Mål A", "Mål B"], "theme": ["x"] * 2,
                          "municipalities": [9, 4]})
    fig = fg.plot_goals(goals)
    assert [p.get_width() for p in fig.axes[0].patches] == [9, 4]
    matrix = pd.DataFrame({"KOR": ["I bruk", ""], "LEAN": ["", "Vurderer"]},
                          index=pd.MultiIndex.from_tuples([(1, "Aby"), (2, "Bby")]))
    fig = fg.plot_tools_matrix(matrix)
    drawn = [ln for ln in fig.axes[0].lines if len(ln.get_xdata())]
    assert [(ln.get_xdata()[0], ln.get_ydata()[0]) for ln in drawn] == [(0, 0), (1, 1)]
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Aby (1)", "Bby (2)"]


def test_empty_input_gives_a_message(figures):
    fg, ft = figures
    empty_dist = pd.DataFrame(columns=["group", "bin", "label", "n", "share", "base"])
    empty_steps = pd.DataFrame(columns=["group", "step", "label", "team_specific", "n",
                                        "n_relevant", "done_share", "missed_share"])
    empty_run = pd.DataFrame(columns=["group", "period", "n", "value", "median"])
    for fig in (ft.plot_benefit_distribution(empty_dist), ft.plot_step_completion(empty_steps),
                ft.plot_run_chart(empty_run), fg.plot_goals(pd.DataFrame(columns=["rank"])),
                fg.plot_gathering_timeline(pd.DataFrame()),
                fg.plot_hours_by_kind(pd.DataFrame()), fg.plot_tools_matrix(pd.DataFrame())):
        assert [t.get_text() for t in fig.axes[0].texts] == ["Ingen data å vise"]
        assert not fig.axes[0].patches


def test_every_chapter_call_runs_on_the_example_data(figures):
    """The calls docs/toolkit.md offers the chapter notebooks, on the example pipeline."""
    from matplotlib.figure import Figure  # noqa: PLC0415

    from lnutils.inputs.dataset import load_dataset  # noqa: PLC0415
    from lnutils.pipeline import load_pipeline  # noqa: PLC0415

    fg, ft = figures
    ds = load_dataset(load_pipeline(Path(__file__).resolve().parents[2]
                                    / "pipelines/gode-pasientforlop-2015.yml"))
    forms, lists = ds["toolkit_forms"], ds["toolkit_checklists"]
    tables = [ns.network_overview_table(ds["networks"], ds["gatherings"]),
              ns.tools_count_table(ds["tools_adopted"]),
              ns.team_roles_table(ds["team_composition"]),
              ts.benefit_summary(forms).table, ts.fidelity_summary(lists).table]
    assert all(len(t) for t in tables)
    figs = [fg.plot_gathering_timeline(ns.gathering_timeline(ds["gatherings"], ds["networks"])),
            fg.plot_hours_by_kind(ns.hours_by_kind(ds["gathering_hours"])),
            fg.plot_goals(ns.goals_table(ds["municipal_goals"])),
            fg.plot_tools_matrix(ns.tools_matrix(ds["tools_adopted"])),
            ft.plot_benefit_distribution(ts.benefit_distribution(forms).table),
            ft.plot_share_improved(ts.benefit_summary(forms).table),
            ft.plot_step_completion(ts.step_completion(lists).table),
            ft.plot_run_chart(ts.benefit_run_chart(forms), ylabel="Opplevd nytte"),
            ft.plot_run_chart(ts.fidelity_run_chart(lists), ylabel="Programoppfyllelse (%)")]
    assert all(isinstance(f, Figure) for f in figs)
    assert not [f for f in figs if [t.get_text() for t in f.axes[0].texts][:1]
                == ["Ingen data å vise"]]
    assert len(figs[2].axes[0].patches) == len(ds["municipal_goals"])
