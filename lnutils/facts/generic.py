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

import numpy as np
import pandas as pd

from lnutils.analysis import summaries as su
from lnutils.analysis.stats import wilson_interval
from lnutils.analysis.subsets import restrict_invitations, restrict_survey
from lnutils.analysis.summaries.nonresponse import (
    ALL_KINDS,
    NONANSWER_KINDS,
    answer_flags,
    group_counts,
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


def _top(table) -> dict[str, Any]:
    """The most chosen opinion option(s); a tie is reported as a tie."""
    kinds = table["kind"] if "kind" in table else [su.OPINION] * len(table["n"])
    opinions = [(label, n, share) for label, n, share, kind
                in zip(table["label"], table["n"], table["share"], kinds, strict=True)
                if kind == su.OPINION]
    best = int(max(n for _, n, _ in opinions)) if opinions else 0
    if best == 0:
        return {"top.label": None, "top.pct": None, "top.tied": False, "top.labels": []}
    top = [(label, share) for label, n, share in opinions if n == best]
    labels = [str(label) for label, _ in top]
    return {"top.label": " og ".join(labels), "top.pct": _pct(top[0][1]),
            "top.tied": len(labels) > 1, "top.labels": labels}


def _options(table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for code, label, n, share in zip(table["code"], table["label"], table["n"], table["share"],
                                     strict=True):
        key = f"option.{int(code)}."
        out.update({key + "label": str(label), key + "n": int(n), key + "pct": _pct(share)})
    return out


def _rating(counts, q) -> dict[str, Any]:
    stats = su.distribution_stats(counts)
    codes = list(q.codes())
    return {"n": stats["n"], "mean": _num(stats["mean"]), "sd": _num(stats["sd"]),
            "ci_low": _num(stats["low"]), "ci_high": _num(stats["high"]),
            "scale_min": min(codes), "scale_max": max(codes),
            "lower_half.pct": _pct(stats["lower_half"]),
            "upper_half.pct": _pct(stats["upper_half"]), **_options(counts)}


def _battery(means, q) -> dict[str, Any]:
    out: dict[str, Any] = {}
    rows = zip(means["item"], means["title"], means["n"], means["mean"], means["sd"],
               means["low"], means["high"], means["lower_half"], means["upper_half"],
               strict=True)
    for item, title, n, mean, sd, low, high, lower_half, upper_half in rows:
        key = f"item.{item}."
        out.update({key + "label": str(title), key + "n": int(n),
                    key + "mean": _num(mean), key + "sd": _num(sd),
                    key + "ci_low": _num(low), key + "ci_high": _num(high),
                    key + "lower_half.pct": _pct(lower_half),
                    key + "upper_half.pct": _pct(upper_half)})
    codes = list(q.codes())  # the items' common scale, from the codebook
    out.update({"scale_min": min(codes), "scale_max": max(codes)} if codes else {})
    ranked = [i for i, _ in su.mean_order(means["mean"])]  # as su.rank_by_mean ranks them
    out["ranking"] = [means["item"][i] for i in ranked]
    titles = dict(zip(means["item"], means["title"], strict=True))
    item_means = dict(zip(means["item"], means["mean"], strict=True))
    for end, ids in su.ends(out["ranking"], [means["mean"][i] for i in ranked]).items():
        labels = [str(titles[i]) for i in ids]
        out.update({f"{end}.ids": ids, f"{end}.labels": labels,
                    f"{end}.label": " og ".join(labels) if labels else None,
                    f"{end}.tied": len(ids) > 1,
                    f"{end}.mean": _num(item_means[ids[0]]) if ids else None})
    return out


def _multi(shares) -> dict[str, Any]:
    base = int(shares["base"][0]) if len(shares["base"]) else 0
    return {**_options(shares), **_top(shares),
            "sum_pct": _pct(np.asarray(shares["share"], dtype=float).sum()) if base else None,
            "per_person": _num(su.options_per_person(shares))}


def _blocks(table: pd.DataFrame, keys: list) -> dict[Any, dict[str, list]]:
    """A grouped summary's rows per group (as plain column lists); every group has as many."""
    if not keys:
        return {}
    if "group" not in table:
        return {keys[0]: {c: table[c].tolist() for c in table.columns}}
    width = len(table) // len(keys) if keys else 0
    columns = {c: table[c].tolist() for c in table.columns if c != "group"}
    return {key: {c: v[i * width:(i + 1) * width] for c, v in columns.items()}
            for i, key in enumerate(keys)}


class _Question:
    """One question's answer rows and its respondents' answer flags, for facts by group."""

    def __init__(self, rows: pd.DataFrame, q, codebook):
        self.rows, self.q, self.codebook = rows, q, codebook
        self.ids, self.flags = answer_flags(rows, multi=q.type == "multi")
        inside = self.flags["answered"]
        for kind in NONANSWER_KINDS:
            inside = inside | self.flags[kind]
        self.inside = inside

    def bases(self, groups: pd.Series) -> dict[Any, int]:
        """Respondents of each group inside the question's base: an answer or a "Vet ikke" & co."""
        keys, counts = group_counts(self.ids, {"inside": self.inside}, groups)
        return {k: int(n) for k, n in zip(keys, counts["inside"], strict=True)}

    def facts(self, groups: pd.Series | None) -> dict[Any, dict[str, Any]]:
        """:func:`question_facts` of each group's respondents (None: of all the rows)."""
        q, rows, codebook = self.q, self.rows, self.codebook
        keys, counts = group_counts(self.ids, self.flags, groups)
        out = {key: {"asked": int(counts["asked"][i]), "answered": int(counts["answered"][i]),
                     **{f"nonanswer.{k}": int(counts[k][i]) for k in ALL_KINDS}}
               for i, key in enumerate(keys)}
        if q.type in CHOICE_TYPES or q.type == "rating":
            table = su.count_choice(rows, question=q.id, codebook=codebook, groups=groups)
            for key, block in _blocks(table, keys).items():
                out[key].update(_rating(block, q) if q.type == "rating"
                                else {**_options(block), **_top(block)})
        elif q.type == "battery":
            means = su.battery_means(rows, question=q.id, codebook=codebook, groups=groups)
            for key, block in _blocks(means, keys).items():
                out[key].update(_battery(block, q))
        elif q.type == "multi":
            shares = su.share_multi(rows, question=q.id, codebook=codebook, groups=groups)
            for key, block in _blocks(shares, keys).items():
                out[key].update(_multi(block))
        return out


def question_facts(rows: pd.DataFrame, q, codebook) -> dict[str, Any]:
    """The facts of one question on these answer rows, keys relative to ``q.<id>.``."""
    return _Question(rows, q, codebook).facts(None)[None]


def _one_each(members: pd.Series) -> list[pd.Series]:
    """``members`` (respondent -> group; a respondent may be in several groups) as
    groupings of one group per respondent, each group wholly in one (usually just one)."""
    if members.index.is_unique:
        return [members]
    pairs = pd.DataFrame({"respondent": members.index.to_numpy(),
                          "group": members.to_numpy()}).drop_duplicates()
    rounds: list[tuple[set, list]] = []
    for key, part in pairs.groupby("group", sort=False):
        ids = set(part["respondent"])
        for used, keys in rounds:
            if not used & ids:
                used |= ids
                keys.append(key)
                break
        else:
            rounds.append((ids, [key]))
    out = []
    for _, keys in rounds:
        chosen = pairs[pairs["group"].isin(keys)]
        out.append(pd.Series(chosen["group"].to_numpy(), index=chosen["respondent"].to_numpy()))
    return out


def _facts_by(question: _Question, members: pd.Series | None) -> dict[Any, dict[str, Any]]:
    if members is None:
        return question.facts(None)
    out: dict[Any, dict[str, Any]] = {}
    for groups in _one_each(members):
        out.update(question.facts(groups))
    return out


def _bases_by(question: _Question, members: pd.Series) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for groups in _one_each(members):
        out.update(question.bases(groups))
    return out


def breakdown_facts(cells: list[tuple], facts: dict, bases: dict, breakdown: str, privacy
                    ) -> dict[str, Any]:
    """``by.<breakdown>.<code>.`` facts per group shown, and how many groups are hidden.

    A group is left out (and only counted in ``hidden_count``) when it has fewer members
    than its threshold (the pipeline's, or a recorded exception's), or when fewer of
    them than that are in the question's base; a group of enough members of whom none
    answered the question is shown, with its zeros. Then, as in the figures, more groups
    are left out when the question's total minus the groups shown would give the hidden
    ones (:func:`lnutils.analysis.suppression.complement`).

    Parameters
    ----------
    cells : (cell key, code, label, members) of each group of the breakdown question,
        in order of code and label.
    facts, bases : each cell's question facts and respondents in the question's base.
    """
    out: dict[str, Any] = {}
    parts, sizes, small, codes = {}, {}, set(), {}
    for key, code, label, members in cells:
        limit, _ = threshold_for((label,), by=[breakdown], privacy=privacy, codes=(code,))
        base = bases.get(key, 0)
        cell = (str(label),)
        parts[cell], sizes[cell], codes[cell] = (code, key), base, (code,)
        if members < limit or 0 < base < limit:
            small.add(cell)
    hidden, _ = hide_small(sizes, by=[breakdown], privacy=privacy, codes=codes, small=small)
    for cell, (code, key) in parts.items():
        if cell in hidden:
            continue
        prefix = f"by.{breakdown}.{int(code)}."
        out[prefix + "label"] = cell[0]
        out.update({prefix + k: v for k, v in facts[key].items()})
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
    facts: dict[str, Any] = {"survey.respondents": int(len(survey.respondents))}
    facts.update(question_facts_by_part(survey, None, [None], breakdowns=breakdowns,
                                        privacy=privacy)[None])
    return facts


def question_facts_by_part(survey, parts: pd.Series | None, keys: list, *,
                           breakdowns: Iterable[str] = (), privacy=None
                           ) -> dict[Any, dict[str, Any]]:
    """``q.<id>.…`` of each part of the respondents, as if each part were the survey.

    One pass over each question's answers gives every part's facts and every part's
    breakdown groups' (the summaries count group by group, ``groups=``), instead of one
    small table per part, question and group.

    Parameters
    ----------
    survey : the whole survey.
    parts : each respondent's part (index respondent; a respondent may be in several
        parts); None: one part, everybody, keyed None.
    keys : the parts wanted, in order (a part nobody is in gets the facts of no answers).
    breakdowns, privacy : as for :func:`survey_question_facts`.
    """
    codebook, breakdowns = survey.codebook, list(breakdowns)
    # Respondents as numbers: the summaries match them to their groups many times over.
    numbers, people = pd.factorize(survey.answers["respondent"])
    answers = survey.answers.assign(respondent=numbers)
    by_question = dict(tuple(answers.groupby("question", sort=False)))
    empty = answers.iloc[0:0]
    if parts is not None:
        wanted = {key: i for i, key in enumerate(keys)}
        parts = parts[parts.isin(list(wanted))].map(wanted)  # part number per respondent
        found = pd.Index(people).get_indexer(parts.index)  # -1: no answers at all
        parts = pd.Series(parts.to_numpy()[found >= 0], index=found[found >= 0])
    groups = {b: _breakdown_cells(su.group_labels(by_question.get(b, empty), question=b),
                                  parts, len(keys)) for b in breakdowns}
    facts: dict[Any, dict[str, Any]] = {key: {} for key in keys}
    for q in codebook.questions:
        question = _Question(by_question.get(q.id, empty), q, codebook)
        prefix = f"q.{q.id}."
        found = _facts_by(question, parts)
        nobody = None
        for i, key in enumerate(keys):
            own = found.get(None if parts is None else i)
            if own is None:  # a part without respondents
                nobody = nobody or _Question(empty, q, codebook).facts(None)[None]
                own = nobody
            facts[key].update({prefix + "text": q.text or "", prefix + "type": q.type})
            facts[key].update({prefix + k: v for k, v in own.items()})
        if q.type == "text":
            continue
        for b in breakdowns:
            if b == q.id:
                continue
            members, cells = groups[b]
            by_cell = _facts_by(question, members)
            bases = _bases_by(question, members)
            for i, key in enumerate(keys):
                found = breakdown_facts(cells[i], by_cell, bases, b, privacy)
                facts[key].update({prefix + k: v for k, v in found.items()})
    return facts


def _breakdown_cells(labels: pd.DataFrame, parts: pd.Series | None, count: int
                     ) -> tuple[pd.Series, list[list[tuple]]]:
    """The groups of one breakdown question in each part: who is in which, and each
    part's groups as (cell number, code, label, members) in order of code and label.

    ``labels`` is :func:`~lnutils.analysis.summaries.group_labels` of the question.
    """
    if parts is None:
        table = labels.assign(_part=0)
    else:
        table = labels.join(parts.rename("_part"), how="inner")
    table = table.rename_axis("_respondent").reset_index()
    grouped = table.groupby(["_part", "code", "label"], sort=True)
    cells: list[list[tuple]] = [[] for _ in range(count)]
    for n, ((part, code, label), size) in enumerate(grouped.size().items()):
        cells[int(part)].append((n, code, label, int(size)))
    number = grouped.ngroup().to_numpy()  # each row's cell, in the order above
    kept = number >= 0  # rows without a code or label are in no group
    return pd.Series(number[kept], index=table["_respondent"].to_numpy()[kept]), cells


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


def generic_facts_by_value(dataset, question: str, values: list[str]
                           ) -> dict[str, dict[str, Any]]:
    """The generic facts of each fan-out value's respondents, computed together.

    A value's respondents are those :func:`~lnutils.analysis.subsets.restrict_survey`
    keeps; its ``response.*`` compare them with the invited people whose field named
    like ``question`` holds the value (none without such a field). Equal to
    :func:`generic_facts` of each restricted survey, in one pass over the answers.
    """
    survey, privacy = dataset["survey"], dataset.pipeline.spec.privacy
    breakdowns = check_breakdowns(dataset.pipeline, survey.codebook)
    members, heads, tails = [], [], []
    for i, value in enumerate(values):
        part = restrict_survey(survey, question, value)
        members.append(pd.Series(i, index=part.respondents.index, dtype=np.int64))
        heads.append({"survey.respondents": int(len(part.respondents))})
        invited = (restrict_invitations(dataset["invitations"], question, value)
                   if "invitations" in dataset else None)
        tails.append(response_facts(part, invited, privacy) if invited is not None else {})
    parts = pd.concat(members) if members else pd.Series([], dtype=np.int64)
    # one value (a chapter's own region): its answers alone are the shorter read
    found = question_facts_by_part(part if len(values) == 1 else survey, parts,
                                   list(range(len(values))), breakdowns=breakdowns,
                                   privacy=privacy)
    return {value: {**heads[i], **found[i], **tails[i]} for i, value in enumerate(values)}


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
