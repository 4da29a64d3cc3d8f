import dataclasses

import pandas as pd
import pytest

from surveybrief.analysis.trends import compute_trends
from surveybrief.brief.i18n import language
from surveybrief.brief.trend_chapter import describe_changes
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import responses, unbacked_claims


@pytest.fixture
def waves(data_root):
    codebook = load_codebook(data_root, 1)
    meta = load_wave(data_root, "2025-06")

    def make(wave_id, leading, partial, water_yes, water_base):
        kz = ["leading_moderator"] * leading + ["partial_economic"] * partial
        n = max(len(kz), water_base)
        kz += [None] * (n - len(kz))
        water = [1] * water_yes + [0] * (water_base - water_yes) + [None] * (n - water_base)
        return CleanedWave(
            dataclasses.replace(meta, id=wave_id),
            codebook,
            responses(codebook, kz_moderator=kz, obstacles__water_energy=water),
        )

    return codebook, make


def test_a_large_change_on_large_bases_is_detectable(waves):
    codebook, make = waves
    before, after = make("2024-06", 10, 30, 20, 40), make("2025-06", 30, 10, 21, 40)
    trends = compute_trends(after, [before], {1: codebook})
    change = trends.changes.set_index("option").loc["leading_moderator"]
    assert change["change_pp"] == pytest.approx(50.0)
    assert change["ci_low_pp"] > 0 and change["is_detectable"]
    water = trends.changes.set_index("option").loc["water_energy"]
    assert not water["is_detectable"]  # 50% -> 52.5%
    text = " ".join(describe_changes(trends, "kz_moderator"))
    assert "rose from 25% to 75% (+50 points; 95% CI" in text
    assert "no change is detectable" in " ".join(describe_changes(trends, "obstacles"))
    assert set(trends.series["wave"]) == {"2024-06", "2025-06"}


def test_small_bases_are_not_tested(waves):
    codebook, make = waves
    before, after = make("2024-06", 2, 8, 5, 10), make("2025-06", 9, 1, 5, 10)
    trends = compute_trends(after, [before], {1: codebook})
    assert not trends.changes["is_detectable"].any()
    assert "allow no test of change" in " ".join(describe_changes(trends, "kz_moderator"))


def test_a_change_significant_alone_but_not_across_the_question_is_not_detectable(waves):
    codebook, make = waves
    # 15 -> 25 of 40 chose "leading": p = 0.044 alone and the interval excludes zero; the
    # question's two options are one family, and Holm's adjustment doubles p to 0.087.
    before, after = make("2024-06", 15, 25, 20, 40), make("2025-06", 25, 15, 20, 40)
    trends = compute_trends(after, [before], {1: codebook})
    rows = trends.changes[trends.changes["question_id"] == "kz_moderator"].set_index("option")
    lead = rows.loc["leading_moderator"]
    assert lead["p_value"] < 0.05 and lead["ci_low_pp"] > 0
    assert lead["p_holm"] == pytest.approx(2 * lead["p_value"])
    assert not rows["is_detectable"].any()
    assert "no change is detectable" in " ".join(describe_changes(trends, "kz_moderator"))


def test_waves_whose_answers_cover_different_ground_are_not_compared(waves):
    codebook, make = waves
    before, after = make("2024-06", 20, 20, 20, 40), make("2025-06", 30, 10, 21, 40)
    state_before = ["fragile"] * 1 + ["stable_competitive"] * 23 + ["not_reported"] * 16
    state_after = ["fragile"] * 10 + ["stable_competitive"] * 20 + ["fluctuating"] * 10
    before.responses["relations_state"] = pd.array(state_before, dtype="string")
    after.responses["relations_state"] = pd.array(state_after, dtype="string")
    trends = compute_trends(after, [before], {1: codebook})
    assert "relations_state" not in set(trends.changes["question_id"])
    reason = trends.not_compared["relations_state"]
    assert reason == (
        "answer coverage differs: in 2024-06, 40% of answers went to options the source does "
        "not report"
    )
    assert "kz_moderator" in set(trends.changes["question_id"])  # the others still compared


def test_a_reconstructed_earlier_wave_is_named_wherever_it_is_compared(waves):
    codebook, make = waves
    before, after = make("2024-06", 10, 30, 20, 40), make("2025-06", 30, 10, 21, 40)
    assert before.wave.is_reconstructed  # built from the 2025-06 wave.yaml
    trends = compute_trends(after, [before], {1: codebook})
    assert trends.changes["from_reconstructed"].all()
    assert trends.series["is_reconstructed"].all()
    text = " ".join(describe_changes(trends, "kz_moderator"))
    assert text.endswith(
        "The 2024-06 shares are reconstructed from published percentages, not respondent-level "
        "data."
    )


def _with_added_option(codebook, qid: str, code: str, label: str):
    """Return codebook v2: question ``qid`` with one more option."""
    from surveybrief.inputs.questionnaire import Option

    sections = []
    for section in codebook.sections:
        questions = tuple(
            dataclasses.replace(q, options=(*q.options, Option(code, {"en": label})))
            if q.id == qid
            else q
            for q in section.questions
        )
        sections.append(dataclasses.replace(section, questions=questions))
    return dataclasses.replace(codebook, version=2, sections=tuple(sections))


def _state(wave, codebook, **counts):
    answers = [code for code, k in counts.items() for _ in range(k)]
    frame = responses(codebook, relations_state=answers)
    return CleanedWave(dataclasses.replace(wave.wave, id=wave.wave.id), codebook, frame)


def test_an_option_added_later_is_not_compared_with_a_wave_that_left_answers_unreported(waves):
    codebook, make = waves
    v2 = _with_added_option(codebook, "relations_state", "cooperative", "Cooperative")
    before = _state(
        make("2025-06", 1, 1, 1, 1), codebook,
        stable_competitive=28, fluctuating=1, fragile=1, not_reported=20,
    )  # fmt: skip
    after = _state(
        make("2026-06", 1, 1, 1, 1), v2,
        stable_competitive=40, fluctuating=4, fragile=4, cooperative=12,
    )  # fmt: skip
    trends = compute_trends(after, [before], {1: codebook, 2: v2})
    assert "relations_state" not in set(trends.changes["question_id"])
    assert (
        trends.not_compared["relations_state"] == "options offered in one wave only (cooperative)"
    )


def test_waves_that_both_left_answers_unreported_compare_as_bounds(waves, tmp_path):
    codebook, make = waves
    v2 = _with_added_option(codebook, "relations_state", "cooperative", "Cooperative")
    before = _state(
        make("2025-06", 1, 1, 1, 1), codebook,
        stable_competitive=28, fluctuating=1, fragile=1, not_reported=20,
    )  # fmt: skip
    after = _state(
        make("2026-06", 1, 1, 1, 1), v2,
        stable_competitive=5, fluctuating=1, fragile=1, cooperative=45, not_reported=8,
    )  # fmt: skip
    trends = compute_trends(after, [before], {1: codebook, 2: v2})
    rows = trends.changes[trends.changes["question_id"] == "relations_state"].set_index("option")
    coop = rows.loc["cooperative"]
    assert coop["is_bounded"] and (coop["pct_from_low"], coop["pct_from_high"]) == (0.0, 40.0)
    assert coop["change_pp"] == pytest.approx(35.0)  # 40% at most -> 75%: at least +35
    assert (coop["change_low_pp"], coop["change_high_pp"]) == pytest.approx((35.0, 75.0))
    assert coop["is_detectable"]
    assert not rows.loc["stable_competitive", "is_bounded"]
    series = trends.series[trends.series["option"] == "cooperative"].set_index("wave")
    assert pd.isna(series.at["2025-06", "pct"]) and series.at["2025-06", "pct_high"] == 40.0
    text = " ".join(describe_changes(trends, "relations_state"))
    assert "“Cooperative” rose from between 0% and 40% to 75% (at least +35 points" in text
    assert "a share is a range" in text
    trends.changes.to_csv(tmp_path / "changes.csv", index=False)  # the generated check holds
    for lang in ("en", "ru", "kk"):  # the bounded sentence and its range, in every language
        with language(lang):
            said = " ".join(describe_changes(trends, "relations_state"))
        assert unbacked_claims(said, tmp_path, lang) == [], lang
        for edit in ("+35", "+75"):  # the change at its least favourable end; the range's end
            assert len(unbacked_claims(said.replace(edit, "+36", 1), tmp_path, lang)) == 1


def test_a_range_that_includes_no_change_claims_none(waves):
    codebook, make = waves
    v2 = _with_added_option(codebook, "relations_state", "cooperative", "Cooperative")
    before = _state(
        make("2025-06", 1, 1, 1, 1), codebook,
        stable_competitive=28, fluctuating=1, fragile=1, not_reported=20,
    )  # fmt: skip
    after = _state(
        make("2026-06", 1, 1, 1, 1), v2,
        stable_competitive=28, fluctuating=1, fragile=1, cooperative=12, not_reported=18,
    )  # fmt: skip
    trends = compute_trends(after, [before], {1: codebook, 2: v2})
    coop = trends.changes.set_index(["question_id", "option"]).loc[
        ("relations_state", "cooperative")
    ]
    assert not coop["is_detectable"] and pd.isna(coop["p_value"]) and pd.isna(coop["change_pp"])
    assert (coop["change_low_pp"], coop["change_high_pp"]) == pytest.approx((-20.0, 20.0))


def test_the_chapter_is_one_family_and_two_answers_that_are_all_are_one_test(waves):
    """Holm over every test of the trends chapter (statsmodels as the reference)."""
    from statsmodels.stats.multitest import multipletests

    from surveybrief.analysis.trends import detectable_changes

    codebook, make = waves
    trends = compute_trends(
        make("2025-06", 30, 10, 21, 40), [make("2024-06", 10, 30, 20, 40)], {1: codebook}
    )
    c = trends.changes.set_index("option")
    assert c.at["partial_economic", "same_test_as"] == "leading_moderator"  # 75/25 -> 25/75
    own = c[c["same_test_as"].fillna("") == ""]
    assert list(own.index) == ["water_energy", "leading_moderator"]  # two tests, not three
    expected = multipletests(own["p_value"], method="holm")[1]
    assert list(own["p_holm"]) == pytest.approx(list(expected))
    assert c.at["partial_economic", "p_holm"] == c.at["leading_moderator", "p_holm"]
    assert list(detectable_changes(trends.changes)["option"]) == ["leading_moderator"]
    text = " ".join(describe_changes(trends, "kz_moderator"))
    assert text.count("points; 95% CI") == 1 and "the other" not in text


def _panel_wave(meta, codebook, wave_id, ids, answers):
    frame = responses(codebook, relations_state=answers)
    frame.insert(1, "panel_id", pd.array(ids, dtype="string"))
    wave = dataclasses.replace(meta, id=wave_id, is_reconstructed=False)
    return CleanedWave(wave, codebook, frame)


def test_a_panel_is_compared_on_its_pairs_and_the_test_is_named(data_root):
    """30 experts answer both waves; 14 move from "fragile" to "stable": McNemar, not Fisher."""
    codebook, meta = load_codebook(data_root, 1), load_wave(data_root, "2025-06")
    ids = [f"p{i}" for i in range(30)]
    before = ["fragile"] * 20 + ["stable_competitive"] * 10
    after = ["stable_competitive"] * 14 + ["fragile"] * 6 + ["stable_competitive"] * 10
    trends = compute_trends(
        _panel_wave(meta, codebook, "2026-06", ids, after),
        [_panel_wave(meta, codebook, "2025-06", ids, before)],
        {1: codebook},
    )
    row = trends.changes.set_index("option").loc["stable_competitive"]
    assert row["test"] == "mcnemar_exact" and row["n_paired"] == 30
    assert row["change_pp"] == pytest.approx(100 * 14 / 30)
    assert row["p_value"] == pytest.approx(2 * 0.5**14)  # 14 discordant pairs, all one way
    from surveybrief.analysis.paired import newcombe_paired

    _estimate, low, high = newcombe_paired(10, 0, 14, 6)  # (stable, stable), (stable, not), ...
    assert (row["ci_low_pp"], row["ci_high_pp"]) == pytest.approx((-100 * high, -100 * low))
    # The same answers from 60 different experts: the independent test, as before.
    apart = compute_trends(
        _panel_wave(meta, codebook, "2026-06", [f"n{i}" for i in range(30)], after),
        [_panel_wave(meta, codebook, "2025-06", ids, before)],
        {1: codebook},
    )
    other = apart.changes.set_index("option").loc["stable_competitive"]
    assert other["test"] == "newcombe_fisher" and other["n_paired"] == 0
    assert other["p_value"] > row["p_value"]


def _rated_wave(meta, codebook, wave_id, ids, states, ratings):
    frame = responses(codebook, relations_state=states, prospects_10y=ratings)
    frame.insert(1, "panel_id", pd.array(ids, dtype="string"))
    wave = dataclasses.replace(meta, id=wave_id, is_reconstructed=False)
    return CleanedWave(wave, codebook, frame)


def test_each_question_is_also_tested_whole_on_the_pairs(data_root):
    """Stuart-Maxwell for one answer of several, signed-rank or overlapping t for a rating."""
    import numpy as np
    from scipy import stats
    from statsmodels.stats.contingency_tables import SquareTable

    from surveybrief.analysis.paired import partial_overlap_t

    codebook, meta = load_codebook(data_root, 1), load_wave(data_root, "2025-06")
    rng = np.random.default_rng(3)
    ids = [f"p{i}" for i in range(40)]
    codes = ["stable_competitive", "fluctuating", "fragile"]
    before_s, after_s = rng.choice(codes, 40), rng.choice(codes, 40, p=[0.6, 0.2, 0.2])
    before_r, after_r = rng.integers(1, 6, 40), np.clip(rng.integers(1, 6, 40) + 1, 1, 5)
    earlier = _rated_wave(meta, codebook, "2025-06", ids, list(before_s), list(before_r))
    later = _rated_wave(meta, codebook, "2026-06", ids, list(after_s), list(after_r))
    tests = compute_trends(later, [earlier], {1: codebook}).question_tests.set_index("question_id")
    square = pd.crosstab(before_s, after_s).reindex(index=codes, columns=codes, fill_value=0)
    reference = SquareTable(square.to_numpy(), shift_zeros=False).homogeneity()
    state = tests.loc["relations_state"]
    assert state["test"] == "stuart_maxwell" and state["n_paired"] == 40
    assert state["p_value"] == pytest.approx(reference.pvalue)
    rating = tests.loc["prospects_10y"]
    expected = stats.wilcoxon(after_r - before_r, zero_method="zsplit").pvalue
    assert rating["test"] == "wilcoxon_signed_rank" and rating["p_value"] == pytest.approx(expected)
    assert rating["estimate"] == np.median(after_r - before_r)
    assert (rating["up"], rating["down"]) == (
        (after_r > before_r).sum(),
        (after_r < before_r).sum(),
    )
    # 30 answer both, 10 only the first wave, 10 only the second: the overlapping t-test.
    later = _rated_wave(meta, codebook, "2026-06", ids[10:] + [f"n{i}" for i in range(10)],
                        list(after_s), list(after_r))  # fmt: skip
    tests = compute_trends(later, [earlier], {1: codebook}).question_tests.set_index("question_id")
    x = pd.Series(before_r, index=ids, dtype=float)
    y = pd.Series(after_r, index=ids[10:] + [f"n{i}" for i in range(10)], dtype=float)
    index = x.index.union(y.index)
    diff, _t, _df, p, half = partial_overlap_t(x.reindex(index), y.reindex(index))
    rating = tests.loc["prospects_10y"]
    assert (rating["test"], rating["n_paired"], rating["only_from"]) == (
        "partially_overlapping_t", 30, 10)  # fmt: skip
    assert (rating["estimate"], rating["p_value"]) == pytest.approx((-diff, p))
    assert rating["ci_high"] - rating["ci_low"] == pytest.approx(2 * half)
    assert tests.loc["relations_state", "n_paired"] == 30 and tests["p_holm"].notna().all()


def test_a_rating_everyone_gave_the_same_point_twice_is_no_change_not_a_crash(data_root):
    codebook, meta = load_codebook(data_root, 1), load_wave(data_root, "2025-06")
    states = ["fragile"] * 34
    earlier = _rated_wave(meta, codebook, "2025-06", [f"p{i}" for i in range(34)], states, [5] * 34)
    later = _rated_wave(
        meta, codebook, "2026-06", [f"p{i}" for i in range(3, 37)], states, [5] * 34
    )
    tests = compute_trends(later, [earlier], {1: codebook}).question_tests.set_index("question_id")
    rating = tests.loc["prospects_10y"]
    assert (rating["test"], rating["estimate"], rating["p_value"]) == (
        "partially_overlapping_t",
        0,
        1,
    )
    assert not rating["is_detectable"]
