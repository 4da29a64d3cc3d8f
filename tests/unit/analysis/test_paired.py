"""Paired and partially overlapping changes against references and the papers' examples."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.contingency_tables import SquareTable, mcnemar

from surveybrief.analysis.paired import (
    INDEPENDENT,
    MCNEMAR,
    PAIRED,
    PARTIAL,
    PARTIAL_Z,
    aligned,
    binary_change,
    mcnemar_exact,
    newcombe_paired,
    partial_overlap_t,
    partial_overlap_z,
    signed_rank,
    stuart_maxwell,
)

NA = np.nan


def test_newcombe_paired_interval_matches_the_contingency_tables_reference():
    """Fagerland, Lydersen & Laake, ch. 8 (Cavo et al. 2012): -0.0621 (-0.1186 to -0.0046)."""
    estimate, low, high = newcombe_paired(59, 6, 16, 80)
    assert (round(estimate, 4), round(low, 4), round(high, 4)) == (-0.0621, -0.1186, -0.0046)


def test_the_partially_overlapping_z_test_gives_derrick_et_al_2015s_example():
    """15 pairs, 9 in sample 1 only, 6 in sample 2 only: p = 0.053 (Partiallyoverlapping)."""
    a = [1] * 9 + [0] * 6 + [1] * 5 + [0] * 4 + [NA] * 6
    b = [1] * 8 + [0] + [1] * 3 + [0] * 3 + [NA] * 9 + [1] * 6
    estimate, _z, p, _half = partial_overlap_z(pd.Series(a, dtype=float), pd.Series(b, dtype=float))
    assert round(p, 3) == 0.053 and estimate < 0


def test_the_partially_overlapping_t_test_gives_derrick_et_al_2017s_example():
    """8 unpaired per sample, 8 pairs, equal variances: p = 0.026 (Partiallyoverlapping)."""
    a = [20, 21, 16, 18, 14, 12, 14, 17] + [NA] * 8 + [14, 15, 18, 20, 11, 19, 14, 15]
    b = [NA] * 8 + [10, 16, 18, 16, 15, 14, 13, 10] + [15, 10, 15, 17, 13, 19, 12, 13]
    estimate, _t, _df, p, _half = partial_overlap_t(pd.Series(a), pd.Series(b), equal_var=True)
    assert estimate == 2.0 and round(p, 3) == 0.026


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=9, max_size=9))
def test_stuart_maxwell_equals_statsmodels(cells):
    table = np.array(cells).reshape(3, 3)
    if np.any(table.sum(axis=0) + table.sum(axis=1) == 0):
        return  # a category nobody chose: dropped here, singular for statsmodels
    reference = SquareTable(table, shift_zeros=False).homogeneity()
    chi2, df, p = stuart_maxwell(table)
    if df < 2:
        return  # a category nobody left or joined: its freedom is dropped (the tests below)
    if np.isfinite(reference.statistic):
        assert chi2 == pytest.approx(reference.statistic, rel=1e-9, abs=1e-9)
        assert df == reference.df and p == pytest.approx(reference.pvalue, abs=1e-12)


def test_a_category_no_expert_left_or_joined_adds_no_freedom():
    """Only the 6 who moved from the second answer to the third changed: McNemar's 6 on 1 df."""
    chi2, df, p = stuart_maxwell(np.array([[5, 0, 0], [0, 2, 6], [0, 0, 3]]))
    assert (chi2, df) == (pytest.approx(6.0), 1) and p == pytest.approx(stats.chi2.sf(6.0, 1))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), min_size=16, max_size=16))
def test_stuart_maxwell_is_that_of_the_categories_that_changed(cells):
    table = np.array(cells).reshape(4, 4)
    table[0, 1:] = table[1:, 0] = 0  # the first answer: its experts all kept it
    moved = table[1:, 1:]
    if np.any(moved.sum(axis=0) + moved.sum(axis=1) - 2 * np.diag(moved) == 0):
        return  # another category without change: covered by the example above
    reference = SquareTable(moved, shift_zeros=False).homogeneity()
    chi2, df, p = stuart_maxwell(table)
    assert df == reference.df == 2 and chi2 == pytest.approx(reference.statistic, rel=1e-9)
    assert p == pytest.approx(reference.pvalue, abs=1e-12)


def test_ratings_without_spread_are_exact_not_a_division_by_zero():
    same = pd.Series([5.0] * 30 + [NA] * 5)
    later = pd.Series([5.0] * 30 + [NA] * 5).shift(3)  # 3 left, 3 joined, everyone said 5
    estimate, _t, _df, p, half = partial_overlap_t(same, later)
    assert (estimate, p, half) == (0.0, 1.0, 0.0)
    estimate, _t, _df, p, _half = partial_overlap_t(same, later - 1)
    assert (estimate, p) == (1.0, 0.0)  # everyone's 5 became everyone's 4


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 30), st.integers(0, 30))
def test_mcnemar_exact_equals_statsmodels(b, c):
    assert mcnemar_exact(b, c) == pytest.approx(mcnemar([[7, b], [c, 5]], exact=True).pvalue)


def test_the_signed_rank_test_is_scipys_with_zero_changes_kept():
    before = pd.Series([3, 4, 2, 5, 3, 4, 4, 2, 3, 5], index=list("abcdefghij"))
    after = pd.Series([4, 4, 3, 5, 4, 5, 3, 3, 4, 5], index=list("abcdefghij"))
    median, p = signed_rank(before, after)
    assert median == 1.0
    assert p == stats.wilcoxon(after - before, zero_method="zsplit").pvalue


def test_the_overlap_decides_paired_partial_or_independent():
    before = pd.Series([1, 0, 1, 1], index=["a", "b", "c", "d"], dtype=float)
    assert aligned(before, before)[2].design == PAIRED
    later = pd.Series([1, 1, 0], index=["c", "d", "e"], dtype=float)
    overlap = aligned(before, later)[2]
    assert (overlap.paired, overlap.only_before, overlap.only_after) == (2, 2, 1)
    assert overlap.design == PARTIAL
    assert aligned(before, pd.Series([1.0], index=["x"]))[2].design == INDEPENDENT
    assert binary_change(before, pd.Series([1.0, 0.0], index=["x", "y"])) is None


def _panel(rng, n: int, keep: float, p_before: float, change: float, stay: float):
    """A SYNTHETIC panel with a known change of ``change`` in the share answering 1.

    Each expert has a leaning (uniform); they answer 1 when it is under the wave's share. In the
    later wave, ``stay`` of them keep their leaning (hence correlated answers), the others lean
    afresh; ``keep`` of the experts answer again and newcomers make up the rest.
    """
    ids = [f"e{i}" for i in range(n)]
    leaning = rng.random(n)
    later = np.where(rng.random(n) < stay, leaning, rng.random(n))
    first = pd.Series((leaning < p_before).astype(float), index=ids)
    second = pd.Series((later < p_before + change).astype(float), index=ids)
    stayers = rng.random(n) < keep
    fresh = n - int(stayers.sum())
    newcomers = pd.Series((rng.random(fresh) < p_before + change).astype(float),
                          index=[f"new{i}" for i in range(fresh)])  # fmt: skip
    return first, pd.concat([second[stayers], newcomers])


@pytest.mark.parametrize(("keep", "test"), [(1.0, MCNEMAR), (0.6, PARTIAL_Z)])
def test_synthetic_panels_recover_a_known_change_and_keep_their_level(keep, test):
    """No true change: wrong claims at most 5% (+ noise); a true +30 points: found, interval holds.

    The paired tests also find more than Fisher's test of the same data treated as independent
    (an expert who keeps an answer is information, not a second sample).
    """
    rng = np.random.default_rng(7)
    null = [binary_change(*_panel(rng, 40, keep, 0.4, 0.0, 0.7)) for _ in range(300)]
    assert {c.test for c in null} == {test}
    assert np.mean([c.p_value < 0.05 for c in null]) <= 0.065
    runs = [_panel(rng, 40, keep, 0.3, 0.3, 0.7) for _ in range(300)]
    found = [binary_change(x, y) for x, y in runs]
    assert np.mean([c.p_value < 0.05 for c in found]) >= 0.8
    assert np.mean([c.ci_low <= 30 <= c.ci_high for c in found]) >= 0.9
    fisher = [stats.fisher_exact([[x.sum(), len(x) - x.sum()], [y.sum(), len(y) - y.sum()]])[1]
              for x, y in runs]  # fmt: skip
    assert np.mean([c.p_value < 0.05 for c in found]) > np.mean(np.array(fisher) < 0.05)
