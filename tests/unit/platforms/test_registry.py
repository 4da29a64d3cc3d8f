"""Which platform wrote an export: exactly one says so, or none (a hand-made table)."""

from __future__ import annotations

import pytest

from surveybrief.clean.readers import read_export
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.platforms import base
from surveybrief.platforms.registry import detect_platform, platform_named, platforms
from surveybrief.tools.exports.by_platform import variants, write_export
from surveybrief.tools.exports.respondents import people
from tests.helpers import FIXTURES


def head(*header: str, rows=(), fmt: str = "csv") -> base.Head:
    return base.Head(fmt, tuple(header), tuple(tuple(r) for r in rows))


def test_every_platform_module_defines_one_platform_with_its_settings_told():
    found = platforms()
    assert set(found) == {
        "generic", "google_forms", "kobotoolbox", "limesurvey", "microsoft_forms",
        "odk_central", "qualtrics", "spss", "surveycto", "surveymonkey", "typeform",
    }  # fmt: skip
    for name, platform in found.items():
        assert platform.name == name and platform.title and platform.settings


@pytest.mark.parametrize(("platform", "variant"), variants())
def test_each_export_is_claimed_by_its_platform_alone(tmp_path, platform, variant):
    codebook = load_codebook(FIXTURES / "energy_survey", 1)
    crowd = people(codebook, 6, 3, names_in_comments=False)
    folder = tmp_path / "raw" / "2031-01"
    path = write_export(platform, variant, crowd, codebook, folder)
    (folder / "wave.yaml").write_text(
        "wave: '2031-01'\ntitle: t\nsponsor: s\nfieldwork: {start: 2031-01-01, end: 2031-01-02}\n"
        "population: p\nsample: {description: d, n_stated: 6}\nmode: m\ncodebook_version: 1\n"
        f"export: {{file: '{path.name}'}}\n",
        encoding="utf-8",
    )
    raw = read_export(load_wave(tmp_path, "2031-01"))
    claims = [n for n, p in platforms().items() if n != "generic" and p.detect(raw.head)]
    assert raw.platform.name == platform
    assert claims == [platform] or path.suffix == ".sav"


def test_a_table_no_platform_claims_is_generic():
    assert detect_platform(head("respondent_id", "priority", "barriers")).name == "generic"
    assert detect_platform(head("Which should be the first priority?")).name == "generic"


def test_an_export_two_platforms_claim_is_an_error_naming_both():
    with pytest.raises(InputError) as err:
        detect_platform(head("ResponseId", "_uuid", "Q1"))
    assert "KoboToolbox" in str(err.value) and "Qualtrics" in str(err.value)
    assert "export.platform" in str(err.value)


def test_a_platform_named_in_wave_yaml_must_exist():
    assert platform_named("limesurvey").title == "LimeSurvey"
    with pytest.raises(InputError, match="unknown platform") as err:
        platform_named("limesurvy")
    assert "limesurvey" in str(err.value)


def test_every_sav_file_is_read_by_the_spss_adapter():
    assert detect_platform(head("ResponseId", "_uuid", fmt="sav")).name == "spss"
