"""Who was asked each question, who answered it, and every kind of non-answer.

One code path for the method appendix's table of item non-response and for the facts
``q.<id>.asked``, ``.answered`` and ``.nonanswer.<kind>``. Counts are respondents: a
respondent is *asked* unless routing skipped them, has *answered* when any row of the
question (any battery item) holds an opinion, or for a multiple choice when any option
is ticked; each kind of non-answer counts the respondents with at least one answer of
that kind (a battery respondent with "Vet ikke" on one item and a blank on another
counts under both).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from lnutils.analysis.summaries.answers import group_of

NONANSWER_KINDS = ("vet_ikke", "ikke_deltatt", "other")
ALL_KINDS = (*NONANSWER_KINDS, "missing", "not_asked")


def question_states(rows: pd.DataFrame, *, multi: bool = False) -> pd.DataFrame:
    """Per respondent of one question: asked, answered and one flag per non-answer kind.

    Parameters
    ----------
    rows : the answer rows of one question (every item).
    multi : a multiple choice (an unticked box is no answer, a ticked one is).

    Returns
    -------
    DataFrame
        Index respondent; boolean columns asked, answered, and one per kind in
        :data:`ALL_KINDS`. ``missing`` is set only for asked respondents with neither an
        answer nor another non-answer (a blank, as the method table counts it).
    """
    ids, flags = answer_flags(rows, multi=multi)
    per = pd.DataFrame(flags, index=pd.Index(ids, name="respondent"))
    return per[["asked", "answered", *ALL_KINDS]]


def answer_flags(rows: pd.DataFrame, *, multi: bool = False
                 ) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Respondent ids and, per state of :func:`question_states`, one boolean per respondent.

    Plain numpy: the facts call this for every question and every group.
    """
    kinds = rows["nonanswer"].fillna("").to_numpy(dtype=object)
    # An opinion is a row with no non-answer kind (a text answer included).
    opinion = (rows["code"].fillna(0).to_numpy() == 1) if multi else (kinds == "")
    # factorize hashes (linear time); sorting ten thousand ids per question would not be
    where, ids = pd.factorize(rows["respondent"].to_numpy(dtype=object))
    ids = np.asarray(ids, dtype=object)

    def any_of(mask) -> np.ndarray:  # per respondent: does any of their rows match?
        return np.bincount(where, weights=mask, minlength=len(ids)) > 0

    flags = {"answered": any_of(opinion), **{k: any_of(kinds == k) for k in ALL_KINDS}}
    shown = flags["vet_ikke"] | flags["ikke_deltatt"] | flags["other"]
    asked = ~flags["not_asked"] | flags["answered"] | shown | flags["missing"]
    flags.update(asked=asked, not_asked=~asked,
                 missing=asked & ~flags["answered"] & ~shown)
    if multi:
        # For a multiple choice the kinds are not used: an asked respondent ticked or not.
        flags.update({k: np.zeros(len(ids), bool) for k in NONANSWER_KINDS})
    return ids, flags


def question_counts(rows: pd.DataFrame, *, multi: bool = False) -> dict[str, int]:
    """asked, answered and one count per kind in :data:`ALL_KINDS` (0 when none)."""
    _, counts = group_counts(*answer_flags(rows, multi=multi))
    return {k: int(v[0]) for k, v in counts.items()}


def group_counts(ids: np.ndarray, flags: dict[str, np.ndarray], groups: pd.Series | None = None
                 ) -> tuple[list, dict[str, np.ndarray]]:
    """:func:`question_counts` per group, from what :func:`answer_flags` gives.

    Parameters
    ----------
    ids, flags : respondents and their flags (any booleans per respondent).
    groups : each respondent's group (index respondent; None: everybody in one group);
        see :func:`~lnutils.analysis.summaries.answers.group_of`.

    Returns
    -------
    groups, counts
        The groups in order, and per flag the number of respondents of each group
        for whom it holds.
    """
    where, keys = group_of(ids, groups)
    inside = where >= 0
    return keys, {k: np.bincount(where[inside], weights=v[inside],
                                 minlength=len(keys)).astype(np.int64)
                  for k, v in flags.items()}


def item_nonresponse(survey) -> pd.DataFrame:
    """Per question: respondents asked, answered, non-answers ("Vet ikke" ...) and blanks.

    Respondents the routing did not ask are left out of the base. Columns: question,
    number, text, type, asked, answered, nonanswer (respondents with a "Vet ikke",
    "Ikke deltatt" or other non-answer and no opinion), missing (blank), missing_share
    (missing / asked, 0-1; NaN when nobody was asked).
    """
    answers = survey.answers
    by_question = dict(tuple(answers.groupby("question", sort=False)))
    out = []
    for q in survey.codebook.questions:
        rows = by_question.get(q.id, answers.iloc[0:0])
        states = question_states(rows, multi=q.type == "multi")
        asked = states[states["asked"]]
        other = asked[~asked["answered"]][list(NONANSWER_KINDS)].any(axis=1)
        missing = int(asked["missing"].sum())
        out.append({"question": q.id, "number": q.number, "text": q.text or q.id,
                    "type": q.type, "asked": len(asked),
                    "answered": int(asked["answered"].sum()), "nonanswer": int(other.sum()),
                    "missing": missing,
                    "missing_share": missing / len(asked) if len(asked) else float("nan")})
    return pd.DataFrame(out, columns=["question", "number", "text", "type", "asked",
                                      "answered", "nonanswer", "missing", "missing_share"])
