"""The platform export writers by name (each a module of this package, found by name)."""

from __future__ import annotations

import importlib
from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.respondents import People

#: Platform -> its writer module, as ``surveybrief.platforms`` names the platforms.
PLATFORMS = ("google_forms", "microsoft_forms", "surveymonkey", "limesurvey", "kobotoolbox",
             "odk_central", "surveycto", "qualtrics", "spss")  # fmt: skip
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
