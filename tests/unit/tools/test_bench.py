"""The benchmark's arithmetic: ratios and targets from measurements (no timing asserted here)."""

from surveybrief.tools.bench_report import format_table
from surveybrief.tools.bench_report import targets as _targets


def measurements(cold=10.0, unchanged=0.5, statuses_one=None, scale_1m=25.0):
    statuses_one = statuses_one or {
        "00_clean": "reused",
        "90_audit": "ok",
        "briefing (HTML, PDF)": "ok",
    }
    return {
        "baseline": {"median_seconds": 36.0, "peak_rss_mb": 500},
        "import_one_process": {"median_seconds": 1.5},
        "floor": {"median_seconds": 6.75},
        "cold": {"median_seconds": cold, "peak_rss_mb": 700},
        "unchanged": {"median_seconds": unchanged, "peak_rss_mb": 60},
        "one_notebook_changed": {
            "median_seconds": 7.0,
            "peak_rss_mb": 600,
            "statuses": statuses_one,
        },
        "raw_changed": {
            "median_seconds": 14.0,
            "peak_rss_mb": 700,
            "statuses": {"00_clean": "ok", "briefing (HTML, PDF)": "ok"},
        },
        "scale": {
            "50": {"respondents": 50, "seconds": 10.0, "peak_rss_mb": 700},
            "1000000": {"respondents": 1_000_000, "seconds": scale_1m, "peak_rss_mb": 2500},
        },
    }


def test_targets_hold_and_miss_as_the_numbers_say():
    good = _targets(measurements())
    assert all(t["holds"] for t in good.values()), good
    bad = _targets(
        measurements(
            cold=14.0,
            unchanged=2.0,
            scale_1m=40.0,
            statuses_one={"00_clean": "ok", "90_audit": "ok"},
        )
    )
    assert not bad["cold_at_least_3x_faster_than_baseline"]["holds"]
    assert bad["cold_at_least_3x_faster_than_baseline"]["value"] == round(36 / 14, 2)
    assert not bad["unchanged_at_least_20x_faster_than_baseline"]["holds"]
    assert not bad["one_notebook_changed_runs_only_it_and_the_briefing"]["holds"]
    assert not bad["million_within_3x_of_50"]["holds"]


def test_table_prints_ratios_to_baseline_and_floor():
    results = {"measurements": measurements(), "targets": _targets(measurements())}
    table = format_table(results)
    assert "make briefing, cold" in table and "3.6x" in table  # 36 / 10
    assert "HOLDS  cold_at_least_3x_faster_than_baseline" in table


def test_the_stricter_floor_of_the_kernels_started_is_reported_beside_the_target():
    m = measurements(cold=8.0) | {"floor_kernels_started": {"median_seconds": 1.5}}
    targets = _targets(m)
    assert targets["cold_within_2x_of_floor"] == {"value": round(8 / 6.75, 2), "holds": True}
    strict = targets["cold_within_2x_of_floor_of_kernels_started"]
    assert strict == {"value": round(8 / 1.5, 2), "holds": False}
    table = format_table({"measurements": m, "targets": targets})
    assert "floor: imports x kernels started / cores" in table
    assert "MISSED cold_within_2x_of_floor_of_kernels_started" in table
