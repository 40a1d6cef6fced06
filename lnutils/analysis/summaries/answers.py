"""Shared pieces of the summaries: constants, selecting answers, Wilson columns, categories."""

from __future__ import annotations

import math

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


def given_answers(rows: pd.DataFrame) -> pd.DataFrame:
    """Answers inside the base: opinions and shown non-answers ("Vet ikke", ...)."""
    return rows[rows["code"].notna() & (rows["nonanswer"].isna()
                                        | rows["nonanswer"].isin(SHOWN_NONANSWERS))]


def opinion_answers(rows: pd.DataFrame) -> pd.DataFrame:
    """Answers on the scale or options only (no non-answers): what means are made of."""
    return rows[rows["code"].notna() & rows["nonanswer"].isna()]


def outside(rows: pd.DataFrame) -> dict[str, int]:
    kinds = rows["nonanswer"]
    return {"missing": int((kinds == "missing").sum()),
            "not_asked": int((kinds == "not_asked").sum())}


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
