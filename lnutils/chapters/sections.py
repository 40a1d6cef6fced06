"""Generic survey chapters: a section of the pipeline shown question by question.

A pipeline's ``sections`` (see :class:`lnutils.pipeline.Section`) name a title, the
codebook's questions in order, optional breakdowns, notes and a response-rate view;
``notebooks/survey_section.ipynb`` opens a chapter and calls :func:`show_section`.
The chapter's heading is the section's title; each question gets the figure that fits
its type (:mod:`lnutils.chapters.questions`), labelled ``fig-<section>-<question>`` so
narrative text can refer to it.

The response rate by invitation-list group (``response: {field: question}``) compares
the whole invitation list with the respondents; a sub-report restricted to one region
has no invitation list of its own to compare with, so it leaves the view out.
"""

from __future__ import annotations

from IPython.display import Markdown, display

from lnutils.analysis import summaries as su
from lnutils.analysis.suppression import total_shown, withheld_note
from lnutils.chapters.plan import (  # noqa: F401 (section_labels: part of this module's API)
    breakdowns_of,
    figure_label,
    section_labels,
)
from lnutils.chapters.questions import LabelledFigure, QuestionView, literal
from lnutils.figures import alt, response
from lnutils.pipeline import Section

FIELD_NAMES = {"role": "rolle", "organisation_type": "organisasjonstype",
               "region": "region", "arena": "formell arena"}


def section_of(ctx, section_id: str = "") -> Section:
    """The pipeline's section ``section_id``; the first section when it is ""."""
    sections = ctx.pipeline.spec.sections
    if not section_id:
        if not sections:
            raise KeyError(f"{ctx.pipeline.path.name} declares no `sections:`")
        return sections[0]
    return ctx.pipeline.section(section_id)


def section_heading(section: Section) -> Markdown:
    """The chapter's heading (the section's title) and its notes, as literal text."""
    text = f"# {literal(section.title)}"
    if section.notes.strip():
        text += "\n\n" + "\n\n".join(literal(p) for p in section.notes.split("\n\n") if p.strip())
    return Markdown(text)


def response_figures(ctx, section: Section) -> list[LabelledFigure]:
    """Response rate by each invitation-list group the section asks for."""
    if not section.response or ctx.is_subreport:
        return []
    invited = ctx["invitations"]
    answers = ctx.survey.answers
    out = []
    for field, question in section.response.items():
        rates = su.response_rate_by_group(
            invited=invited[field], answered=su.group_labels(answers, question=question)["label"])
        protected = su.protect_response_rates(rates, question=question, privacy=ctx.privacy)
        rates, note = protected.table, protected.protection.note()
        subject = f"Svarprosent etter {FIELD_NAMES.get(field, field)}"
        text = alt.text_response_rate(rates, subject=subject)
        if note:
            text = alt.FigureText(f"{text.caption} {note}", f"{text.alt} {note}")
        out.append(LabelledFigure(response.plot_response_rate(rates), text,
                                  figure_label(section.id, "svarprosent", field)))
    return out


def section_outputs(ctx, section: Section) -> list:
    """Everything the chapter shows, in order: heading, response rates, each question."""
    view = QuestionView(ctx, section.id)
    shown = [section_heading(section), *response_figures(ctx, section)]
    for entry in section.entries():
        question = ctx.survey.codebook.question(entry.id)
        shown += view.outputs(entry.id, breakdowns_of(section, entry, question),
                              entry.paired_with)
    return shown


def withheld(ctx) -> bool:
    """Whether this is a sub-report of a region with fewer respondents than the threshold."""
    return ctx.is_subreport and not total_shown(len(ctx.survey.respondents), ctx.privacy)


def show_section(ctx, section_id: str = "") -> None:
    """Display a section as a report chapter (the one call of the section notebook).

    A sub-report of a region under the small-group threshold shows the heading and a
    sentence saying what is withheld and why, instead of the questions.
    """
    section = section_of(ctx, section_id)
    if withheld(ctx):
        display(section_heading(section))
        display(Markdown(withheld_note(len(ctx.survey.respondents), ctx.privacy)))
        return
    for item in section_outputs(ctx, section):
        display(item)
