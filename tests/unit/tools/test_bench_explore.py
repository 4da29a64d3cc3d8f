"""The analyst's-loop bench: picks timed on a generated wave, and its targets."""

from __future__ import annotations

from surveybrief.tools import bench_explore


def test_every_pick_is_timed_and_judged_against_300_ms(tmp_path, monkeypatch):
    monkeypatch.setattr(bench_explore, "PICKER_RESPONDENTS", 400)
    found = bench_explore.pickers_bench(tmp_path)
    assert found["respondents"] == 400
    assert len(found["redraw_ms"]) == len(bench_explore.PICKS)
    assert found["max_ms"] == max(found["redraw_ms"]) and found["open_seconds"] > 0
    targets = bench_explore.loop_targets({"pickers": found, "preview": {"max_seconds": 5.2}})
    slow = targets["pickers_redraw_under_300ms_at_10000_respondents"]
    assert slow["holds"] == (found["max_ms"] < 300)
    assert not targets["preview_shows_a_change_within_5s"]["holds"]  # 5.2 s misses it
    assert "preview: saved -> served" not in "\n".join(bench_explore.loop_lines({}))
