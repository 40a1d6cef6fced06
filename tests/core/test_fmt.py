"""Norwegian number formatting."""

import math

import numpy as np
import pytest

from lnutils.fmt import fmt_base, fmt_n, fmt_num, fmt_pct, fmt_range, fmt_share

NB, THIN, MINUS = "\u00a0", "\u202f", "\u2212"


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (4.6857, 2, "4,69"),
    (4.6857, 1, "4,7"),
    (31.85, 1, "31,9"),      # half up on the written number, not on its binary value
    (2.675, 2, "2,68"),
    (3, 0, "3"),
    (3, 2, "3,00"),
    (2021, 0, "2021"),       # four digits: no space
    (12345.5, 1, f"12{THIN}345,5"),
    (1234567, 0, f"1{THIN}234{THIN}567"),
    (-3.25, 1, f"{MINUS}3,3"),
    (-0.04, 1, "0,0"),       # no "−0,0"
    (np.float64(0.5), 0, "1"),
])
def test_fmt_num(value, decimals, expected):
    assert fmt_num(value, decimals) == expected


def test_percent_share_count_base_range():
    assert fmt_pct(31.8) == f"31,8{NB}%"
    assert fmt_pct(100, 0) == f"100{NB}%"
    assert fmt_share(0.318) == f"31,8{NB}%"
    assert fmt_share(35 / 110, 1) == f"31,8{NB}%"
    assert fmt_n(np.int64(110)) == "110"
    assert fmt_base(35) == f"n{NB}={NB}35"
    assert fmt_range(4.12, 5.27, 1) == "4,1\u20135,3"
    assert fmt_range(0.2385, 0.4101, 1, share=True) == f"23,9\u201341,0{NB}%"


@pytest.mark.parametrize("missing", [None, math.nan, float("inf")])
def test_missing_values_give_a_dash(missing):
    assert fmt_num(missing, 2) == fmt_pct(missing) == fmt_share(missing) == "\u2013"
