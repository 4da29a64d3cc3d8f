import dataclasses

import pandas as pd
import pytest

from surveybrief.analysis.trends import WaveData, compute_trends
from surveybrief.brief.trends import describe_changes
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave


def responses(codebook, **columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    frame = {"respondent_id": pd.array([f"R{i}" for i in range(n)], "string")}
    for q in codebook.questions:
        for column in q.columns:
            dtype = "Int8" if q.type == "multi" and column in q.option_columns else "string"
            frame[column] = pd.array(columns.get(column, [None] * n), dtype)
    return pd.DataFrame(frame)


@pytest.fixture
def waves(data_root):
    codebook = load_codebook(data_root, 1)
    meta = load_wave(data_root, "2025-06")

    def make(wave_id, leading, partial, water_yes, water_base):
        kz = ["leading_moderator"] * leading + ["partial_economic"] * partial
        n = max(len(kz), water_base)
        kz += [None] * (n - len(kz))
        water = [1] * water_yes + [0] * (water_base - water_yes) + [None] * (n - water_base)
        return WaveData(
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
