import pandas as pd
import pytest

from surveybrief.analysis.audit import audit_wave
from surveybrief.clean.cleaner import clean_wave
from surveybrief.config import raw_dir
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.published import load_published
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.reconstruct import reconstruct_wave, to_csv_bytes

WAVE = "2025-06"


@pytest.fixture(scope="module")
def inputs(data_root):
    codebook = load_codebook(data_root)
    wave = load_wave(data_root, WAVE)
    return codebook, wave, load_published(data_root, WAVE, codebook)


@pytest.fixture(scope="module")
def rebuilt(inputs):
    codebook, wave, publication = inputs
    return reconstruct_wave(codebook, publication, wave.n_stated, wave.reconstruction["seed"])


def test_regenerating_gives_the_committed_bytes(data_root, inputs, rebuilt):
    _, wave, _ = inputs
    committed = (raw_dir(data_root, WAVE) / wave.export.file).read_bytes()
    assert to_csv_bytes(rebuilt[0]) == committed


def test_one_row_per_respondent_of_the_stated_sample(inputs, rebuilt):
    frame, _ = rebuilt
    assert len(frame) == inputs[1].n_stated
    assert frame["respondent_id"].is_unique


def test_every_attainable_figure_is_reproduced_exactly(inputs, data_root):
    codebook, wave, publication = inputs
    responses = clean_wave(wave, codebook).responses
    audit = audit_wave(codebook, publication, responses, wave.n_stated)
    statuses = audit.reproduction.set_index("figure_id")["status"]
    assert (statuses != "mismatch").all()
    unattainable = sorted(statuses[statuses == "unattainable"].index)
    assert unattainable == ["F16", "F17", "F18"]  # 43.5%, 23.5%, 23% at n <= 50
    assert audit.count("match") == 28


def test_answers_the_article_does_not_report_stay_missing(rebuilt):
    frame, _ = rebuilt
    for column in (
        "prospects_10y",
        "expert_field",
        "comments",
        "competing_blocs__sco",
        "humanitarian_tools__youth_leadership",
    ):
        assert frame[column].isna().all(), column


def test_bases_follow_the_granularity_of_the_figures(rebuilt):
    _, plans = rebuilt
    bases = {p.question_id: p.base for p in plans if p.counts}
    assert bases == {
        "relations_state": 50,
        "obstacles": 50,
        "economic_avenues": 50,
        "external_role": 50,
        "competing_blocs": 50,
        "humanitarian_tools": 48,
        "kz_moderator": 45,
        "scenario_2035": 30,
    }
    inexact = [p.question_id for p in plans if not p.is_exact]
    assert inexact == ["external_role"]


def test_bases_are_nested_like_drop_off(rebuilt):
    frame, _ = rebuilt
    answered_outlook = set(frame.loc[frame["scenario_2035"].notna(), "respondent_id"])
    answered_kz = set(frame.loc[frame["kz_moderator"].notna(), "respondent_id"])
    assert answered_outlook <= answered_kz


def test_single_choice_remainder_is_coded_not_reported(rebuilt):
    frame, _ = rebuilt
    counts = frame["relations_state"].value_counts()
    assert counts.to_dict() == {
        "stable_competitive": 28,
        "not_reported": 20,
        "fluctuating": 1,
        "fragile": 1,
    }
    assert pd.isna(frame["relations_state"]).sum() == 0
