"""Norwegian number formatting for report text, tables, figure labels and captions.

Decimal comma, a narrow no-break space (U+202F) between thousands groups from five
digits on (Språkrådet allows "2021" and "1234" without a space, which keeps years
readable), a no-break space (U+00A0) before "%", and the minus sign U+2212. Rounding is
half up on the number as written (31,85 -> "31,9"), the way a reader checks it by hand;
Python's own rounding works on the binary value and would give surprises.

NaN and None come out as an en dash, the report's mark for "no value".
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
THIN = "\u202f"
MINUS = "\u2212"
MISSING = "\u2013"


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value) or math.isinf(float(value))
    except TypeError:  # pandas NA
        return True


def _group(digits: str) -> str:
    if len(digits) < 5:
        return digits
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return THIN.join(parts)


def fmt_num(value: float, decimals: int = 1) -> str:
    """A number with decimal comma: ``fmt_num(4.6857, 2) == "4,69"``.

    Parameters
    ----------
    value : the number (int, float, numpy number); None/NaN give "–".
    decimals : digits after the comma (0 for none).

    Returns
    -------
    str
        E.g. "12 345,5" (narrow no-break space), "−0,3" (minus sign).
    """
    if _missing(value):
        return MISSING
    quantum = Decimal(1).scaleb(-decimals)
    # round(.., 9) first drops float noise from arithmetic (0.2385 * 100 = 23.849999...).
    written = Decimal(repr(round(float(value), 9)))
    rounded = written.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "−0,0"
    sign = MINUS if rounded < 0 else ""
    whole, _, frac = f"{abs(rounded):f}".partition(".")
    text = sign + _group(whole)
    return f"{text},{frac}" if decimals > 0 else text


def fmt_n(value: int) -> str:
    """A count: ``fmt_n(12345) == "12 345"`` (narrow no-break space)."""
    return fmt_num(value, 0)


def fmt_pct(value: float, decimals: int = 1) -> str:
    """A percentage given as a percentage: ``fmt_pct(31.8) == "31,8 %"`` (no-break space)."""
    if _missing(value):
        return MISSING
    return fmt_num(value, decimals) + NBSP + "%"


def fmt_share(share: float, decimals: int = 1) -> str:
    """A share given in 0..1 as a percentage: ``fmt_share(0.318) == "31,8 %"``."""
    if _missing(share):
        return MISSING
    return fmt_pct(float(share) * 100, decimals)


def fmt_base(n: int) -> str:
    """The base of a figure or table: ``fmt_base(35) == "n = 35"``."""
    return f"n{NBSP}={NBSP}{fmt_n(n)}"


def fmt_range(low: float, high: float, decimals: int = 1, *, share: bool = False) -> str:
    """An interval as "4,1–5,2" (numbers) or "24,0–41,0 %" (``share=True``, 0..1 input)."""
    if _missing(low) or _missing(high):
        return MISSING
    if share:
        return f"{fmt_num(low * 100, decimals)}\u2013{fmt_pct(high * 100, decimals)}"
    return f"{fmt_num(low, decimals)}\u2013{fmt_num(high, decimals)}"
