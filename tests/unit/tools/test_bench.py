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


def with_peers(m: dict, pool=25.0, ploomber=40.0, ploomber_unchanged=9.0, setup=30.0) -> dict:
    return m | {
        "papermill_pool": {"median_seconds": pool, "peak_rss_mb": 900},
        "ploomber_cold": {"median_seconds": ploomber, "peak_rss_mb": 900},
        "ploomber_unchanged": {"median_seconds": ploomber_unchanged, "peak_rss_mb": 200},
        "ploomber_raw_changed": {"executed": [], "what_it_did": "executed nothing"},
        "setup_fresh_clone": {"median_seconds": setup, "peak_rss_mb": 400},
        "setup_fresh_clone_s": setup,
    }


def test_peer_targets_compare_with_the_faster_peer_and_ploombers_own_up_to_date_build():
    good = _targets(with_peers(measurements(), ploomber_unchanged=10.0))
    assert good["cold_at_least_2_5x_faster_than_fastest_peer"] == {"value": 2.5, "holds": True}
    assert good["unchanged_at_least_20x_faster_than_ploomber_up_to_date"] == {
        "value": 20.0,
        "holds": True,
    }
    assert good["raw_change_detected"]["holds"]
    assert good["raw_change_detected"]["value"]["ploomber"] == "executed nothing"
    assert good["setup_fresh_clone_within_60_s"] == {"value": 30.0, "holds": True}
    bad = _targets(with_peers(measurements(), pool=24.0, ploomber_unchanged=9.5, setup=75.0))
    assert bad["cold_at_least_2_5x_faster_than_fastest_peer"] == {"value": 2.4, "holds": False}
    assert bad["unchanged_at_least_20x_faster_than_ploomber_up_to_date"] == {
        "value": 19.0,
        "holds": False,
    }
    assert not bad["setup_fresh_clone_within_60_s"]["holds"]
    table = format_table({"measurements": with_peers(measurements()), "targets": good})
    assert "peer: Ploomber Parallel(2), cold" in table and "peer: papermill API" in table


def test_the_ploomber_job_has_the_plans_tasks_parameters_and_upstream(tmp_path):
    from surveybrief.config import DATA_DIR
    from surveybrief.tools.measure import bench_plan
    from surveybrief.tools.peers import ploomber_job

    plan = bench_plan(DATA_DIR)
    job = ploomber_job(plan, tmp_path / "data", tmp_path / "work")
    tasks = {t["name"]: t for t in job["tasks"]}
    assert list(tasks) == [s.name for s in plan.steps] and job["workers"] == 2
    assert tasks["00_clean"]["upstream"] == []
    assert tasks["10_section-economic"]["params"]["section"] == "economic"
    assert set(tasks["99_briefing"]["upstream"]) >= {"10_section-relations", "90_audit"}
    assert tasks["90_audit"]["product"].endswith("executed/90_audit.ipynb")


def test_the_disclosure_bench_attacks_each_rule_and_the_product_leaks_nothing():
    from surveybrief.tools.bench_disclosure import disclosure_bench, disclosure_targets

    results = disclosure_bench(waves=6)
    assert set(results) == {"naive", "greedy", "least_cost", "pooled_sums_only", "pooled"}
    assert results["least_cost"]["recoverable_hidden_counts"] == 0
    assert results["naive"]["recoverable_hidden_counts"] > 0  # the attack finds what it can
    assert results["least_cost"]["tables_withheld_pct"] == 0
    pooled = results["pooled"]
    assert pooled["recoverable_hidden_counts"] == 0 and pooled["tables_withheld_pct"] <= 1
    assert pooled["cells_of_groups_of_5_or_more_hidden_pct"] == 0  # pooled, not hidden
    assert pooled["cells_of_groups_of_5_or_more_pooled_pct"] > 0
    # what a reader narrows inside the pool is what the naive rule leaves: the same knowledge
    assert pooled["pooled_counts_narrowed"] == results["naive"]["recoverable_hidden_counts"]
    assert pooled["pooled_sizes_told_to_a_rule_aware_reader"] == 0
    found = disclosure_targets({"disclosure": results})
    assert found["disclosure_nothing_recoverable"]["holds"]
    assert found["disclosure_no_pooled_size_told_to_a_reader_who_knows_the_rule"]["holds"]


def test_a_reader_replaying_the_rule_before_pins_sizes_the_products_rule_keeps_open():
    from surveybrief.analysis.profile import hide_groups
    from surveybrief.tools.bench_disclosure import _told, rule_aware_bench

    sizes, row = {"a": 5, "b": 4, "c": 4, "d": 30}, {"approximated": 0}

    def before(found):
        return hide_groups(found, sum(found.values()), rule_aware=False)

    def now(found):
        return hide_groups(found, sum(found.values()))

    assert _told(sizes, before(sizes), before, row) == 2  # a pool of 8 only 4 + 4 gives
    assert _told(sizes, now(sizes), now, row) == 0 and row["approximated"] == 0
    found = rule_aware_bench(60)
    assert found["pooled"]["told"] == 0
    assert found["pooled"]["withheld"] == found["pooled_sums_only"]["withheld"]
