"""Exploring one question in JupyterLab, shown as the report would show it.

>>> from lnutils.chapters.context import open_chapter
>>> from lnutils.chapters.explore import show_question
>>> ctx = open_chapter("pipelines/my-network.yml")
>>> show_question(ctx, "q7", by="role")

gives the question's figure (the one a section chapter draws, with its caption and alt
text), the numbers behind it as a table, and its facts (``q.<id>.…`` as ``lnreport facts``
prints them), so an evaluator can look before deciding what goes into the report.
Breakdowns go through the same small-group protection as the report.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from IPython.display import Markdown, display

from lnutils.analysis import summaries as su
from lnutils.chapters.questions import QuestionView, as_breakdown, literal, subject_of

PREFIX = "utforsk"


def _percent(frame: pd.DataFrame, column: str = "share") -> pd.Series:
    return (frame[column] * 100).round(1)


def _choice_table(counts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Svar": counts["label"], "Antall": counts["n"],
                         "Andel (%)": _percent(counts)})


def _battery_table(means: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"Punkt": means["title"], "n": means["n"],
                         "Snitt": means["mean"].round(2), "SD": means["sd"].round(2),
                         "Øvre halvdel (%)": _percent(means, "share_top")})


def _group_table(ctx, question, by: Sequence[str]) -> pd.DataFrame:
    """Answers per group: counts per option (single, yes/no, rating) or item means."""
    answers, privacy = ctx.survey.answers, ctx.privacy
    if question.type == "battery":
        frames = [su.mean_by_group(answers, question=question.id, item=item, by=list(by),
                                   privacy=privacy).table.assign(Punkt=title)
                  for item, title in (question.items or {}).items()]
        table = pd.concat(frames, ignore_index=True)
        return table.pivot_table(index="Punkt", columns="group", values="mean", sort=False
                                 ).round(2)
    if question.type not in ("single", "yesno", "rating"):
        raise ValueError(f"{question.id} is a {question.type} question; breakdowns are "
                         "shown for single-choice, yes/no, rating and battery questions")
    dist = su.rating_by_group(answers, question=question.id, by=list(by),
                              codebook=ctx.survey.codebook, privacy=privacy).table
    table = dist.pivot_table(index="group", columns="label", values="n", aggfunc="sum",
                             sort=False)
    return table.fillna(0).astype(int)


def question_table(ctx, qid: str, by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """The numbers behind a question's figure, as a table (Norwegian headings).

    Parameters
    ----------
    ctx : an opened chapter (:func:`lnutils.chapters.context.open_chapter`).
    qid : a question id of the codebook.
    by : a background question (or a pair) to split the answers by.
    """
    question = ctx.survey.codebook.question(qid)
    answers, codebook = ctx.survey.answers, ctx.survey.codebook
    if by:
        return _group_table(ctx, question, as_breakdown(by))
    if question.type in ("single", "yesno", "rating"):
        return _choice_table(su.count_choice(answers, question=qid, codebook=codebook))
    if question.type == "multi":
        return _choice_table(su.share_multi(answers, question=qid, codebook=codebook))
    if question.type == "battery":
        return _battery_table(su.battery_means(answers, question=qid, codebook=codebook))
    texts = answers[(answers["question"] == qid) & answers["text"].notna()]
    return pd.DataFrame({"Fritekstsvar": [len(texts)]})


def question_facts(ctx, qid: str) -> pd.DataFrame:
    """The facts named ``q.<qid>.…``, as a text's placeholders and claims read them.

    In a sub-report these are the region's own (``ctx.facts``).
    """
    prefix = f"q.{qid}."
    rows = [(key, value) for key, value in ctx.facts.items() if key.startswith(prefix)]
    return pd.DataFrame(rows, columns=["fakta", "verdi"])


def show_question(ctx, qid: str, by: str | Sequence[str] | None = None, *,
                  facts: bool = True) -> None:
    """Show one question as the report would: figure, table and facts.

    Parameters
    ----------
    ctx : an opened chapter.
    qid : a question id of the codebook.
    by : a background question, or a pair, to split a rating by in the figure and any
        coded question in the table.
    facts : also list the question's facts (computing facts takes a moment).
    """
    question = ctx.survey.codebook.question(qid)
    display(Markdown(f"## {literal(subject_of(question))}"))
    breakdowns = [by] if by and question.type == "rating" else []
    for item in QuestionView(ctx, PREFIX).outputs(qid, breakdowns):
        display(item)
    display(question_table(ctx, qid, by))
    if facts:
        display(question_facts(ctx, qid))
