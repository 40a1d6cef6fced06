"""One survey question shown as the report shows it: the figure that fits its type.

:func:`question_outputs` chooses by the codebook's type of the question:

========== ==========================================================================
single     counts and shares per option (``plot_choice``)
multi      share who ticked each option; the caption says the shares sum past 100 %
yesno      one split bar, Ja / Nei / Vet ikke (``plot_yes_no``)
rating     the distribution over the codebook's scale, the mean in the caption; with
           a breakdown the distribution and mean per group, with a pair of breakdowns
           the means per group (small groups merged or left out by
           :mod:`lnutils.analysis.suppression`)
battery    diverging bars around the middle of the codebook's scale
text       the curated quotes of the ``quotes`` input for the question, redacted by
           :func:`lnutils.privacy.redact_text`; without quotes only how many answered
========== ==========================================================================

Every figure carries its caption and alt text, written from the same summary it is
drawn from, and a stable label (``fig-<section>-<question>[-<breakdown>...]``) that
narrative text can cite as ``@fig-…``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from IPython.display import Markdown

from lnutils.analysis import summaries as su
from lnutils.analysis.summaries.answers import rows_of
from lnutils.chapters.display import SVG, FigureOutput
from lnutils.chapters.plan import (  # noqa: F401 (part of this module's API)
    as_breakdown,
    figure_label,
    planned_labels,
    question_plan,
)
from lnutils.figures import alt, choice, likert, ratings
from lnutils.fmt import fmt_base, fmt_n, fmt_num
from lnutils.inputs.invitations import personal_name_index
from lnutils.literal import escape_markdown
from lnutils.privacy import name_index, redact_text


class LabelledFigure(FigureOutput):
    """A figure output that also carries its cross-reference label in its metadata.

    A generic chapter shows a varying number of figures from one cell, so the label
    cannot be a ``#| label`` cell option; the renderer takes it from the output.
    """

    def __init__(self, fig, text: alt.FigureText, label: str):
        super().__init__(fig, caption=text.caption, alt=text.alt)
        self.label = label

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        data, meta = super()._repr_mimebundle_(include, exclude)
        meta.setdefault(SVG, {})["label"] = self.label
        return data, meta


def literal(text: object) -> str:
    """Text from data as Markdown that shows it as it is (no markup, no references).

    One line, escaped by :func:`lnutils.literal.escape_markdown` (control and bidi
    characters removed too).
    """
    return escape_markdown(text, lines=False)


def subject_of(question) -> str:
    """The question as captions name it: "Spørsmål 9: «I hvilken grad …?»"."""
    text = f"«{question.text.strip() or question.id}»"
    return f"Spørsmål {question.number}: {text}" if question.number is not None else text


def by_phrase(codebook, by: Sequence[str]) -> str:
    """"fordelt etter svarene på spørsmål 3 og 1"; a question without a number by its
    wording: "fordelt etter svarene på «Hvor arbeider du?»" (never by its id)."""
    questions = [codebook.question(b) for b in by]
    if all(q.number is not None for q in questions):
        return "fordelt etter svarene på spørsmål " + " og ".join(str(q.number)
                                                                 for q in questions)
    return "fordelt etter svarene på " + " og ".join(
        f"spørsmål {q.number}" if q.number is not None
        else f"«{q.text.strip() or q.id}»" for q in questions)


def scale_of(question) -> tuple[int, int]:
    """Lowest and highest opinion code of a rating, as the codebook gives them."""
    codes = sorted(question.codes())
    return (codes[0], codes[-1]) if codes else (1, 1)


def _nonanswer_words(question) -> str:
    labels = [f"«{lab}»" for lab in question.nonanswers().values()]
    return f", uten {' og '.join(labels)}" if labels else ""


def mean_sentence(question, stats: dict) -> str:
    """"Gjennomsnitt 4,69 på skalaen 1–6 (n = 33, uten «Vet ikke»)." from summarise_rating."""
    lo, hi = scale_of(question)
    if not stats["n"]:
        return "Ingen ga en vurdering på skalaen."
    return (f"Gjennomsnitt {fmt_num(stats['mean'], 2)} på skalaen {lo}–{hi} "
            f"({fmt_base(stats['n'])}{_nonanswer_words(question)}).")


def _with_sentence(text: alt.FigureText, sentence: str) -> alt.FigureText:
    return alt.FigureText(f"{text.caption} {sentence}", f"{text.alt} {sentence}")


class QuestionView:
    """Draws one question of a chapter's survey; ``prefix`` starts every label."""

    def __init__(self, ctx, prefix: str):
        self.ctx = ctx
        self.prefix = prefix
        self.answers = ctx.survey.answers
        self.codebook = ctx.survey.codebook

    def figure(self, fig, text: alt.FigureText, *parts: str) -> LabelledFigure:
        return LabelledFigure(fig, text, figure_label(self.prefix, *parts))

    def outputs(self, qid: str, breakdowns: Sequence[str | Sequence[str]] = (),
                paired_with: str = "") -> list:
        """What the report shows for ``qid``: figures (and Markdown for free text)."""
        question = self.codebook.question(qid)
        shown = []
        for kind, by in question_plan(question, breakdowns, paired_with):
            if kind == "paired":
                shown.append(self.paired(question, self.codebook.question(paired_with)))
            elif by:
                shown.append(self.rating_by(question, by))
            else:
                shown += getattr(self, kind)(question)
        return shown

    def single(self, q) -> list:
        counts = su.count_choice(self.answers, question=q.id, codebook=self.codebook)
        return [self.figure(choice.plot_choice(counts),
                            alt.text_choice(counts, subject=subject_of(q)), q.id)]

    def yes_no(self, q) -> list:
        counts = su.count_choice(self.answers, question=q.id, codebook=self.codebook)
        return [self.figure(choice.plot_yes_no(counts),
                            alt.text_yes_no(counts, subject=subject_of(q)), q.id)]

    def multi(self, q) -> list:
        shares = su.share_multi(self.answers, question=q.id, codebook=self.codebook)
        return [self.figure(choice.plot_multi(shares),
                            alt.text_multi(shares, subject=subject_of(q)), q.id)]

    def rating(self, q) -> list:
        counts = su.count_choice(self.answers, question=q.id, codebook=self.codebook)
        stats = su.summarise_rating(self.answers, question=q.id)
        text = _with_sentence(alt.text_choice(counts, subject=subject_of(q)),
                              mean_sentence(q, stats))
        return [self.figure(choice.plot_choice(counts), text, q.id)]

    def rating_by(self, q, by: str | Sequence[str]) -> LabelledFigure:
        by = list(as_breakdown(by))
        lo, hi = scale_of(q)
        subject = f"{subject_of(q)}, {by_phrase(self.codebook, by)}"
        means = su.mean_by_group(self.answers, question=q.id, by=by, privacy=self.ctx.privacy)
        if len(by) > 1:
            return self.figure(ratings.plot_mean_by_group(means, scale=(lo, hi)),
                               alt.text_mean_by_group(means, subject=subject,
                                                      scale=f"{lo}–{hi}", limits=(lo, hi)),
                               q.id, *by)
        dist = su.rating_by_group(self.answers, question=q.id, by=by, codebook=self.codebook,
                                  privacy=self.ctx.privacy)
        return self.figure(ratings.plot_rating_by_group(dist, means),
                           alt.text_rating_by_group(dist, means, subject=subject,
                                                    scale=f"{lo}–{hi}"),
                           q.id, *by)

    def paired(self, first, second) -> LabelledFigure:
        """Two ratings by the same respondents: both means and their difference."""
        titles = [first.text or first.id, second.text or second.id]
        paired = su.paired_ratings(self.answers, questions=[first.id, second.id],
                                   titles=titles)
        subject = f"{subject_of(first)} og {subject_of(second)[0].lower()}{subject_of(second)[1:]}"
        return self.figure(ratings.plot_paired_ratings(paired, scale=scale_of(first)),
                           alt.text_paired(paired, subject=subject, scale=scale_of(first)),
                           first.id, second.id)

    def battery(self, q) -> list:
        dist = su.battery_distribution(self.answers, question=q.id, codebook=self.codebook)
        return [self.figure(likert.plot_diverging(dist),
                            alt.text_diverging(dist, subject=subject_of(q)), q.id)]

    def text(self, q) -> list:
        quotes = quotes_for(self.ctx, q.id)
        if quotes is None or quotes.empty:
            rows = rows_of(self.answers, q.id)
            n = int(rows["text"].notna().sum()) if "text" in rows else 0
            if n == 0:
                return [Markdown(f"{literal(subject_of(q))}: ingen svarte med egne ord.")]
            return [Markdown(f"{literal(subject_of(q))}: {fmt_n(n)} svarte med egne ord. "
                             "Fritekstsvarene gjengis ikke i rapporten.")]
        names = personal_names_of(self.ctx)
        lines = []
        for title, group in quotes.groupby("title", sort=False):
            lines += [f"**{literal(title)}**", ""]
            lines += [f"- «{literal(redact_text(t, names))}»" for t in group["text"]]
            lines.append("")
        return [Markdown("\n".join(lines))]


def quotes_for(ctx, qid: str):
    """The curated quotes of the ``quotes`` input for one text question, or None.

    In a sub-report only the quotes its own region's respondents wrote: a quote from
    another region never stands beside the region's figures.
    """
    if "quotes" not in ctx.pipeline.inputs:
        return None
    quotes = ctx["quotes"]
    quotes = quotes[quotes["question"] == qid]
    if ctx.is_subreport:
        rows = rows_of(ctx.survey.answers, qid)
        texts = rows["text"].dropna() if "text" in rows else []
        written = {" ".join(str(t).split()) for t in texts}  # as the loader compares them
        quotes = quotes[quotes["text"].isin(written)]
    return quotes


def personal_names_of(ctx) -> Any:
    """Names to redact from free text: the invitation list's, when the pipeline has one.

    The index is built once per version of the list in a process (a warm kernel runs
    many chapters with the same list).
    """
    path = ctx.pipeline.input("invitations")
    if path is None or not path.is_file():
        return name_index([])
    return personal_name_index(path)
