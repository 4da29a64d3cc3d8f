import pandas as pd
import pytest

from surveybrief.analysis.tabulate import TABLE_COLUMNS, tabulate_question
from surveybrief.inputs.codebook import Option, Question

SINGLE = Question(
    "q",
    "single",
    "s",
    {"en": "Q"},
    {"en": "W"},
    (Option("a", {"en": "A"}), Option("b", {"en": "B"})),
)
MULTI = Question(
    "m",
    "multi",
    "s",
    {"en": "M"},
    {"en": "W"},
    (
        Option("x", {"en": "X"}),
        Option("y", {"en": "Y"}),
        Option("z", {"en": "Z"}, is_reported=False),
    ),
)


def test_single_choice_base_excludes_missing_and_sorts_by_share():
    responses = pd.DataFrame({"q": pd.array(["b", "b", "a", None, "not_reported"], "string")})
    result = tabulate_question(responses, SINGLE)
    t = result.table
    assert list(t.columns) == TABLE_COLUMNS
    assert list(t["option"]) == ["b", "a", "not_reported"]
    assert list(t["count"]) == [2, 1, 1]
    assert set(t["base"]) == {4}
    assert t["pct"].iloc[0] == pytest.approx(50.0)
    assert (t["ci_low"] <= t["pct"]).all() and (t["pct"] <= t["ci_high"]).all()


def test_multi_select_is_percent_of_respondents_and_missing_is_not_none():
    responses = pd.DataFrame(
        {
            "m__x": pd.array([1, 1, 0, None], "Int8"),
            "m__y": pd.array([1, 0, 0, None], "Int8"),
            "m__z": pd.array([None, None, None, None], "Int8"),
        }
    )
    result = tabulate_question(responses, MULTI)
    t = result.table.set_index("option")
    assert result.base == 3  # the fourth respondent did not answer: not counted as "none"
    assert t.loc["x", "pct"] == pytest.approx(200 / 3)
    assert t.loc["y", "pct"] == pytest.approx(100 / 3)
    assert t["pct"].sum() > 0
    assert pd.isna(t.loc["z", "count"]) and pd.isna(t.loc["z", "base"])
    assert result.unquantified_labels == ["Z"]


def test_question_without_answers_has_no_data():
    responses = pd.DataFrame({"q": pd.array([None, None], "string")})
    result = tabulate_question(responses, SINGLE)
    assert not result.has_data and result.table["count"].isna().all()


def test_a_multi_select_has_one_base_in_its_table_and_its_breakdown():
    from surveybrief.analysis.breakdowns import breakdown
    from surveybrief.inputs.codebook import Option, Question

    q = Question(
        "m", "multi", "s", {"en": "M"}, {"en": "M?"},
        tuple(Option(c, {"en": c}) for c in ("a", "b")),
    )  # fmt: skip
    field = Question(
        "f", "profile", "s", {"en": "F"}, {"en": "F?"},
        tuple(Option(c, {"en": c}) for c in ("x", "y")),
    )  # fmt: skip
    frame = pd.DataFrame(
        {
            "m__a": pd.array([1, 1, 0, 1, 0, 1], dtype="Int8"),
            "m__b": pd.array([1, pd.NA, pd.NA, 0, 1, 0], dtype="Int8"),  # partly blank
            "f": ["x", "x", "x", "y", "y", "y"],
        }
    )
    table = tabulate_question(frame, q).table.set_index("option")
    assert table.loc["b", "base"] == table.loc["a", "base"] == 6
    assert table.loc["b", "pct"] == 100 * 2 / 6
    b = breakdown(frame, q, field)
    assert b.bases["all"] == 6 and b.counts.at["all", "b"] == 2


def test_an_unreported_single_choice_option_is_unknown_where_answers_went_unreported():
    question = Question(
        "q", "single", "s", {"en": "Q"}, {"en": "W"},
        (Option("a", {"en": "A"}), Option("b", {"en": "B"}, is_reported=False)),
    )  # fmt: skip
    rebuilt = pd.DataFrame({"q": pd.array(["a", "a", "not_reported"], "string")})
    rows = tabulate_question(rebuilt, question).table.set_index("option")
    assert pd.isna(rows.at["b", "count"]) and rows.at["a", "count"] == 2  # unknown, not 0
    real = pd.DataFrame({"q": pd.array(["a", "a", "a"], "string")})
    assert tabulate_question(real, question).table.set_index("option").at["b", "count"] == 0


def test_bases_give_every_of_n_but_a_profile_s_not_answered_group(cleaned_2025):
    """A profile's base is left out: respondents minus it would tell a pooled group's size."""
    from surveybrief.analysis.tabulate import bases_table

    responses, codebook = cleaned_2025.responses, cleaned_2025.codebook
    table = bases_table(responses, codebook).set_index("question_id")
    assert not any(codebook.question(q).kind.profile for q in table.index)
    assert set(table["respondents"]) == {len(responses)}
    assert table.at["kz_moderator", "base"] == int(responses["kz_moderator"].notna().sum())
    assert table.at["comments", "type"] == "text" and table.at["comments", "comments"] == 0
