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
from surveybrief.tools.synthetic_delphi import (
    N_ROUND_1,
    N_ROUND_2,
    sector_of,
)
from tests.helpers import delphi_rounds


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    return delphi_rounds(tmp_path_factory.mktemp("delphi"))


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


def test_a_group_the_later_wave_pools_is_pooled_here_too(rounds):
    """Shown here with its count that answered again, it could un-pool the later wave's row."""
    before, after = (dataclasses.replace(r, responses=r.responses.copy()) for r in rounds)
    before.responses.loc[:4, "sector"] = "international"  # 5 in the earlier wave: shown there
    ids = set(before.responses.loc[:4, "panel_id"])
    moved = after.responses["panel_id"].isin(ids)
    after.responses.loc[moved, "sector"] = ["international"] * 2 + ["academia"] * 3  # 2: pooled
    (table,) = attrition_breakdowns(before, after)
    assert "international" not in table.counts.index and table.grouping.pooled
    assert "international" in table.grouping.pooled
