"""Facts in narrative text: ``{{< fact KEY [FORMAT] >}}`` placeholders.

Evaluators write numbers in the narrative chapters as references to computed
facts, so that the text follows the data in every build::

    Det svarte {{< fact survey.respondents >}} av {{< fact survey.invited >}}
    ({{< fact survey.response_rate_pct pct:1 >}}).

gives "Det svarte 35 av 110 (31,8 %)." A key holding spaces goes in double quotes:
``{{< fact "table1.Digitale samlinger" >}}``. The syntax borrows Quarto's shortcode
brackets so that the files read naturally to Quarto users; the placeholders are
resolved before either engine sees the text. The value is written as literal text
(escaped for Markdown): a fact holding "14. august 2019" or "*" at the start of a
line stays text, never a list or emphasis.

Formats
-------
(none)      integers as integers, other numbers with up to two decimals, text as is
``int``     rounded to a whole number
``num:D``   D decimals ("4,69" for ``num:2``)
``pct:D``   a percentage value with D decimals and " %" ("31,8 %" for ``pct:1``)
``share:D`` a share 0..1 shown as a percentage ("31,8 %" for 0.318 and ``share:1``)
``text``    the value as text
``list``    a list joined the Norwegian way ("a, b og c")
``lower``   text in lower case (for a value used mid-sentence)
``date``    an ISO date as "25. juni 2021"; ``date:short`` as "25. juni"
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from lnutils.fmt import fmt_num, fmt_pct
from lnutils.literal import escape_markdown
from lnutils.render.claims import select_lines
from lnutils.render.errors import RenderError

# A key with spaces ("table1.Digitale samlinger") is written in double quotes.
PLACEHOLDER_RE = re.compile(r'\{\{<\s*fact\s+(?:"(?P<quoted>[^"]+)"|(?P<key>[^\s>"]+))'
                            r'(?:\s+(?P<fmt>[^\s>]+))?\s*>\}\}')
# Anything that looks like a started placeholder, to catch typos ("{{< fakt ... >}}").
_LOOSE_RE = re.compile(r"\{\{<.*?>\}\}")


def fmt_number(value: float, decimals: int) -> str:
    """Norwegian number (decimal comma, thin space in thousands), by lnutils.fmt."""
    return fmt_num(value, decimals)


def fmt_percent(value: float, decimals: int) -> str:
    """A percentage value (31.8) as "31,8 %", by lnutils.fmt."""
    return fmt_pct(value, decimals)


def join_list(items: list[Any]) -> str:
    """["a", "b", "c"] -> "a, b og c"."""
    words = [str(i) for i in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " og " + words[-1]


def format_fact(value: Any, spec: str | None) -> str:
    """Format one fact value by a placeholder format (see module docstring).

    Raises
    ------
    ValueError
        When the format is unknown or does not fit the value.
    """
    kind, _, arg = (spec or "").partition(":")
    if arg and not arg.isdigit() and kind != "date":
        raise ValueError(f"the number of decimals must be a whole number, not {arg!r}")
    decimals = int(arg) if arg.isdigit() else None
    if kind == "":
        return _default(value)
    if kind == "text":
        return str(value)
    if kind == "lower":
        return str(value).lower()
    if kind == "date":
        return _date(value, short=arg == "short")
    if kind == "list":
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"format 'list' needs a list, the fact is {value!r}")
        return join_list(list(value))
    number = _number(value, kind)
    if kind == "int":
        return fmt_number(round(number), 0)
    if kind == "num":
        return fmt_number(number, 2 if decimals is None else decimals)
    if kind == "pct":
        return fmt_percent(number, 1 if decimals is None else decimals)
    if kind == "share":
        return fmt_percent(number * 100, 1 if decimals is None else decimals)
    raise ValueError(f"unknown format {spec!r} "
                     "(use int, num:D, pct:D, share:D, text, list, lower, date)")


def _date(value: Any, short: bool) -> str:
    from lnutils.render.structure import MONTHS

    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValueError(
            f"format 'date' needs an ISO date (2021-06-25), the fact is {value!r}") from None
    text = f"{day.day}. {MONTHS[day.month - 1]}"
    return text if short else f"{text} {day.year}"


def _number(value: Any, kind: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"format {kind!r} needs a number, the fact is {value!r}")
    if isinstance(value, float) and math.isnan(value):
        raise ValueError("the fact has no value (NaN)")
    return float(value)


def _default(value: Any) -> str:
    if value is None:
        raise ValueError("the fact has no value (null)")
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, int):
        return fmt_number(value, 0)
    if isinstance(value, float):
        if value.is_integer():
            return fmt_number(value, 0)
        return fmt_number(value, 2).rstrip("0").rstrip(",")
    if isinstance(value, (list, tuple)):
        return join_list(list(value))
    return str(value)


def resolve_text(text: str, facts: Mapping[str, Any], source: str | Path,
                 first_line: int = 1) -> str:
    """Replace every placeholder in ``text`` by its formatted fact.

    Parameters
    ----------
    text : markdown with placeholders.
    facts : the flat facts (``stage_dir/facts.json``).
    source : file (or "notebook, cell N") named in errors.
    first_line : line number of the text's first line in ``source``.

    Raises
    ------
    RenderError
        Naming the file, the line and the key for an unknown fact, a bad format or
        a malformed placeholder; every problem in the text is listed at once. A false
        claim or a broken ``{{< if >}}`` block (see :mod:`lnutils.render.claims`) too.
    """
    problems: list[str] = []
    out = []
    # claims are checked and if/else branches chosen first (lnutils.render.claims)
    for number, line in select_lines(text, facts, source, first_line):
        where = f"{source}, line {number}"
        out.append(PLACEHOLDER_RE.sub(lambda m, w=where: _replace(m, facts, w, problems), line))
        for loose in _LOOSE_RE.findall(PLACEHOLDER_RE.sub("", line)):
            problems.append(f"{where}: malformed placeholder {loose!r}; "
                            "write {{< fact KEY >}} or {{< fact KEY FORMAT >}}")
    if problems:
        raise RenderError("\n".join(problems))
    return "\n".join(out)


def _replace(match: re.Match, facts: Mapping[str, Any], where: str, problems: list[str]) -> str:
    key, spec = match.group("quoted") or match.group("key"), match.group("fmt")
    if key not in facts:
        close = [k for k in facts if k.rsplit(".", 1)[-1] == key.rsplit(".", 1)[-1]][:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        problems.append(f"{where}: unknown fact {key!r}{hint}; "
                        "see `lnreport facts PIPELINE` for the fact names")
        return match.group(0)
    try:
        # A fact may hold text from data (a label, a region's name): it is text, never
        # markup, wherever the placeholder stands (even at the start of a line).
        return escape_markdown(format_fact(facts[key], spec), lines=False)
    except ValueError as exc:
        problems.append(f"{where}: fact {key!r}: {exc}")
        return match.group(0)
