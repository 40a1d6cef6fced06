"""Paired ratings and batteries of rated items: distributions, means, scale halves."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from lnutils.analysis.stats import mean_ci, wilson_interval
from lnutils.analysis.summaries.answers import (
    OPINION,
    categories,
    given_answers,
    kind_of,
    opinion_answers,
    rows_of,
    scale_range,
)


def paired_ratings(answers: pd.DataFrame, *, questions: Sequence[str],
                   titles: Sequence[str] | None = None, codebook=None) -> pd.DataFrame:
    """Two ratings given by the same respondents (e.g. own versus the team's effort).

    Only respondents with an opinion on both questions count, so the two means share
    one base and their difference is a paired one.

    Parameters
    ----------
    questions : two question ids, ``(first, second)``.
    titles : short Norwegian names for the two (default: the question ids).
    codebook : gives the first question's scale (columns scale_min, scale_max; NA without).

    Returns
    -------
    DataFrame
        Three rows, ``measure`` = first id, second id and ``"differanse"`` (second minus
        first, per respondent): title, n, mean, sd, low, high; on every row n_higher,
        n_equal, n_lower (respondents whose second rating is above, equal to or below
        their first); scale_min, scale_max.
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
    return pd.DataFrame(records).assign(**scale_range(codebook, first))


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
        non-answers).
    """
    if (question is None) == (questions is None):
        raise ValueError("give either question= (a battery) or questions= (ratings)")
    if question is not None:
        q_rows = rows_of(answers, question)
        if codebook is not None:
            items = dict(codebook.question(question).items or {})
        else:
            items = {i: i for i in dict.fromkeys(q_rows["item"])}
        pieces = [(items, q_rows, question)]
    else:
        items = {}
        for q in questions:
            text = codebook.question(q).text if codebook is not None else ""
            items[q] = text or q
        pieces = [({q: items[q]}, rows_of(answers, q, "").assign(item=q), q)
                  for q in questions]
    titles = {**items, **(titles or {})}
    records = []
    for piece_items, rows, qid in pieces:
        # One pass over the question's answers: counts per item and code, bases per item.
        given = given_answers(rows)
        counts = given.groupby(["item", "code"])["respondent"].nunique().to_dict()
        bases = given.groupby("item").size().to_dict()
        opinions = given[given["nonanswer"].isna()].groupby("item").size().to_dict()
        cats = categories(rows, qid, codebook)
        for item in piece_items:
            base, n_opinion = int(bases.get(item, 0)), int(opinions.get(item, 0))
            for code, label, kind in cats:
                n = int(counts.get((item, code), 0))
                records.append({"item": item, "title": titles.get(item, item), "code": code,
                                "label": label, "kind": kind_of(kind), "n": n, "base": base,
                                "n_opinion": n_opinion,
                                "share_opinion": (n / n_opinion if n_opinion and pd.isna(kind)
                                                  else math.nan)})
    out = pd.DataFrame(records, columns=["item", "title", "code", "label", "kind", "n", "base",
                                         "n_opinion", "share_opinion"])
    out.insert(7, "share", [n / b if b else math.nan for n, b in zip(out["n"], out["base"],
                                                                      strict=True)])
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


def half_shares(distribution: pd.DataFrame) -> dict[str, float]:
    """Shares of the opinions in the lower and upper half of the scale, as the figures split it.

    Parameters
    ----------
    distribution : the rows of one question or item with columns code, kind and n, every
        code of the scale present (as :func:`~lnutils.analysis.summaries.count_choice`
        and :func:`battery_distribution` give them with a codebook).

    Returns
    -------
    dict
        n_opinion; lower, middle, upper (whole steps, 0-1 of the opinions); lower_half
        and upper_half (0-1): on an odd scale the middle step counts half to each side,
        as the diverging figure draws it, so the two add up to 1. NaN without opinions.
    """
    opinions = distribution["kind"].to_numpy(dtype=object) == OPINION
    return _halves(distribution["code"].to_numpy(dtype=float)[opinions],
                   distribution["n"].to_numpy(dtype=float)[opinions])


def distribution_stats(distribution: pd.DataFrame) -> dict[str, float]:
    """Mean, SD, t interval and halves of one question's or item's distribution.

    The same numbers :func:`battery_means` gives per item, for a rating's
    :func:`~lnutils.analysis.summaries.count_choice` table: computed from the counts the
    figure draws (non-answers left out).

    Returns
    -------
    dict
        n (opinions), mean, sd, low, high, lower_half, upper_half (0-1).
    """
    opinion = distribution["kind"].to_numpy(dtype=object) == OPINION
    codes = distribution["code"].to_numpy(dtype=float)[opinion]
    counts = distribution["n"].to_numpy(dtype=int)[opinion]
    stats = mean_ci(np.repeat(codes, counts))
    halves = _halves(codes, counts.astype(float))
    return {**stats, "lower_half": halves["lower_half"], "upper_half": halves["upper_half"]}


def _halves(codes: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """:func:`half_shares` on arrays of opinion codes and their counts."""
    lower, upper, middle = scale_halves([int(c) for c in codes])
    total = float(counts.sum())
    if not total:
        return {"n_opinion": 0, **dict.fromkeys(
            ("lower", "middle", "upper", "lower_half", "upper_half"), math.nan)}
    low = counts[np.isin(codes, lower)].sum() / total
    high = counts[np.isin(codes, upper)].sum() / total
    mid = counts[codes == middle].sum() / total if middle is not None else 0.0
    return {"n_opinion": int(total), "lower": low, "middle": mid, "upper": high,
            "lower_half": low + mid / 2, "upper_half": high + mid / 2}


def battery_means(answers: pd.DataFrame, *, question: str, codebook,
                  titles: dict[str, str] | None = None) -> pd.DataFrame:
    """Mean, SD, interval and the shares in each half of the scale, per battery item.

    Returns
    -------
    DataFrame
        item, title, n, base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high, n_top,
        share_top, top_low, top_high (share of opinions in the upper half's whole steps,
        4–6 on 1–6, with Wilson bounds), lower_half, upper_half (0-1, the middle step of
        an odd scale split half and half: :func:`half_shares`), sorted as in the
        questionnaire.
    """
    dist = battery_distribution(answers, question=question, codebook=codebook, titles=titles)
    opinion_codes = sorted(dist.loc[dist["kind"] == OPINION, "code"].unique())
    _, top, _ = scale_halves(opinion_codes)
    records = []
    # Everything per item follows from the distribution's counts (one row per respondent
    # and item), so the means are of the very answers the figure draws. Plain arrays:
    # the facts call this for every battery and every group.
    items, kinds = dist["item"].to_numpy(dtype=object), dist["kind"].to_numpy(dtype=object)
    codes, counts = dist["code"].to_numpy(dtype=float), dist["n"].to_numpy(dtype=int)
    titles_of = dict(zip(items, dist["title"], strict=True))
    bases = dict(zip(items, dist["base"], strict=True))
    for item in dict.fromkeys(items):
        rows = items == item
        opinion = rows & (kinds == OPINION)
        stats = mean_ci(np.repeat(codes[opinion], counts[opinion]))
        n_top = int(counts[opinion & np.isin(codes, top)].sum())
        low, high = wilson_interval(n_top, stats["n"]) if stats["n"] else (math.nan,) * 2
        halves = _halves(codes[opinion], counts[opinion].astype(float))
        records.append({"item": item, "title": titles_of[item], "n": stats["n"],
                        "base": int(bases[item]),
                        "n_vet_ikke": int(counts[rows & (kinds == "vet_ikke")].sum()),
                        "n_ikke_deltatt": int(counts[rows & (kinds == "ikke_deltatt")].sum()),
                        "mean": stats["mean"], "sd": stats["sd"], "low": stats["low"],
                        "high": stats["high"], "n_top": n_top,
                        "share_top": n_top / stats["n"] if stats["n"] else math.nan,
                        "top_low": low, "top_high": high,
                        "lower_half": halves["lower_half"], "upper_half": halves["upper_half"]})
    return pd.DataFrame(records)


def rank_by_mean(means: pd.DataFrame, *, value: str = "mean") -> pd.DataFrame:
    """Items (or groups) ranked by their mean, best first, ties sharing a rank.

    Two means tie when they are equal as numbers: a mean is a sum of whole codes over a
    count, so equal fractions give equal floats. Rows without a mean are left out.

    Parameters
    ----------
    means : e.g. :func:`battery_means` or a ``mean_by_group`` table.
    value : the column ranked.

    Returns
    -------
    DataFrame
        The rows with a mean, best first (questionnaire order within a tie), with
        ``rank`` (1 = best; tied rows share the lowest rank, as in 1, 1, 3).
    """
    rows = means[means[value].notna()].reset_index(drop=True)
    rows = rows.assign(_order=range(len(rows))).sort_values([value, "_order"],
                                                            ascending=[False, True])
    ranks = rows[value].rank(method="min", ascending=False).astype(int)
    return rows.assign(rank=ranks).drop(columns="_order").reset_index(drop=True)


def best_and_worst(ranked: pd.DataFrame, *, key: str = "item", value: str = "mean"
                   ) -> dict[str, list]:
    """The rows sharing the best and the worst mean of :func:`rank_by_mean` (keys)."""
    if ranked.empty:
        return {"best": [], "worst": []}
    best, worst = ranked[value].max(), ranked[value].min()
    return {"best": list(ranked.loc[ranked[value] == best, key]),
            "worst": list(ranked.loc[ranked[value] == worst, key])}
