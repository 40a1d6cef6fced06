"""Paired ratings and batteries of rated items: distributions, means, scale halves."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from lnutils.analysis.stats import mean_ci, wilson_interval
from lnutils.analysis.summaries.answers import (
    OPINION,
    categories,
    given_answers,
    kind_of,
    opinion_answers,
    rating_stats,
    rows_of,
)


def paired_ratings(answers: pd.DataFrame, *, questions: Sequence[str],
                   titles: Sequence[str] | None = None) -> pd.DataFrame:
    """Two ratings given by the same respondents (e.g. own versus the team's effort).

    Only respondents with an opinion on both questions count, so the two means share
    one base and their difference is a paired one.

    Parameters
    ----------
    questions : two question ids, ``(first, second)``.
    titles : short Norwegian names for the two (default: the question ids).

    Returns
    -------
    DataFrame
        Three rows, ``measure`` = first id, second id and ``"differanse"`` (second minus
        first, per respondent): title, n, mean, sd, low, high; on every row n_higher,
        n_equal, n_lower (respondents whose second rating is above, equal to or below
        their first).
    """
    first, second = questions
    titles = list(titles) if titles is not None else [first, second]
    values = {}
    for q in (first, second):
        opinions = opinion_answers(rows_of(answers, q, ""))
        values[q] = opinions.set_index("respondent")["code"].astype(float)
    both = pd.concat(values, axis=1, join="inner")
    diff = both[second] - both[first] if len(both) else pd.Series(dtype=float)
    counts = {"n_higher": int((diff > 0).sum()), "n_equal": int((diff == 0).sum()),
              "n_lower": int((diff < 0).sum())}
    records = [{"measure": q, "title": t, **mean_ci(both[q] if len(both) else []), **counts}
               for q, t in zip((first, second), titles, strict=True)]
    records.append({"measure": "differanse", "title": "Differanse", **mean_ci(diff),
                    **counts})
    out = pd.DataFrame(records)
    out.attrs.update(questions=[first, second])
    return out


def battery_distribution(answers: pd.DataFrame, *, question: str | None = None,
                         questions: Sequence[str] | None = None, codebook,
                         titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Distribution of every item of a battery (or of several rating questions on one scale).

    Parameters
    ----------
    question : a battery question; its items are the rows.
    questions : instead, rating questions sharing a scale; each is a row.
    codebook : for the scale's codes (zero counts included), the items' order and wording.
    titles : item (or question) id -> short text shown for it.

    Returns
    -------
    DataFrame
        item, title, code, label, kind, n, base (answers to the item, non-answers
        included), share (of base), n_opinion, share_opinion (of the opinions; NaN for
        non-answers). ``attrs``: question or questions.
    """
    if (question is None) == (questions is None):
        raise ValueError("give either question= (a battery) or questions= (ratings)")
    if question is not None:
        q_rows = rows_of(answers, question)
        if codebook is not None:
            items = dict(codebook.question(question).items or {})
        else:
            items = {i: i for i in dict.fromkeys(q_rows["item"])}
        pieces = [(item, q_rows[q_rows["item"] == item], question) for item in items]
    else:
        items = {}
        for q in questions:
            text = codebook.question(q).text if codebook is not None else ""
            items[q] = text or q
        pieces = [(q, rows_of(answers, q, ""), q) for q in questions]
    titles = {**items, **(titles or {})}
    records = []
    for item, rows, qid in pieces:
        given = given_answers(rows)
        n_opinion = len(opinion_answers(given))
        counts = given.groupby("code")["respondent"].nunique()
        for code, label, kind in categories(rows, qid, codebook):
            n = int(counts.get(code, 0))
            records.append({"item": item, "title": titles.get(item, item), "code": code,
                            "label": label, "kind": kind_of(kind), "n": n, "base": len(given),
                            "n_opinion": n_opinion,
                            "share_opinion": (n / n_opinion if n_opinion and pd.isna(kind)
                                              else math.nan)})
    out = pd.DataFrame(records, columns=["item", "title", "code", "label", "kind", "n", "base",
                                         "n_opinion", "share_opinion"])
    out.insert(7, "share", [n / b if b else math.nan for n, b in zip(out["n"], out["base"],
                                                                      strict=True)])
    out.attrs.update(question=question, questions=list(questions or []))
    return out


def scale_halves(codes: Sequence[int]) -> tuple[list[int], list[int], int | None]:
    """Split an ordered scale into (negative, positive, middle) codes.

    1–6 splits 1–3 | 4–6 with no middle; a five-step scale splits 1–2 | 4–5 with 3 as
    the middle.
    """
    codes = sorted(codes)
    half = len(codes) // 2
    middle = codes[half] if len(codes) % 2 else None
    return codes[:half], codes[len(codes) - half:], middle


def battery_means(answers: pd.DataFrame, *, question: str, codebook,
                  titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Mean, SD, interval and share in the upper half of the scale, per battery item.

    Returns
    -------
    DataFrame
        item, title, n, base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high, n_top,
        share_top, top_low, top_high (share of opinions in the upper half, 4–6 on 1–6,
        with Wilson bounds), sorted as in the questionnaire.
    """
    dist = battery_distribution(answers, question=question, codebook=codebook, titles=titles)
    opinion_codes = sorted(dist.loc[dist["kind"] == OPINION, "code"].unique())
    _, top, _ = scale_halves(opinion_codes)
    q_rows = rows_of(answers, question)
    records = []
    for item, title in dict(zip(dist["item"], dist["title"], strict=True)).items():
        stats = rating_stats(q_rows[q_rows["item"] == item])
        n_top = int(dist[(dist["item"] == item) & dist["code"].isin(top)]["n"].sum())
        low, high = wilson_interval(n_top, stats["n"]) if stats["n"] else (math.nan,) * 2
        records.append({"item": item, "title": title, **stats, "n_top": n_top,
                        "share_top": n_top / stats["n"] if stats["n"] else math.nan,
                        "top_low": low, "top_high": high})
    out = pd.DataFrame(records)
    out.attrs.update(question=question)
    return out
