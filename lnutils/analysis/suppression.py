"""Small-group protection for breakdowns of survey answers.

A breakdown cell (one group's mean, or one group's distribution) built from fewer
respondents than a threshold can point at people: the survey has three user
representatives. Cells under the threshold are merged into one "Andre grupper" cell
(``mode="merge"``, the default) or left out (``mode="suppress"``); a merged cell that is
still too small is left out too. The figure states what happened with
:meth:`Protection.note`.

The threshold comes from the pipeline's ``privacy`` (default 5). A pipeline may lower it
for named groups of one grouping question, with a written reason
(:class:`lnutils.pipeline.GroupException`); :attr:`Protection.applied` lists the
exceptions that let a cell be shown, so that the method note can print their reasons.

Groups are matched to an exception's ``groups`` by label or code, ignoring case,
accents and punctuation ("brukerorganisasjon" matches "Brukerorganisasjon").

Limitation: a total ("Alle") shown next to the groups lets a reader work out the mean
of the cells left out when they are all from one group; the survey's total is public
anyway, and the note says which groups are missing. Callers that need more pass
``total=False`` to the summary functions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lnutils.fmt import fmt_n

OTHER = "Andre grupper"
DEFAULT_MIN_GROUP_SIZE = 5


def group_key(text: object) -> str:
    """Compare form of a group name: lower case, ASCII letters and digits only."""
    folded = str(text).casefold().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    folded = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", folded)


@dataclass(frozen=True)
class Protection:
    """What small-group protection did to one breakdown.

    Attributes
    ----------
    min_group_size : the pipeline's threshold.
    merged : labels of the cells merged into :data:`OTHER` (shown together).
    suppressed : labels of the cells not shown at all.
    applied : the pipeline exceptions that let a smaller cell be shown.
    """

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    merged: tuple[str, ...] = ()
    suppressed: tuple[str, ...] = ()
    applied: tuple = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.merged or self.suppressed or self.applied)

    def note(self) -> str:
        """A Norwegian sentence for the figure ("" when nothing was hidden or lowered)."""
        parts = []
        limit = fmt_n(self.min_group_size)
        if self.merged:
            parts.append(f"Grupper med færre enn {limit} svar er slått sammen til "
                         f"«{OTHER}»: {', '.join(self.merged)}.")
        if self.suppressed:
            parts.append(f"Ikke vist (færre enn {limit} svar): "
                         f"{', '.join(self.suppressed)}.")
        for exc in self.applied:
            parts.append(f"Grensen er satt ned til {fmt_n(exc.min_group_size)} for "
                         f"{', '.join(exc.groups)} (se metodekapittelet).")
        return " ".join(parts)


@dataclass(frozen=True)
class GroupSummary:
    """A summary broken down by group, with what small-group protection did to it.

    The explicit contract between a grouped summary and the figure, caption or method
    note that shows it (no detail travels in a frame's hidden ``attrs``).

    Attributes
    ----------
    table : the tidy rows (one per shown group, or per group and answer code).
    protection : which groups were merged or left out, and the exceptions applied.
    by : the grouping question ids (or the grouping column) in order.
    order : group label -> option code of the last grouping question, for legends.
    question : the question summarised ("" when the summary is not of a question).
    """

    table: Any
    protection: Protection
    by: tuple[str, ...] = ()
    order: Mapping[str, int] = field(default_factory=dict)
    question: str = ""

    @property
    def empty(self) -> bool:
        return self.table.empty


def _exceptions(privacy) -> list:
    return list(getattr(privacy, "exceptions", None) or [])


def threshold_for(cell: Sequence[str], *, by: Sequence[str], privacy=None,
                  codes: Sequence[Hashable] | None = None):
    """Threshold for one cell and the exception that set it (or None).

    Parameters
    ----------
    cell : the cell's group labels, one per grouping question in ``by``.
    by : the grouping question ids.
    privacy : :class:`lnutils.pipeline.Privacy` or None (threshold 5, no exceptions).
    codes : the cell's option codes (optional), also matched against exception groups.
    """
    default = getattr(privacy, "min_group_size", DEFAULT_MIN_GROUP_SIZE)
    best, chosen = default, None
    for exc in _exceptions(privacy):
        if exc.question not in by:
            continue
        i = list(by).index(exc.question)
        names = {group_key(cell[i])}
        if codes is not None:
            names.add(group_key(codes[i]))
        if names & {group_key(g) for g in exc.groups} and exc.min_group_size < best:
            best, chosen = exc.min_group_size, exc
    return best, chosen


def plan_groups(sizes: Mapping[tuple, int], *, by: Sequence[str], privacy=None,
                mode: str = "merge", codes: Mapping[tuple, tuple] | None = None
                ) -> tuple[dict[tuple, tuple | None], Protection]:
    """Decide, per cell, whether it is shown, merged or left out.

    Parameters
    ----------
    sizes : cell (tuple of group labels, one per ``by`` question) -> respondents in it.
    by : the grouping question ids.
    privacy : the pipeline's privacy settings, or None for the default threshold.
    mode : ``"merge"`` (small cells of the first grouping question become
        :data:`OTHER`, within the same values of the others) or ``"suppress"``.
    codes : cell -> option codes, so exceptions may name groups by code.

    Returns
    -------
    mapping, Protection
        cell -> the cell it is shown as (itself, a merged cell) or None (left out),
        and what was done.
    """
    if mode not in ("merge", "suppress"):
        raise ValueError(f"mode must be 'merge' or 'suppress', got {mode!r}")
    default = getattr(privacy, "min_group_size", DEFAULT_MIN_GROUP_SIZE)
    target: dict[tuple, tuple | None] = {}
    applied, small = [], []
    for cell, n in sizes.items():
        limit, exc = threshold_for(cell, by=by, privacy=privacy,
                                   codes=(codes or {}).get(cell))
        if n >= limit:
            target[cell] = cell
            if exc is not None and n < default and exc not in applied:
                applied.append(exc)
        else:
            small.append(cell)
    merged, suppressed = [], []
    if mode == "merge":
        pools: dict[tuple, list[tuple]] = {}
        for cell in small:
            pools.setdefault((OTHER, *cell[1:]), []).append(cell)
        for other, cells in pools.items():
            # The merged cell gets the default threshold: exceptions name real groups.
            if sum(sizes[c] for c in cells) >= default:
                target.update({c: other for c in cells})
                merged += [_label(c) for c in cells]
            else:
                target.update({c: None for c in cells})
                suppressed += [_label(c) for c in cells]
    else:
        target.update({c: None for c in small})
        suppressed = [_label(c) for c in small]
    return target, Protection(default, tuple(merged), tuple(suppressed), tuple(applied))


def _label(cell: tuple) -> str:
    return " – ".join(str(c) for c in cell)


def applied_exceptions(*summaries) -> list:
    """The pipeline exceptions that let a group be shown in any of ``summaries``.

    Parameters
    ----------
    summaries : :class:`GroupSummary` objects (their ``protection``).

    Returns
    -------
    list of GroupException
        Each once, in order of first use; the method note prints their reasons.
    """
    found = []
    for summary in summaries:
        protection = getattr(summary, "protection", None)
        for exc in getattr(protection, "applied", ()):
            if exc not in found:
                found.append(exc)
    return found
