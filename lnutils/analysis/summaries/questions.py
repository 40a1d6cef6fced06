"""Summaries of one question: counts of a single choice, shares of a multiple choice, a mean."""

from __future__ import annotations

import math

import pandas as pd

from lnutils.analysis.summaries.answers import (
    categories,
    given_answers,
    kind_of,
    outside,
    rating_stats,
    rows_of,
    with_wilson,
)


def count_choice(answers: pd.DataFrame, *, question: str, item: str = "", codebook=None
                 ) -> pd.DataFrame:
    """Counts and shares of each answer to one single-choice, yes/no or rating question.

    Parameters
    ----------
    answers : the long answer table.
    question : question id.
    item : battery item id ("" for a question without items).
    codebook : for the questionnaire's order and options nobody chose.

    Returns
    -------
    DataFrame
        One row per answer option: code, label, kind (``"svar"``, ``"vet_ikke"``,
        ``"ikke_deltatt"``, ``"other"``), n, base, share, low, high, and on every row
        the respondents outside the base: missing (asked, no answer) and not_asked
        (routing skipped them).
    """
    rows = rows_of(answers, question, item)
    given = given_answers(rows)
    base = given["respondent"].nunique()
    counts = given.groupby("code")["respondent"].nunique()
    out = pd.DataFrame(
        [{"code": code, "label": label, "kind": kind_of(kind), "n": int(counts.get(code, 0)),
          "base": base} for code, label, kind in categories(rows, question, codebook)],
        columns=["code", "label", "kind", "n", "base"])
    out = with_wilson(out)
    return out.assign(**outside(rows))


def share_multi(answers: pd.DataFrame, *, question: str, codebook=None) -> pd.DataFrame:
    """Share of respondents who ticked each option of a multiple-choice question.

    The base is the respondents who ticked at least one option (someone who ticked none
    cannot be told from someone who skipped the question). Shares sum past 100 %.

    Returns
    -------
    DataFrame
        code, label, n, base, share, low, high, in questionnaire order, and on every
        row: missing (asked, ticked nothing), not_asked (routing skipped them) and
        one_option_only (respondents who ticked exactly one option). The shares' sum is
        ``share.sum()``; options per person, on the same base, is ``n.sum() / base``
        (:func:`options_per_person`).
    """
    rows = rows_of(answers, question)
    ticked = rows[rows["code"] == 1]
    per_person = ticked.groupby("respondent")["item"].nunique()
    base = len(per_person)
    if codebook is not None:
        options = codebook.question(question).options or {}
    else:
        first = rows[rows["code"].notna()].drop_duplicates("item")  # skip not-asked rows
        options = {int(i): lab for i, lab in zip(first["item"], first["label"], strict=True)}
        options = dict(sorted(options.items()))
    counts = ticked.groupby("item")["respondent"].nunique()
    out = pd.DataFrame([{"code": code, "label": label, "n": int(counts.get(str(code), 0)),
                         "base": base} for code, label in options.items()],
                       columns=["code", "label", "n", "base"])
    out = with_wilson(out)
    not_asked = rows["nonanswer"].fillna("") == "not_asked"
    asked = set(rows.loc[~not_asked, "respondent"])
    return out.assign(missing=len(asked - set(per_person.index)),
                      not_asked=rows.loc[not_asked, "respondent"].nunique(),
                      one_option_only=int((per_person == 1).sum()))


def options_per_person(shares: pd.DataFrame) -> float:
    """Options ticked per respondent, on the base of :func:`share_multi` (its figure's).

    Respondents who ticked nothing are outside the base, as in the figure; NaN when
    nobody ticked anything.
    """
    base = int(shares["base"].iloc[0]) if len(shares) else 0
    return float(shares["n"].sum()) / base if base else math.nan


def summarise_rating(answers: pd.DataFrame, *, question: str, item: str = "") -> dict:
    """Mean, SD and 95 % interval of one rating, with its base and non-answers.

    Returns
    -------
    dict
        n (opinions), base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high.
    """
    rows = rows_of(answers, question, item)
    return rating_stats(rows)
