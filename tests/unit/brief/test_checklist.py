"""The analyst checklist: every notice a person must act on, its state, and where it goes."""

import dataclasses
import json

import pytest

from surveybrief import catalogue
from surveybrief.brief import checklist
from surveybrief.brief.checklist import DECIDED, OPEN, SIGNED_OFF, open_items
from surveybrief.brief.front import open_front
from surveybrief.exceptions import InputError
from surveybrief.inputs.wave import load_wave
from tests.helpers import WAVE


@pytest.fixture
def front(cleaned_root, outputs):
    return open_front(WAVE, cleaned_root, outputs)


def _states(items) -> dict[str, str]:
    return {i.id: i.state for i in items}


def test_the_reconstructed_wave_lists_what_a_person_must_decide(front, outputs):
    items = front.analyst_items
    assert _states(items) == {
        "reconstructed": OPEN,
        "audit": OPEN,  # 3 of the article's 31 figures are not reproduced
        "quotes": OPEN,  # wave.yaml says nothing about quoting
        "coding:comments": OPEN,  # the keyword pass; no coding workbook returned
    }
    audit = next(i for i in items if i.id == "audit")
    assert audit.what.startswith("3 of 31 published figures")
    written = json.loads(
        (catalogue.results_dir(outputs / WAVE) / checklist.CHECKLIST_RESULT).read_text()
    )
    assert [i["id"] for i in written] == [i.id for i in items]
    text = (outputs / WAVE / checklist.CHECKLIST_FILE).read_text(encoding="utf-8")
    assert "4 item(s) open" in text and "`coding:comments`" in text
    shown = front.checklist_frame()  # what the notebook's Explore section shows
    assert list(shown["id"]) == [i.id for i in items] and set(shown["state"]) == {OPEN}


def _with(front, **changes):
    wave = dataclasses.replace(front.wave, **changes)
    return checklist.checklist(dataclasses.replace(front, wave=wave), front.data_root)


def test_a_signed_off_item_is_closed_with_its_reason_and_a_stale_one_is_said(front):
    items = _with(
        front,
        signed_off={"reconstructed": "Sponsor agreed, 2025-08-01 (A. Analyst)", "old": "x"},
    )
    states = _states(items)
    assert states["reconstructed"] == SIGNED_OFF and states["old"] == "stale"
    assert next(i for i in items if i.id == "reconstructed").reason.startswith("Sponsor agreed")
    assert {i["id"] for i in open_items(items)} == {"audit", "quotes", "coding:comments"}


def test_quoting_declared_off_is_a_decision_not_an_open_item(front):
    policy = dataclasses.replace(front.wave.quotes, declared=True, allowed=False)
    assert _states(_with(front, quotes=policy))["quotes"] == DECIDED
    allowed = dataclasses.replace(front.wave.quotes, declared=True, allowed=True)
    assert "quotes" not in _states(_with(front, quotes=allowed))


def test_a_fact_left_to_its_default_is_an_item(front):
    items = _with(front, defaulted=("weighting",))
    item = next(i for i in items if i.id == "fact:weighting")
    assert item.state == OPEN and "say it is not stated" in item.what


def test_every_uncertain_line_is_an_item_named_by_its_key_path(front, tmp_path):
    path = tmp_path / "wave.yaml"
    path.write_text(
        'wave: "2025-06"\nmapping:\n  columns:\n'
        '    "Q1: How are relations?": relations_state  # UNCERTAIN (similarity 0.83)\n'
        "    Q2: obstacles\n  labels:\n    relations_state:\n"
        '      "Good: mostly": good  # UNCERTAIN (similarity 0.90)\n'
        "    obstacles:\n"
        '      "Good: mostly": trade  # UNCERTAIN (similarity 0.91)\n',
        encoding="utf-8",
    )
    found = {i.id: i.what for i in _with(front, path=path) if i.id.startswith("mapping:")}
    assert set(found) == {
        "mapping:columns/Q1: How are relations?",
        "mapping:labels/relations_state/Good: mostly",
        "mapping:labels/obstacles/Good: mostly",
    }
    assert found["mapping:columns/Q1: How are relations?"].startswith("wave.yaml line 4: ")
    path.write_text(path.read_text().replace("# UNCERTAIN", "# checked"), encoding="utf-8")
    assert not [i for i in _with(front, path=path) if i.id.startswith("mapping:")]


def test_decisions_taken_reading_the_export_and_rows_set_aside_are_items(front):
    report = dict(front.clean_report, n_rows_quarantined=2)
    report["decisions"] = [
        {"question_id": "obstacles", "column": "Q5", "decision": "several answers in one "
         "cell separated by ';'", "why": "the platform's separator ',' does not fit"},
    ]  # fmt: skip
    items = checklist.checklist(dataclasses.replace(front, clean_report=report), front.data_root)
    reading = next(i for i in items if i.id == "reading:obstacles")
    assert "separated by ';' (column 'Q5')" in reading.what
    assert "2 row(s)" in next(i for i in items if i.id == "quarantine").what


def test_a_sign_off_needs_a_reason(data_copy):
    path = data_copy / "raw" / WAVE / "wave.yaml"
    path.write_text(path.read_text() + "checklist:\n  audit: ''\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs its reason") as caught:
        load_wave(data_copy, WAVE)
    assert "checklist.audit" in str(caught.value)
    path.write_text(
        path.read_text().replace("audit: ''", "audit: Source rounding (B. Editor)"),
        encoding="utf-8",
    )
    assert load_wave(data_copy, WAVE).signed_off == {"audit": "Source rounding (B. Editor)"}
