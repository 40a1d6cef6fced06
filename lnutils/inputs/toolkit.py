"""Scoring of the toolkit "Hva er viktig for deg?": the form and the collaboration checklist.

The rules (the national programme's note on the toolkit, appendices 1-2):

* **"Hva er viktig for meg"-form.** The user names activities that matter and scores each
  from 1 (hard to achieve) to 10 (easy) at a first conversation and again at a later one.
  Mean per conversation = sum / number of activities; perceived benefit (opplevd nytte) =
  second mean - first mean. "1, 4, 1, 2" -> 2.0; "5, 6, 3, 6" -> 5.0; benefit 3.0.
* **Collaboration checklist.** Ten coordination steps; a step gives 1 point when done
  (``ja``) or judged not relevant (``ikke_aktuelt``) and 0 when relevant but not done
  (``nei``). Programme fidelity (programoppfyllelse) = points / 10.

Decisions where the source is silent (also in the data README; each is tested):

1. **Activities that differ between conversations.** Benefit compares like with like:
   both means are taken over the activities scored at *both* conversations, so benefit is
   always second mean - first mean of the same activities. Activities scored only once are
   left out and reported as a warning. A form with no shared activity has no benefit
   (status ``unpaired``).
2. **Missing second conversation.** Not an error: the form is ``pending``, its first mean
   is over all its activities, and it is left out of benefit summaries (their base n is the
   number of complete forms). A second conversation without a first is an error.
3. **Scores outside 1-10**, non-whole scores and blanks where a score is needed are errors
   naming file, row, column and value. A second conversation dated before the first is an
   error; so is the same activity twice on one form.
4. **Team-specific checklist items.** A team may *replace* a step with its own (the
   ``replacements`` of the toolkit spec); it may not add or remove steps, so fidelity is
   always points / 10 and comparable. A replaced step is labelled with the team's text and
   kept apart from the standard step when completion per step is summarised.
5. **All steps not relevant.** The rule gives 10 points (100 %), which says nothing about
   fidelity. Such a checklist keeps its score but is flagged ``all_not_relevant``, warned
   about, and left out of fidelity summaries (counted separately).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from lnutils.inputs.table_checks import TableChecker
from lnutils.inputs.teams import YamlChecker, read_yaml
from lnutils.problems import DataError

STATUS_POINTS = {"ja": 1, "ikke_aktuelt": 1, "nei": 0}
STATUS_LABELS = {"ja": "Utført", "ikke_aktuelt": "Ikke aktuelt", "nei": "Ikke utført"}
FORM_STATUSES = {"complete": "Begge samtaler", "pending": "Venter på 2. samtale",
                 "unpaired": "Ingen felles aktiviteter"}
DEFAULT_SCALE = (1, 10)  # the form's own scale: 1 = hard to achieve, 10 = easy


class ToolkitError(ValueError):
    """Input that breaks a toolkit rule (raised by the scoring functions)."""


# ---------------------------------------------------------------- form scoring


def parse_scores(text: str) -> list[int]:
    """Scores written as text, "1, 4, 1, 2" -> [1, 4, 1, 2]."""
    parts = [p.strip() for p in re.split(r"[,;\s]+", str(text).strip()) if p.strip()]
    if not parts or not all(re.fullmatch(r"\d+", p) for p in parts):
        raise ToolkitError(f"scores must be whole numbers separated by commas, got {text!r}")
    return [int(p) for p in parts]


def check_score(score, scale: tuple[int, int] = DEFAULT_SCALE) -> int:
    """Return the score as int, or raise ToolkitError when it is not a whole number in scale."""
    lo, hi = scale
    if isinstance(score, bool) or not float(score).is_integer():
        raise ToolkitError(f"score {score!r} is not a whole number")
    if not lo <= score <= hi:
        raise ToolkitError(f"score {score!r} is outside {lo}-{hi}")
    return int(score)


def conversation_mean(scores: Sequence[int], scale: tuple[int, int] = DEFAULT_SCALE) -> float:
    """Mean of one conversation: sum of the activity scores / number of activities.

    Raises
    ------
    ToolkitError
        When there are no scores, or a score is not a whole number within ``scale``.
    """
    if len(scores) == 0:
        raise ToolkitError("a conversation needs at least one scored activity")
    checked = [check_score(s, scale) for s in scores]
    return sum(checked) / len(checked)


@dataclass(frozen=True)
class FormScore:
    """The scored form of one user.

    ``mean_first``/``mean_second`` are over the shared activities when both conversations
    exist (decision 1); ``benefit`` is NaN unless ``status == "complete"``.
    """

    status: str
    mean_first: float
    mean_second: float
    benefit: float
    n_paired: int
    only_first: tuple[str, ...] = ()
    only_second: tuple[str, ...] = ()

    @property
    def improved(self) -> bool | None:
        return None if self.status != "complete" else self.benefit > 0


def normalise_activity(activity: str) -> str:
    """An activity's name for matching: lower case, single spaces."""
    return " ".join(str(activity).lower().split())


def score_form(first: Mapping[str, int], second: Mapping[str, int] | None = None,
               scale: tuple[int, int] = DEFAULT_SCALE) -> FormScore:
    """Score a form: activity -> score at the first and (optionally) second conversation.

    Activities are matched by name, ignoring case and spacing. See the module docstring for
    what happens when activities differ or the second conversation is missing.

    Examples
    --------
    >>> s = score_form({"a": 1, "b": 4, "c": 1, "d": 2}, {"a": 5, "b": 6, "c": 3, "d": 6})
    >>> (s.mean_first, s.mean_second, s.benefit)
    (2.0, 5.0, 3.0)
    """
    if not first:
        raise ToolkitError("the first conversation has no scored activity")
    one = {normalise_activity(k): check_score(v, scale) for k, v in first.items()}
    if not second:
        return FormScore("pending", conversation_mean(list(one.values()), scale), np.nan,
                         np.nan, 0)
    two = {normalise_activity(k): check_score(v, scale) for k, v in second.items()}
    shared = [a for a in one if a in two]
    only_first = tuple(a for a in one if a not in two)
    only_second = tuple(a for a in two if a not in one)
    if not shared:
        return FormScore("unpaired", conversation_mean(list(one.values()), scale),
                         conversation_mean(list(two.values()), scale), np.nan, 0,
                         only_first, only_second)
    m1 = conversation_mean([one[a] for a in shared], scale)
    m2 = conversation_mean([two[a] for a in shared], scale)
    return FormScore("complete", m1, m2, m2 - m1, len(shared), only_first, only_second)


def perceived_benefit(first: Sequence[int], second: Sequence[int],
                      scale: tuple[int, int] = DEFAULT_SCALE) -> float:
    """Second mean - first mean for the same activities, given in the same order."""
    if len(first) != len(second):
        raise ToolkitError(f"{len(first)} scores at the first conversation but {len(second)} "
                           "at the second; score the same activities both times")
    return conversation_mean(second, scale) - conversation_mean(first, scale)


# ---------------------------------------------------------------- checklist scoring


@dataclass(frozen=True)
class ChecklistScore:
    """Points, programme fidelity (0-1) and the steps relevant but not done."""

    points: int
    n_steps: int
    fidelity: float
    all_not_relevant: bool
    missed_steps: tuple[int, ...]


def checklist_points(item_points: Sequence[int] | str) -> int:
    """Sum of item points given as 0/1 ("1, 0, 1, ..." or a sequence)."""
    values = parse_scores(item_points) if isinstance(item_points, str) else list(item_points)
    if any(v not in (0, 1) for v in values):
        raise ToolkitError(f"checklist points must be 0 or 1, got {values}")
    return sum(values)


def programme_fidelity(points: int, n_steps: int = 10) -> float:
    """Programme fidelity as a share: points / number of steps (8 of 10 -> 0.8)."""
    if not 0 <= points <= n_steps:
        raise ToolkitError(f"{points} points is outside 0-{n_steps}")
    return points / n_steps


def score_checklist(statuses: Sequence[str]) -> ChecklistScore:
    """Score one checklist from its step statuses (``ja``, ``nei``, ``ikke_aktuelt``).

    Step numbers in ``missed_steps`` are 1-based.
    """
    unknown = [s for s in statuses if s not in STATUS_POINTS]
    if unknown:
        raise ToolkitError(f"unknown step status {unknown[0]!r}; use ja, nei or ikke_aktuelt")
    points = sum(STATUS_POINTS[s] for s in statuses)
    missed = tuple(i for i, s in enumerate(statuses, start=1) if s == "nei")
    return ChecklistScore(points, len(statuses), programme_fidelity(points, len(statuses)),
                          all(s == "ikke_aktuelt" for s in statuses), missed)


# ---------------------------------------------------------------- the toolkit spec


@dataclass(frozen=True)
class Step:
    number: int
    label: str
    text: str
    holds: str = ""  # "mean_first" / "mean_second": the step carries a form mean


@dataclass
class ToolkitSpec:
    """The form's scale, the checklist's steps, team replacements and the worked example."""

    scale: tuple[int, int]
    steps: dict[int, Step]
    replacements: dict[str, dict[int, Step]] = field(default_factory=dict)
    worked_example: dict[str, str] = field(default_factory=dict)

    def steps_for(self, municipality: str) -> dict[int, Step]:
        """The steps a municipality's checklist uses (its replacements applied)."""
        return {**self.steps, **self.replacements.get(municipality, {})}

    def describe_short(self) -> str:
        return (f"form scale {self.scale[0]}-{self.scale[1]}, {len(self.steps)} checklist "
                f"steps, {len(self.replacements)} team(s) with own steps")


def _steps(check: TableChecker, where: str, raw) -> dict[int, Step]:
    steps: dict[int, Step] = {}
    if not isinstance(raw, dict):
        check.add(None, where, raw, "steps must be a mapping number -> {label, text}",
                  "see docs/inputs.md (toolkit_spec)")
        return steps
    for number, item in raw.items():
        if not isinstance(number, int) or not isinstance(item, dict) or not item.get("label"):
            check.add(None, f"{where}.{number}", item, "a step needs a number and a label",
                      "write `3: {label: ..., text: ...}`")
            continue
        steps[number] = Step(number, str(item["label"]), str(item.get("text", item["label"])),
                             str(item.get("holds", "")))
    return steps


def load_toolkit_spec(path: str | Path, dataset=None) -> ToolkitSpec:
    """Load ``toolkit.yml``: the form's scale, checklist steps and team replacements.

    Raises
    ------
    DataError
        When the scale is not two whole numbers low < high, the steps are not numbered
        1..n, or a team replaces a step that does not exist (teams replace, never add).
    """
    check = YamlChecker(path)
    raw = read_yaml(path, check) or {}
    form = raw.get("what_matters_form") or {}
    lo, hi = form.get("scale_min", DEFAULT_SCALE[0]), form.get("scale_max", DEFAULT_SCALE[1])
    if not (isinstance(lo, int) and isinstance(hi, int) and lo < hi):
        check.add(None, "what_matters_form.scale_min", (lo, hi),
                  "the scale needs whole numbers with scale_min < scale_max", "e.g. 1 and 10")
    checklist = raw.get("collaboration_checklist") or {}
    steps = _steps(check, "collaboration_checklist.steps", checklist.get("steps"))
    if steps and sorted(steps) != list(range(1, len(steps) + 1)):
        check.add(None, "collaboration_checklist.steps", sorted(steps),
                  "steps must be numbered 1, 2, 3, ... without gaps", "renumber the steps")
    replacements = {}
    for team, raw_steps in (checklist.get("replacements") or {}).items():
        where = f"collaboration_checklist.replacements.{team}"
        own = _steps(check, where, raw_steps)
        for number in own:
            if number not in steps:
                check.add(None, f"{where}.{number}", number,
                          f"there is no step {number} to replace",
                          f"a team replaces one of steps 1-{len(steps)}; it cannot add steps")
        replacements[str(team)] = own
    check.raise_if_errors()
    example = {k: str(v) for k, v in (raw.get("worked_example") or {}).items()}
    return ToolkitSpec((lo, hi), steps, replacements, example)


def spec_of(dataset) -> ToolkitSpec | None:
    """The dataset's toolkit spec, or None when it has none (or it does not load)."""
    if dataset is None or "toolkit_spec" not in dataset:
        return None
    try:
        return dataset["toolkit_spec"]
    except DataError:
        return None
