"""Curated quotes: topics, and every quote one of the survey's free-text answers."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from support.files import write as write_file

from lnutils import paths
from lnutils.inputs.dataset import load_dataset
from lnutils.inputs.quotes import load_quotes
from lnutils.pipeline import load_pipeline
from lnutils.problems import DataError

PIPELINE = paths.repo_root() / "pipelines" / "trondelag-2021.yml"
GOOD = """\
topics:
  digitalt:
    title: Digitale møter
    question: digitalt_tekst
    quotes:
      - Vi reiser mindre.
      - "Kortere   møter."
  fritt:
    quotes: [Takk for nå.]
"""


class FakeDataset(dict):
    """Enough of a Dataset for a loader: ``name in ds`` and ``ds[name]``."""


def fake_dataset(texts: dict[str, list[str]]) -> FakeDataset:
    rows = [{"respondent": f"R{i}", "question": q, "item": "", "text": t}
            for q, answers in texts.items() for i, t in enumerate(answers)]
    codebook = SimpleNamespace(questions=[SimpleNamespace(id=q, type="text") for q in texts])
    return FakeDataset(codebook=codebook, survey=SimpleNamespace(answers=pd.DataFrame(rows)))


def write(tmp_path, text: str):
    return write_file(tmp_path, "quotes.yml", text)


def errors(path, dataset=None) -> list:
    with pytest.raises(DataError) as info:
        load_quotes(path, dataset)
    return info.value.report.errors


def test_quotes_load_by_topic(tmp_path):
    ds = fake_dataset({"digitalt_tekst": ["Vi reiser mindre.", "Kortere møter.", "Annet."]})
    quotes = load_quotes(write(tmp_path, GOOD), ds)
    assert list(quotes["topic"]) == ["digitalt", "digitalt", "fritt"]
    assert quotes["text"].iloc[1] == "Kortere møter."  # spacing does not matter
    assert quotes["title"].iloc[2] == "fritt" and pd.isna(quotes["question"].iloc[2])


def test_a_quote_nobody_wrote_is_an_error(tmp_path):
    ds = fake_dataset({"digitalt_tekst": ["Vi reiser mindre."]})
    found = errors(write(tmp_path, GOOD), ds)
    assert [(p.column, p.row, p.value) for p in found] == [
        ("topics.digitalt.quotes[1]", 7, "Kortere møter.")]
    assert "digitalt_tekst" in found[0].message


def test_unknown_question_bad_topic_and_empty_quotes(tmp_path):
    ds = fake_dataset({"digitalt_tekst": ["Vi reiser mindre."]})
    text = ("topics:\n  Store Ord:\n    question: finnes_ikke\n    quotes: [Hei]\n"
            "  tomt:\n    quotes: []\n")
    found = {p.column for p in errors(write(tmp_path, text), ds)}
    assert found == {"topics.Store Ord", "topics.Store Ord.question", "topics.tomt.quotes"}


def test_without_a_survey_quotes_are_not_checked_against_answers(tmp_path):
    assert len(load_quotes(write(tmp_path, GOOD))) == 3


@pytest.mark.filterwarnings("ignore::lnutils.inputs.invitations.PseudonymKeyWarning")
def test_every_example_quote_is_a_survey_answer():
    dataset = load_dataset(load_pipeline(PIPELINE))
    quotes = dataset["quotes"]  # raises if any quote is not an answer
    answers = dataset["survey"].answers.dropna(subset=["text"])
    for _, quote in quotes.iterrows():
        assert quote["text"] in set(answers[answers["question"] == quote["question"]]["text"])
