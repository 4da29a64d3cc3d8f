"""The processed wave, as 00_clean wrote it: read it, with everything the analysis needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from surveybrief.config import clean_report_file, processed_file, resolve_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, load_codebook
from surveybrief.inputs.published import Publication, load_published_if_any
from surveybrief.inputs.wave import Wave, load_wave

__all__ = [
    "CleanedWave",
    "load_clean_report",
    "load_cleaned_wave",
    "load_processed",
    "load_wave_codebook",
    "resolve_wave",
]


@dataclass(frozen=True)
class CleanedWave:
    """A wave after 00_clean: metadata, codebook, typed responses, published figures.

    The one type of a cleaned wave: the chapters, the trends (which compare several) and the
    explore views all take it as loaded, never copied into another.
    """

    wave: Wave
    codebook: Codebook
    responses: pd.DataFrame
    #: The figures its source published (a reconstructed wave's only known facts), if any.
    publication: Publication | None = None
    #: The counts of its cleaning (rows read, set aside; bases); empty when built in memory.
    clean_report: dict = field(default_factory=dict)


def load_wave_codebook(data_root: str | Path, wave: str = "latest") -> Codebook:
    """Return the codebook version a wave was asked with."""
    meta = load_wave(Path(data_root), resolve_wave(Path(data_root), wave))
    return load_codebook(Path(data_root), meta.codebook_version)


def load_cleaned_wave(
    data_root: str | Path, run_dir: str | Path, wave: str, sections: list[str] | None = None
) -> CleanedWave:
    """Load a cleaned wave from the output folder of the run that cleaned it (00_clean).

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
        questions += [q.id for q in codebook.questions if q.kind.profile]
    return CleanedWave(
        codebook=codebook,
        wave=wave_meta,
        responses=load_processed(run_dir, wave_id, codebook, questions),
        publication=load_published_if_any(data_root, wave_id, codebook),
        clean_report=load_clean_report(run_dir, wave_id),
    )


def load_processed(
    run_dir: Path,
    wave_id: str,
    codebook: Codebook | None = None,
    questions: list[str] | None = None,
) -> pd.DataFrame:
    """Read the processed wave written by ``run_clean``.

    With ``questions`` (ids, and the ``codebook`` they belong to), the columns of the other
    questions are not read: a section notebook reads its own questions only, which matters
    for waves of many respondents.
    """
    path = processed_file(run_dir, wave_id)
    if not path.is_file():
        raise InputError(
            "processed wave not found; run make briefing first (or 00_clean by hand, with "
            "SURVEYBRIEF_WRITE=1 so that it keeps its files)",
            file=path,
            expected="the output of notebook 00_clean",
        )
    if questions is None or codebook is None:
        return pd.read_parquet(path)
    import pyarrow.parquet as pq

    wanted = {c for q in questions for c in codebook.question(q).columns}
    skipped = set(codebook.columns) - wanted
    columns = [c for c in pq.read_schema(path).names if c not in skipped]
    return pd.read_parquet(path, columns=columns)


def load_clean_report(run_dir: Path, wave_id: str) -> dict:
    """Read the counts written by ``run_clean`` (rows read, set aside; bases per question)."""
    import json

    path = clean_report_file(run_dir, wave_id)
    return json.loads(path.read_text(encoding="utf-8"))
