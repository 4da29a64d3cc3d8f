"""The platform export writers by name (each a module of this package, found by name)."""

from __future__ import annotations

import importlib
from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.respondents import People

#: Platform -> its writer module, as ``surveybrief.platforms`` names the platforms.
PLATFORMS = ("google_forms", "microsoft_forms", "surveymonkey", "limesurvey", "kobotoolbox",
             "odk_central", "surveycto", "qualtrics", "spss", "typeform")  # fmt: skip
#: Platforms whose exports name their respondents (names in comments can be scrubbed).
NAMES_RESPONDENTS = ("microsoft_forms", "surveymonkey", "limesurvey", "qualtrics", "spss")


def variants() -> list[tuple[str, str]]:
    """Return every (platform, variant) the writers can write."""
    return [(p, v) for p in PLATFORMS for v in _module(p).VARIANTS]


def _module(platform: str):
    return importlib.import_module(f"surveybrief.tools.exports.{platform}")


def write_export(
    platform: str, variant: str, people: People, codebook: Codebook, folder: Path
) -> Path:
    """Write ``people``'s export as ``platform`` writes it with ``variant``; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    return _module(platform).write(people, codebook, folder, variant)


#: The variant of each platform committed as its fixture (tests/fixtures/platforms/<platform>).
FIXTURE_VARIANTS = {
    "google_forms": "csv", "microsoft_forms": "xlsx", "surveymonkey": "csv",
    "limesurvey": "codetext_full", "kobotoolbox": "csv_xml", "odk_central": "csv",
    "surveycto": "csv", "qualtrics": "csv_split", "spss": "sav", "typeform": "csv",
}  # fmt: skip
#: The respondents of every committed fixture.
FIXTURE_N, FIXTURE_SEED = 12, 7


def write_fixture(platform: str, codebook: Codebook, folder: Path) -> Path:
    """Write a platform's committed fixture: its export and a wave.yaml of disclosure facts."""
    import yaml

    from surveybrief.tools.exports.respondents import people

    crowd = people(
        codebook, FIXTURE_N, FIXTURE_SEED, names_in_comments=platform in NAMES_RESPONDENTS
    )
    path = write_export(platform, FIXTURE_VARIANTS[platform], crowd, codebook, folder)
    doc = {
        "wave": "2031-06",
        "title": f"Energy cooperation: SYNTHETIC {path.suffix.lstrip('.')} export",
        "sponsor": "Test institute (SYNTHETIC)",
        "fieldwork": {"start": "2031-06-09", "end": "2031-06-16"},
        "population": "Energy experts (SYNTHETIC respondents: nobody real)",
        "sample": {"description": "Invited panel", "n_stated": FIXTURE_N},
        "mode": "Online questionnaire",
        "codebook_version": 1,
        "is_synthetic": True,
        "export": {"file": path.name},
    }
    head = "# Only the disclosure facts: the export is recognised and read without a mapping.\n"
    text = head + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    (folder / "wave.yaml").write_text(text, encoding="utf-8")
    return path
