import math

from hypothesis import given, settings
from hypothesis import strategies as st

from surveybrief.analysis.bounds import Share, bounded_change, worst_end
from surveybrief.analysis.stats import newcombe_interval


@st.composite
def shares(draw):
    base = draw(st.integers(1, 40))
    count = draw(st.integers(0, base))
    unknown = draw(st.integers(0, base - count))
    return Share(count, unknown, base)


@settings(max_examples=300, deadline=None)
@given(shares(), shares())
def test_the_range_holds_every_split_of_the_unreported_answers(before, after):
    change = bounded_change(before, after)
    for j1 in range(before.unknown + 1):
        for j2 in range(after.unknown + 1):
            point = 100 * ((after.count + j2) / after.base - (before.count + j1) / before.base)
            assert change.low - 1e-9 <= point <= change.high + 1e-9


@settings(max_examples=200, deadline=None)
@given(shares(), shares())
def test_a_change_claimed_at_the_worst_end_holds_at_every_split(before, after):
    """Brute force: if the least favourable split shows a change, every split shows it."""
    change = bounded_change(before, after)
    if not (before.is_bounded or after.is_bounded):
        return
    if not change.excludes_zero:
        return
    for j1 in range(before.unknown + 1):
        for j2 in range(after.unknown + 1):
            low, high = newcombe_interval(
                before.count + j1, before.base, after.count + j2, after.base
            )
            assert (low > 0) if change.ci_low > 0 else (high < 0)
            assert (
                abs(change.worst)
                <= 100 * abs((after.count + j2) / after.base - (before.count + j1) / before.base)
                + 1e-9
            )


def test_no_change_is_claimed_when_the_range_includes_none():
    # "cooperative": unknown in the earlier wave (20 unreported of 50), 30 of 60 later
    change = bounded_change(Share(0, 20, 50), Share(30, 0, 60))
    assert (change.low, change.high) == (10.0, 50.0)
    assert worst_end(Share(0, 20, 50), Share(30, 0, 60)) == (20, 30)
    assert not change.excludes_zero  # 40% -> 50% at the worst end
    none = bounded_change(Share(10, 20, 50), Share(18, 0, 60))  # 20-60% -> 30%
    assert worst_end(Share(10, 20, 50), Share(18, 0, 60)) is None
    assert math.isnan(none.worst) and math.isnan(none.p_value) and not none.excludes_zero


def test_exact_shares_are_tested_as_they_are():
    change = bounded_change(Share(10, 0, 40), Share(30, 0, 40))
    assert change.low == change.high == change.worst == 50.0
    assert change.excludes_zero
