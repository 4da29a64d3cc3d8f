"""Who of a panel answered again, by the earlier wave's profile, as any breakdown shows it."""

import dataclasses

import pytest

from surveybrief.analysis.attrition import (
    ANSWERED_AGAIN,
    LEFT,
    STAYED,
    attrition_breakdowns,
    with_status,
)
from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.synthetic_delphi import (
    N_ROUND_1,
    N_ROUND_2,
    ROUNDS,
    build_delphi_data,
    sector_of,
)


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    data = build_delphi_data(tmp_path_factory.mktemp("delphi") / "data")
    codebook = load_codebook(data, 1)
    found = []
    for wave_id, _number in ROUNDS:
        wave = load_wave(data, wave_id)
        found.append(CleanedWave(wave, codebook, clean_wave(wave, codebook, b"k").responses))
    return found


def test_each_expert_of_the_earlier_wave_stayed_or_left(rounds):
    status = with_status(*rounds)[ANSWERED_AGAIN]
    assert (status == STAYED).sum() == N_ROUND_2 and (status == LEFT).sum() == N_ROUND_1 - N_ROUND_2


def test_who_left_is_broken_down_by_profile_with_small_groups_pooled(rounds):
    (table,) = attrition_breakdowns(*rounds)
    left = [sector_of(i) for i in range(N_ROUND_2, N_ROUND_1)]
    assert table.counts.at["business", LEFT] == left.count("business") == 4
    assert table.counts.at["government", LEFT] == left.count("government")
    assert "international" not in table.counts.index  # 3 experts: pooled with the next smallest
    assert table.bases["all"] == N_ROUND_1 and table.is_safe


def test_no_table_without_a_panel_or_when_everyone_answered_again(rounds):
    unlinked = dataclasses.replace(
        rounds[1], responses=rounds[1].responses.drop(columns="panel_id")
    )
    assert (
        with_status(rounds[0], unlinked) is None and attrition_breakdowns(rounds[0], unlinked) == []
    )
    assert attrition_breakdowns(rounds[0], rounds[0]) == []  # nobody left
