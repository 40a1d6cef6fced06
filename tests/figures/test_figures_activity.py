"""Activity, response-rate and table outputs, tested on artists and cells."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from lnutils.analysis.summaries import (  # noqa: E402
    events_by_arena,
    events_per_month,
    response_rate_by_group,
)
from lnutils.figures import activity, response, tables  # noqa: E402

NB = "\u00a0"
LOG = pd.DataFrame({
    "date": ["2020-01-15", "2020-01-20", "2020-02-05", "2020-04-02", "2020-04-20"],
    "arena": ["Arbeidsgruppe", "Arbeidsutvalg", "Samling", "Arbeidsutvalg", "Arbeidsutvalg"],
    "mode": ["fysisk", "fysisk", "fysisk", "digital", "delvis digital"]})


def texts(fig):
    return [t.get_text().replace(NB, " ") for t in fig.findobj(Text) if t.get_text()]


def test_timeline_bars_lanes_and_pandemic_line():
    fig = activity.plot_events_timeline(events_per_month(LOG))
    top, lanes = fig.axes
    # Months Jan-Apr 2020; stacked bars per mode over four months (zeros have no height).
    heights = [p.get_height() for p in top.patches if p.get_height() > 0]
    assert sorted(heights) == [1, 1, 1, 2]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["Fysisk", "Delvis digital",
                                                                  "Digital"]
    assert [t.get_text() for t in lanes.get_yticklabels()] == ["Arbeidsgruppe", "Arbeidsutvalg",
                                                               "Samling"]
    assert len(lanes.collections) == 5  # one dot per arena, month and mode
    assert " Pandemien (mars 2020)" in texts(fig)
    assert "hendelser: n = 5" in texts(fig)
    dashed = [ln for ln in top.lines if ln.get_linestyle() == "--"]
    assert len(dashed) == 1


def test_events_by_arena_figure_and_table():
    by_arena = events_by_arena(LOG)
    fig = activity.plot_events_by_arena(by_arena)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Arbeidsgruppe", "Arbeidsutvalg",
                                                            "Samling"]
    assert {"1", "3"} <= set(texts(fig))
    table = tables.events_table(by_arena, uncounted={"Teammøter": "Ikke telt"})
    assert list(table.columns) == ["Arena", "Antall hendelser", "Fysisk", "Delvis digital",
                                   "Digital", "Periode", "Kommentar"]
    assert table["Arena"].iloc[-1] == "Sum" and table["Antall hendelser"].iloc[-1] == 5
    assert table.loc[table["Arena"] == "Teammøter", "Kommentar"].item() == "Ikke telt"
    assert table.loc[table["Arena"] == "Arbeidsutvalg", "Periode"].item() == (
        "jan. 2020 – april 2020")


def test_empty_activity_log():
    empty = LOG.iloc[0:0]
    assert "Ingen hendelser i aktivitetsloggen." in texts(
        activity.plot_events_timeline(events_per_month(empty)))
    assert "Ingen hendelser i aktivitetsloggen." in texts(
        activity.plot_events_by_arena(events_by_arena(empty)))


def test_response_rate_figure():
    rates = response_rate_by_group(invited=pd.Series(["Kommune"] * 100 + ["KS"] * 10),
                                   answered=pd.Series(["Kommune"] * 30 + ["KS"] * 5))
    fig = response.plot_response_rate(rates)
    ax = fig.axes[0]
    assert [round(p.get_width(), 1) for p in ax.patches] == [30.0, 50.0, 31.8]
    assert {"30 av 100 (30,0 %)", "5 av 10 (50,0 %)", "35 av 110 (31,8 %)"} <= set(texts(fig))
    assert "inviterte: n = 110" in texts(fig)
    empty = response_rate_by_group(invited=pd.Series([], dtype=str),
                                   answered=pd.Series([], dtype=str))
    assert "Ingen inviterte å vise." in texts(response.plot_response_rate(empty))


def test_choice_and_means_tables():
    counts = pd.DataFrame({"label": ["Ja", "Nei"], "n": [15, 20], "share": [15 / 35, 20 / 35],
                           "low": [0.279, 0.409], "high": [0.587, 0.721]})
    table = tables.choice_table(counts)
    assert table.to_dict("list") == {
        "Svar": ["Ja", "Nei"], "Antall": [15, 20],
        "Andel": [f"42,9{NB}%", f"57,1{NB}%"],
        "95 % KI": [f"27,9–58,7{NB}%", f"40,9–72,1{NB}%"]}
    means = pd.DataFrame({"group": ["Alle"], "n": [6], "mean": [29 / 6], "sd": [1.169045],
                          "low": [3.606495], "high": [6.060171]})
    assert tables.means_table(means).iloc[0].tolist() == ["Alle", 6, "4,83", "1,17",
                                                          "3,61–6,06"]


@pytest.mark.parametrize("value", ["2019-08-27", pd.Timestamp("2019-08-01")])
def test_month_name(value):
    assert activity.month_name(value) == "aug. 2019"
