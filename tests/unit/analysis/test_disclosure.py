"""No published breakdown lets a solver recompute a suppressed cell of 1-4 respondents."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveybrief.analysis.breakdowns import suppress
from surveybrief.analysis.disclosure import MIN_RANGE, feasible_ranges, pinned, protect


def table(rows: list[list[int]]) -> tuple[pd.DataFrame, pd.Series]:
    counts = pd.DataFrame(
        rows,
        index=[f"g{i}" for i in range(len(rows))],
        columns=[f"o{j}" for j in range(len(rows[0]))],
    )
    counts.loc["all"] = counts.sum()
    bases = counts.sum(axis=1)
    return counts, bases


def test_the_audit_example_is_pinned_by_row_and_column_sums_and_protected_after():
    counts, bases = table(
        [[7, 12, 8, 4], [12, 9, 8, 13], [10, 4, 14, 9], [8, 16, 9, 13], [11, 5, 9, 7]]
    )
    hidden, hidden_bases = suppress(counts, bases, True)
    ranges = feasible_ranges(counts, bases, hidden, hidden_bases, True)
    assert ranges[("g0", "o3")] == (4, 4, 4)  # a+b+c=19, a+f=15, b+h=17, f+h=17: g0/o3 = 4
    hidden, hidden_bases, is_safe = protect(counts, bases, hidden, hidden_bases, True)
    assert is_safe
    assert pinned(feasible_ranges(counts, bases, hidden, hidden_bases, True)) == []
    assert hidden.loc["g0"].sum() >= 4  # one more cell of g0's row hidden with it


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda w: st.lists(
            st.lists(st.integers(0, 14), min_size=w, max_size=w), min_size=2, max_size=5
        )
    ),
    st.booleans(),
)
def test_after_protection_every_small_hidden_cell_keeps_a_wide_range(rows, single):
    counts, bases = table(rows)
    if not single:  # multi-select: cells count ticks; a base is who answered (>= the most ticked)
        bases = counts.max(axis=1) + 3
        bases["all"] = bases.drop("all").sum()
    hidden, hidden_bases = suppress(counts, bases, single)
    hidden, hidden_bases, is_safe = protect(counts, bases, hidden, hidden_bases, single)
    ranges = feasible_ranges(counts, bases, hidden, hidden_bases, single)
    if not is_safe:  # too few respondents for any safe table: it is not published at all
        assert pinned(ranges) != []
        return
    for key, (value, low, high) in ranges.items():
        assert low <= value <= high
        if 0 < value < MIN_RANGE:
            assert high - low >= MIN_RANGE, (key, value, low, high)
    shown_small = [
        (g, c)
        for g in counts.index
        for c in counts.columns
        if g != "all" and not hidden.at[g, c] and 0 < counts.at[g, c] < MIN_RANGE
    ]
    assert shown_small == []


def test_a_table_of_too_few_respondents_is_not_published():
    from surveybrief.analysis.breakdowns import breakdown
    from surveybrief.inputs.codebook import Option, Question

    options = tuple(Option(c, {"en": c}) for c in ("a", "b"))
    q = Question("q", "single", "s", {"en": "Q"}, {"en": "Q?"}, options)
    field = Question("f", "profile", "s", {"en": "F"}, {"en": "F?"}, options)
    frame = pd.DataFrame({"q": ["a", "b", "b"], "f": ["a", "a", "b"]})
    result = breakdown(frame, q, field)
    assert not result.is_safe and result.is_empty  # the section does not show it
