import itertools
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from surveybrief.analysis.stats import (
    fisher_exact_p,
    holm_adjusted,
    is_small_base,
    margin_at_half,
    newcombe_interval,
    wilson_interval,
    z_value,
)

# Newcombe (1998), Statistics in Medicine 17:857-872, Table I, method 3 (Wilson score, no
# continuity correction): the published intervals, to four decimals.
NEWCOMBE = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
]


@pytest.mark.parametrize(("k", "n", "low", "high"), NEWCOMBE)
def test_wilson_matches_newcombe_examples(k, n, low, high):
    got_low, got_high = wilson_interval(k, n)
    assert (low, high) == (round(got_low, 4), round(got_high, 4))


def test_z_is_196_for_95_percent():
    assert math.isclose(z_value(0.95), 1.959964, abs_tol=1e-6)


def test_wilson_vectorised_and_missing_base():
    low, high = wilson_interval(np.array([0, 5, 0]), np.array([10, 10, 0]))
    assert low[0] == 0.0
    assert math.isclose(high[1] - 0.5, 0.5 - low[1])
    assert np.isnan(low[2]) and np.isnan(high[2])


def test_wilson_refuses_count_above_base():
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_estimate_and_stays_in_unit_interval(kn):
    k, n = kn
    low, high = wilson_interval(k, n)
    assert 0.0 <= low <= k / n + 1e-12
    assert k / n - 1e-12 <= high <= 1.0
    assert high - low > 0


def test_small_base_flag_and_margin():
    assert is_small_base(29) and not is_small_base(30)
    assert round(margin_at_half(50)) == 13
    assert margin_at_half(30) > margin_at_half(50)


# Newcombe (1998), Statistics in Medicine 17:873-890, Table II, method 10 (hybrid score).
NEWCOMBE_DIFF = [
    (56, 70, 48, 80, 0.0524, 0.3339),
    (9, 10, 3, 10, 0.1705, 0.8090),
    (5, 56, 0, 29, -0.0381, 0.1926),
]


@pytest.mark.parametrize(("k1", "n1", "k2", "n2", "low", "high"), NEWCOMBE_DIFF)
def test_newcombe_difference_matches_published_examples(k1, n1, k2, n2, low, high):
    # Newcombe reports p1 - p2 for (k1/n1, k2/n2); our function returns second minus first.
    got_low, got_high = newcombe_interval(k2, n2, k1, n1)
    assert (low, high) == (round(got_low, 4), round(got_high, 4))


def test_fisher_exact_matches_a_known_value():
    # Tea-tasting: 3 of 4 right in each direction; two-sided p = 0.4857
    assert round(fisher_exact_p(1, 4, 3, 4), 4) == 0.4857


def test_holm_adjustment_of_a_worked_example():
    # sorted: 0.005 x 4 = 0.02; 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 -> kept at 0.06
    assert holm_adjusted([0.01, 0.04, 0.03, 0.005]) == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert holm_adjusted([]) == []
    assert holm_adjusted([0.7, 0.9]) == [1.0, 1.0]


@given(st.lists(st.floats(min_value=0, max_value=1), max_size=30))
def test_holm_is_the_step_down_procedure(p_values):
    adjusted = holm_adjusted(p_values)
    assert len(adjusted) == len(p_values)
    assert all(p <= a <= 1 for p, a in zip(p_values, adjusted, strict=True))
    for (p1, a1), (p2, a2) in itertools.combinations(zip(p_values, adjusted, strict=True), 2):
        assert (a1 <= a2) if p1 < p2 else (a2 <= a1) if p2 < p1 else True
    # Reject in order of p while p_(k) <= alpha / (m - k); stop at the first that fails.
    m, rejected = len(p_values), set()
    for rank, i in enumerate(sorted(range(m), key=lambda i: p_values[i])):
        if p_values[i] * (m - rank) >= 0.05:
            break
        rejected.add(i)
    assert {i for i, a in enumerate(adjusted) if a < 0.05} == rejected


def test_holm_keeps_an_untested_comparison_as_nan_and_adjusts_over_the_tested_ones():
    import math

    from surveybrief.analysis.stats import fisher_exact_p, holm_adjusted

    adjusted = holm_adjusted([0.01, float("nan"), 0.04])
    assert math.isnan(adjusted[1]) and adjusted[0] == 0.02 and adjusted[2] == 0.04
    assert math.isnan(fisher_exact_p(0, 0, 3, 10))  # an empty base: not testable, not p = 1


def test_holm_matches_statsmodels_style_reference_on_a_worked_example():
    from surveybrief.analysis.stats import holm_adjusted

    # Holm (1979): p = 0.01, 0.02, 0.03, 0.04 -> 0.04, 0.06, 0.06, 0.06
    assert holm_adjusted([0.03, 0.01, 0.04, 0.02]) == [0.06, 0.04, 0.06, 0.06]
