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
    answers = ["economics"] * 3 + ["politics"] * 5 + ["education"] * 30  # 3 + 5: range 1 to 7
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
    together = sum(counts.values()) - sum(n for g, n in counts.items() if g not in hidden)
    shown = [g for g in counts if g not in hidden and counts[g] > 0]
    if hidden and shown:  # each hidden group may be anything from 1 to together - (k - 1)
        assert len(hidden) >= 2 and together - len(hidden) >= 5


def test_respondents_who_did_not_answer_are_a_group_of_their_own():
    answers = ["economics"] * 10 + ["politics"] * 12 + [None] * 6
    table = profile_table(pd.DataFrame({"field": answers}), FIELD).set_index("option")
    assert table.loc["not_answered", "count"] == 6
    assert table.loc["economics", "pct"] == 100 * 10 / 28


def test_two_small_groups_that_sum_to_little_take_a_third_with_them():
    counts = {"ngo": 1, "not_answered": 1, "government": 9, "academia": 11, "private": 23}
    assert hidden_groups(counts) == {"ngo", "not_answered", "government"}  # 1+1 would pin both


def test_breakdowns_hide_the_groups_the_profile_table_hides(tmp_path):
    from surveybrief.analysis.breakdowns import breakdown
    from surveybrief.analysis.profile import profile_hidden

    q = Question(
        "choice", "single", "s", {"en": "Choice"}, {"en": "Pick"},
        tuple(Option(c, {"en": c}) for c in ("a", "b")),
    )  # fmt: skip
    field = ["economics"] * 2 + ["politics"] * 9 + ["education"] * 34 + [None] * 1
    frame = pd.DataFrame({"field": field, "choice": ["a", "b"] * 23})
    hidden = profile_hidden(frame, FIELD)
    assert hidden == {"economics", "politics", "not_answered"}
    b = breakdown(frame, q, FIELD, hidden)
    assert {"economics", "politics"} <= set(b.hidden_bases)
