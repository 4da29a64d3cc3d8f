"""Skipped or "none": read from the export where it tells (missing codes, a None box)."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.synthetic import write_wave
from tests.helpers import data_root_with_codebook

WAVE = "2030-06"


def _edit_qualtrics(path, edits: dict[int, dict[str, str]]) -> None:
    """Set cells of a Qualtrics CSV (data row index -> {header: value}); 3 header rows kept."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = rows[0]
    for index, cells in edits.items():
        for column, value in cells.items():
            rows[3 + index][header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture
def qualtrics(tmp_path):
    root = data_root_with_codebook(tmp_path)
    write_wave(load_codebook(root), root, WAVE, n=20, seed=3, shape="qualtrics_csv")
    folder = root / "raw" / WAVE
    seen = {f"Q3_{i}": "-99" for i in (1, 2, 3)}
    _edit_qualtrics(folder / "export.csv", {3: seen, 4: {"Q2": "-99"}})
    return root


def test_qualtrics_seen_but_unanswered_is_out_of_the_base_and_counted(qualtrics, tmp_path):
    codebook = load_codebook(qualtrics)
    result = clean_wave(load_wave(qualtrics, WAVE), codebook)
    assert result.report["skipped"] == {
        "obstacles": {"seen, not answered": 1},
        "relations_state": {"seen, not answered": 1},
    }
    plain = data_root_with_codebook(tmp_path / "plain")
    write_wave(codebook, plain, WAVE, n=20, seed=3, shape="qualtrics_csv")
    before = clean_wave(load_wave(plain, WAVE), codebook).responses
    after = result.responses
    changed = (before.astype("string").fillna("-") != after.astype("string").fillna("-")).any()
    columns = codebook.question("obstacles").option_columns
    assert set(changed[changed].index) <= {"relations_state", *columns}
    assert after[columns].notna().any(axis=1).sum() == before[columns].notna().any(axis=1).sum() - 1
    assert after["relations_state"].notna().sum() == before["relations_state"].notna().sum() - 1
    assert result.validation.quarantine.empty


def test_missing_codes_turned_off_make_minus_99_an_unknown_answer(qualtrics):
    path = qualtrics / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["export"]["missing_codes"] = {}
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="-99"):
        clean_wave(load_wave(qualtrics, WAVE), load_codebook(qualtrics))


@pytest.fixture
def kobo_with_none(tmp_path):
    root = data_root_with_codebook(tmp_path)
    path = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section in doc["sections"]:
        for q in section["questions"]:
            if q["id"] == "obstacles":
                q["options"].append(
                    {"code": "none", "label": {"en": "None of these"}, "is_none": True}
                )
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    write_wave(load_codebook(root), root, WAVE, n=20, seed=3, shape="kobo_csv")
    export = root / "raw" / WAVE / "export.csv"
    frame = pd.read_csv(export, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    split = [c for c in frame.columns if "/obstacles/" in c]
    none = next(c for c in split if c.endswith("/none"))
    water = next(c for c in split if c.endswith("/water_energy"))
    frame[none] = "0"
    nothing = (frame[split] != "1").all(axis=1)
    frame.loc[nothing & (frame[split] == "0").all(axis=1), water] = "1"  # only row 0 below
    frame.loc[0, split] = "0"  # ticked nothing: skipped the question
    frame.loc[1, split] = "0"
    frame.loc[1, none] = "1"  # "None of these": answered, no obstacle
    frame.loc[2, [none, water]] = "1"  # both: contradictory
    cell = next(c for c in frame.columns if c.endswith("/obstacles"))  # Kobo's one-cell copy
    frame[cell] = [
        " ".join(c.rsplit("/", 1)[1] for c in split if row[c] == "1") for _, row in frame.iterrows()
    ]
    frame.to_csv(export, sep=";", index=False)
    return root


def test_none_of_these_tells_ticked_nothing_from_skipped(kobo_with_none):
    codebook = load_codebook(kobo_with_none)
    result = clean_wave(load_wave(kobo_with_none, WAVE), codebook)
    q = codebook.question("obstacles")
    assert result.report["skipped"] == {
        "obstacles": {"ticked nothing, not even “None of these”": 1}
    }
    rows = result.responses.set_index(result.responses.index)
    assert rows.loc[0, q.option_columns].isna().all()  # skipped: out of the base
    assert rows.loc[1, "obstacles__none"] == 1
    assert (rows.loc[1, [c for c in q.option_columns if c != "obstacles__none"]] == 0).all()
    clash = result.quarantine
    assert list(clash["column"]) == ["obstacles__none"]
    assert clash["reason"].iloc[0] == "ticked “None of these” and other options (water_energy)"
    assert clash["row"].iloc[0] == 4  # the export's line (header is line 1)


def test_is_none_belongs_to_multi_select_questions(tmp_path):
    root = data_root_with_codebook(tmp_path)
    path = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["sections"][0]["questions"][1]["options"][0]["is_none"] = True
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="is_none marks"):
        load_codebook(root)
    doc["sections"][0]["questions"][1]["options"][0]["is_nonee"] = True
    del doc["sections"][0]["questions"][1]["options"][0]["is_none"]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="unknown key is_nonee"):
        load_codebook(root)
