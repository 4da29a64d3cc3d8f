from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from surveybrief.analysis.granularity import (
    Figure,
    attainable_counts,
    feasible_bases,
    is_attainable,
    is_exhaustive,
    joint_counts,
    nearest_counts,
    rounds_to,
)


def test_known_cases_from_the_2025_06_article():
    assert not is_attainable(43.5, 1, 50)  # 21/50 = 42%, 22/50 = 44%
    assert not is_attainable(23, 0, 50)  # only even percentages at n = 50
    assert not is_attainable(66.7, 1, 50)
    assert is_attainable(66.7, 1, 30)
    assert list(attainable_counts(56, 0, 50)) == [28]
    assert list(attainable_counts(90, 0, 42)) == [38]  # 90.48% prints as 90%


def test_band_edges_accept_either_rounding_convention():
    # 1/8 = 12.5% prints as 12% (half to even) or 13% (half up): both are attainable.
    assert is_attainable(12, 0, 8) and is_attainable(13, 0, 8)


@given(
    st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
    st.integers(0, 2),
)
def test_every_printed_whole_count_percentage_is_attainable(kn, decimals):
    k, n = kn
    printed = round(100 * k / n, decimals)
    assert is_attainable(printed, decimals, n)
    assert k in attainable_counts(printed, decimals, n) or rounds_to(
        float(Fraction(100 * k, n)), printed, decimals
    )


def test_exhaustive_single_choice_counts_sum_to_base():
    figures = [Figure("a", 50, 0), Figure("b", 33.3, 1), Figure("c", 10, 0), Figure("d", 6.7, 1)]
    assert is_exhaustive(figures)
    assert joint_counts(figures, 30, is_single=True, exhaustive=True) == {
        "a": 15,
        "b": 10,
        "c": 3,
        "d": 2,
    }
    assert feasible_bases(figures, 50, is_single=True, exhaustive=True) == [30]


def test_non_exhaustive_single_choice_leaves_room_for_other_answers():
    figures = [Figure("a", 56, 0), Figure("b", 2, 0)]
    assert not is_exhaustive(figures)
    assert joint_counts(figures, 50, is_single=True, exhaustive=False) == {"a": 28, "b": 1}


def test_external_role_figures_need_more_than_100_respondents():
    figures = [Figure("a", 43.5, 1), Figure("b", 23.5, 1), Figure("c", 23, 0), Figure("d", 10, 0)]
    assert feasible_bases(figures, 100, is_single=True, exhaustive=True) == []
    counts = nearest_counts(figures, 50, exhaustive=True)
    assert sum(counts.values()) == 50
    assert counts == {"a": 22, "b": 12, "c": 11, "d": 5}


def _printed(k: int, n: int, decimals: int, rounding: str) -> str:
    """Reference: the percentage k/n as printed, by the decimal module (independent of ours)."""
    from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

    mode = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN}[rounding]
    exact = Decimal(100 * k) / Decimal(n)
    return str(exact.quantize(Decimal(1).scaleb(-decimals), rounding=mode))


def test_attainability_equals_brute_force_over_every_count_and_convention():
    from decimal import Decimal

    wrong = []
    for decimals, top in ((0, 150), (1, 80), (2, 40)):
        for n in range(1, top + 1):
            printed = {
                c: {_printed(k, n, decimals, c) for k in range(n + 1)}
                for c in ("half_up", "half_even")
            }
            step = Decimal(1).scaleb(-decimals)
            value = Decimal(0)
            while value <= 100:
                text = str(value.quantize(step))
                for convention in ("half_up", "half_even", "either"):
                    truth = text in printed.get(convention, set()) or (
                        convention == "either" and any(text in p for p in printed.values())
                    )
                    if is_attainable(float(text), decimals, n, convention) != truth:
                        wrong.append((text, decimals, n, convention))
                value += step if decimals < 2 else step * 7  # every value at 0-1 decimals
    assert wrong == []


def test_the_upper_edge_of_the_rounding_band_is_not_accepted():
    assert not is_attainable(37, 0, 8)  # 3/8 = 37.5% prints as 38 under both conventions
    assert not rounds_to(37.5, 37, 0)
    assert list(attainable_counts(1, 0, 200)) == [1, 2]  # 3/200 = 1.5% prints as 2
    fits = feasible_bases(
        [Figure("a", 37, 0), Figure("b", 63, 0)], 40, is_single=True, exhaustive=True
    )
    assert fits == [19, 27, 30, 35, 38]
    assert is_attainable(12, 0, 8, "half_even") and not is_attainable(12, 0, 8, "half_up")
