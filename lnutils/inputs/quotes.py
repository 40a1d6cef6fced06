"""Curated quotes for the report, keyed by topic, checked against the survey's free text.

``quotes.yml`` holds ``topics:``; each topic has a ``title``, optionally the ``question``
(a text question of the codebook) its quotes come from, and ``quotes`` (a list of
strings). When the dataset has a survey, every quote of a topic with a question must be
one of that question's answers, word for word (spacing aside): a quote never says what
no respondent wrote.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pandas as pd

from lnutils.inputs.checked import with_warnings
from lnutils.inputs.teams import YamlChecker, read_yaml
from lnutils.problems import DataError

TOPIC_ID = re.compile(r"^[a-z0-9_]+$")
LONG_QUOTE = 300  # characters; longer quotes stop being quotes


def _squeeze(text: str) -> str:
    return " ".join(str(text).split())


def _answers(dataset: Any) -> dict[str, set[str]] | None:
    """Free-text answers per text question, when the dataset's survey loads."""
    if dataset is None or "survey" not in dataset:
        return None
    try:
        survey = dataset["survey"]
    except DataError:  # reported when the survey itself is validated
        return None
    texts = survey.answers.dropna(subset=["text"])
    return {q: {_squeeze(t) for t in g["text"]} for q, g in texts.groupby("question")}


def _text_questions(dataset: Any) -> set[str] | None:
    if dataset is None or "codebook" not in dataset:
        return None
    try:
        return {q.id for q in dataset["codebook"].questions if q.type == "text"}
    except DataError:
        return None


def _topic(check: YamlChecker, topic: str, raw: Any, questions: set[str] | None,
           answers: dict[str, set[str]] | None) -> list[dict]:
    keys = ("topics", topic)
    if not TOPIC_ID.match(str(topic)):
        check.at(keys, topic, "topic ids use lower-case letters, digits and _",
                 "rename the topic, e.g. brukermedvirkning")
    if not isinstance(raw, dict):
        check.at(keys, raw, "a topic must be a mapping with `quotes`", "see quotes.yml")
        return []
    question = raw.get("question")
    if question is not None and questions is not None and question not in questions:
        check.at((*keys, "question"), question, "not a text question of the codebook",
                 f"use one of: {', '.join(sorted(questions))}")
        question = None
    quotes = raw.get("quotes")
    if not isinstance(quotes, list) or not quotes:
        check.at((*keys, "quotes"), quotes, "`quotes` must be a non-empty list",
                 "write one quote per line starting with '- '")
        return []
    rows = []
    for j, quote in enumerate(quotes):
        if not isinstance(quote, str) or not quote.strip():
            check.at((*keys, "quotes", j), quote, "empty quote", "remove the line")
            continue
        text = _squeeze(quote)
        if len(text) > LONG_QUOTE:
            check.warn(None, f"topics.{topic}.quotes[{j}]", text[:40] + "…",
                       f"quote longer than {LONG_QUOTE} characters", "shorten it")
        if question and answers is not None and text not in answers.get(question, set()):
            check.at((*keys, "quotes", j), text,
                     f"not one of the answers to {question!r} in the survey",
                     "copy the answer exactly as the respondent wrote it")
        rows.append({"topic": str(topic), "title": str(raw.get("title") or topic),
                     "question": question, "text": text})
    return rows


def load_quotes(path: str | Path, dataset: Any = None) -> pd.DataFrame:
    """Load and validate the curated quotes.

    Parameters
    ----------
    path : the YAML file with a ``topics:`` mapping.
    dataset : the pipeline's dataset (codebook and survey for the checks), or None.

    Returns
    -------
    pandas.DataFrame
        One row per quote: ``topic``, ``title``, ``question`` (NA when the topic names
        none), ``text``.

    Raises
    ------
    DataError
        Bad topic ids, empty quotes, unknown questions, quotes no respondent wrote.
    """
    check = YamlChecker(path)
    raw = read_yaml(path, check)
    if not isinstance(raw, dict) or not isinstance(raw.get("topics"), dict) or not raw["topics"]:
        check.at(("topics",), None, "the file needs a non-empty `topics:` mapping",
                 "see docs/inputs.md (quotes)")
        check.raise_if_errors()
    questions, answers = _text_questions(dataset), _answers(dataset)
    rows = [row for topic, spec in raw["topics"].items()
            for row in _topic(check, topic, spec, questions, answers)]
    check.raise_if_errors()
    frame = pd.DataFrame(rows, columns=["topic", "title", "question", "text"])
    frame = with_warnings(frame, check.warnings)
    return frame
