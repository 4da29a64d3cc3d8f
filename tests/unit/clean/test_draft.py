"""init-wave: a wave.yaml draft that matches what it can, marks guesses, and lists the rest."""

import re
import shutil

import pandas as pd
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.draft import DRAFT_FILE
from surveybrief.clean.draft_yaml import write_draft
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.synthetic import write_wave
from tests.helpers import FIXTURES

WAVE = "2031-03"


def wave_without_yaml(tmp_path, shape):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "water_survey" / "codebook", data / "codebook")
    codebook = load_codebook(data, 1)
    folder = write_wave(codebook, data, WAVE, n=30, seed=2, shape=shape)
    (folder / "wave.yaml").unlink()
    return data, folder, codebook


def completed(draft: str) -> str:
    """Fill the draft's TODOs as an analyst would."""
    text = re.sub(r'"TODO:[^"]*"', '"filled in"', draft)
    return text.replace("TODO-YYYY-MM-DD", "2031-03-01")


def test_a_kobo_export_gets_a_draft_that_reads_it_once_completed(tmp_path):
    data, folder, codebook = wave_without_yaml(tmp_path, "kobo_csv")
    path = write_draft(folder, codebook)
    draft = path.read_text(encoding="utf-8")
    assert path.name == DRAFT_FILE and not (folder / "wave.yaml").exists()
    assert "KoboToolbox export" in draft and '# respondent id (found): "_uuid"' in draft
    assert "deviceid" in draft.split("personal-data column(s)")[1].split("\n")[0]
    assert "# UNCERTAIN" not in draft and "NOT MATCHED" not in draft
    (folder / "wave.yaml").write_text(completed(draft), encoding="utf-8")
    result = clean_wave(load_wave(data, WAVE), codebook)
    assert len(result.responses) == 30


def test_near_misses_are_guessed_with_a_score_and_the_rest_listed(tmp_path):
    _, folder, codebook = wave_without_yaml(tmp_path, "kobo_csv")
    export = folder / "export.csv"
    frame = pd.read_csv(export, sep=";", dtype=str, keep_default_na=False)
    frame = frame.rename(columns={"group_cooperation/basin_state": "group_cooperation/basin_stat"})
    frame["Interviewer notes"] = "x"
    frame["Unused"] = ""
    frame.loc[
        frame["group_institutions/trust_body"] == "un_agency", "group_institutions/trust_body"
    ] = "UN agency"
    frame.loc[0, "group_institutions/trust_body"] = "zzz"
    frame.to_csv(export, sep=";", index=False)
    draft = write_draft(folder, codebook).read_text(encoding="utf-8")
    doc = yaml.safe_load(draft.replace("TODO-YYYY-MM-DD", "2031-03-01"))
    assert doc["mapping"]["columns"] == {"group_cooperation/basin_stat": "basin_state"}
    assert re.search(
        r'"group_cooperation/basin_stat": "basin_state"  # UNCERTAIN \(similarity 0\.\d\d\)', draft
    )
    assert doc["mapping"]["labels"] == {"trust_body": {"UN agency": "un_agency"}}
    assert '# NOT MATCHED answers of trust_body: "zzz"' in draft
    assert '#   "Interviewer notes": 30 filled cell(s)' in draft  # to map: it holds answers
    assert '# drop_columns: ["Unused"]' in draft  # only an empty column is offered to drop


def test_a_draft_never_maps_labels_joined_in_one_cell_to_one_option(tmp_path):
    """Microsoft-Forms-style cells read by a platform that joins with ", ": listed, not mapped."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", data / "codebook")
    codebook = load_codebook(data, 1)
    q = codebook.question("barriers")
    a, b, c = (q.option(x).label() for x in ("fin", "tarif", "trust"))
    folder = data / "raw" / WAVE
    folder.mkdir(parents=True)
    cells = [f"{a};{b};", f"{a}, {c}", f"{c}|{a}", "Lack of finance"]  # no one separator fits
    pd.DataFrame({q.wording(): cells}).to_csv(folder / "export.csv", index=False)
    draft = write_draft(folder, codebook).read_text(encoding="utf-8")
    doc = yaml.safe_load(draft.replace("TODO-YYYY-MM-DD", "2031-03-01"))
    assert "export no known platform wrote" in draft
    assert doc["mapping"]["labels"] == {"barriers": {"Lack of finance": "fin"}}
    assert f"{a};{b};" in draft.split("# NOT MATCHED answers of barriers:")[1]


def test_a_draft_says_where_another_separator_alone_fits(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", data / "codebook")
    codebook = load_codebook(data, 1)
    q = codebook.question("barriers")
    a, b = (q.option(x).label() for x in ("fin", "tarif"))
    folder = data / "raw" / WAVE
    folder.mkdir(parents=True)
    pd.DataFrame({q.wording(): [f"{a}|{b}", b]}).to_csv(folder / "export.csv", index=False)
    draft = write_draft(folder, codebook).read_text(encoding="utf-8")
    assert '# barriers: several answers per cell are separated by "|"' in draft
    assert "NOT MATCHED" not in draft and "# UNCERTAIN" not in draft
