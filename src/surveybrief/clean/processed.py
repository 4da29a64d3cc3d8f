"""Load a cleaned wave and everything the analysis notebooks need with it, in one call."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveybrief.clean.cleaner import load_clean_report, load_processed
from surveybrief.config import resolve_wave
from surveybrief.inputs.codebook import Codebook, load_codebook
from surveybrief.inputs.published import Publication, load_published_if_any
from surveybrief.inputs.wave import Wave, load_wave

__all__ = ["CleanedWave", "load_cleaned_wave", "resolve_wave"]


@dataclass(frozen=True)
class CleanedWave:
    """A wave after 00_clean: codebook, metadata, typed responses, published figures."""

    codebook: Codebook
    wave: Wave
    responses: pd.DataFrame
    publication: Publication | None
    clean_report: dict


def load_cleaned_wave(
    data_root: str | Path, wave: str = "latest", sections: list[str] | None = None
) -> CleanedWave:
    """Load a cleaned wave; the wave must have been through 00_clean.

    With ``sections``, only the answers to those sections' questions and to the profile
    questions (for breakdowns) are read; otherwise every answer.
    """
    data_root = Path(data_root)
    wave_id = resolve_wave(data_root, wave)
    wave_meta = load_wave(data_root, wave_id)
    codebook = load_codebook(data_root, wave_meta.codebook_version)
    questions = None
    if sections is not None:
        questions = [q.id for s in sections for q in codebook.section(s).questions]
        questions += [q.id for q in codebook.questions if q.type == "profile"]
    return CleanedWave(
        codebook=codebook,
        wave=wave_meta,
        responses=load_processed(data_root, wave_id, codebook, questions),
        publication=load_published_if_any(data_root, wave_id, codebook),
        clean_report=load_clean_report(data_root, wave_id),
    )
