import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.inter_rater import cohens_kappa

from surveybrief.analysis.agreement import agreement_table, cohen_kappa, krippendorff_alpha

pairs = st.integers(2, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 2), min_size=n, max_size=n),
        st.lists(st.integers(0, 2), min_size=n, max_size=n),
    )
)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # statsmodels on a table without variance
@settings(max_examples=300, deadline=None)
@given(pairs)
def test_kappa_matches_statsmodels(pair):
    a, b = pair
    table = pd.crosstab(pd.Categorical(a, [0, 1, 2]), pd.Categorical(b, [0, 1, 2]), dropna=False)
    ours = cohen_kappa(a, b)
    if math.isnan(ours):
        return  # no variation at all: statsmodels divides by zero
    assert ours == pytest.approx(cohens_kappa(table.to_numpy()).kappa, abs=1e-12)


@settings(max_examples=300, deadline=None)
@given(pairs)
def test_alpha_matches_the_krippendorff_package(pair):
    a, b = pair
    ours = krippendorff_alpha(a, b)
    if len(set(a) | set(b)) < 2:
        assert math.isnan(ours)
        return
    reference = krippendorff.alpha(
        reliability_data=np.array([a, b], dtype=float), level_of_measurement="nominal"
    )
    assert ours == pytest.approx(reference, abs=1e-12)


def test_a_published_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", nominal data, two
    # observers, ten units (section A): alpha = 0.095.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha(a, b), 3) == 0.095


def test_the_table_pools_all_themes():
    first = pd.DataFrame({"x": [True, True, False, False], "y": [True, False, False, False]})
    second = pd.DataFrame({"x": [True, False, False, False], "y": [True, False, False, False]})
    table = agreement_table(first, second, {"x": "X", "y": "Y"}).set_index("theme")
    assert table.loc["y", "kappa"] == pytest.approx(1.0)
    assert table.loc["x", "pct_agreement"] == pytest.approx(75.0)
    assert table.loc["all", "pct_agreement"] == pytest.approx(87.5)
    assert table.loc["all", "n_answers"] == 4


def test_one_coded_answer_is_not_defined_where_the_reference_says_zero():
    """One unit the coders disagree on: krippendorff prints 0; we say "not defined" (and why)."""
    reference = krippendorff.alpha(
        reliability_data=np.array([[0], [1]]), level_of_measurement="nominal"
    )
    assert reference == 0.0
    assert np.isnan(krippendorff_alpha([0], [1])) and np.isnan(cohen_kappa([1], [1]))
