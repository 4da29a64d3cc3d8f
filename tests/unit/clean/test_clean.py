import shutil

import pandas as pd
import pytest

from surveybrief.clean.cleaner import clean_wave, run_clean
from surveybrief.config import processed_dir
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import copy_data_root, register_export

WAVE = "2025-06"


def export_path(data_copy):
    return data_copy / "raw" / WAVE / "responses.csv"


def edit_export(data_copy, edit):
    path = export_path(data_copy)
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    edit(frame)
    frame.to_csv(path, index=False, lineterminator="\n")
    register_export(data_copy, WAVE)


def test_clean_wave_reads_all_rows(data_root):
    result = clean_wave(load_wave(data_root, WAVE), load_codebook(data_root))
    assert result.report == {
        "n_rows_read": 50,
        "n_rows_valid": 50,
        "n_rows_excluded": 0,
        "n_rows_quarantined": 0,
        "n_problems": 0,
        "skipped": {},
        "platform": "generic",
        "delimiter": ",",
        "decisions": [],
    }
    assert str(result.responses["obstacles__water_energy"].dtype) == "Int8"


def test_invalid_values_are_set_aside_with_row_column_value(data_copy):
    def edit(frame):
        frame.loc[2, "prospects_10y"] = "7"
        frame.loc[4, "obstacles__water_energy"] = "2"

    edit_export(data_copy, edit)
    result = clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    q = result.quarantine
    assert list(q["row"]) == [4, 6]  # header is row 1
    assert list(q["column"]) == ["prospects_10y", "obstacles__water_energy"]
    assert list(q["value"]) == ["7", "2"]
    assert "one of 1, 2, 3, 4, 5" in q["reason"].iloc[0]
    assert len(result.responses) == 48


def test_unmapped_labels_are_one_error_listing_all(data_copy):
    def edit(frame):
        frame.loc[2, "relations_state"] = "excellent"
        frame.loc[3, "relations_state"] = "excellent"
        frame.loc[4, "kz_moderator"] = "perhaps"

    edit_export(data_copy, edit)
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    message = str(err.value)
    assert "2 answer label(s) map to no codebook option" in message
    assert "'relations_state': 'excellent' (rows 4, 5)" in message
    assert "'kz_moderator': 'perhaps' (row 6)" in message


def test_duplicate_respondent_is_set_aside_not_dropped_silently(data_copy):
    edit_export(
        data_copy,
        lambda f: f.__setitem__("respondent_id", f["respondent_id"].where(f.index != 9, "R001")),
    )
    result = clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    q = result.quarantine
    assert len(q) == 1 and q["row"].iloc[0] == 11
    assert q["reason"].iloc[0] == "duplicate respondent_id (kept row 2, keep first)"
    assert result.report["n_rows_excluded"] == 1 and len(result.responses) == 49


def test_too_many_invalid_rows_stop_the_run(data_copy):
    edit_export(data_copy, lambda f: f.__setitem__("kz_moderator", "maybe"))
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    message = str(err.value)
    assert "responses.csv" in message and "kz_moderator" in message and "'maybe'" in message


def test_unknown_columns_are_all_named(data_copy):
    edit_export(data_copy, lambda f: f.insert(1, "Remarks", "x") or f.insert(2, "Extra", "y"))
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    assert "2 column(s) map to no codebook question: 'Remarks', 'Extra'" in str(err.value)


def test_na_text_is_kept_as_text_not_missing(data_copy):
    edit_export(data_copy, lambda f: f.__setitem__("comments", "N/A"))
    result = clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    assert (result.responses["comments"] == "N/A").all()


def test_run_clean_writes_processed_and_quarantine(data_copy, tmp_path):
    run_clean(data_copy, WAVE, tmp_path / "out")
    assert (processed_dir(tmp_path / "out", WAVE) / "responses.parquet").is_file()
    assert not (data_copy / "processed").exists()  # the data root is only read
    assert (
        (tmp_path / "out" / "quarantine.csv")
        .read_text()
        .startswith("row,respondent_id,column,value,reason")
    )


def test_empty_export_is_a_clear_error(data_copy):
    export_path(data_copy).write_text("")
    register_export(data_copy, WAVE)
    with pytest.raises(InputError, match="export file is empty"):
        clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))


def test_wave_folder_and_id_must_agree(data_copy):
    (data_copy / "raw" / WAVE).rename(data_copy / "raw" / "2025-07")
    with pytest.raises(InputError, match="differs from its folder"):
        load_wave(data_copy, "2025-07")


def test_a_changed_raw_file_stops_the_run(data_copy):
    path = export_path(data_copy)
    path.write_bytes(path.read_bytes().replace(b"R001", b"R999", 1))
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(data_copy, WAVE), load_codebook(data_copy))
    assert "sha256 mismatch" in str(err.value) and "responses.csv" in str(err.value)


def test_a_broken_earlier_wave_stops_the_run_naming_it_and_how_to_go_on(tmp_path, monkeypatch):
    from surveybrief.clean.cleaner import run_clean_all
    from surveybrief.config import LEAVE_OUT_VARIABLE

    data = copy_data_root(tmp_path / "data")
    later = data / "raw" / "2026-06"
    shutil.copytree(data / "raw" / WAVE, later)
    wave_yaml = (later / "wave.yaml").read_text(encoding="utf-8")
    (later / "wave.yaml").write_text(wave_yaml.replace(f'"{WAVE}"', '"2026-06"'), "utf-8")
    export = data / "raw" / WAVE / "responses.csv"
    export.write_text(export.read_text(encoding="utf-8").replace(",", ";", 3), encoding="utf-8")
    register_export(data, WAVE)
    with pytest.raises(InputError) as err:
        run_clean_all(data, "2026-06", tmp_path / "out")
    message = str(err.value)
    assert f"earlier wave {WAVE}" in message and "responses.csv" in message
    assert f"LEAVE_OUT={WAVE}" in message and f"--leave-out {WAVE}" in message
    monkeypatch.setenv(LEAVE_OUT_VARIABLE, WAVE)
    assert list(run_clean_all(data, "2026-06", tmp_path / "out")) == ["2026-06"]
