"""Which figures a survey chapter will show, and their labels, without drawing any.

A generic section chapter (:mod:`lnutils.chapters.sections`) shows each question by its
type, once per breakdown; :func:`question_plan` says what it will show and
:func:`section_labels` the ``fig-`` labels narrative text may cite. Validation reads them
before any chapter runs, so this module imports neither pandas nor matplotlib.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from lnutils.pipeline import Section

_LABEL_UNSAFE = re.compile(r"[^a-z0-9]+")


def figure_label(*parts: str) -> str:
    """``fig-profile-work-place`` from ("profile", "work_place")."""
    return "fig-" + "-".join(_LABEL_UNSAFE.sub("-", str(p).lower()).strip("-") for p in parts)


def as_breakdown(by: str | Sequence[str]) -> tuple[str, ...]:
    return (by,) if isinstance(by, str) else tuple(by)


def question_plan(question, breakdowns: Sequence[str | Sequence[str]] = (),
                  paired_with: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """(kind of view, breakdown or pair) for each thing shown for ``question``, in order.

    A rating paired with another is shown once, as the pair; a rating with breakdowns
    per breakdown (every group view has the "Alle" row); any other question once by its
    type; breakdowns of other types are ignored.
    """
    if question.type == "rating" and paired_with:
        return [("paired", (paired_with,))]
    if question.type == "rating" and breakdowns:
        return [("rating", as_breakdown(by)) for by in breakdowns]
    kind = {"yesno": "yes_no"}.get(question.type, question.type)
    return [(kind, ())]


def planned_labels(prefix: str, question, breakdowns: Sequence[str | Sequence[str]] = (),
                   paired_with: str = "") -> list[str]:
    """The figure labels :meth:`QuestionView.outputs` gives ``question`` (none for text)."""
    return [figure_label(prefix, question.id, *by)
            for kind, by in question_plan(question, breakdowns, paired_with) if kind != "text"]


def breakdowns_of(section: Section, entry, question) -> list:
    """A question's own breakdowns, else the section's (they split ratings only)."""
    if entry.breakdowns is not None:
        return list(entry.breakdowns)
    return list(section.breakdowns) if question.type == "rating" else []


def section_labels(section: Section, codebook, *, subreport: bool = False) -> list[str]:
    """Every figure label the section's chapter will have, without drawing anything.

    Narrative text may refer to these (``@fig-…``); the whole report has the response
    figures, a sub-report does not.
    """
    labels = [] if subreport else [figure_label(section.id, "svarprosent", field)
                                   for field in section.response]
    for entry in section.entries():
        question = codebook.question(entry.id)
        labels += planned_labels(section.id, question, breakdowns_of(section, entry, question),
                                 entry.paired_with)
    return labels
