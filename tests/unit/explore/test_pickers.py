"""The pickers redraw what is picked: a table, a cross-tab, a comparison; a wrong pick is said."""

from __future__ import annotations

import matplotlib

from surveybrief.explore.pickers import NONE, Pickers


def test_each_pick_redraws_the_right_view(two_waves):
    matplotlib.use("agg")
    p = Pickers(two_waves)
    assert p.wave.value == "2027-06" and "2026-06" in p.compare.options
    p.question.value = "obstacles"
    assert type(p.view).__name__ == "TableView"
    p.by.value = "expert_field"
    assert type(p.view).__name__ == "CrossTabView"
    p.compare.value = "2026-06"
    assert type(p.view).__name__ == "ComparisonView" and p.last_redraw_s > 0
    p.compare.value = NONE
    p.wave.value = "2026-06"  # the earliest: nothing to compare with
    assert p.compare.options == (NONE,)
    assert p.current.id == "2026-06"


def test_a_pick_the_data_cannot_answer_is_said_not_raised(data_root):
    matplotlib.use("agg")
    p = Pickers(data_root)  # the reconstructed wave: no cross-tabs
    p.question.value = "relations_state"
    p.by.value = "kz_moderator"
    assert p.view is None  # said in the output, the pickers still work
    p.by.value = NONE
    assert type(p.view).__name__ == "TableView"
