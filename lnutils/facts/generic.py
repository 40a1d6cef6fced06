"""Facts for every question of any codebook, from the summaries the figures draw.

No network-specific knowledge: the codebook says what each question is, the pipeline's
``breakdowns`` which background questions to split by, the invitation list which groups
were invited. Keys are flat and dotted (``q.<id>.mean``); docs/facts.md lists them all.
Shares are percentages 0-100; a count that is zero is 0, never left out; a value that
cannot exist (a mean without answers) is None.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from lnutils.analysis import summaries as su
from lnutils.analysis.stats import wilson_interval
from lnutils.analysis.summaries.nonresponse import (
    ALL_KINDS,
    NONANSWER_KINDS,
    answer_flags,
    question_counts,
)
from lnutils.analysis.suppression import hide_small, threshold_for
from lnutils.inputs.codebook import normalise_label
from lnutils.paths import slug
from lnutils.problems import DataError, Problem, display_path

CHOICE_TYPES = ("single", "yesno")
# The generic keys' names: everything under q. and response., and survey.respondents.
GENERIC_PREFIXES = ("q.", "response.")
GENERIC_KEYS = ("survey.respondents", "survey.withheld")


def is_generic_key(key: str) -> bool:
    """Whether a flat key is one of the generic facts' (not a network's own)."""
    return key.startswith(GENERIC_PREFIXES) or key in GENERIC_KEYS
# Invitation-list fields a response rate is broken down by, when the list has them.
RESPONSE_FIELDS = ("role", "organisation_type", "region", "arena")


def _pct(share: float) -> float | None:
    return None if share is None or pd.isna(share) else 100 * float(share)


def _num(value) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if hasattr(value, "item") else value


def _top(table: pd.DataFrame) -> dict[str, Any]:
    """The most chosen opinion option(s); a tie is reported as a tie."""
    opinions = table[table["kind"] == su.OPINION] if "kind" in table else table
    best = int(opinions["n"].max()) if len(opinions) else 0
    if best == 0:
        return {"top.label": None, "top.pct": None, "top.tied": False, "top.labels": []}
    top = opinions[opinions["n"] == best]
    labels = [str(v) for v in top["label"]]
    return {"top.label": " og ".join(labels), "top.pct": _pct(top["share"].iloc[0]),
            "top.tied": len(labels) > 1, "top.labels": labels}


def _options(table: pd.DataFrame) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for row in table.itertuples():
        key = f"option.{int(row.code)}."
        out.update({key + "label": str(row.label), key + "n": int(row.n),
                    key + "pct": _pct(row.share)})
    return out


def _rating(rows: pd.DataFrame, q, codebook) -> dict[str, Any]:
    counts = su.count_choice(rows, question=q.id, codebook=codebook)
    stats = su.distribution_stats(counts)
    codes = list(q.codes())
    return {"n": stats["n"], "mean": _num(stats["mean"]), "sd": _num(stats["sd"]),
            "ci_low": _num(stats["low"]), "ci_high": _num(stats["high"]),
            "scale_min": min(codes), "scale_max": max(codes),
            "lower_half.pct": _pct(stats["lower_half"]),
            "upper_half.pct": _pct(stats["upper_half"]), **_options(counts)}


def _battery(rows: pd.DataFrame, q, codebook) -> dict[str, Any]:
    means = su.battery_means(rows, question=q.id, codebook=codebook)
    out: dict[str, Any] = {}
    for row in means.itertuples():
        key = f"item.{row.item}."
        out.update({key + "label": str(row.title), key + "n": int(row.n),
                    key + "mean": _num(row.mean), key + "sd": _num(row.sd),
                    key + "ci_low": _num(row.low), key + "ci_high": _num(row.high),
                    key + "lower_half.pct": _pct(row.lower_half),
                    key + "upper_half.pct": _pct(row.upper_half)})
    codes = list(q.codes())  # the items' common scale, from the codebook
    out.update({"scale_min": min(codes), "scale_max": max(codes)} if codes else {})
    ranked = su.rank_by_mean(means)
    out["ranking"] = list(ranked["item"])
    titles = dict(zip(means["item"], means["title"], strict=True))
    item_means = dict(zip(means["item"], means["mean"], strict=True))
    for end, ids in su.best_and_worst(ranked).items():
        labels = [str(titles[i]) for i in ids]
        out.update({f"{end}.ids": ids, f"{end}.labels": labels,
                    f"{end}.label": " og ".join(labels) if labels else None,
                    f"{end}.tied": len(ids) > 1,
                    f"{end}.mean": _num(item_means[ids[0]]) if ids else None})
    return out


def _multi(rows: pd.DataFrame, q, codebook) -> dict[str, Any]:
    shares = su.share_multi(rows, question=q.id, codebook=codebook)
    base = int(shares["base"].iloc[0]) if len(shares) else 0
    return {**_options(shares), **_top(shares),
            "sum_pct": _pct(shares["share"].sum()) if base else None,
            "per_person": _num(su.options_per_person(shares))}


def question_facts(rows: pd.DataFrame, q, codebook) -> dict[str, Any]:
    """The facts of one question on these answer rows, keys relative to ``q.<id>.``."""
    counts = question_counts(rows, multi=q.type == "multi")
    out: dict[str, Any] = {"asked": counts["asked"], "answered": counts["answered"],
                           **{f"nonanswer.{k}": counts[k] for k in ALL_KINDS}}
    if q.type in CHOICE_TYPES:
        table = su.count_choice(rows, question=q.id, codebook=codebook)
        out.update({**_options(table), **_top(table)})
    elif q.type == "rating":
        out.update(_rating(rows, q, codebook))
    elif q.type == "battery":
        out.update(_battery(rows, q, codebook))
    elif q.type == "multi":
        out.update(_multi(rows, q, codebook))
    return out


def _group_base(rows: pd.DataFrame, q) -> int:
    """Respondents of a group inside the question's base: an answer or a "Vet ikke" & co."""
    _, flags = answer_flags(rows, multi=q.type == "multi")
    inside = flags["answered"]
    for kind in NONANSWER_KINDS:
        inside = inside | flags[kind]
    return int(inside.sum())


def breakdown_facts(rows: pd.DataFrame, q, codebook, groups: pd.DataFrame, breakdown: str,
                    privacy) -> dict[str, Any]:
    """``by.<breakdown>.<code>.`` facts per group shown, and how many groups are hidden.

    A group is left out (and only counted in ``hidden_count``) when it has fewer members
    than its threshold (the pipeline's, or a recorded exception's), or when fewer of
    them than that are in the question's base; a group of enough members of whom none
    answered the question is shown, with its zeros. Then, as in the figures, more groups
    are left out when the question's total minus the groups shown would give the hidden
    ones (:func:`lnutils.analysis.suppression.complement`).
    """
    out: dict[str, Any] = {}
    parts, sizes, small, codes = {}, {}, set(), {}
    for (code, label), members in groups.groupby(["code", "label"], sort=True):
        part = rows[rows["respondent"].isin(members.index)]
        limit, _ = threshold_for((label,), by=[breakdown], privacy=privacy, codes=(code,))
        base = _group_base(part, q)
        cell = (str(label),)
        parts[cell], sizes[cell], codes[cell] = (code, part), base, (code,)
        if len(members) < limit or 0 < base < limit:
            small.add(cell)
    hidden, _ = hide_small(sizes, by=[breakdown], privacy=privacy, codes=codes, small=small)
    for cell, (code, part) in parts.items():
        if cell in hidden:
            continue
        key = f"by.{breakdown}.{int(code)}."
        out[key + "label"] = cell[0]
        out.update({key + k: v for k, v in question_facts(part, q, codebook).items()})
    out[f"by.{breakdown}.hidden_count"] = len(hidden)
    return out


def check_breakdowns(pipeline, codebook) -> list[str]:
    """The pipeline's breakdowns; a located error for one that is no single-choice question."""
    known = [q.id for q in codebook.questions]
    for name in pipeline.spec.breakdowns:
        if name in codebook and codebook.question(name).type in CHOICE_TYPES:
            continue
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "name a question of the codebook"
        raise DataError(Problem(display_path(pipeline.path), None, "breakdowns", name,
                                f"breakdown {name!r} is not a single-choice question of "
                                "the codebook", hint))
    return list(pipeline.spec.breakdowns)


def breakdown_problems(pipeline) -> list[Problem]:
    """The pipeline's breakdowns checked against its codebook, for ``lnreport validate``.

    Empty when all are single-choice questions, or when the codebook cannot be read
    (its own problems are reported by the data validation).
    """
    if not pipeline.spec.breakdowns or pipeline.input("codebook") is None:
        return []
    from lnutils.inputs.codebook import load_codebook  # noqa: PLC0415 -- only when needed

    try:
        codebook = load_codebook(pipeline.input("codebook"))
        check_breakdowns(pipeline, codebook)
    except DataError as exc:
        if any(p.column == "breakdowns" for p in exc.report.problems):
            return list(exc.report.problems)
    return []


def survey_question_facts(survey, *, breakdowns: Iterable[str] = (), privacy=None
                          ) -> dict[str, Any]:
    """``survey.respondents`` and ``q.<id>.…`` for every question of the codebook."""
    codebook, answers = survey.codebook, survey.answers
    # Plain object columns: the summaries run hundreds of times on a question's few
    # rows, where pandas' Arrow strings cost more per call than they save.
    answers = answers.astype({c: object for c in ("respondent", "question", "item", "label",
                                                  "nonanswer") if c in answers})
    by_question = dict(tuple(answers.groupby("question", sort=False)))
    empty = answers.iloc[0:0]
    facts: dict[str, Any] = {"survey.respondents": int(len(survey.respondents))}
    groups = {b: su.group_labels(by_question.get(b, empty), question=b) for b in breakdowns}
    for q in codebook.questions:
        rows = by_question.get(q.id, empty)
        prefix = f"q.{q.id}."
        facts.update({prefix + "text": q.text or "", prefix + "type": q.type})
        facts.update({prefix + k: v for k, v in question_facts(rows, q, codebook).items()})
        if q.type == "text":
            continue
        for b in breakdowns:
            if b != q.id:
                found = breakdown_facts(rows, q, codebook, groups[b], b, privacy)
                facts.update({prefix + k: v for k, v in found.items()})
    return facts


def _matching_question(codebook, values: pd.Series) -> str | None:
    """The single-choice question whose option labels name the field's groups (or None)."""
    wanted = {normalise_label(v) for v in values.dropna().astype(str).unique() if v.strip()}
    best, score = None, 0
    for q in codebook.questions:
        if q.type != "single" or not q.options:
            continue
        overlap = len(wanted & {normalise_label(v) for v in q.options.values()})
        if overlap > score and overlap * 2 >= len(q.options):
            best, score = q.id, overlap
    return best


def _rate(answered: int, invited: int) -> dict[str, Any]:
    low, high = wilson_interval(answered, invited) if 0 <= answered <= invited and invited \
        else (math.nan, math.nan)
    return {"invited": int(invited), "answered": int(answered),
            "pct": 100 * answered / invited if invited else None,
            "ci_low": _pct(low), "ci_high": _pct(high)}


def response_facts(survey, invitations: pd.DataFrame, privacy=None) -> dict[str, Any]:
    """``response.*``: the response rate overall and by each group field of the list.

    The respondents' group comes from the single-choice question whose options name the
    field's groups (``response.by.<field>.question``); a field no question matches has
    no breakdown. Groups with fewer respondents than the threshold are left out and
    counted in ``hidden_count``; a group where nobody answered is shown as 0.
    """
    facts = {f"response.{k}": v for k, v in _rate(len(survey.respondents),
                                                   len(invitations)).items()}
    for field in RESPONSE_FIELDS:
        if field not in invitations:
            continue
        question = _matching_question(survey.codebook, invitations[field])
        if question is None:
            continue
        answered = su.respondent_groups(survey.answers, question=question)
        try:
            table = su.response_rate_by_group(invited=invitations[field], answered=answered,
                                              total=False)
        except DataError:
            continue  # more respondents than invited: the groups are named differently
        prefix = f"response.by.{field}."
        facts[prefix + "question"] = question
        protected = su.protect_response_rates(table, question=question, privacy=privacy)
        hidden = len(protected.protection.hidden)
        for row in protected.table.itertuples():
            key = prefix + slug(row.group, "gruppe") + "."
            facts[key + "label"] = str(row.group)
            facts.update({key + k: v for k, v in _rate(row.answered, row.invited).items()})
        facts[prefix + "hidden_count"] = hidden
    return facts


def generic_facts(dataset, survey=None, invitations=None) -> dict[str, Any]:
    """Flat generic facts of a dataset (or of a given survey, e.g. one region's).

    Parameters
    ----------
    dataset : the loaded inputs; its pipeline gives the breakdowns and the privacy.
    survey : the survey to describe (default: the dataset's, when it has one).
    invitations : the invitation list to compare with (default: the dataset's).
    """
    pipeline = dataset.pipeline
    if survey is None and "survey" not in dataset:
        return {}
    survey = survey if survey is not None else dataset["survey"]
    privacy = pipeline.spec.privacy
    breakdowns = check_breakdowns(pipeline, survey.codebook)
    facts = survey_question_facts(survey, breakdowns=breakdowns, privacy=privacy)
    if invitations is None and "invitations" in dataset:
        invitations = dataset["invitations"]
    if invitations is not None:
        facts.update(response_facts(survey, invitations, privacy))
    return facts
