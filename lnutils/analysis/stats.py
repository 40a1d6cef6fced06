"""Interval estimates for the report: Wilson intervals for shares, t intervals for means.

The survey has about 35 respondents, so every share and mean in the report carries an
interval. The functions here are plain Python (no scipy in the environment): the
normal quantile comes from :class:`statistics.NormalDist` and the Student t quantile is
found by bisection on the t distribution function, written with the regularised
incomplete beta function.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from statistics import NormalDist

import numpy as np


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"level must lie strictly between 0 and 1, got {level!r}")


def wilson_interval(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a share ``successes / n``.

    Parameters
    ----------
    successes : number of respondents with the property (0 <= successes <= n).
    n : base, the number of respondents asked.
    level : confidence level, 0.95 for a 95 % interval.

    Returns
    -------
    tuple of float
        ``(low, high)`` as shares in 0..1; ``(nan, nan)`` when ``n`` is 0.

    Notes
    -----
    Unlike the normal ("Wald") interval it stays inside 0..1 and does not collapse to
    zero width at 0 of n or n of n, which matters for small groups.
    """
    _check_level(level)
    if n < 0 or successes < 0 or successes > n:
        raise ValueError(f"need 0 <= successes <= n, got successes={successes!r}, n={n!r}")
    if n == 0:
        return (math.nan, math.nan)
    z = _normal_quantile(1 - (1 - level) / 2)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # At 0 of n and n of n the bound is exactly 0 or 1; the formula leaves 1e-17 noise.
    low = 0.0 if successes == 0 else centre - half
    high = 1.0 if successes == n else centre + half
    return (low, high)


@functools.lru_cache(maxsize=64)
def _normal_quantile(p: float) -> float:
    """The standard normal quantile (cached: every share of a report asks for the same)."""
    return NormalDist().inv_cdf(p)


def _betacf(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz)."""
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for num in (m * (b - m) * x / ((a + m2 - 1) * (a + m2)),
                    -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))):
            d = 1.0 + num * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + num / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def _betainc(a: float, b: float, x: float) -> float:
    """Regularised incomplete beta function I_x(a, b)."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _betacf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _betacf(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """Distribution function of Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * _betainc(df / 2, 0.5, df / (df + t * t))
    return 1 - tail if t >= 0 else tail


@functools.lru_cache(maxsize=1024)
def t_quantile(p: float, df: float) -> float:
    """Quantile of Student's t (``p`` in 0.5..1), to 1e-12.

    Newton steps from the normal quantile, kept inside a bracket that bisection narrows
    whenever a step would leave it (so it always converges). Cached: every mean of the
    same base asks for the same quantile.
    """
    if not 0.5 <= p < 1:
        raise ValueError(f"t_quantile needs 0.5 <= p < 1, got {p!r}")
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:  # df = 1 at 99.9 % needs about 637
        high *= 2
    t = min(max(NormalDist().inv_cdf(p), low), high)
    log_norm = (math.lgamma((df + 1) / 2) - math.lgamma(df / 2)
                - 0.5 * math.log(df * math.pi))
    for _ in range(200):
        error = t_cdf(t, df) - p
        if error < 0:
            low = t
        else:
            high = t
        density = math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))
        step = t - error / density if density > 0 else (low + high) / 2
        if not low < step < high:
            step = (low + high) / 2
        if abs(step - t) < 1e-13 or high - low < 1e-12:
            return step
        t = step
    return t


def mean_ci(values: Iterable[float], level: float = 0.95) -> dict[str, float]:
    """Mean with standard deviation and a t interval.

    Parameters
    ----------
    values : the answers on a numeric scale; missing values (None, NaN, pandas NA) are
        dropped. Non-answers such as "Vet ikke" must already be left out by the caller.
    level : confidence level.

    Returns
    -------
    dict
        ``n`` (values used), ``mean``, ``sd`` (sample SD, ddof 1), ``low``, ``high``.
        With no values everything but ``n`` is NaN; with one value ``sd``, ``low`` and
        ``high`` are NaN (a single answer says nothing about spread).
    """
    _check_level(level)
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":  # the common, fast case
        xs = values[~np.isnan(values)].tolist()
    else:
        xs = [float(v) for v in values if not _is_missing(v)]
    n = len(xs)
    out = {"n": n, "mean": math.nan, "sd": math.nan, "low": math.nan, "high": math.nan}
    if n == 0:
        return out
    mean = math.fsum(xs) / n
    out["mean"] = mean
    if n == 1:
        return out
    sd = math.sqrt(math.fsum((x - mean) ** 2 for x in xs) / (n - 1))
    half = t_quantile(1 - (1 - level) / 2, n - 1) * sd / math.sqrt(n)
    out.update(sd=sd, low=mean - half, high=mean + half)
    return out


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN
    except TypeError:  # pandas NA refuses bool()
        return True
