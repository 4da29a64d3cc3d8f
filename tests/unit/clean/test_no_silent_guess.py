"""Inputs an attacker and a newcomer found to turn into wrong counts: each is now exact or an error.

Each case is the smallest export that showed it (energy codebook, a wave.yaml of disclosure
facts only, unless the case needs one key).
"""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import FIXTURES

WAVE = "2031-06"


@pytest.fixture
def root(tmp_path):
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", tmp_path / "codebook")
    return tmp_path


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(FIXTURES / "energy_survey", 1)


def write(root, rows: list[list], name: str = "export.csv", **export) -> None:
    """Write an export (rows of cells) and a wave.yaml of disclosure facts (and ``export``)."""
    folder = root / "raw" / WAVE
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (folder / name).write_text(buffer.getvalue(), encoding="utf-8")
    doc = {
        "wave": WAVE, "title": "t", "sponsor": "s",
        "fieldwork": {"start": "2031-06-01", "end": "2031-06-02"}, "population": "p",
        "sample": {"description": "d", "n_stated": 9}, "mode": "m", "codebook_version": 1,
        "export": {"file": name, **export},
    }  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def clean(root, codebook):
    return clean_wave(load_wave(root, WAVE), codebook)


def label(codebook, qid: str, code: str, lang: str = "en") -> str:
    return codebook.question(qid).option(code).label(lang)


def test_a_legacy_qualtrics_export_sets_its_previews_aside(root, codebook):
    wording = codebook.question("priority").wording()
    grid = label(codebook, "priority", "grid")
    write(root, [
        ["V1", "V2", "V7", "Q1"],
        ["ResponseID", "ResponseSet", "Status", wording],
        ["R_1", "Default", "0", grid],
        ["R_2", "Default", "1", grid],  # a preview, by its code
        ["R_3", "Default", "Survey Preview", grid],
        ["R_4", "Default", "0", label(codebook, "priority", "hydro")],
    ])  # fmt: skip
    result = clean(root, codebook)
    assert result.platform == "qualtrics"
    assert result.responses["priority"].tolist() == ["grid", "hydro"]
    assert len(result.excluded) == 2


def test_an_option_with_no_column_is_an_error_not_zero(root, codebook):
    q = codebook.question("barriers")
    header = [
        "ResponseId",
        *(f"{q.wording()} - {label(codebook, 'barriers', c)}" for c in ("fin", "tarif", "trust")),
    ]  # "data" has no column
    write(root, [header, ["R_1", label(codebook, "barriers", "fin"), "", ""]])  # fmt: skip
    with pytest.raises(InputError, match="have no column") as err:
        clean(root, codebook)
    assert "barriers/data" in str(err.value) and "barriers/other" in str(err.value)


def test_an_option_header_that_mentions_a_personal_word_is_not_dropped(root, codebook):
    q = codebook.question("barriers")
    write(root, [
        ["Respondent ID", "Collector ID", q.wording(), ""],
        ["", "", label(codebook, "barriers", "fin"), "Mobile operators' fees"],
        ["1", "9", label(codebook, "barriers", "fin"), ""],
    ])  # fmt: skip
    with pytest.raises(InputError, match="map to no codebook question") as err:
        clean(root, codebook)
    assert "Mobile operators' fees" in str(err.value)


def test_a_surveymonkey_choice_that_starts_with_other_is_that_choice(root, tmp_path):
    path = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    options = doc["sections"][0]["questions"][2]["options"]
    options.insert(0, {"code": "og", "label": {"en": "Other governments' policies"}})
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    codebook = load_codebook(root, 1)
    q = codebook.question("barriers")
    labels = [o.label() for o in q.options if not o.is_other]
    write(root, [
        ["Respondent ID", "Collector ID", q.wording(), *[""] * len(labels)],
        ["", "", *labels, "Other (please specify)"],
        ["1", "9", "Other governments' policies", *[""] * (len(labels) - 1), ""],
        ["2", "9", "", label(codebook, "barriers", "fin"), *[""] * (len(labels) - 2), "Sanctions"],
    ])  # fmt: skip
    got = clean(root, codebook).responses
    assert got["barriers__og"].tolist() == [1, 0]
    assert got["barriers__other"].tolist() == [0, 1]
    assert got["barriers__other_text"].tolist()[1] == "Sanctions"


def test_a_reworded_label_is_an_error_not_an_other_text(root, codebook):
    q = codebook.question("priority")
    write(root, [
        ["Timestamp", q.wording()],
        ["2031/06/09 9:00:00 AM GMT+5", "Gas transit, storage & pipelines"],
        ["2031/06/09 9:05:00 AM GMT+5", "A common electricity market (single grid)"],
        ["2031/06/09 9:10:00 AM GMT+5", "Cheaper solar panels"],
    ])  # fmt: skip
    with pytest.raises(InputError) as err:
        clean(root, codebook)
    message = str(err.value)
    assert "reworded?" in message and "storage & pipelines" in message
    assert "single grid" in message and "Cheaper solar panels" not in message


def test_a_typed_other_text_equal_to_a_code_stays_a_text_where_labels_are_written(root, codebook):
    q = codebook.question("priority")
    write(root, [
        ["Timestamp", q.wording()],
        ["2031/06/09 9:00:00 AM GMT+5", "Hydro"],
        ["2031/06/09 9:05:00 AM GMT+5", label(codebook, "priority", "hydro")],
    ])  # fmt: skip
    got = clean(root, codebook).responses
    assert got["priority"].tolist() == ["other", "hydro"]
    assert got["priority__other_text"].tolist()[0] == "Hydro"


def test_other_texts_typed_in_cells_never_overwrite_the_text_column(root, codebook):
    q = codebook.question("barriers")
    write(root, [
        ["respondent_id", q.id, "barriers__other_text"],
        ["a", "Lack of financing, Other: please specify", "Corruption"],
        ["b", "Other: water disputes", ""],
    ])  # fmt: skip
    got = clean(root, codebook).responses
    assert got["barriers__other_text"].tolist() == ["Corruption", "water disputes"]


def test_a_row_cut_short_is_an_error_naming_it(root, codebook):
    path = root / "raw" / WAVE / "export.csv"
    write(root, [["respondent_id", "priority", "readiness"], ["a", "grid", "3"], ["b", "hydro"]])
    assert path.read_bytes().endswith(b"b,hydro\r\n")
    with pytest.raises(InputError, match="row 3: row has 2 cells but the header has 3"):
        clean(root, codebook)


def test_a_question_named_like_a_platform_column_keeps_its_rows(root, tmp_path):
    path = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["sections"][0]["questions"][0]["id"] = "status"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    codebook = load_codebook(root, 1)
    write(root, [["ResponseId", "status"], ["R_1", "grid"], ["R_2", "2"], ["R_3", "hydro"]])
    with pytest.raises(InputError, match="'2'"):  # "2" is no option: named, never set aside
        clean(root, codebook)
    write(root, [["ResponseId", "status"], ["R_1", "grid"], ["R_3", "hydro"]])
    result = clean(root, codebook)
    assert len(result.responses) == 2 and result.excluded.empty


def test_names_in_any_name_column_any_case_form_and_script_are_scrubbed(root, codebook):
    write(root, [
        ["respondent_id", "Your name", "comments"],
        ["a", "Meerim Abdyldaeva", "Спасибо, Меерим Абдылдаева. Write to @abdyl, N12345678"],
        ["b", "Sergei Petrov", "Ask Petrova or Петровым"],
    ])  # fmt: skip
    comments = clean(root, codebook).responses["comments"].tolist()
    assert comments == ["Спасибо, [name] [name]. Write to [handle], [id]", "Ask [name] or [name]"]


def test_ids_a_spreadsheet_rounded_are_an_error(root, codebook):
    where = codebook.question("country").wording()
    write(root, [["Respondent ID", "Collector ID", where], ["", "", "Response"],
                 ["1,14523E+11", "9", "Kazakhstan"]])  # fmt: skip
    with pytest.raises(InputError, match="rounded by a spreadsheet") as err:
        clean(root, codebook)
    assert "1,14523E+11" in str(err.value)


def test_rows_sharing_an_id_but_answering_otherwise_are_an_error(root, codebook):
    rows = [["ID", "Start time", "Completion time", "Email", "Name", "Where do you work?"]]
    countries = ["Kazakhstan", "Kyrgyzstan", "Tajikistan", "Uzbekistan"]
    for n, country in enumerate(countries + countries[::-1]):
        rows.append([str(n % 4 + 1), "6/9/26 9:00", "6/9/26 9:05", "anonymous", "", country])
    write(root, rows)  # two forms' exports pasted together: ids 1-4 twice
    with pytest.raises(InputError, match="share a respondent id with another row"):
        clean(root, codebook)


def test_a_text_typed_alike_by_a_quarter_of_respondents_is_refused(root, codebook):
    q = codebook.question("priority")
    rows = [["Timestamp", q.wording()]]
    cells = ["Single power market"] * 6 + [label(codebook, "priority", "gas")] * 14
    rows += [[f"2031/06/09 9:{i:02d}:00 AM GMT+5", c] for i, c in enumerate(cells)]
    write(root, rows)
    with pytest.raises(InputError, match="typed alike by 6"):
        clean(root, codebook)
