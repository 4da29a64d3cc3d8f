"""The statistics against reference implementations (statsmodels, scipy), so they stay right."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import fisher_exact
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from surveybrief.analysis.stats import (
    fisher_exact_p,
    holm_adjusted,
    newcombe_interval,
    wilson_interval,
)

counts = st.integers(1, 300).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n)))


@settings(max_examples=300)
@given(counts)
def test_wilson_matches_statsmodels(kn):
    k, n = kn
    assert wilson_interval(k, n) == pytest.approx(
        proportion_confint(k, n, alpha=0.05, method="wilson"), abs=1e-12
    )


@settings(max_examples=300)
@given(counts, counts)
def test_newcombe_hybrid_score_matches_statsmodels(first, second):
    (k1, n1), (k2, n2) = first, second
    reference = confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", compare="diff")
    assert newcombe_interval(k1, n1, k2, n2) == pytest.approx(reference, abs=1e-9)


@settings(max_examples=200)
@given(counts, counts)
def test_fisher_matches_scipy(first, second):
    (k1, n1), (k2, n2) = first, second
    expected = fisher_exact([[k2, n2 - k2], [k1, n1 - k1]]).pvalue
    assert fisher_exact_p(k1, n1, k2, n2) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@settings(max_examples=300)
@given(st.lists(st.floats(0, 1, allow_nan=False), min_size=1, max_size=12))
def test_holm_matches_statsmodels(p_values):
    expected = multipletests(p_values, alpha=0.05, method="holm")[1]
    assert holm_adjusted(p_values) == pytest.approx(list(expected), abs=1e-12)


def test_holm_with_an_untested_comparison_matches_statsmodels_on_the_tested_ones():
    adjusted = holm_adjusted([0.01, math.nan, 0.04, 0.03])
    expected = multipletests([0.01, 0.04, 0.03], method="holm")[1]
    assert math.isnan(adjusted[1])
    assert np.allclose([adjusted[0], adjusted[2], adjusted[3]], expected)
