"""Captions and alt texts are written from the summaries, with their numbers."""

import pandas as pd
import pytest

from lnutils.analysis.summaries import (
    battery_distribution,
    count_choice,
    events_per_month,
    mean_by_group,
    paired_ratings,
    rating_by_group,
    response_rate_by_group,
    share_multi,
)
from lnutils.figures import alt
from lnutils.inputs.codebook import load_codebook
from lnutils.pipeline import Privacy

NB = "\u00a0"
COLUMNS = ["respondent", "question", "item", "code", "label", "nonanswer", "text"]
S6 = {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6", 7: "Vet ikke"}


@pytest.fixture
def codebook(tmp_path):
    path = tmp_path / "codebook.yml"
    path.write_text("""\
survey: t
scales:
  s6:
    kind: rating
    codes: {1: "1", 2: "2", 3: "3", 4: "4", 5: "5", 6: "6"}
    nonanswers: {7: Vet ikke}
questions:
  - {id: org, type: single, options: {1: Kommune, 2: KS}}
  - {id: nytte, type: rating, scale: s6}
  - {id: b, type: battery, scale: s6, items: {x: x}}
""", encoding="utf-8")
    return load_codebook(path)


def plain(text: str) -> str:
    return text.replace(NB, " ")


def table(rows):
    return pd.DataFrame(rows, columns=COLUMNS).astype({"code": "Int64"})


def rating(question, codes, item=""):
    return [(f"r{i + 1}", question, item, c, S6[c], "vet_ikke" if c == 7 else pd.NA, pd.NA)
            for i, c in enumerate(codes)]


def test_text_choice_lists_every_option():
    answers = table([(f"r{i}", "q", "", c, {1: "Ja", 2: "Nei", 3: "Vet ikke"}[c],
                      "vet_ikke" if c == 3 else pd.NA, pd.NA)
                     for i, c in enumerate([1, 1, 1, 2, 3])])
    counts = count_choice(answers, question="q")
    caption, text = alt.text_choice(counts, subject="Om lederne spurte")
    assert plain(caption) == "Om lederne spurte (n = 5)."
    assert "Flest valgte «Ja»: 3 (60,0 %)." in plain(text)
    assert "Vet ikke: 1 (20,0 %)" in plain(text)
    caption, text = alt.text_yes_no(counts, subject="Om lederne spurte")
    assert plain(text) == ("En delt stolpe for 5 svar: ja 3 (60,0 %), nei 1 (20,0 %) og "
                           "vet ikke 1 (20,0 %).")


def test_text_multi_says_shares_exceed_100():
    answers = table([("r1", "a", "1", 1, "Samling", pd.NA, pd.NA),
                     ("r1", "a", "2", 1, "Webinar", pd.NA, pd.NA),
                     ("r2", "a", "1", 1, "Samling", pd.NA, pd.NA),
                     ("r2", "a", "2", 0, "Webinar", pd.NA, pd.NA)])
    caption, text = alt.text_multi(share_multi(answers, question="a"), subject="Aktiviteter")
    assert "mer enn 100 %" in caption
    assert plain(text).endswith("Samling: 2 (100,0 %) og Webinar: 1 (50,0 %).")


def test_text_means_carry_protection_note(codebook):
    # KS (1) and Statsforvalteren (4) are hidden; together they are five, so the total
    # minus Kommune gives nobody's answers away and Kommune is shown.
    rows = rating("nytte", [6, 5, 4, 5, 5, 3, 4, 4, 4, 4])
    rows += [(f"r{i + 1}", "org", "", c, {1: "Kommune", 2: "KS", 3: "Statsforvalteren"}[c],
              pd.NA, pd.NA) for i, c in enumerate([1, 1, 1, 1, 1, 2, 3, 3, 3, 3])]
    answers = table(rows)
    means = mean_by_group(answers, question="nytte", by="org", privacy=Privacy(),
                          codebook=codebook, mode="suppress")
    caption, text = alt.text_mean_by_group(means, subject="Nytte")
    assert "skalaen 1–6" in caption  # the codebook's scale, read from the summary
    assert "Ikke vist: KS, Statsforvalteren." in caption
    # 6, 5, 4, 5, 5: SD sqrt(2/4) = 0.707107, half 2.776445 * 0.707107 / sqrt(5) = 0.877987
    assert "Kommune 5,00 (n = 5, 95 % KI 4,1–5,9)" in plain(text)
    dist = rating_by_group(answers, question="nytte", by="org", privacy=Privacy(),
                           codebook=codebook, mode="suppress")
    caption, text = alt.text_rating_by_group(dist, means, subject="Nytte")
    assert caption.startswith("Nytte: fordeling og snitt.")
    assert "Kommune 4 av 5" in text  # answered 5 or 6


def test_text_paired_battery_diverging_and_activity(codebook):
    answers = table(rating("egen", [4, 5, 3]) + rating("team", [5, 5, 6])
                    + rating("b", [6, 5, 1, 7], "x"))
    caption, text = alt.text_paired(paired_ratings(answers, questions=["egen", "team"],
                                                   titles=["Egen", "Teamet"]),
                                    subject="Innsats", scale=(1, 6))
    assert "Egen 4,00 (n = 3" in plain(text) and "2 ga «Teamet» høyere" in text
    dist = battery_distribution(answers, question="b", codebook=codebook)
    # x: 6, 5, 1 and "Vet ikke": two of three opinions in 4-6.
    assert "x: 2 av 3 i øvre halvdel, vet ikke 1" in alt.text_battery(dist, subject="B").alt
    assert "x 67 % positive og 33 % negative (n = 3)" in plain(
        alt.text_diverging(dist, subject="B").alt)
    log = pd.DataFrame({"date": ["2020-01-15", "2020-04-02"], "arena": ["AU", "AU"],
                        "mode": ["fysisk", "digital"]})
    text = alt.text_timeline(events_per_month(log)).alt
    assert "1 hendelser før pandemien, 1 etter, av dem 1 digitale" in text


def test_text_response_rate_and_empty():
    rates = response_rate_by_group(invited=pd.Series(["A"] * 4), answered=pd.Series(["A"]))
    assert "A 1 av 4 (25,0 %)" in plain(alt.text_response_rate(rates).alt)
    empty = count_choice(table([]), question="q")
    assert alt.text_choice(empty, subject="X") == ("X. Ingen svar.", "X: ingen svar å vise.")
