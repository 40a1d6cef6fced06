"""Survey figures tested on their artists: bars, labels, legends, base text, notes.

Inputs are summaries of tiny hand-built answer tables; every figure is also drawn from
empty input and from input where everyone answered "Vet ikke".
"""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from fixtures.scales import SCALES_YAML  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from lnutils.analysis.summaries import (  # noqa: E402
    battery_distribution,
    count_choice,
    mean_by_group,
    paired_ratings,
    rating_by_group,
    share_multi,
)
from lnutils.figures import choice, likert, ratings  # noqa: E402
from lnutils.figures.parts import notes_text, row_major  # noqa: E402
from lnutils.figures.style import NONANSWER_GREY  # noqa: E402
from lnutils.inputs.codebook import load_codebook  # noqa: E402
from lnutils.pipeline import Privacy  # noqa: E402

NB = "\u00a0"
S6 = {1: "1 I liten grad", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6 I stor grad", 7: "Vet ikke"}
V5 = {1: "I meget liten grad", 2: "I liten grad", 3: "I noe grad", 4: "I stor grad",
      5: "I meget stor grad", 6: "Vet ikke"}
JN = {1: "Ja", 2: "Nei", 3: "Vet ikke"}
NONANSWER = {("S6", 7), ("V5", 6), ("JN", 3)}
SCALES = {"S6": S6, "V5": V5, "JN": JN}


def answers(spec):
    """{(question, item): (scale, [codes])} -> long answer table; r1, r2, ... in order."""
    records = []
    for (question, item), (scale, codes) in spec.items():
        for i, code in enumerate(codes):
            kind = "vet_ikke" if (scale, code) in NONANSWER else pd.NA
            records.append((f"r{i + 1}", question, item, code, SCALES[scale][code], kind, pd.NA))
    frame = pd.DataFrame(records, columns=["respondent", "question", "item", "code", "label",
                                           "nonanswer", "text"])
    return frame.astype({"code": "Int64"})


def legend_in_reading_order(legend) -> list[str]:
    """Legend entries row by row, as a reader sees them (matplotlib fills columns)."""
    texts_ = [t.get_text() for t in legend.get_texts()]
    order = row_major(list(range(len(texts_))), legend._ncols)
    reading = [""] * len(texts_)
    for position, index in enumerate(order):
        reading[index] = texts_[position]
    return reading


def plain(text: str) -> str:
    """No-break spaces and line breaks as spaces ("n = 35", "50 %", wrapped notes)."""
    return " ".join(text.replace(NB, " ").split())


CODEBOOK = """\
survey: test
""" + SCALES_YAML + """\
questions:
  - {id: org, type: single, options: {1: Kommune, 2: Helseforetak}}
  - {id: nytte, type: rating, scale: skala6}
  - {id: b, type: battery, scale: verbal5, items: {x: Relasjoner, y: Kompetanse}}
"""


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text(CODEBOOK, encoding="utf-8")
    return load_codebook(path)


def texts(fig: Figure) -> list[str]:
    return [plain(t.get_text()) for t in fig.findobj(Text) if t.get_text()]


def bars(ax) -> list:
    return [p for p in ax.patches if p.get_width() > 0]


def yticks(ax) -> list[str]:
    return [plain(t.get_text()) for t in ax.get_yticklabels()]


# Ten respondents in two groups (1 = Kommune x6, 2 = Helseforetak x4).
GROUPS = {1: "Kommune", 2: "Helseforetak"}
ORG = [1, 1, 1, 1, 1, 1, 2, 2, 2, 2]
RATING = [6, 5, 5, 4, 3, 7, 2, 3, 4, 7]


PERIODS = {1: "Første del", 3: "Hele perioden"}
PERIOD = [3, 3, 3, 1, 1, 3, 3, 3, 1, 3]


def grouped(rating=RATING):
    frame = answers({("nytte", ""): ("S6", rating)})
    org = pd.DataFrame([(f"r{i + 1}", "org", "", c, GROUPS[c], pd.NA, pd.NA)
                        for i, c in enumerate(ORG)], columns=frame.columns)
    period = pd.DataFrame([(f"r{i + 1}", "periode", "", c, PERIODS[c], pd.NA, pd.NA)
                           for i, c in enumerate(PERIOD)], columns=frame.columns)
    return pd.concat([frame, org.astype({"code": "Int64"}), period.astype({"code": "Int64"})],
                     ignore_index=True)


def test_plot_choice_bars_labels_and_base():
    counts = count_choice(answers({("q", ""): ("JN", [1, 1, 2, 3])}), question="q")
    fig = choice.plot_choice(counts, title="Spurte lederne?")
    ax = fig.axes[0]
    assert len(bars(ax)) == 3
    assert yticks(ax) == ["Ja", "Nei", "Vet ikke"]
    assert "n = 4" in texts(fig)
    assert "2 (50,0 %)" in texts(fig)
    assert bars(ax)[2].get_facecolor()[:3] == matplotlib.colors.to_rgb(NONANSWER_GREY)


def test_plot_choice_notes_who_is_outside_the_base():
    frame = answers({("q", ""): ("JN", [1, 2])})
    skipped = pd.DataFrame([("r3", "q", "", pd.NA, pd.NA, "not_asked", pd.NA),
                            ("r4", "q", "", pd.NA, pd.NA, "missing", pd.NA)],
                           columns=frame.columns).astype({"code": "Int64"})
    fig = choice.plot_choice(count_choice(pd.concat([frame, skipped]), question="q"))
    note = " ".join(notes_text(fig).split())  # the note is wrapped over lines
    assert note == ("1 fikk ikke spørsmålet (det ble bare stilt til noen). "
                    "1 av dem som fikk spørsmålet, svarte ikke. De er ikke med i n.")
    assert "n = 2" in texts(fig)


def test_plot_choice_sorted_keeps_nonanswers_last():
    counts = count_choice(answers({("q", ""): ("JN", [2, 2, 1, 3, 3, 3])}), question="q")
    assert yticks(choice.plot_choice(counts, sort=True).axes[0]) == ["Nei", "Ja", "Vet ikke"]


def test_plot_multi_note_on_shares_past_100():
    frame = pd.DataFrame([(r, "akt", str(o), int(o in ticks), lab, pd.NA, pd.NA)
                          for r, ticks in {"r1": {1, 2}, "r2": {1}}.items()
                          for o, lab in {1: "Samling", 2: "Webinar"}.items()],
                         columns=["respondent", "question", "item", "code", "label",
                                  "nonanswer", "text"]).astype({"code": "Int64"})
    fig = choice.plot_multi(share_multi(frame, question="akt"))
    assert len(bars(fig.axes[0])) == 2
    note = plain(notes_text(fig))
    assert "Flere svar mulig: andelene summerer seg til 150 %, ikke 100 %." in note
    assert "n = 2" in texts(fig)


def test_plot_yes_no_segments_and_legend():
    counts = count_choice(answers({("q", ""): ("JN", [1, 1, 1, 2, 3])}), question="q")
    fig = choice.plot_yes_no(counts)
    ax = fig.axes[0]
    assert [round(b.get_width()) for b in bars(ax)] == [60, 20, 20]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Ja", "Nei", "Vet ikke"]
    assert "Ja 3 (60,0 %)" in texts(fig)


def test_plot_rating_by_group(codebook):
    data = grouped()
    privacy = Privacy(min_group_size=3)
    dist = rating_by_group(data, question="nytte", by="org", privacy=privacy,
                           codebook=codebook)
    means = mean_by_group(data, question="nytte", by="org", privacy=privacy)
    fig = ratings.plot_rating_by_group(dist, means)
    left, right = fig.axes
    assert yticks(left) == ["Kommune (n = 6)", "Helseforetak (n = 4)", "Alle (n = 10)"]
    # Stacked segments with a width: Kommune uses 5 codes, Helseforetak 4, Alle 6.
    assert len(bars(left)) == 5 + 4 + 6
    # Kommune: 6, 5, 5, 4, 3 -> 4,60; Helseforetak 2, 3, 4 -> 3,00.
    assert "4,60 (n = 5)" in texts(fig) and "3,00 (n = 3)" in texts(fig)
    assert legend_in_reading_order(fig.legends[0]) == list(S6.values())


def test_plot_rating_by_group_says_what_was_protected(codebook):
    data = grouped()
    dist = rating_by_group(data, question="nytte", by="org", privacy=Privacy(),
                           codebook=codebook)
    means = mean_by_group(data, question="nytte", by="org", privacy=Privacy())
    fig = ratings.plot_rating_by_group(dist, means)
    # Helseforetak (4) is hidden; Alle minus Kommune would give it, so Kommune goes too.
    assert yticks(fig.axes[0]) == ["Alle (n = 10)"]
    assert "regnes ut som totalen minus" in " ".join(plain(notes_text(fig)).split())
    assert "Helseforetak" not in plain(notes_text(fig))


def test_plot_mean_by_group_one_and_two_groupings():
    data = grouped()
    means = mean_by_group(data, question="nytte", by="org", privacy=Privacy(min_group_size=3))
    fig = ratings.plot_mean_by_group(means, scale=(1, 6))
    ax = fig.axes[0]
    assert yticks(ax) == ["Kommune", "Helseforetak", "Alle"]
    assert "n = 8" in texts(fig)  # eight opinions, two said "Vet ikke"
    # one dot per group, one interval line per group, one dashed line for the total
    assert len(ax.lines) == 3 * 2 + 1
    # Kommune, first part: 4, 3 (3,50); whole period: 6, 5, 5 (5,33). Helseforetak,
    # first part: 4; whole period: 2, 3 (2,50).
    two = mean_by_group(data, question="nytte", by=["org", "periode"],
                        privacy=Privacy(min_group_size=1))
    fig2 = ratings.plot_mean_by_group(two, scale=(1, 6))
    assert yticks(fig2.axes[0]) == ["Kommune", "Helseforetak", "Alle"]
    assert [t.get_text() for t in fig2.legends[0].get_texts()] == ["Første del",
                                                                   "Hele perioden"]
    assert {"3,50 (n = 2)", "5,33 (n = 3)", "4,00 (n = 1)", "2,50 (n = 2)"} <= set(texts(fig2))


def test_plot_paired_ratings():
    data = answers({("egen", ""): ("S6", [4, 5, 3]), ("team", ""): ("S6", [5, 5, 6])})
    paired = paired_ratings(data, questions=["egen", "team"], titles=["Egen", "Teamet"])
    fig = ratings.plot_paired_ratings(paired, scale=(1, 6))
    assert yticks(fig.axes[0]) == ["Egen", "Teamet"]
    assert "4,00 (n = 3)" in texts(fig) and "5,33 (n = 3)" in texts(fig)
    assert "2 ga «Teamet» høyere, 1 likt og 0 lavere." in plain(notes_text(fig))


BATTERY = {("b", "x"): ("V5", [5, 4, 4, 3, 1, 6]), ("b", "y"): ("V5", [2, 2, 1, 3, 6, 6])}


def test_plot_diverging_sorted_split_and_vet_ikke_apart(codebook):
    dist = battery_distribution(answers(BATTERY), question="b", codebook=codebook)
    fig = likert.plot_diverging(dist)
    main, side = fig.axes
    assert yticks(main) == ["Relasjoner (n = 5)", "Kompetanse (n = 4)"]
    # x: 1 (20 %), 3 (20 %, split), 4 (40 %), 5 (20 %): leftmost edge -(20 + 10) = -30.
    x_bars = [b for b in bars(main) if abs(b.get_y() + b.get_height() / 2) < 0.01]
    assert min(b.get_x() for b in x_bars) == pytest.approx(-30)
    assert max(b.get_x() + b.get_width() for b in x_bars) == pytest.approx(70)
    assert "60 %" in texts(fig) and "20 %" in texts(fig)
    # "Vet ikke" apart: 1 of 6 and 2 of 6, as shares of everyone who answered.
    assert sorted(round(b.get_width(), 1) for b in bars(side)) == [16.7, 33.3]
    assert legend_in_reading_order(fig.legends[0]) == list(V5.values())


def test_plot_battery_panels(codebook):
    dist = battery_distribution(answers(BATTERY), question="b", codebook=codebook)
    fig = likert.plot_battery(dist, title="Nytte")
    main, side = fig.axes
    assert yticks(main) == ["Relasjoner (n = 5)", "Kompetanse (n = 4)"]
    assert len(bars(main)) == 4 + 3
    assert sum(b.get_width() for b in bars(main)) == pytest.approx(200)
    assert "n = 6" in texts(fig)


EMPTY = answers({("q", ""): ("S6", [])})


@pytest.mark.parametrize("draw", [
    lambda a, cb: choice.plot_choice(count_choice(a, question="q")),
    lambda a, cb: choice.plot_yes_no(count_choice(a, question="q")),
    lambda a, cb: likert.plot_diverging(battery_distribution(a, question="b", codebook=cb)),
    lambda a, cb: likert.plot_battery(battery_distribution(a, question="b", codebook=cb)),
])
def test_empty_input_gives_a_figure_that_says_so(draw, codebook):
    fig = draw(EMPTY, codebook)
    assert isinstance(fig, Figure) and "Ingen svar å vise." in texts(fig)


def test_empty_group_and_pair_summaries(codebook):
    empty = grouped().iloc[0:0]
    dist = rating_by_group(empty, question="nytte", by="org", codebook=codebook)
    means = mean_by_group(empty, question="nytte", by="org")
    assert "Ingen svar å vise." in texts(ratings.plot_rating_by_group(dist, means))
    assert "Ingen svar å vise." in texts(ratings.plot_mean_by_group(means))
    paired = paired_ratings(empty, questions=["nytte", "nytte"])
    assert "Ingen svar å vise." in texts(ratings.plot_paired_ratings(paired))


def test_all_vet_ikke(codebook):
    data = answers({("q", ""): ("S6", [7, 7, 7]), ("b", "x"): ("V5", [6, 6]),
                    ("b", "y"): ("V5", [6, 6])})
    counts = count_choice(data, question="q")
    fig = choice.plot_choice(counts)
    assert len(bars(fig.axes[0])) == 1 and "n = 3" in texts(fig)
    dist = battery_distribution(data, question="b", codebook=codebook)
    fig = likert.plot_diverging(dist)
    main, side = fig.axes
    assert bars(main) == [] and len(bars(side)) == 2
    assert yticks(main) == ["Relasjoner (n = 0)", "Kompetanse (n = 0)"]
    fig = likert.plot_battery(dist)
    assert bars(fig.axes[0]) == []
    group_data = grouped(rating=[7] * 10)
    privacy = Privacy(min_group_size=3)
    dist = rating_by_group(group_data, question="nytte", by="org", privacy=privacy,
                           codebook=codebook)
    means = mean_by_group(group_data, question="nytte", by="org", privacy=privacy)
    fig = ratings.plot_rating_by_group(dist, means)
    assert texts(fig).count("for få svar") == 3
    assert "Ingen svar å vise." in texts(ratings.plot_mean_by_group(means))
