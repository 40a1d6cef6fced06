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
    distinct_counts,
    frame,
    given_mask,
    group_of,
    kind_of,
    opinion_answers,
    positions,
    respondent_codes,
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
                         titles: dict[str, str] | None = None,
                         groups: pd.Series | None = None) -> pd.DataFrame:
    """Distribution of every item of a battery (or of several rating questions on one scale).

    Parameters
    ----------
    question : a battery question; its items are the rows.
    questions : instead, rating questions sharing a scale; each is a row.
    codebook : for the scale's codes (zero counts included), the items' order and wording.
    titles : item (or question) id -> short text shown for it.
    groups : each respondent's group (index respondent): the table then starts with a
        column ``group`` and holds the rows above once per group, counted on its
        respondents only (:func:`~lnutils.analysis.summaries.answers.group_of`).

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
    names = ["item", "title", "code", "label", "kind", "n", "base", "n_opinion",
             "share_opinion"]
    blocks, keys = [], [None]
    for piece_items, rows, qid in pieces:
        block, keys = _item_counts(rows, list(piece_items), categories(rows, qid, codebook),
                                   groups, titles)
        blocks.append(block)
    # group after group; within a group the pieces, items and codes in order
    columns = {name: (np.concatenate([b[name] for b in blocks], axis=1).ravel().tolist()
                      if blocks else []) for name in names}
    out = frame(columns, names)
    out.insert(7, "share", [n / b if b else math.nan for n, b in zip(out["n"], out["base"],
                                                                      strict=True)])
    if groups is not None:
        width = len(out) // len(keys) if keys else 0
        out.insert(0, "group", [k for k in keys for _ in range(width)])
    return out


def _item_counts(rows: pd.DataFrame, items: list, cats: list, groups: pd.Series | None,
                 titles: dict) -> tuple[dict[str, np.ndarray], list]:
    """The columns of :func:`battery_distribution` for one question, shaped (group, row).

    One pass over the question's answers: respondents per group, item and code; answers
    (the base) and opinions per group and item.
    """
    where, keys = group_of(rows["respondent"], groups)
    size, width, n_items = len(keys), len(cats), len(items)
    who = respondent_codes(rows)
    given = given_mask(rows) & (where >= 0)
    item_at = positions(rows["item"], items)
    codes = list(dict.fromkeys(c for c, _, _ in cats))
    code_at = positions(rows["code"], codes)
    counted = given & (item_at >= 0)
    cell = where * n_items + item_at
    bases = np.bincount(cell[counted], minlength=size * n_items).reshape(size, n_items)
    opinion_rows = counted & rows["nonanswer"].isna().to_numpy(bool)
    opinions = np.bincount(cell[opinion_rows],
                           minlength=size * n_items).reshape(size, n_items)
    bucket = np.where(counted & (code_at >= 0), cell * len(codes) + code_at, -1)
    found = distinct_counts(bucket, who, size * n_items * len(codes))
    n = found.reshape(size, n_items, len(codes))[:, :, [codes.index(c) for c, _, _ in cats]]
    is_opinion = np.array([pd.isna(kind) for _, _, kind in cats], dtype=bool)
    base = np.repeat(bases, width, axis=1)
    n_opinion = np.repeat(opinions, width, axis=1)
    n = n.reshape(size, n_items * width)
    usable = (n_opinion > 0) & np.tile(is_opinion, n_items)
    share_opinion = np.where(usable, n / np.where(usable, n_opinion, 1), math.nan)

    def repeated(values: list) -> np.ndarray:  # one value per row of a group, every group
        row = np.empty(len(values), dtype=object)
        row[:] = values
        return np.tile(row, (size, 1))

    return {"item": repeated([i for i in items for _ in cats]),
            "title": repeated([titles.get(i, i) for i in items for _ in cats]),
            "code": repeated([c for _ in items for c, _, _ in cats]),
            "label": repeated([lab for _ in items for _, lab, _ in cats]),
            "kind": repeated([kind_of(k) for _ in items for _, _, k in cats]),
            "n": n, "base": base, "n_opinion": n_opinion,
            "share_opinion": share_opinion}, keys


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
    opinion = np.asarray(distribution["kind"], dtype=object) == OPINION
    return count_stats(np.asarray(distribution["code"], dtype=float)[opinion],
                       np.asarray(distribution["n"], dtype=int)[opinion])


def count_stats(codes: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """:func:`distribution_stats` of opinions given as their codes and counts (arrays).

    Returns
    -------
    dict
        n, mean, sd, low, high (:func:`~lnutils.analysis.stats.mean_ci` of the
        answers), lower_half, upper_half (:func:`half_shares`).
    """
    stats = mean_ci(np.repeat(codes, counts))
    halves = _halves(codes, counts.astype(float))
    return {**stats, "lower_half": halves["lower_half"], "upper_half": halves["upper_half"]}


def _halves(codes: np.ndarray, counts: np.ndarray) -> dict[str, float]:
    """:func:`half_shares` on arrays of opinion codes and their counts."""
    steps = [int(c) for c in codes]
    lower, upper, middle = scale_halves(steps)
    total = float(counts.sum())
    if not total:
        return {"n_opinion": 0, **dict.fromkeys(
            ("lower", "middle", "upper", "lower_half", "upper_half"), math.nan)}
    # whole counts (as floats: sums exact in any order); plain Python on a few steps
    lower, upper, counted = set(lower), set(upper), counts.tolist()

    def share(wanted: set) -> np.float64:
        return np.float64(sum(n for c, n in zip(steps, counted, strict=True)
                              if c in wanted)) / total

    low, high = share(lower), share(upper)
    mid = share({middle}) if middle is not None else 0.0
    return {"n_opinion": int(total), "lower": low, "middle": mid, "upper": high,
            "lower_half": low + mid / 2, "upper_half": high + mid / 2}


def battery_means(answers: pd.DataFrame, *, question: str, codebook,
                  titles: dict[str, str] | None = None,
                  groups: pd.Series | None = None) -> pd.DataFrame:
    """Mean, SD, interval and the shares in each half of the scale, per battery item.

    Parameters
    ----------
    groups : each respondent's group (index respondent): the table then starts with a
        column ``group`` and holds every item once per group, computed on its
        respondents only (as :func:`battery_distribution`).

    Returns
    -------
    DataFrame
        item, title, n, base, n_vet_ikke, n_ikke_deltatt, mean, sd, low, high, n_top,
        share_top, top_low, top_high (share of opinions in the upper half's whole steps,
        4–6 on 1–6, with Wilson bounds), lower_half, upper_half (0-1, the middle step of
        an odd scale split half and half: :func:`half_shares`), sorted as in the
        questionnaire.
    """
    dist = battery_distribution(answers, question=question, codebook=codebook, titles=titles,
                                groups=groups)
    opinion_codes = sorted(dist.loc[dist["kind"] == OPINION, "code"].unique())
    _, top, _ = scale_halves(opinion_codes)
    records = []
    # Everything per item follows from the distribution's counts (one row per respondent
    # and item), so the means are of the very answers the figure draws. Plain arrays:
    # the facts call this for every battery and every group.
    items, kinds = dist["item"].to_numpy(dtype=object), dist["kind"].to_numpy(dtype=object)
    codes, counts = dist["code"].to_numpy(dtype=float), dist["n"].to_numpy(dtype=int)
    titles_of, bases = dist["title"].to_numpy(dtype=object), dist["base"].to_numpy()
    owners = dist["group"].to_numpy(dtype=object) if groups is not None else None
    # an item's rows are consecutive (within its group's)
    bounds = [i for i in range(len(items)) if i == 0 or items[i] != items[i - 1]
              or (owners is not None and owners[i] != owners[i - 1])]
    opinion = kinds == OPINION
    if bounds:  # whole counts per item: opinions in the upper half, each non-answer
        n_top, n_vet_ikke, n_ikke_deltatt = (
            np.add.reduceat(np.where(mask, counts, 0), bounds)
            for mask in (opinion & np.isin(codes, top), kinds == "vet_ikke",
                         kinds == "ikke_deltatt"))
    ends = [*bounds[1:], len(items)] if bounds else []
    for i, (start, stop) in enumerate(zip(bounds, ends, strict=True)):
        mine = opinion[start:stop]
        stats = count_stats(codes[start:stop][mine], counts[start:stop][mine])
        top_n = int(n_top[i])
        low, high = wilson_interval(top_n, stats["n"]) if stats["n"] else (math.nan,) * 2
        group = {} if owners is None else {"group": owners[start]}
        records.append({**group, "item": items[start], "title": titles_of[stop - 1],
                        "n": stats["n"], "base": int(bases[stop - 1]),
                        "n_vet_ikke": int(n_vet_ikke[i]),
                        "n_ikke_deltatt": int(n_ikke_deltatt[i]),
                        "mean": stats["mean"], "sd": stats["sd"], "low": stats["low"],
                        "high": stats["high"], "n_top": top_n,
                        "share_top": top_n / stats["n"] if stats["n"] else math.nan,
                        "top_low": low, "top_high": high,
                        "lower_half": stats["lower_half"], "upper_half": stats["upper_half"]})
    return pd.DataFrame(records)


def mean_order(values: Sequence[float]) -> list[tuple[int, int]]:
    """The ranking of :func:`rank_by_mean` on plain values: (position, rank), best first.

    Missing values are left out; equal values share the lowest rank, in order of position.
    """
    present = sorted(((i, float(v)) for i, v in enumerate(values) if not pd.isna(v)),
                     key=lambda pair: (-pair[1], pair[0]))
    order, rank = [], 0
    for place, (i, value) in enumerate(present):
        if not place or value != present[place - 1][1]:
            rank = place + 1
        order.append((i, rank))
    return order


def ends(keys: Sequence, values: Sequence[float]) -> dict[str, list]:
    """:func:`best_and_worst` on plain lists: the keys sharing the highest and lowest value."""
    numbers = [v for v in values if not pd.isna(v)]
    if not numbers:
        return {"best": [], "worst": []}
    best, worst = max(numbers), min(numbers)
    pairs = [(k, v) for k, v in zip(keys, values, strict=True) if not pd.isna(v)]
    return {"best": [k for k, v in pairs if v == best],
            "worst": [k for k, v in pairs if v == worst]}


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
    order = mean_order(rows[value].tolist())
    ranks = np.array([rank for _, rank in order], dtype=int)
    return rows.iloc[[i for i, _ in order]].assign(rank=ranks).reset_index(drop=True)


def best_and_worst(ranked: pd.DataFrame, *, key: str = "item", value: str = "mean"
                   ) -> dict[str, list]:
    """The rows sharing the best and the worst mean of :func:`rank_by_mean` (keys)."""
    if ranked.empty:
        return {"best": [], "worst": []}
    return ends(ranked[key].tolist(), ranked[value].tolist())
