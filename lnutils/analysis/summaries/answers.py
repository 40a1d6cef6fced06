"""Shared pieces of the summaries: constants, selecting answers, Wilson columns, categories.

Also the pieces of a summary by respondent group (``groups=``): every summary that takes
one counts each group's respondents apart in one pass over the question's rows, so that
a table per group costs about as much as one table (the facts make thousands of them).
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence

import numpy as np
import pandas as pd

from lnutils.analysis.stats import mean_ci, wilson_interval

ALL = "Alle"
OPINION = "svar"  # value of ``kind`` for an opinion (not a non-answer)
SHOWN_NONANSWERS = ("vet_ikke", "ikke_deltatt", "other")


def rows_of(answers: pd.DataFrame, question: str, item: str | None = None) -> pd.DataFrame:
    """Rows of one question (and item); a clear error for a question that is not there."""
    rows = answers[answers["question"] == question]
    if rows.empty and not answers.empty:
        known = ", ".join(sorted(answers["question"].unique())[:30])
        raise KeyError(f"question {question!r} is not in the answers; known questions: {known}")
    if item is not None:
        rows = rows[rows["item"] == item]
    return rows


def given_mask(rows: pd.DataFrame) -> np.ndarray:
    """Per row, whether it is inside the base (see :func:`given_answers`)."""
    return (rows["code"].notna() & (rows["nonanswer"].isna()
                                    | rows["nonanswer"].isin(SHOWN_NONANSWERS))).to_numpy(bool)


def given_answers(rows: pd.DataFrame) -> pd.DataFrame:
    """Answers inside the base: opinions and shown non-answers ("Vet ikke", ...)."""
    return rows[given_mask(rows)]


def opinion_answers(rows: pd.DataFrame) -> pd.DataFrame:
    """Answers on the scale or options only (no non-answers): what means are made of."""
    return rows[rows["code"].notna() & rows["nonanswer"].isna()]


def with_wilson(frame: pd.DataFrame, n: str = "n", base: str = "base") -> pd.DataFrame:
    out = frame.copy()
    bounds = [wilson_interval(int(k), int(b)) if b > 0 else (math.nan, math.nan)
              for k, b in zip(out[n], out[base], strict=True)]
    out["share"] = [k / b if b > 0 else math.nan for k, b in zip(out[n], out[base],
                                                                   strict=True)]
    out["low"] = [lo for lo, _ in bounds]
    out["high"] = [hi for _, hi in bounds]
    return out


def categories(rows: pd.DataFrame, question: str, codebook) -> list[tuple[int, str, object]]:
    """(code, label, nonanswer kind or NA) in questionnaire order."""
    if codebook is not None:
        q = codebook.question(question)
        cats = [(c, lab, pd.NA) for c, lab in q.codes().items()]
        cats += [(c, lab, q.nonanswer_kind(c)) for c, lab in q.nonanswers().items()]
        return cats
    seen = given_answers(rows).drop_duplicates("code")
    seen = seen.assign(_na=seen["nonanswer"].notna()).sort_values(["_na", "code"])
    return [(int(r.code), r.label, r.nonanswer) for r in seen.itertuples()]


def kind_of(nonanswer) -> str:
    return OPINION if pd.isna(nonanswer) else str(nonanswer)


def rating_stats(rows: pd.DataFrame) -> dict:
    given = given_answers(rows)
    stats = mean_ci(opinion_answers(given)["code"].astype(float))
    return {"n": stats["n"], "base": len(given),
            "n_vet_ikke": int((given["nonanswer"] == "vet_ikke").sum()),
            "n_ikke_deltatt": int((given["nonanswer"] == "ikke_deltatt").sum()),
            "mean": stats["mean"], "sd": stats["sd"], "low": stats["low"],
            "high": stats["high"]}


def scale_range(codebook, question: str) -> dict[str, object]:
    """``{"scale_min": lowest, "scale_max": highest}`` opinion code of a question (NA: unknown).

    The scale is the codebook's, never assumed: figures and captions of means read it
    from these columns.
    """
    if codebook is None:
        return {"scale_min": pd.NA, "scale_max": pd.NA}
    codes = list(codebook.question(question).codes())
    if not codes:
        return {"scale_min": pd.NA, "scale_max": pd.NA}
    return {"scale_min": min(codes), "scale_max": max(codes)}


def group_of(respondents, groups: pd.Series | None) -> tuple[np.ndarray, list[Hashable]]:
    """Each respondent's group, as a position in the list of groups (-1: in none).

    Parameters
    ----------
    respondents : respondent ids (e.g. a question's ``respondent`` column).
    groups : each respondent's group (index respondent, one entry each; NA: in no
        group). None puts everybody in one group, named None.

    Returns
    -------
    positions, groups
        The groups are listed in order of first appearance in ``groups``, those whose
        respondents have no answer rows included (their counts are zero).
    """
    if groups is None:
        return np.zeros(len(respondents), dtype=np.intp), [None]
    if not groups.index.is_unique:
        raise ValueError("groups= needs one entry per respondent")
    codes, keys = pd.factorize(groups, sort=False)
    ids, wanted = groups.index.to_numpy(), np.asarray(respondents)
    if ids.dtype.kind in "iu" and wanted.dtype.kind in "iu" and len(ids) and len(wanted) \
            and ids.min() >= 0 and wanted.min() >= 0:
        # respondents numbered (as the facts number them): a look-up table
        table = np.full(max(int(ids.max()), int(wanted.max())) + 1, -1, dtype=np.intp)
        table[ids] = codes
        return table[wanted], keys.tolist()
    where = groups.index.get_indexer(pd.Index(respondents))
    found = where >= 0
    out = np.full(len(where), -1, dtype=np.intp)
    out[found] = codes[where[found]]
    return out, keys.tolist()


def respondent_codes(rows: pd.DataFrame) -> np.ndarray:
    """Each row's respondent as a number (-1 for a missing id)."""
    return pd.factorize(rows["respondent"])[0]


def distinct_counts(bucket: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """How many distinct values (numbers; -1 left out) each bucket holds.

    The grouped form of ``groupby(...)["respondent"].nunique()``: ``bucket`` numbers each
    row's cell (group, code, ...) in ``range(size)`` (-1: in none), ``values`` its
    respondent (:func:`respondent_codes`).
    """
    keep = (bucket >= 0) & (values >= 0)
    if not keep.any():
        return np.zeros(size, dtype=np.int64)
    width = int(values[keep].max()) + 1
    pairs = bucket[keep].astype(np.int64) * width + values[keep]
    if size * width <= 64 * len(pairs) + 4096:  # few possible pairs: mark them
        seen = np.zeros(size * width, dtype=bool)
        seen[pairs] = True
        pairs = np.flatnonzero(seen)
    else:
        pairs = np.unique(pairs)
    return np.bincount(pairs // width, minlength=size)


def positions(values, among: Sequence[Hashable]) -> np.ndarray:
    """Each value's position in ``among`` (its first), -1 when absent or missing."""
    where: dict = {}
    for i, value in enumerate(among):
        where.setdefault(value, i)
    found, distinct = pd.factorize(values)  # -1 for a missing value
    return np.array([where.get(v, -1) for v in distinct.tolist()] + [-1],
                    dtype=np.intp)[found]


def frame(columns: dict[str, list], names: Sequence[str]) -> pd.DataFrame:
    """A table from its columns; with no rows, as ``pd.DataFrame([], columns=names)``."""
    if not len(next(iter(columns.values()), [])):
        return pd.DataFrame([], columns=list(names))
    return pd.DataFrame(columns, columns=list(names))
