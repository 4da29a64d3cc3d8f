"""The respondent profile never shows a group under 5, nor lets the total reveal one."""

import itertools

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from surveybrief.analysis.profile import (
    NOT_ANSWERED,
    POOLED,
    grouping,
    hide_groups,
    profile_hidden,
    profile_table,
    rule_aware_ranges,
)
from surveybrief.inputs.codebook import Option, Question

FIELD = Question(
    "field",
    "profile",
    "respondents",
    {"en": "Field of expertise"},
    {"en": "Your field?"},
    tuple(Option(c, {"en": c.title()}) for c in ("economics", "politics", "education")),
)
CHOICE = Question(
    "choice", "single", "s", {"en": "Choice"}, {"en": "Pick"},
    tuple(Option(c, {"en": c}) for c in ("a", "b")),
)  # fmt: skip


def _frame(sizes: dict) -> pd.DataFrame:
    field = [None if g == NOT_ANSWERED else g for g, n in sizes.items() for _ in range(n)]
    return pd.DataFrame(
        {"field": field, "choice": ["a", "b"] * (len(field) // 2) + ["a"] * (len(field) % 2)}
    )


def test_groups_of_three_and_five_are_shown_together_when_one_would_reveal_the_other():
    answers = ["economics"] * 3 + ["politics"] * 5 + ["education"] * 30  # 3 + 5: range 1 to 7
    table = profile_table(pd.DataFrame({"field": answers}), FIELD).set_index("option")
    assert table["is_pooled"].to_dict() == {
        "economics": True,
        "politics": True,
        "education": False,
        POOLED: False,
    }
    assert table.loc["education", "count"] == 30 and table.loc[POOLED, "count"] == 8
    assert pd.isna(table.loc["politics", "count"]) and pd.isna(table.loc["economics", "count"])
    assert table.loc[POOLED, "label"] == "Other groups together: Economics, Politics"


def test_groups_are_hidden_only_where_nothing_would_be_shown_beside_the_pool():
    answers = ["economics"] * 3 + ["politics"] * 6  # pooling would show the total again
    found = grouping(pd.DataFrame({"field": answers}), FIELD)
    assert found.pooled == () and found.hidden == {"economics", "politics"}
    table = profile_table(pd.DataFrame({"field": answers}), FIELD).set_index("option")
    assert table.loc[["economics", "politics"], "is_suppressed"].all()
    assert POOLED not in table.index


@given(st.lists(st.integers(0, 40), min_size=2, max_size=6))
def test_no_shown_group_is_small_and_no_pooled_group_is_left_recoverable(sizes):
    counts = {f"g{i}": n for i, n in enumerate(sizes)}
    hidden = hide_groups(counts, sum(counts.values()))
    assert all(counts[g] == 0 or counts[g] >= 5 for g in counts if g not in hidden)
    together = sum(counts.values()) - sum(n for g, n in counts.items() if g not in hidden)
    shown = [g for g in counts if g not in hidden and counts[g] > 0]
    if hidden and shown:  # each hidden group may be anything from 1 to together - (k - 1)
        assert len(hidden) >= 2 and together - len(hidden) >= 5


def test_a_reader_who_knows_the_rule_cannot_pin_two_pooled_groups_of_four():
    counts = {"a": 5, "b": 4, "c": 4, "d": 30}  # a pool of 8 in two groups of 1-4: both are 4
    assert hide_groups(counts, 43) == {"a", "b", "c"}
    assert rule_aware_ranges(counts, {"b", "c"}) == {"b": (4, 4), "c": (4, 4)}


def _replays(counts: dict, hidden: set) -> dict[str, set]:
    """Return every size each hidden group may have: the vectors the rule maps to ``hidden``."""
    members = sorted(g for g in hidden if counts[g] > 0)
    together, total = sum(counts[g] for g in members), sum(counts.values())
    cap = min((n for g, n in counts.items() if g not in hidden and n > 0), default=together)
    seen = {g: set() for g in members}
    for sizes in itertools.product(range(1, cap + 1), repeat=len(members)):
        if (
            sum(sizes) == together
            and hide_groups(counts | dict(zip(members, sizes, strict=True)), total) == hidden
        ):
            for g, n in zip(members, sizes, strict=True):
                seen[g].add(n)
    return seen


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 12), min_size=2, max_size=5))
def test_a_reader_replaying_the_rule_cannot_pin_a_pooled_group(sizes):
    counts = {f"g{i}": n for i, n in enumerate(sizes)}
    hidden = hide_groups(counts, sum(counts.values()))
    if not hidden or all(counts[g] == 0 for g in counts if g not in hidden):
        return  # nothing shown beside the hidden groups: the tables withhold them
    seen = _replays(counts, hidden)
    assert all(len(seen[g]) >= 2 for g in seen if counts[g] < 5), seen


def test_respondents_who_did_not_answer_are_a_group_of_their_own():
    answers = ["economics"] * 10 + ["politics"] * 12 + [None] * 6
    table = profile_table(pd.DataFrame({"field": answers}), FIELD).set_index("option")
    assert table.loc["not_answered", "count"] == 6
    assert table.loc["economics", "pct"] == 100 * 10 / 28


def test_two_small_groups_that_sum_to_little_take_a_third_with_them():
    counts = {"ngo": 1, "not_answered": 1, "government": 9, "academia": 11, "private": 23}
    assert hide_groups(counts, 45) == {"ngo", "not_answered", "government"}  # 1+1 would pin both


def test_breakdowns_show_the_groups_as_the_profile_table_does():
    from surveybrief.analysis.breakdowns import breakdown

    frame = _frame({"economics": 2, "politics": 9, "education": 34, NOT_ANSWERED: 1})
    assert profile_hidden(frame, FIELD) == {"economics", "politics", "not_answered"}
    b = breakdown(frame, CHOICE, FIELD)
    assert list(b.counts.index) == ["education", POOLED, "all"]
    assert b.bases[POOLED] == 12 and not b.suppressed.any().any() and b.is_safe
    assert b.grouping.pooled == ("economics", "politics", NOT_ANSWERED)
    assert all(g != POOLED for g, *_ in b.tests)  # the pooled row is no group: never tested


def test_a_group_of_five_or_more_is_shown_whatever_its_base_on_one_question():
    from surveybrief.analysis.breakdowns import breakdown

    frame = _frame({"economics": 6, "politics": 9, "education": 30})
    frame.loc[frame["field"] == "economics", "choice"] = [None] * 4 + ["a", "b"]
    b = breakdown(frame, CHOICE, FIELD)
    assert b.bases["economics"] == 2 and not b.suppressed.any().any() and not b.hidden_bases
