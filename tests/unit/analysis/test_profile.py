"""The respondent profile never shows a group under 5, nor lets the total reveal one."""

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from surveybrief.analysis.profile import hidden_groups, profile_table
from surveybrief.inputs.codebook import Option, Question

FIELD = Question(
    "field",
    "profile",
    "respondents",
    {"en": "Field of expertise"},
    {"en": "Your field?"},
    tuple(Option(c, {"en": c.title()}) for c in ("economics", "politics", "education")),
)


def test_groups_of_three_and_five_are_both_hidden_when_one_would_reveal_the_other():
    answers = ["economics"] * 3 + ["politics"] * 5 + ["education"] * 30
    table = profile_table(pd.DataFrame({"field": answers}), FIELD).set_index("option")
    assert table["is_suppressed"].to_dict() == {
        "economics": True,
        "politics": True,
        "education": False,
    }
    assert table.loc["education", "count"] == 30 and pd.isna(table.loc["politics", "count"])


@given(st.lists(st.integers(0, 40), min_size=2, max_size=6))
def test_no_shown_group_is_small_and_no_lone_small_group_is_left_recoverable(sizes):
    counts = {f"g{i}": n for i, n in enumerate(sizes)}
    hidden = hidden_groups(counts)
    assert all(counts[g] == 0 or counts[g] >= 5 for g in counts if g not in hidden)
    nonzero_hidden = [g for g in hidden if counts[g] > 0]
    if any(0 < counts[g] < 5 for g in counts):  # the total minus the shown = the hidden sum
        assert len(nonzero_hidden) >= 2 or len([g for g in counts if counts[g] > 0]) == 1


def test_respondents_who_did_not_answer_are_a_group_of_their_own():
    answers = ["economics"] * 10 + ["politics"] * 12 + [None] * 6
    table = profile_table(pd.DataFrame({"field": answers}), FIELD).set_index("option")
    assert table.loc["not_answered", "count"] == 6
    assert table.loc["economics", "pct"] == 100 * 10 / 28
