"""Wilson intervals, t quantiles and means with intervals, against hand-worked numbers."""

import math

import pandas as pd
import pytest

from lnutils.analysis.stats import mean_ci, t_quantile, wilson_interval


def test_wilson_35_of_110_by_hand():
    # p = 0.318182, z = 1.959964, z^2/n = 0.034922
    # centre = (p + z^2/2n) / (1 + z^2/n) = 0.335643 / 1.034922 = 0.324317
    # half = z * sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n) = 0.088775 / 1.034922 = 0.085779
    low, high = wilson_interval(35, 110)
    assert low == pytest.approx(0.238538, abs=2e-6)
    assert high == pytest.approx(0.410096, abs=2e-6)


def test_wilson_zero_and_all():
    # 0 of n: low = 0, high = z^2 / (n + z^2) = 3.841459 / 13.841459 = 0.277533
    assert wilson_interval(0, 10) == (0.0, pytest.approx(0.277533, abs=1e-6))
    low, high = wilson_interval(10, 10)
    assert high == 1.0 and low == pytest.approx(1 - 0.277533, abs=1e-6)


def test_wilson_level_changes_width():
    # 90 %: z = 1.644854; 5 of 10 is symmetric around 0.5:
    # half = z * sqrt(0.025 + z^2/400) / (1 + z^2/10) = 0.293153 / 1.270554 = 0.230729
    low, high = wilson_interval(5, 10, level=0.90)
    assert (low, high) == (pytest.approx(0.269271, abs=1e-6), pytest.approx(0.730729, abs=1e-6))


def test_wilson_empty_base_and_bad_input():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    with pytest.raises(ValueError, match="successes"):
        wilson_interval(11, 10)
    with pytest.raises(ValueError, match="level"):
        wilson_interval(1, 10, level=95)


@pytest.mark.parametrize(("df", "table"), [(1, 12.706), (4, 2.776), (10, 2.228), (30, 2.042),
                                           (34, 2.032)])
def test_t_quantile_matches_printed_tables(df, table):
    assert t_quantile(0.975, df) == pytest.approx(table, abs=6e-4)


def test_mean_ci_by_hand():
    # 1..5: mean 3, SD sqrt(10/4) = 1.581139, half = 2.776445 * 1.581139 / sqrt(5) = 1.963243
    out = mean_ci([1, 2, 3, 4, 5])
    assert out["n"] == 5 and out["mean"] == 3
    assert out["sd"] == pytest.approx(1.581139, abs=1e-6)
    assert out["low"] == pytest.approx(1.036757, abs=1e-5)
    assert out["high"] == pytest.approx(4.963243, abs=1e-5)


def test_mean_ci_drops_missing_and_handles_tiny_bases():
    out = mean_ci(pd.array([4, None, 6], dtype="Int64"))
    # 4 and 6: mean 5, SD sqrt(2) = 1.414214, half = 12.706205 * 1.414214 / sqrt(2) = 12.706205
    assert out["n"] == 2 and out["mean"] == 5
    assert out["high"] == pytest.approx(17.706205, abs=1e-5)
    one = mean_ci([float("nan"), 3.0])
    assert one["n"] == 1 and one["mean"] == 3 and math.isnan(one["sd"]) and math.isnan(one["low"])
    none = mean_ci([])
    assert none["n"] == 0 and math.isnan(none["mean"])
