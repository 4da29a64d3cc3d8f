"""Rating scales: mean and median intervals, top-two-box, against reference values."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from surveybrief.analysis.scales import mean_interval, median_interval, summarise_scale
from surveybrief.inputs.codebook import Option, Question


def rating(codes=("1", "2", "3", "4", "5")) -> Question:
    options = tuple(Option(c, {"en": f"point {c}"}) for c in codes)
    return Question("ready", "rating", "s", {"en": "Readiness"}, {"en": "How ready?"}, options)


def test_the_mean_interval_is_the_t_interval():
    values = np.array([1, 2, 2, 3, 4, 4, 4, 5, 5, 3], dtype=float)
    expected = stats.t.interval(0.95, len(values) - 1, values.mean(), stats.sem(values))
    assert mean_interval(values) == pytest.approx(expected, abs=1e-12)


def test_the_median_interval_for_ten_values_is_the_second_and_ninth_order_statistics():
    values = np.arange(1, 11, dtype=float)
    assert median_interval(values) == (2.0, 9.0)  # coverage 1 - 2 * P(B <= 1) = 0.979


@given(st.lists(st.integers(1, 5), min_size=1, max_size=200))
def test_the_median_interval_covers_the_median_and_has_at_least_95_percent(points):
    values = np.array(points, dtype=float)
    low, high = median_interval(values)
    assert low <= np.median(values) <= high
    n = len(values)
    j = int(np.searchsorted(np.sort(values), low, side="left")) + 1  # rank of the low bound
    if n >= 6:
        assert 1 - 2 * stats.binom.cdf(j - 1, n, 0.5) >= 0.95 - 1e-12 or low == values.min()


def test_top_two_box_is_the_share_of_the_two_highest_points_with_its_wilson_interval():
    answers = ["1"] * 2 + ["2"] * 10 + ["3"] * 8 + ["4"] * 12 + ["5"] * 8
    summary = summarise_scale(pd.DataFrame({"ready": answers + [None] * 5}), rating())
    assert summary.base == 40 and summary.top2_codes == ("4", "5")
    assert summary.top2_count == 20 and summary.top2_pct == 50
    assert summary.top2_ci == pytest.approx((0.352, 0.648), abs=5e-4)
    frame = summary.frame().set_index("statistic")
    assert frame.loc["median", "value"] == 3.5 and frame.loc["top2_pct", "count"] == 20


def test_a_rating_nobody_answered_has_no_summary():
    assert summarise_scale(pd.DataFrame({"ready": [None, None]}), rating()) is None
