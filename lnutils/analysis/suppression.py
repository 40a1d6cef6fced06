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

Secondary (complementary) suppression: the total of a breakdown is always published
(the question's own figure and facts give it), so the cells left out must not be
recoverable as the total minus the shown cells. Along every line of the table whose
total could be published (the grand total, and in a two-way table each row and column
of at least the threshold), the respondents not shown in a published cell of that line
must number 0 or at least the pipeline's threshold; otherwise the smallest shown cell of
the line (groups shown only by an exception last) is left out too, until that holds
(:func:`complement`). This is the rule Statistics Norway applies to its tables
(primary suppression of small cells, then complementary suppression so that the table
cannot be solved), with the threshold of the pipeline (5 by default, as is usual for
health data; SSB's general rule is 3).

A note never gives a hidden group's size: it names the groups left out only when
something is still shown beside them, and says that a cell was hidden to protect the
others without saying which was which size.
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
    suppressed : labels of the cells not shown at all because they are small.
    applied : the pipeline exceptions that let a smaller cell be shown.
    complementary : labels of cells of enough respondents left out so that the small
        ones cannot be worked out from the total (secondary suppression).
    nothing_shown : no group could be shown (the note then names none).
    """

    min_group_size: int = DEFAULT_MIN_GROUP_SIZE
    merged: tuple[str, ...] = ()
    suppressed: tuple[str, ...] = ()
    applied: tuple = field(default=())
    complementary: tuple[str, ...] = ()
    nothing_shown: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.merged or self.suppressed or self.applied or self.complementary
                    or self.nothing_shown)

    @property
    def hidden(self) -> tuple[str, ...]:
        """Every cell left out, small or complementary."""
        return self.suppressed + self.complementary

    def note(self) -> str:
        """A Norwegian sentence for the figure ("" when nothing was hidden or lowered)."""
        limit = fmt_n(self.min_group_size)
        if self.nothing_shown and self.complementary:
            return (f"Svarene vises ikke fordelt på grupper: noen grupper har færre enn "
                    f"{limit} svar, og de ville da kunne regnes ut som totalen minus de "
                    "andre gruppene.")
        if self.nothing_shown:
            # Naming the groups would tell that each of them (and so the total) is small.
            return (f"Ingen gruppe har minst {limit} svar, så svarene vises ikke "
                    "fordelt på grupper.")
        parts = []
        if self.merged:
            parts.append(f"Grupper med færre enn {limit} svar er slått sammen til "
                         f"«{OTHER}»: {', '.join(self.merged)}.")
        if self.hidden:
            text = f"Ikke vist: {', '.join(self.hidden)}. Grupper med færre enn {limit} svar " \
                   "vises ikke"
            if self.complementary:
                text += (", og fordi de ellers kunne regnes ut som totalen minus de viste "
                         "gruppene, vises heller ikke den eller de minste av de andre")
            parts.append(text + ".")
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
    extra = complement(sizes, target, by=by, privacy=privacy, codes=codes)
    applied = [e for e in applied
               if any(target[c] is not None and threshold_for(
                   c, by=by, privacy=privacy, codes=(codes or {}).get(c))[1] == e
                   for c in target)]
    merged = [m for m in merged if not any(_label(c) == m and target[c] is None
                                           for c in extra)]
    nothing = bool(target) and all(t is None for t in target.values())
    return target, Protection(default, tuple(merged), tuple(suppressed), tuple(applied),
                              tuple(_label(c) for c in extra), nothing)


def _lines(cells: Sequence[tuple]) -> list[list[tuple]]:
    """The lines of a table: for a table of two or more grouping questions each row and
    column (cells equal except in one position), then all cells (the grand total).

    Rows and columns come first: a cell hidden to protect a row or column usually
    protects the grand total as well, while the converse is seldom true.
    """
    lines = []
    width = len(cells[0]) if cells else 0
    for i in range(width if width > 1 else 0):
        by_rest: dict[tuple, list[tuple]] = {}
        for cell in cells:
            by_rest.setdefault(cell[:i] + cell[i + 1:], []).append(cell)
        lines += [line for line in by_rest.values() if len(line) > 1]
    return [*lines, list(cells)]


def complement(sizes: Mapping[tuple, int], target: dict[tuple, tuple | None], *,
               by: Sequence[str], privacy=None, codes: Mapping[tuple, tuple] | None = None
               ) -> list[tuple]:
    """Secondary suppression: leave out more cells until none can be worked out.

    Along each line (see :func:`_lines`) whose total is at least the threshold, the
    respondents outside the published pieces lying wholly on the line (a cell shown as
    itself, or a merged cell all of whose members are on the line) must be 0 or at
    least the pipeline's threshold. Otherwise the smallest such piece is left out
    (pieces shown only under an exception last), and the lines are checked again.

    Parameters
    ----------
    sizes : cell -> respondents.
    target : cell -> the cell it is shown as, or None; updated in place.
    by, privacy, codes : as for :func:`plan_groups`.

    Returns
    -------
    list of tuple
        The cells left out by this step, in the order they were chosen.
    """
    default = getattr(privacy, "min_group_size", DEFAULT_MIN_GROUP_SIZE)
    codes = codes or {}
    excepted = {c for c in sizes
                if threshold_for(c, by=by, privacy=privacy, codes=codes.get(c))[1] is not None}
    hidden: list[tuple] = []
    changed = True
    while changed:
        changed = False
        for line in _lines(list(sizes)):
            total = sum(sizes[c] for c in line)
            if total < default:
                continue  # this line's total is not published either
            members: dict[tuple, list[tuple]] = {}
            for cell, shown_as in target.items():
                if shown_as is not None:
                    members.setdefault(shown_as, []).append(cell)
            on_line = set(line)
            pieces = {p: m for p, m in members.items() if set(m) <= on_line}
            published = sum(sizes[c] for m in pieces.values() for c in m)
            residual = total - published
            if 0 < residual < default and pieces:
                def cost(item):
                    piece, cells = item
                    return (any(c in excepted for c in cells),
                            sum(sizes[c] for c in cells), str(piece))
                piece, cells = min(pieces.items(), key=cost)
                for cell in cells:
                    target[cell] = None
                    hidden.append(cell)
                changed = True
                break
    return hidden


def hide_small(sizes: Mapping[tuple, int], *, by: Sequence[str], privacy=None,
               codes: Mapping[tuple, tuple] | None = None,
               small: set | None = None) -> tuple[set, list[tuple]]:
    """Cells left out of a one-off table of group values (facts), with complements.

    Parameters
    ----------
    sizes : cell -> respondents the value is computed from.
    small : cells already known to be too small (default: those under their
        threshold in ``sizes``).

    Returns
    -------
    set, list
        Every cell left out, and those of them left out only as complements.
    """
    codes = codes or {}
    if small is None:
        small = {c for c, n in sizes.items()
                 if n < threshold_for(c, by=by, privacy=privacy, codes=codes.get(c))[0]}
    target = {c: (None if c in small else c) for c in sizes}
    extra = complement(sizes, target, by=by, privacy=privacy, codes=codes)
    return {c for c, t in target.items() if t is None}, extra


def total_shown(size: int, privacy=None) -> bool:
    """Whether a total of ``size`` respondents may be shown (the pipeline's threshold)."""
    return size >= getattr(privacy, "min_group_size", DEFAULT_MIN_GROUP_SIZE)


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


def withheld_note(respondents: int, privacy=None) -> str:
    """What a sub-report under the threshold says in place of its survey results (bokmål).

    The exact number is not given: that the region has fewer than the threshold is all
    a reader needs, and the region's size is no statistic of its own.
    """
    limit = fmt_n(getattr(privacy, "min_group_size", DEFAULT_MIN_GROUP_SIZE))
    return (f"Færre enn {limit} personer i regionen svarte på spørreundersøkelsen. For at "
            "ingen skal kunne kjennes igjen på svarene sine, viser denne delrapporten ingen "
            "fordelinger, andeler eller gjennomsnitt fra undersøkelsen for regionen, heller "
            "ikke fritekstsvar. Svarene er med i tallene for hele nettverket i "
            "hovedrapporten.")


def rule_description(privacy=None) -> str:
    """The small-group rule in bokmål for the method appendix, from the pipeline's privacy.

    Parameters
    ----------
    privacy : the pipeline's :class:`lnutils.pipeline.Privacy` (None: the default rule).
    """
    limit = fmt_n(getattr(privacy, "min_group_size", DEFAULT_MIN_GROUP_SIZE))
    text = [
        f"**Regelen for små grupper.** For en gruppe med færre enn {limit} svar vises "
        "ingenting av hva gruppen svarte: ingen fordeling, andel, snitt eller svarprosent, "
        "verken i figurer, tabeller, figurtekster, alternative tekster eller tall i "
        "teksten. Hvor mange som svarte fra hver gruppe, står i fordelingen av "
        "bakgrunnsspørsmålet (for eksempel hvem deltakerne representerte). Det "
        "gjelder også totalen («Alle») når den er under grensen, og delrapporter for "
        f"regioner der færre enn {limit} svarte: de viser ingen resultater fra "
        "undersøkelsen, bare en forklaring. Antall svar telles per figur, for dem som "
        "svarte på spørsmålet.",
        f"**Sekundær prikking.** Totalen for hele nettverket vises alltid et annet sted i "
        "rapporten. Hvis de skjulte gruppene i en figur kunne regnes ut som totalen minus "
        f"de viste gruppene, og de skjulte til sammen er færre enn {limit}, skjules også "
        "den minste av de viste gruppene, til de skjulte til sammen er minst "
        f"{limit}. Ved fordeling på to spørsmål gjelder det samme for hver rad og kolonne. "
        "Grupper som vises etter et registrert unntak, skjules sist. Små grupper kan "
        f"også slås sammen til «{OTHER}» når de til sammen har minst {limit} svar. "
        "Merknaden under figuren nevner hvilke grupper som ikke vises, men aldri hvor "
        "store de er. Regelen følger praksisen i offisiell statistikk (SSB skjuler celler "
        "med færre enn 3 og skjuler flere celler når en skjult celle ellers kunne regnes "
        "ut); grensen 5 er vanlig for helsedata.",
    ]
    exceptions = _exceptions(privacy)
    if not exceptions:
        text.append("Rapporten har ingen unntak fra regelen.")
    for exc in exceptions:
        groups = ", ".join(exc.groups)
        text.append(f"**Unntak:** for {groups} (fordelt etter spørsmålet «{exc.question}») "
                    f"er grensen {fmt_n(exc.min_group_size)}. Begrunnelse: {exc.reason}")
    return "\n\n".join(text)
