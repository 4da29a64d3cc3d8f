"""The charts: what they draw, and that every reader can tell their marks apart."""

import itertools

import pandas as pd
from matplotlib.colors import to_rgb

from surveybrief.brief.charts import BAR_COLOUR, REMAINDER_COLOUR, trend_chart


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


def _contrast(colour) -> float:
    """WCAG contrast ratio of a colour against white."""
    import numpy as np

    rgb = np.asarray(to_rgb(colour))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return 1.05 / (float(linear @ [0.2126, 0.7152, 0.0722]) + 0.05)


def _five_lines() -> pd.DataFrame:
    rows = [
        {"question_id": "q", "option": c, "label": c.upper(), "wave": w, "pct": p,
         "pct_low": p, "pct_high": p, "ci_low": p - 9, "ci_high": p + 9, "is_reconstructed": False}
        for c, p in zip("abcdef", (30.0, 25.0, 20.0, 14.0, 8.0, 3.0), strict=True)
        for w in ("2025-06", "2026-06")
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_trend_lines_differ_for_colour_blind_readers_and_not_by_colour_alone():
    """Contrast 3:1 against white (WCAG 1.4.11); apart under simulated colour blindness.

    colorspacious simulates full protanopia, deuteranopia and tritanopia (Machado et al.
    2009); every two lines stay at least 10 apart in CAM02-UCS (matplotlib's default colours,
    which these replace, fall to 1.6 under protanopia). Each line has its own marker.
    """
    from colorspacious import cspace_convert, deltaE

    lines = [bars.lines[0] for bars in trend_chart(_five_lines(), "q").axes[0].containers]
    assert len(lines) == 5  # the five largest options
    colours = [to_rgb(ln.get_color()) for ln in lines]
    assert all(_contrast(c) >= 3 for c in colours), [round(_contrast(c), 2) for c in colours]
    assert len({ln.get_marker() for ln in lines}) == 5
    for deficiency in (None, "protanomaly", "deuteranomaly", "tritanomaly"):
        seen = colours if deficiency is None else [
            cspace_convert(c, {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100},
                           "sRGB1").clip(0, 1)
            for c in colours
        ]  # fmt: skip
        gaps = [deltaE(a, b, input_space="sRGB1") for a, b in itertools.combinations(seen, 2)]
        assert min(gaps) >= 10, (deficiency, round(min(gaps), 1))


def test_every_bar_keeps_its_contrast_against_the_page():
    assert _contrast(BAR_COLOUR) >= 3 and _contrast(REMAINDER_COLOUR) >= 3
