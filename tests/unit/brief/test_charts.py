import pandas as pd

from surveybrief.brief.charts import trend_chart


def test_a_share_left_partly_unknown_is_drawn_as_its_range():
    series = pd.DataFrame(
        {
            "question_id": ["q"] * 4,
            "option": ["a", "a", "b", "b"],
            "label": ["A", "A", "B", "B"],
            "wave": ["2025-06", "2026-06"] * 2,
            "pct": [50.0, 40.0, float("nan"), 30.0],
            "pct_low": [50.0, 40.0, 0.0, 30.0],
            "pct_high": [50.0, 40.0, 40.0, 30.0],
            "ci_low": [36.0, 28.0, 0.0, 19.0],
            "ci_high": [64.0, 53.0, 54.0, 43.0],
            "is_reconstructed": [True, False, True, False],
        }
    )
    ax = trend_chart(series, "q").axes[0]
    ranges = [c for c in ax.collections if c.__class__.__name__ == "LineCollection"]
    segments = [seg for c in ranges for seg in c.get_segments() if len(seg) == 2]
    assert any(seg[0][1] == 0.0 and seg[1][1] == 40.0 for seg in segments)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2025-06*", "2026-06"]
