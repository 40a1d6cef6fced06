"""Parts of a survey: the respondents of one fan-out value (a sub-report's region)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from lnutils.inputs.codebook import normalise_label
from lnutils.problems import DataError, Problem, display_path


def restrict_survey(survey, question: str, value: str):
    """A copy of ``survey`` holding only respondents whose answer to ``question`` is ``value``.

    ``value`` may be the option's label or its code (as text).
    """
    q = survey.codebook.question(question)
    codes = [c for c, label in q.options.items() if label == value or str(c) == str(value)]
    if not codes:
        raise DataError(Problem(display_path(survey.path or ""), None, question, value,
                                f"no option of {question!r} is {value!r}",
                                f"use one of: {', '.join(q.options.values())}"))
    keep = survey.respondents.index[survey.respondents[question].isin(codes)]
    return dataclasses.replace(
        survey,
        respondents=survey.respondents.loc[keep],
        answers=survey.answers[survey.answers["respondent"].isin(keep)].reset_index(drop=True),
    )


def restrict_invitations(invitations: pd.DataFrame, field: str, value: str
                         ) -> pd.DataFrame | None:
    """The invited people whose ``field`` is ``value`` (labels compared case-insensitively).

    None when the list has no such field: the region's invited are then unknown.
    """
    if field not in invitations:
        return None
    # each distinct label normalised once: a list holds thousands of people, few groups
    codes, labels = pd.factorize(invitations[field].fillna("").astype(str))
    wanted = normalise_label(value)
    matches = np.array([normalise_label(label) == wanted for label in labels], dtype=bool)
    return invitations[matches[codes] if len(labels) else np.zeros(len(codes), dtype=bool)]
