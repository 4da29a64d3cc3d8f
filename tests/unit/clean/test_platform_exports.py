"""Every platform's export, as the platform writes it, reads back exactly with no mapping.

Each export is written by ``tools.exports`` from SYNTHETIC respondents (answers in English,
Russian and Kazakh, "Other" texts, skipped questions, personal columns, signed comments,
previews and rejected submissions) and cleaned with a wave.yaml that holds only the
disclosure facts. The counts equal the generated truth; no personal value survives; init-wave
names the platform and its draft needs nothing but the disclosure facts.
"""

from __future__ import annotations

import re
import shutil

import pandas as pd
import pytest
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.draft_yaml import write_draft
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.platforms.registry import platforms
from surveybrief.tools.exports.by_platform import (
    FIXTURE_N,
    FIXTURE_SEED,
    FIXTURE_VARIANTS,
    NAMES_RESPONDENTS,
    variants,
    write_export,
)
from surveybrief.tools.exports.respondents import people
from tests.helpers import FIXTURES

WAVE = "2031-05"
N = 30
#: Submissions each export carries that are not responses (a preview, a rejected one).
NOT_RESPONSES = {"kobotoolbox": 1, "odk_central": 1, "surveycto": 1, "qualtrics": 1}


def disclosure_facts(export_name: str) -> dict:
    """Return a wave.yaml that says only what the analyst alone knows, and the file's name."""
    return {
        "wave": WAVE,
        "title": "Energy cooperation, SYNTHETIC test wave",
        "sponsor": "Test institute",
        "fieldwork": {"start": f"{WAVE}-09", "end": f"{WAVE}-16"},
        "population": "Energy experts",
        "sample": {"description": "Invited panel", "n_stated": N},
        "mode": "Online questionnaire",
        "codebook_version": 1,
        "is_synthetic": True,
        "export": {"file": export_name},
    }


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(FIXTURES / "energy_survey", 1)


def write_wave(tmp_path, codebook, platform: str, variant: str):
    """Write one export and its disclosure-facts wave.yaml; return (root, folder, people)."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", root / "codebook")
    crowd = people(codebook, N, 17, names_in_comments=platform in NAMES_RESPONDENTS)
    folder = root / "raw" / WAVE
    path = write_export(platform, variant, crowd, codebook, folder)
    doc = disclosure_facts(path.name)
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return root, folder, crowd


def assert_equals_truth(responses: pd.DataFrame, crowd, codebook) -> None:
    """Every closed answer and every "Other" text is the generated one, row for row."""
    got = responses.reset_index(drop=True)
    assert len(got) == len(crowd.answers)
    for q in codebook.questions:
        if q.type == "text":
            continue
        for column in q.columns:
            expected = crowd.answers[column].astype("string").fillna("<NA>").tolist()
            actual = got[column].astype("string").fillna("<NA>").tolist()
            assert actual == expected, column


def assert_no_personal_data(frame: pd.DataFrame, crowd) -> None:
    text = "\n".join(frame.astype("string").fillna("").to_numpy().ravel().tolist())
    leaked = [v for v in crowd.personal_values if v in text]
    assert leaked == []
    for part in ("@example.org", "+7 701", "203.0.113."):
        assert part not in text


CASES = variants()


@pytest.mark.parametrize(("platform", "variant"), CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_an_export_as_the_platform_writes_it_reads_back_exactly(
    tmp_path, codebook, platform, variant
):
    root, _, crowd = write_wave(tmp_path, codebook, platform, variant)
    result = clean_wave(load_wave(root, WAVE), codebook)
    assert result.platform == platform
    assert_equals_truth(result.responses, crowd, codebook)
    assert_no_personal_data(result.responses, crowd)
    assert len(result.excluded) == NOT_RESPONSES.get(platform, 0)
    assert result.validation.quarantine.empty
    by_labels = {d["question_id"] for d in result.decisions if "label alone" in d["decision"]}
    several = {q.id for q in codebook.questions if q.kind.several}
    assert by_labels == (several if platform == "typeform" else set())  # said, to be checked
    assert [d for d in result.decisions if d["question_id"] not in by_labels] == []
    comments = result.responses["comments"].dropna()
    assert comments.str.contains("[email]", regex=False).any()
    assert comments.str.contains("[phone]", regex=False).any()


@pytest.mark.parametrize(("platform", "variant"), CASES, ids=[f"{p}-{v}" for p, v in CASES])
def test_init_wave_names_the_platform_and_needs_only_the_disclosure_facts(
    tmp_path, codebook, platform, variant
):
    root, folder, crowd = write_wave(tmp_path, codebook, platform, variant)
    (folder / "wave.yaml").unlink()
    draft = write_draft(folder, codebook).read_text(encoding="utf-8")
    title = platforms()[platform].title
    assert f"from a {title} export" in draft and f"platform: {platform}" in draft
    assert "# UNCERTAIN" not in draft and "NOT MATCHED" not in draft
    filled = re.sub(r'"TODO:[^"]*"', '"filled in"', draft).replace("TODO-YYYY-MM-DD", "2031-05-09")
    doc = yaml.safe_load(filled)
    assert doc["mapping"] == {"columns": {}, "labels": {}}
    assert "drop_columns" not in doc["export"]
    (folder / "wave.yaml").write_text(filled, encoding="utf-8")
    result = clean_wave(load_wave(root, WAVE), codebook)
    assert_equals_truth(result.responses, crowd, codebook)


def test_every_platform_has_an_export_writer_and_every_writer_a_platform():
    written = {p for p, _ in CASES}
    assert written == set(platforms()) - {"generic"}


@pytest.mark.parametrize("platform", sorted(NAMES_RESPONDENTS))
def test_a_respondents_own_name_in_a_comment_is_scrubbed(tmp_path, codebook, platform):
    variant = next(v for p, v in CASES if p == platform)
    root, _, crowd = write_wave(tmp_path, codebook, platform, variant)
    signed = [t for t in crowd.answers["comments"].dropna() if " — " in t]
    assert any(last in t for t in signed for last in crowd.who["last"])
    result = clean_wave(load_wave(root, WAVE), codebook)
    assert result.responses["comments"].str.contains("[name]", regex=False).any()
    assert_no_personal_data(result.responses, crowd)


@pytest.mark.parametrize("platform", sorted(FIXTURE_VARIANTS))
def test_each_committed_platform_fixture_reads_back_its_respondents(tmp_path, codebook, platform):
    """tests/fixtures/platforms/<platform>: an export as the platform writes it, for a reader."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", root / "codebook")
    shutil.copytree(FIXTURES / "platforms" / platform / "raw", root / "raw")
    result = clean_wave(load_wave(root, "2031-06"), codebook)
    crowd = people(
        codebook, FIXTURE_N, FIXTURE_SEED, names_in_comments=platform in NAMES_RESPONDENTS
    )
    assert result.platform == platform
    assert_equals_truth(result.responses, crowd, codebook)
    assert_no_personal_data(result.responses, crowd)
