"""The analyst checklist: every notice a person must act on, its state, and where it goes."""

import dataclasses
import json

import pandas as pd
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
        "audit:3-of-31": OPEN,  # 3 of the article's 31 figures are not reproduced
    }  # no comment was answered: nothing to code, nothing to quote, no item about either
    audit = next(i for i in items if i.id == "audit:3-of-31")
    assert audit.what.startswith("3 of 31 published figures")
    written = json.loads(
        (catalogue.results_dir(outputs / WAVE) / checklist.CHECKLIST_RESULT).read_text()
    )
    assert [i["id"] for i in written] == [i.id for i in items]
    text = (outputs / WAVE / checklist.CHECKLIST_FILE).read_text(encoding="utf-8")
    assert "2 item(s) open" in text and '`"audit:3-of-31"`' in text  # quoted for wave.yaml
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
    assert {i["id"] for i in open_items(items)} == {"audit:3-of-31"}


def _answered(front, outputs):
    """The same wave as if its experts had answered the open question (its themes written)."""
    themes = catalogue.result_path(outputs / WAVE, "comments_themes")
    themes.parent.mkdir(parents=True, exist_ok=True)
    pd.DataFrame({"option": ["x"], "count": [1], "base": [1]}).to_parquet(themes)
    return front


def test_an_answered_open_question_needs_coding_and_a_decision_on_quoting(front, outputs):
    front = _answered(front, outputs)
    states = _states(checklist.checklist(front, front.data_root))
    assert states["quotes"] == OPEN and states["coding:comments"] == OPEN
    policy = dataclasses.replace(front.wave.quotes, declared=True, allowed=False)
    assert _states(_with(front, quotes=policy))["quotes"] == DECIDED
    allowed = dataclasses.replace(front.wave.quotes, declared=True, allowed=True)
    assert "quotes" not in _states(_with(front, quotes=allowed))


def test_a_sign_off_covers_what_was_signed_not_what_came_later(front):
    """The audit signed off at 3 of 31; redelivered data missing 12 raise a new item."""
    signed = {"audit:3-of-31": "Rounding in the source (A. Analyst)"}
    assert _states(_with(front, signed_off=signed))["audit:3-of-31"] == SIGNED_OFF
    report = dict(front.clean_report, n_rows_quarantined=2)
    base = dataclasses.replace(front, clean_report=report)
    ids = {i.id for i in checklist.checklist(base, front.data_root)}
    assert "quarantine:2-rows" in ids
    report = dict(front.clean_report, n_rows_quarantined=150)
    more = {i.id: i.state for i in checklist.checklist(
        dataclasses.replace(base, clean_report=report,
                            wave=dataclasses.replace(front.wave, signed_off={
                                "quarantine:2-rows": "checked"})),
        front.data_root)}  # fmt: skip
    assert more["quarantine:150-rows"] == OPEN and more["quarantine:2-rows"] == "stale"


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
        '      "Good: mostly": trade  # UNCERTAIN (similarity 0.91)\n'
        'sponsor: "TODO: who commissioned the survey"\n',
        encoding="utf-8",
    )
    items = _with(front, path=path)
    assert "todo:sponsor" in {i.id for i in items}  # a fact init-wave could not know
    found = {i.id: i.what for i in items if i.id.startswith("mapping:")}
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
    reading = next(i for i in items if i.id.startswith("reading:obstacles:"))
    assert "separated by ';' (column 'Q5')" in reading.what
    assert "2 row(s)" in next(i for i in items if i.id == "quarantine:2-rows").what


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
