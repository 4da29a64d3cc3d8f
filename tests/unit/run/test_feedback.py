"""A Delphi round's feedback: each expert's own answers beside the panel's, kept private."""

import csv
import io
import stat

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from surveybrief.clean.panel_key import KEY_ENV, panel_ids
from surveybrief.exceptions import InputError
from surveybrief.run import feedback
from surveybrief.tools.synthetic_delphi import ROUNDS, STATEMENTS, build_delphi_data, delphi_answers
from tests.helpers import tree_digest

KEY = "ab" * 32


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY)
    return build_delphi_data(tmp_path / "data")


def _sheets(folder):
    return {p.name: p for p in folder.iterdir()}


def test_each_expert_gets_their_own_answers_and_only_the_panels_figures(data, tmp_path):
    wave_id = ROUNDS[1][0]
    folder = feedback.feedback_alone(data, wave_id, tmp_path / "private", "en")
    answers = delphi_answers()[1]
    ids = dict(zip(answers, panel_ids(KEY.encode(), list(answers)), strict=True))
    files = _sheets(folder)
    assert set(files) == {f"{i}.html" for i in ids.values()} | {feedback.MAIL_MERGE}
    for email, member in ids.items():
        text = BeautifulSoup(files[f"{member}.html"].read_text(encoding="utf-8"), "html.parser")
        assert email not in str(text) and "example.org" not in str(text)
        own = [r.get_text(" ", strip=True) for r in text.select("tr.own")]
        expected = [str(answers[email][qid]) for qid, *_rest in STATEMENTS]
        assert [o.split(" ")[0] for o in own] == expected  # their answer, each statement
        for section, (qid, *_rest) in zip(text.select("section"), STATEMENTS, strict=True):
            counts = [int(td.get_text()) for td in section.select("td.num")[1::2]]
            everyone = [a[qid] for a in answers.values()]
            assert counts == [everyone.count(p) for p in range(1, 6)]  # the whole panel's
    rows = list(csv.DictReader(io.StringIO(files[feedback.MAIL_MERGE].read_text("utf-8"))))
    assert {r["contact"]: r["panel_id"] for r in rows} == ids
    first = next(r for r in rows if r["contact"] == "expert00@example.org")
    assert first["binding_water_own"] == str(answers["expert00@example.org"]["binding_water"])


def test_the_folder_is_its_owners_and_never_under_the_outputs(data, tmp_path):
    folder = feedback.feedback_alone(data, ROUNDS[0][0], tmp_path / "private", "ru")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert 'lang="ru"' in next(folder.glob("*.html")).read_text(encoding="utf-8")
    with pytest.raises(InputError, match="never written into the outputs folder"):
        feedback.feedback_alone(data, ROUNDS[0][0], tmp_path / "out" / "p", "en", tmp_path / "out")


def test_a_failed_write_keeps_the_previous_sheets(data, tmp_path, monkeypatch):
    folder = feedback.feedback_alone(data, ROUNDS[1][0], tmp_path / "private", "en")
    before = tree_digest(folder)
    calls = []

    def failing(self, text, encoding=None):
        calls.append(self)
        if len(calls) == 5:
            raise OSError(28, "No space left on device")
        return original(self, text, encoding=encoding)

    original = type(folder).write_text
    monkeypatch.setattr(type(folder), "write_text", failing)
    with pytest.raises(OSError, match="No space left"):
        feedback.feedback_alone(data, ROUNDS[1][0], tmp_path / "private", "en")
    assert tree_digest(folder) == before
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]  # no staging left


def test_feedback_is_for_delphi_rounds_and_needs_the_panels_key(data, tmp_path, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "empty"))
    with pytest.raises(InputError, match="no panel key"):
        feedback.feedback_alone(data, ROUNDS[0][0], tmp_path / "private", "en")
    assert not (tmp_path / "empty" / "surveybrief").exists()  # no key made: it would link nobody


def test_a_link_into_the_outputs_is_refused_and_nothing_published_is_touched(data, tmp_path):
    outputs = tmp_path / "outputs"
    (outputs / ROUNDS[1][0]).mkdir(parents=True)
    before = tree_digest(outputs)
    private = tmp_path / "private"
    private.mkdir()
    (private / "feedback").symlink_to(outputs, target_is_directory=True)
    with pytest.raises(InputError, match="never written into the outputs folder"):
        feedback.feedback_alone(data, ROUNDS[1][0], private, "en", outputs)
    assert tree_digest(outputs) == before


def test_a_failed_swap_puts_the_previous_sheets_back(data, tmp_path, monkeypatch):
    folder = feedback.feedback_alone(data, ROUNDS[1][0], tmp_path / "private", "en")
    before = tree_digest(folder)
    real = feedback.os.replace
    calls = []

    def failing(source, target):
        calls.append(target)
        if len(calls) == 2:  # the new sheets into place
            raise OSError(5, "Input/output error")
        return real(source, target)

    monkeypatch.setattr(feedback.os, "replace", failing)
    with pytest.raises(OSError, match="Input/output"):
        feedback.feedback_alone(data, ROUNDS[1][0], tmp_path / "private", "en")
    assert tree_digest(folder) == before


def test_a_published_round_whose_sheets_fail_says_so_and_leaves_no_stale_sheets(
    data, tmp_path, monkeypatch
):
    from surveybrief.exceptions import FeedbackError

    folder = feedback.feedback_alone(data, ROUNDS[1][0], tmp_path / "private", "en")

    def full(self, text, encoding=None):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(folder), "write_text", full)
    with pytest.raises(FeedbackError, match="was published, but its feedback sheets") as err:
        feedback.publish_feedback(ROUNDS[1][0], {"a.html": "x"}, tmp_path / "private", None)
    assert "make feedback WAVE=2029-05" in str(err.value) and "nothing was published" not in str(
        err.value
    )
    assert not folder.exists()  # the old round's sheets are not left to be sent by mistake


def test_a_round_without_rating_statements_answered_has_nothing_to_feed_back(data, tmp_path):
    import dataclasses

    from surveybrief.clean.cleaner import clean_wave
    from surveybrief.clean.processed import CleanedWave
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.inputs.wave import load_wave

    wave = load_wave(data, ROUNDS[1][0])
    codebook = load_codebook(data, 1)
    responses = clean_wave(wave, codebook, KEY.encode()).responses
    for qid, *_rest in STATEMENTS:
        responses[qid] = pd.NA
    round_ = CleanedWave(wave, codebook, responses)
    with pytest.raises(InputError, match="answered none"):
        feedback.render_sheets(round_, {}, "en")
    few = dataclasses.replace(round_, responses=clean_wave(wave, codebook, KEY.encode()).responses)
    few.responses.loc[4:, "binding_water"] = pd.NA  # 4 answered it: not shown
    files = feedback.render_sheets(few, {}, "en")
    sheet = next(text for name, text in files.items() if name.endswith(".html"))
    assert "Fewer than 5 experts answered this statement" in sheet
