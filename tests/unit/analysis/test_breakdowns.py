import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from surveybrief.analysis.breakdowns import MIN_CELL, breakdown
from surveybrief.analysis.disclosure import suppress
from surveybrief.analysis.profile import POOLED
from surveybrief.brief.present import breakdown_html
from surveybrief.inputs.codebook import Option, Question

PROFILE = Question(
    "field",
    "profile",
    "s",
    {"en": "Field"},
    {"en": "W"},
    tuple(Option(c, {"en": c.title()}) for c in ("pol", "eco", "edu")),
)
SINGLE = Question(
    "q",
    "single",
    "s",
    {"en": "Q"},
    {"en": "W"},
    tuple(Option(c, {"en": c.upper()}) for c in ("a", "b", "c")),
)


def frame(pairs):
    return pd.DataFrame(
        {
            "field": pd.array([p for p, _ in pairs], "string"),
            "q": pd.array([a for _, a in pairs], "string"),
        }
    )


def test_a_small_group_is_shown_only_pooled_with_what_keeps_its_size_open():
    pairs = (
        [("pol", "a")] * 20
        + [("pol", "b")] * 2
        + [("pol", "c")] * 10
        + [("eco", "a")] * 12
        + [("eco", "b")] * 9
        + [("eco", "c")] * 8
        + [("edu", "a")] * 3
    )
    b = breakdown(frame(pairs), SINGLE, PROFILE)
    assert not b.suppressed.any().any() and b.is_safe  # 2 of a group of 32: shown
    assert list(b.counts.index) == ["pol", POOLED, "all"]  # edu (3) with eco (29): 32
    assert b.counts.loc[POOLED].tolist() == [15, 9, 8] and b.bases[POOLED] == 32
    html = breakdown_html(b, "caption")
    assert ">3<" not in html and ">29<" not in html  # neither size of the pooled groups
    assert "Other groups together: Eco, Edu" in html


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(0, 12), min_size=3, max_size=3), min_size=3, max_size=3))
def test_no_hidden_cell_can_be_recomputed_from_totals(grid):
    from surveybrief.analysis.disclosure import MIN_RANGE, feasible_ranges, protect

    counts = pd.DataFrame(grid, index=["pol", "eco", "edu"], columns=["a", "b", "c"])
    counts.loc["all"] = counts.sum()
    bases = counts.sum(axis=1)
    hidden, hidden_bases = suppress(counts, bases, rows_sum_to_base=True)
    groups = ["pol", "eco", "edu"]
    for g in groups:  # a group of 1-4 is hidden whole
        assert hidden.loc[g].all() == (g in hidden_bases)
        if 0 < bases[g] < MIN_CELL:
            assert g in hidden_bases
    guarded = protect(counts, bases, hidden, hidden_bases, True)
    assert not guarded.hidden.loc["all"].any()  # the question's own table prints the totals
    if not guarded.is_safe:
        return
    ranges = feasible_ranges(counts, bases, guarded.hidden, guarded.hidden_bases, True)
    for (g, c), (value, low, high) in ranges.items():
        if 0 < value < MIN_RANGE and c not in guarded.left_out:
            assert high - low >= MIN_RANGE, (g, c, value, low, high)
    everything = hidden.copy()
    everything.loc[groups] = True
    widest = feasible_ranges(counts, bases, everything, guarded.hidden_bases, True)
    for c in guarded.left_out:  # left out only where even hiding every group cell fails
        assert counts.at["all", c] < MIN_RANGE or any(
            key[1] == c and 0 < value < MIN_RANGE and high - low < MIN_RANGE
            for key, (value, low, high) in widest.items()
        ), (c, widest)


def test_marks_survive_holm_adjustment_over_the_whole_table_only():
    from surveybrief.analysis.stats import fisher_exact_p

    # pol (40) against the rest (80): option a 27 of 40 against 36 of 80.
    pairs = (
        [("pol", "a")] * 27
        + [("pol", "b")] * 7
        + [("pol", "c")] * 6
        + [("eco", "a")] * 18
        + [("eco", "b")] * 11
        + [("eco", "c")] * 11
        + [("edu", "a")] * 18
        + [("edu", "b")] * 11
        + [("edu", "c")] * 11
    )
    raw = fisher_exact_p(36, 80, 27, 40)
    assert 0.01 < raw < 0.05  # significant alone, not once 9 comparisons are accounted for
    b = breakdown(frame(pairs), SINGLE, PROFILE)
    assert b.n_tests == 9
    assert (b.marks == "").all().all()
    assert "Holm-adjusted over the 9 comparisons" in breakdown_html(b, "caption")
    strong = pairs + [("pol", "a")] * 30  # pol: 56 of 70 choose a; the rest 36 of 80
    marked = breakdown(frame(strong), SINGLE, PROFILE)
    assert marked.marks.at["pol", "a"] == "▲"


def test_a_table_without_large_enough_groups_says_nothing_was_compared():
    b = breakdown(frame([("pol", "a")] * 12 + [("eco", "b")] * 12), SINGLE, PROFILE)
    assert b.n_tests == 0
    assert "No group is compared with the rest" in breakdown_html(b, "caption")


TWO_GROUPS = Question(
    "side", "profile", "s", {"en": "Side"}, {"en": "W"},
    tuple(Option(c, {"en": c.title()}) for c in ("east", "west")),
)  # fmt: skip
YES_NO = Question(
    "q", "single", "s", {"en": "Q"}, {"en": "W"},
    tuple(Option(c, {"en": c.upper()}) for c in ("yes", "no")),
)  # fmt: skip


def test_two_groups_and_two_answers_that_are_all_make_one_test_marked_four_ways():
    pairs = [("east", "yes")] * 30 + [("east", "no")] * 10 + [("west", "yes")] * 10
    pairs += [("west", "no")] * 30
    data = pd.DataFrame({
        "side": pd.array([p for p, _ in pairs], "string"),
        "q": pd.array([a for _, a in pairs], "string"),
    })  # fmt: skip
    b = breakdown(data, YES_NO, TWO_GROUPS)
    assert b.n_tests == 1 and b.family_tests == 1  # east-yes; the three others are its mirrors
    assert b.marks.loc["east"].tolist() == ["▲", "▼"]
    assert b.marks.loc["west"].tolist() == ["▼", "▲"]


def test_a_chapter_of_tables_is_one_family_holm_adjusted_together():
    """Two tables of a chapter: their tests are adjusted together (statsmodels as reference)."""
    from statsmodels.stats.multitest import multipletests

    from surveybrief.analysis.breakdowns import SIGNIFICANCE, mark_family

    pairs = (
        [("pol", "a")] * 27 + [("pol", "b")] * 7 + [("pol", "c")] * 6
        + [("eco", "a")] * 18 + [("eco", "b")] * 11 + [("eco", "c")] * 11
        + [("edu", "a")] * 18 + [("edu", "b")] * 11 + [("edu", "c")] * 11
        + [("pol", "a")] * 22
    )  # fmt: skip
    one = breakdown(frame(pairs), SINGLE, PROFILE)
    other = breakdown(frame(pairs[::-1]), SINGLE, PROFILE)
    assert one.marks.at["pol", "a"] == "▲"  # marked in its table alone
    tables = mark_family([one, other])
    p = [t[2] for b in (one, other) for t in b.tests]
    adjusted = multipletests(p, method="holm")[1]
    assert all(b.family_tests == len(p) == 18 for b in tables)
    marked = sum((b.marks != "").sum().sum() for b in tables)
    assert marked == sum(a < SIGNIFICANCE for a in adjusted)
    assert "Holm-adjusted over the 18 comparisons of this chapter" in breakdown_html(
        tables[0], "caption"
    )
