"""Summaries of one question: counts of a single choice, shares of a multiple choice, a mean."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from lnutils.analysis.summaries.answers import (
    categories,
    distinct_counts,
    frame,
    given_mask,
    group_of,
    kind_of,
    positions,
    rating_stats,
    respondent_codes,
    rows_of,
    with_wilson,
)


def count_choice(answers: pd.DataFrame, *, question: str, item: str = "", codebook=None,
                 groups: pd.Series | None = None) -> pd.DataFrame:
    """Counts and shares of each answer to one single-choice, yes/no or rating question.

    Parameters
    ----------
    answers : the long answer table.
    question : question id.
    item : battery item id ("" for a question without items).
    codebook : for the questionnaire's order and options nobody chose.
    groups : each respondent's group (index respondent): the table then starts with a
        column ``group`` and holds every option once per group, counted on its
        respondents only (:func:`~lnutils.analysis.summaries.answers.group_of`; the
        options listed are the same for every group).

    Returns
    -------
    DataFrame
        One row per answer option: code, label, kind (``"svar"``, ``"vet_ikke"``,
        ``"ikke_deltatt"``, ``"other"``), n, base, share, low, high, and on every row
        the respondents outside the base: missing (asked, no answer) and not_asked
        (routing skipped them).
    """
    rows = rows_of(answers, question, item)
    cats = categories(rows, question, codebook)
    where, keys = group_of(rows["respondent"], groups)
    size, width = len(keys), len(cats)
    who = respondent_codes(rows)
    given = given_mask(rows) & (where >= 0)
    base = distinct_counts(np.where(given, where, -1), who, size)
    codes = list(dict.fromkeys(c for c, _, _ in cats))
    code_at = positions(rows["code"], codes)
    bucket = np.where(given & (code_at >= 0), where * len(codes) + code_at, -1)
    found = distinct_counts(bucket, who, size * len(codes)).reshape(size, len(codes))
    n = found[:, [codes.index(c) for c, _, _ in cats]]
    out = frame({"code": [c for c, _, _ in cats] * size,
                 "label": [lab for _, lab, _ in cats] * size,
                 "kind": [kind_of(k) for _, _, k in cats] * size,
                 "n": n.ravel().tolist(), "base": np.repeat(base, width).tolist()},
                ["code", "label", "kind", "n", "base"])
    out = with_wilson(out)
    kinds, inside = rows["nonanswer"], where >= 0
    for name in ("missing", "not_asked"):
        per_group = np.bincount(where[inside], minlength=size,
                                weights=(kinds == name).to_numpy(bool, na_value=False)[inside])
        out[name] = (np.repeat(per_group.astype(np.int64), width) if groups is not None
                     else int(per_group[0]))
    if groups is not None:
        out.insert(0, "group", [k for k in keys for _ in range(width)])
    return out


def share_multi(answers: pd.DataFrame, *, question: str, codebook=None,
                groups: pd.Series | None = None) -> pd.DataFrame:
    """Share of respondents who ticked each option of a multiple-choice question.

    The base is the respondents who ticked at least one option (someone who ticked none
    cannot be told from someone who skipped the question). Shares sum past 100 %.

    Parameters
    ----------
    groups : each respondent's group (index respondent): the table then starts with a
        column ``group`` and holds every option once per group, counted on its
        respondents only (as :func:`count_choice`).

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
    if codebook is not None:
        options = codebook.question(question).options or {}
    else:
        first = rows[rows["code"].notna()].drop_duplicates("item")  # skip not-asked rows
        options = {int(i): lab for i, lab in zip(first["item"], first["label"], strict=True)}
        options = dict(sorted(options.items()))
    where, keys = group_of(rows["respondent"], groups)
    size, width = len(keys), len(options)
    who = respondent_codes(rows)
    people = int(who.max()) + 1 if len(who) else 0
    inside = (where >= 0) & (who >= 0)
    group = np.full(people, -1, dtype=np.intp)  # each respondent's group
    group[who[inside]] = where[inside]
    ticked = (rows["code"] == 1).to_numpy(bool, na_value=False) & inside
    not_asked = (rows["nonanswer"].fillna("") == "not_asked").to_numpy(bool)

    def anyone(mask: np.ndarray) -> np.ndarray:  # per respondent: any of their rows
        return np.bincount(who[mask & inside], minlength=people) > 0

    # per respondent: options ticked (each once), any tick, asked, not asked
    per_person = distinct_counts(np.where(ticked, who, -1), pd.factorize(rows["item"])[0],
                                 people)
    any_tick, asked, skipped = anyone(ticked), anyone(~not_asked), anyone(not_asked)

    def per_group(mask: np.ndarray) -> np.ndarray:  # respondents per group
        return np.bincount(group[mask & (group >= 0)], minlength=size)

    base = per_group(any_tick)
    item_at = positions(rows["item"], [str(code) for code in options])
    bucket = np.where(ticked & (item_at >= 0), where * width + item_at, -1)
    n = distinct_counts(bucket, who, size * width)
    out = frame({"code": list(options) * size, "label": list(options.values()) * size,
                 "n": n.tolist(), "base": np.repeat(base, width).tolist()},
                ["code", "label", "n", "base"])
    out = with_wilson(out)
    extra = {"missing": per_group(asked & ~any_tick), "not_asked": per_group(skipped),
             "one_option_only": per_group(per_person == 1)}
    for name, values in extra.items():
        out[name] = np.repeat(values, width) if groups is not None else int(values[0])
    if groups is not None:
        out.insert(0, "group", [k for k in keys for _ in range(width)])
    return out


def options_per_person(shares: pd.DataFrame) -> float:
    """Options ticked per respondent, on the base of :func:`share_multi` (its figure's).

    Respondents who ticked nothing are outside the base, as in the figure; NaN when
    nobody ticked anything.
    """
    n = np.asarray(shares["n"])
    base = int(np.asarray(shares["base"])[0]) if len(n) else 0
    return float(n.sum()) / base if base else math.nan


def summarise_rating(answers: pd.DataFrame, *, question: str, item: str = "") -> dict:
    """Mean, SD and 95 % interval of one rating, with its base and non-answers.

    Returns
    -------
    dict
        n (opinions), base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high.
    """
    rows = rows_of(answers, question, item)
    return rating_stats(rows)
