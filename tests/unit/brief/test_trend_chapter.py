"""The trends step loads every wave as the run's 00_clean processed it (analysis reads no file)."""

import pytest


def test_trends_read_earlier_waves_as_00_clean_processed_them(data_copy, tmp_path):
    import shutil

    from surveybrief.brief.trend_chapter import load_series
    from surveybrief.clean.cleaner import run_clean_all
    from surveybrief.exceptions import InputError

    shutil.copytree(data_copy / "raw" / "2025-06", data_copy / "raw" / "2026-06")
    wave_yaml = data_copy / "raw" / "2026-06" / "wave.yaml"
    text = wave_yaml.read_text(encoding="utf-8").replace('wave: "2025-06"', 'wave: "2026-06"')
    wave_yaml.write_text(text, encoding="utf-8")
    run_dir = tmp_path / "2026-06"
    run_clean_all(data_copy, "2025-06", run_dir)  # only the earlier wave: the current is missing
    with pytest.raises(InputError, match="processed wave not found; run make briefing first"):
        load_series(data_copy, run_dir, "2026-06")
    results = run_clean_all(data_copy, "2026-06", run_dir)
    assert list(results) == ["2025-06", "2026-06"]  # the earlier wave cleaned by the same step
    current, earlier = load_series(data_copy, run_dir, "2026-06")
    assert [w.wave.id for w in earlier] == ["2025-06"] and current.wave.id == "2026-06"
    assert (tmp_path / "processed" / "2025-06" / "quarantine.csv").is_file()  # beside, private
