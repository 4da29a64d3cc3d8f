import dataclasses

import pandas as pd

from surveybrief.analysis.theme_trends import add_theme_trends
from surveybrief.analysis.trends import compute_trends
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.coding import returned_codings
from surveybrief.inputs.wave import load_wave


def wave(data_root, wave_id, texts):
    codebook = load_codebook(data_root, 1)
    meta = dataclasses.replace(load_wave(data_root, "2025-06"), id=wave_id, is_reconstructed=False)
    frame = {"respondent_id": pd.array([f"{wave_id}-{i}" for i in range(len(texts))], "string")}
    for q in codebook.questions:
        for column in q.columns:
            dtype = "Int8" if q.type == "multi" and column in q.option_columns else "string"
            frame[column] = pd.array([None] * len(texts), dtype)
    frame["comments"] = pd.array(texts, "string")
    return CleanedWave(meta, codebook, pd.DataFrame(frame))


def test_themes_are_compared_between_waves_coded_alike(data_root):
    before = wave(data_root, "2024-06", ["Water first."] * 10 + ["Trade rules."] * 30)
    after = wave(data_root, "2025-06", ["Water first."] * 30 + ["Trade rules."] * 10)
    trends = compute_trends(after, [before], {1: before.codebook})
    trends = add_theme_trends(trends, returned_codings(data_root, [after, before]))
    themes = trends.changes[trends.changes["question_id"] == "comments_themes"].set_index("option")
    assert (
        themes.loc["water_energy", "change_pp"] == 50.0
        and themes.loc["water_energy", "is_detectable"]
    )
    from surveybrief.brief.narrative import question_title

    title = question_title(after.codebook, trends.question("comments_themes"))
    assert title == "Open-ended commentary: themes"
    assert set(trends.series.loc[trends.series["question_id"] == "comments_themes", "wave"]) == {
        "2024-06",
        "2025-06",
    }


def test_themes_without_comments_earlier_are_not_compared(data_root):
    before = wave(data_root, "2024-06", [None] * 40)
    after = wave(data_root, "2025-06", ["Water first."] * 40)
    trends = compute_trends(after, [before], {1: before.codebook})
    trends = add_theme_trends(trends, returned_codings(data_root, [after, before]))
    assert trends.not_compared["comments_themes"] == "no comments in the earlier wave"
    assert "comments_themes" not in set(trends.changes["question_id"])
