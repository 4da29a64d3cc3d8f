"""Columns headed by a choice's label alone (Typeform), and answer columns left out on purpose.

Typeform heads a multiple selection's columns by the choices' labels only and its typed
"Other" by ``Other``, once per question. The question is the one the column before read,
else the only one with that label; a label two others share, or an ``Other`` after a question
with no "Other" choice, is listed unmatched. A column wave.yaml drops that holds answers is a
recorded decision with its count, never a silent change of a question's base.
"""

from __future__ import annotations

import csv
import io

import pytest
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import FIXTURES

WAVE = "2031-06"
#: A second multiple selection sharing one label ("No shared data") with ``barriers``, and
#: offering no "Other".
TOOLS = {
    "id": "tools",
    "type": "multi",
    "title": {"en": "Tools", "ru": "Инструменты", "kk": "Құралдар"},
    "wording": {"en": "Which tools would help?", "ru": "Какие инструменты помогут?",
                "kk": "Қандай құралдар көмектеседі?"},
    "options": [
        {"code": "fund", "label": {"en": "A regional fund", "ru": "Региональный фонд",
                                   "kk": "Өңірлік қор"}},
        {"code": "data", "label": {"en": "No shared data", "ru": "Нет общих данных",
                                   "kk": "Ортақ деректер жоқ"}},
    ],
}  # fmt: skip
END = ["Response Type", "Start Date (UTC)", "Submit Date (UTC)", "Network ID", "Tags"]


@pytest.fixture
def root(tmp_path):
    """A data root whose codebook is the energy survey's with ``tools`` added."""
    text = (FIXTURES / "energy_survey" / "codebook" / "v1.yaml").read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    doc["sections"][0]["questions"].append(TOOLS)
    (tmp_path / "codebook").mkdir()
    (tmp_path / "codebook" / "v1.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    return tmp_path


def write(root, header: list[str], rows: list[list], **export) -> None:
    """Write a Typeform-like export (``#`` first, its dates last) and a wave.yaml."""
    folder = root / "raw" / WAVE
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["#", *header, *END])
    for i, row in enumerate(rows):
        dates = ["completed", "2031-06-09 10:00:00", "2031-06-09 10:05:00", f"{i:010x}", ""]
        writer.writerow([f"{i:032x}", *row, *dates])
    (folder / "responses.csv").write_text(buffer.getvalue(), encoding="utf-8")
    doc = {
        "wave": WAVE, "title": "t", "sponsor": "s",
        "fieldwork": {"start": "2031-06-01", "end": "2031-06-02"}, "population": "p",
        "sample": {"description": "d", "n_stated": 9}, "mode": "m", "codebook_version": 1,
        "export": {"file": "responses.csv", **export},
    }  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def clean(root):
    return clean_wave(load_wave(root, WAVE), load_codebook(root, 1))


BARRIERS = ["Lack of financing", "Tariffs, subsidies and prices",
            "Low trust between governments", "No shared data"]  # fmt: skip
#: ``tools`` followed by an ``Other`` column, though the codebook gives it no "Other".
TOOLS_WITH_OTHER = [*BARRIERS, "Other", "A regional fund", "No shared data", "Other"]
FUND_AND_SANCTIONS = ["Lack of financing", "", "", "", "", "A regional fund", "", "Sanctions"]


def test_a_shared_label_goes_to_the_question_whose_choices_stand_beside_it(root):
    write(root, [*BARRIERS, "Other", "A regional fund", "No shared data"], [
        ["Lack of financing", "", "", "No shared data", "", "", "No shared data"],
        ["", "", "", "", "Corruption", "A regional fund", ""],
        ["", "", "", "", "", "", ""],
    ])  # fmt: skip
    result = clean(root)
    assert result.platform == "typeform"
    got = result.responses
    assert got["barriers__data"].tolist()[:2] == [1, 0]
    assert got["tools__data"].tolist()[:2] == [1, 0]
    assert got["tools__fund"].tolist()[:2] == [0, 1]
    assert got["barriers__other"].tolist()[:2] == [0, 1]  # typed Other only: in the base
    assert got["barriers__other_text"].tolist()[1] == "Corruption"
    assert read_by_labels(result) == {
        "barriers": ", ".join([*BARRIERS, "Other"]),
        "tools": "A regional fund, No shared data (2)",
    }


def labels(result) -> list[dict]:
    """Return the run's decisions to read columns by their labels alone."""
    return [d for d in result.decisions if "label alone" in d["decision"]]


def read_by_labels(result) -> dict[str, str]:
    """Return the columns the run said it read by their labels alone, by question."""
    return {d["question_id"]: d["column"] for d in labels(result)}


def test_columns_read_by_their_labels_alone_are_said_unless_wave_yaml_maps_them(root):
    """Nothing in the export names their question: another one asked with the same choices,
    left out of the codebook, would be read as the codebook's; the checklist has it checked."""
    write(root, [*BARRIERS, "Other"], [["Lack of financing", "", "", "", "Sanctions"]])
    (decision,) = [d for d in clean(root).decisions if d["question_id"] == "barriers"]
    assert decision["decision"] == (
        'read 5 column(s) headed by a choice\'s label alone, or "Other", as this question'
    )
    assert "mapping.columns in wave.yaml" in decision["why"]
    wave_yaml = root / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(wave_yaml.read_text(encoding="utf-8"))
    codes = ["fin", "tarif", "trust", "data"]
    doc["mapping"] = {"columns": {
        **{label: f"barriers/{code}" for label, code in zip(BARRIERS, codes, strict=True)},
        "Other": "barriers/other_text",
    }}  # fmt: skip
    wave_yaml.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    result = clean(root)
    assert read_by_labels(result) == {}
    assert result.responses["barriers__fin"].tolist() == [1]


def test_an_other_column_after_a_single_choice_is_unmatched(root):
    """A single choice's typed "Other" is in its own cell (Typeform): a column after it is not."""
    priority = "Which should be the first priority of regional energy cooperation?"
    write(root, [priority, "Other"], [["Nuclear", "Hydrogen"]])
    with pytest.raises(InputError, match="map to no codebook question") as err:
        clean(root)
    assert "'Other'" in str(err.value)


def test_a_label_two_other_questions_share_is_unmatched_not_guessed(root):
    write(root, ["No shared data", *BARRIERS[:3], "Other", "A regional fund"], [
        ["No shared data", "", "", "", "", ""],
    ])  # fmt: skip
    with pytest.raises(InputError, match="map to no codebook question") as err:
        clean(root)
    assert "'No shared data'" in str(err.value)


def test_an_other_column_after_a_question_without_other_is_unmatched(root):
    write(root, TOOLS_WITH_OTHER, [FUND_AND_SANCTIONS])
    with pytest.raises(InputError, match="map to no codebook question") as err:
        clean(root)
    assert "'Other (2)'" in str(err.value)


def test_mapping_an_other_text_of_a_question_without_other_says_why(root):
    write(root, TOOLS_WITH_OTHER, [FUND_AND_SANCTIONS])
    wave_yaml = root / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(wave_yaml.read_text(encoding="utf-8"))
    doc["mapping"] = {"columns": {"Other (2)": "tools/other_text"}}
    wave_yaml.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="has no 'Other' option in the codebook"):
        clean(root)


def test_a_dropped_column_holding_answers_is_a_decision_with_its_count(root):
    header = TOOLS_WITH_OTHER
    rows = [
        FUND_AND_SANCTIONS,
        ["", "", "Low trust between governments", "", "", "", "", "Visa regimes"],  # tools:
        # only its Other, left out with its column: not in the base of tools
        ["", "Tariffs, subsidies and prices", "", "", "", "", "", ""],
    ]
    write(root, header, rows, drop_columns=["Other (2)"])
    result = clean(root)
    (decision,) = [d for d in result.decisions if d["column"] and d not in labels(result)]
    assert decision["column"] == "Other (2)" and "2 filled cell(s)" in decision["decision"]
    assert decision["why"] == "export.drop_columns in wave.yaml"
    assert result.responses["tools__fund"].isna().tolist() == [False, True, True]
    write(root, header, [[*r[:-1], ""] for r in rows], drop_columns=["Other (2)"])
    result = clean(root)
    assert [d for d in result.decisions if d["column"] and d not in labels(result)] == []


def test_an_options_code_in_its_label_column_is_an_error_not_a_tick(root):
    """Typeform writes a ticked choice's label: its code there was typed, and is not read."""
    write(root, [*BARRIERS, "Other"], [["fin", "", "", "", ""]])
    with pytest.raises(InputError, match="fin") as err:
        clean(root)
    assert "Lack of financing" in str(err.value)
