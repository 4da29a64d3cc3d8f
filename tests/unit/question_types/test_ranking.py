"""question_types.ranking: its tables against scipy and statsmodels, and its sentences.

A ranking's mean rank is the t interval of the ranks (an unranked option at the mean of the
places below the last its respondent filled); the share ranked first and the share in the top
t are Wilson intervals. Checked on a hand-made wave against independent computations, and, for
any rankings, against what rankings must add up to.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.inputs.codebook import load_codebook
from surveybrief.question_types.ranking import (
    describe_ranking,
    positions,
    ranking_html,
    summarise_ranking,
    top_places,
)
from tests.helpers import FIXTURES, responses

ITEMS = ("quotas", "hydro", "irrigation", "data", "aral")


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(FIXTURES / "ranking_survey", 1)


def wave(codebook, rankings: list[list[str]]):
    """Return responses where each respondent ranked ``rankings[i]`` (first place first)."""
    columns = {
        f"priorities__{c}": [(r.index(c) + 1 if c in r else 0) if r else None for r in rankings]
        for c in ITEMS
    }
    return responses(codebook, **columns)


RANKINGS = [
    ["quotas", "hydro", "data"], ["quotas", "data", "hydro"], ["hydro", "quotas", "aral"],
    ["data", "quotas", "irrigation"], ["quotas", "irrigation"], [],
    ["aral", "hydro", "quotas"], ["quotas", "hydro", "irrigation"],
]  # fmt: skip


def test_mean_rank_and_first_place_match_scipy_and_statsmodels(codebook):
    q = codebook.question("priorities")
    summary = summarise_ranking(wave(codebook, RANKINGS), q)
    answered = [r for r in RANKINGS if r]
    assert summary.base == len(answered) == 7
    assert summary.filled == 3 and summary.unranked_at == 4.5  # (3 + 1 + 5) / 2: places 4, 5
    rows = summary.rows.set_index("option")
    for code in ITEMS:
        # ["quotas", "irrigation"] left places 3 to 5: its unranked options count at 4
        places = np.array([r.index(code) + 1 if code in r else (len(r) + 6) / 2 for r in answered])
        assert rows.at[code, "mean_rank"] == pytest.approx(places.mean())
        low, high = stats.t.interval(0.95, len(places) - 1, places.mean(), stats.sem(places))
        low, high = max(low, 1), min(high, 5)  # a mean rank lies within 1 to n
        assert (rows.at[code, "mean_low"], rows.at[code, "mean_high"]) == pytest.approx((low, high))
        first = sum(r[0] == code for r in answered)
        assert rows.at[code, "first_count"] == first
        low, high = proportion_confint(first, 7, alpha=0.05, method="wilson")
        assert rows.at[code, "first_low"] == pytest.approx(100 * low)
        assert rows.at[code, "first_high"] == pytest.approx(100 * high)
    assert summary.frame()["option"].iloc[0] == "quotas"  # the lowest mean rank first


def test_the_table_is_the_share_in_the_top_t_with_wilson_intervals(codebook):
    q = codebook.question("priorities")
    result = tabulate_question(wave(codebook, RANKINGS), q)
    table = result.table.set_index("option")
    assert result.base == 7 and top_places(q) == 2
    for code in ITEMS:
        top = sum(code in r[:2] for r in RANKINGS if r)
        assert table.at[code, "count"] == top and table.at[code, "base"] == 7
        low, _high = proportion_confint(top, 7, alpha=0.05, method="wilson")
        assert table.at[code, "ci_low"] == pytest.approx(100 * low)
    assert table["count"].sum() == sum(len(r[:2]) for r in RANKINGS)
    assert list(result.table["option"])[:2] == ["quotas", "hydro"]  # largest share first


@settings(max_examples=60, deadline=None)
@given(st.lists(st.permutations(ITEMS), min_size=2, max_size=30), st.integers(1, 3))
def test_rankings_add_up_whatever_the_answers(codebook, orders, cut):
    """Each ranks ``cut`` of five: first places add to the base, mean ranks to 1 + ... + 5."""
    rankings = [list(o[:cut]) for o in orders]
    q = codebook.question("priorities")
    summary = summarise_ranking(wave(codebook, rankings), q)
    rows = summary.rows
    assert rows["first_count"].sum() == summary.base == len(rankings)
    assert rows["mean_rank"].sum() == pytest.approx(15)  # each respondent's places: 1 to 5
    assert summary.filled == (None if cut == 5 else cut)
    table = tabulate_question(wave(codebook, rankings), q).table
    assert table["count"].sum() == len(rankings) * min(cut, 2)
    assert (rows["mean_low"] <= rows["mean_rank"] + 1e-9).all()


def test_tied_options_of_a_ranking_are_named_together_and_one_ranking_has_no_interval():
    codebook = load_codebook(FIXTURES / "ranking_survey", 1)
    q = codebook.question("priorities")

    def wave(rankings):
        columns = {
            f"priorities__{c}": [r.index(c) + 1 if c in r else 0 for r in rankings] for c in q.codes
        }
        return responses(codebook, **columns)

    tied = summarise_ranking(wave([["quotas", "hydro", "data"], ["hydro", "quotas", "data"]]), q)
    said = " ".join(describe_ranking(tied))
    both = "“Water-sharing quotas”, “Hydropower, dams and reservoirs”"
    assert f"{both} share the best mean rank" in said
    assert "Ranked first equally often: “Water-sharing quotas”, “Hydropower" in said
    assert "each by 50% (1 of 2;" in said
    one = summarise_ranking(wave([["quotas", "hydro", "data"]]), q)
    html = ranking_html(one, "Table")
    assert "NaN" not in html and "<td>–</td>" in html
    said = " ".join(describe_ranking(one))  # no interval of a mean from one ranking
    assert "“Water-sharing quotas” has the best mean rank, 1.0, where 1 is the first place" in said


def test_a_ranking_reports_its_top_places_by_default():
    from dataclasses import replace

    q = load_codebook(FIXTURES / "ranking_survey", 1).question("priorities")
    assert (positions(q), top_places(q), q.extra) == (3, 2, {"ranks": 3, "top": 2})
    assert q.kind.problem(q.codes, False) is None
    assert top_places(replace(q, extra={"ranks": 3})) == 3
    assert top_places(replace(q, extra={})) == 3
    assert top_places(replace(q, extra={"ranks": 2})) == 2
