"""Bring a wave's export into the common format: one row per respondent, codebook column names.

No judgement happens here (that is ``validate`` and ``clean``): values are read as text exactly
as exported ("N/A" and "None" stay text), headers are mapped, and structural defects (missing
file, unknown or missing id column, unmapped headers) raise one ``InputError`` naming them all.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveybrief.codebook import Codebook
from surveybrief.exceptions import InputError
from surveybrief.wave import Wave

#: Name of the column holding each row's line number in the export file (header = line 1).
ROW_COLUMN = "_row"


def read_export(wave: Wave) -> pd.DataFrame:
    """Read the export file of ``wave`` as text, every value a string or missing (blank)."""
    path = wave.export_path
    if not path.is_file():
        raise InputError("export file not found", file=path, expected="the file named in wave.yaml")
    if path.stat().st_size == 0:
        raise InputError("export file is empty", file=path, expected="a header row and responses")
    try:
        frame = pd.read_csv(
            path,
            dtype="string",
            keep_default_na=False,
            na_values=[""],
            encoding=wave.export.encoding,
            skipinitialspace=False,
        )
    except UnicodeDecodeError as exc:
        raise InputError(
            f"file is not valid {wave.export.encoding} text (byte offset {exc.start})",
            file=path,
            expected=f"encoding {wave.export.encoding}, as wave.yaml says",
        ) from exc
    except pd.errors.ParserError as exc:
        raise InputError(f"cannot parse CSV: {exc}", file=path) from exc
    frame.insert(0, ROW_COLUMN, range(2, len(frame) + 2))
    return frame


def map_columns(frame: pd.DataFrame, wave: Wave, codebook: Codebook) -> pd.DataFrame:
    """Rename export headers to codebook columns; every header must be accounted for.

    Codebook columns the export lacks are added as missing (not asked in this wave).
    """
    path = wave.export_path
    rename = dict(wave.export.columns)
    rename[wave.export.respondent_id] = "respondent_id"
    mapped = frame.rename(columns=rename)
    known = {ROW_COLUMN, "respondent_id", *codebook.columns}
    unknown = [
        original
        for original, new in zip(frame.columns, mapped.columns, strict=True)
        if new not in known
    ]
    if "respondent_id" not in mapped.columns:
        raise InputError(
            "no respondent id column",
            file=path,
            column=wave.export.respondent_id,
            expected="the id column named by export.respondent_id in wave.yaml",
        )
    if unknown:
        raise InputError(
            f"{len(unknown)} column(s) not in the codebook and not mapped in wave.yaml",
            file=path,
            column=", ".join(unknown),
            expected="codebook ids (or <question>__<option>) or an export.columns mapping",
        )
    duplicated = sorted({c for c in mapped.columns if list(mapped.columns).count(c) > 1})
    if duplicated:
        raise InputError(
            "several export columns map to the same column", file=path, column=", ".join(duplicated)
        )
    for column in codebook.columns:
        if column not in mapped.columns:
            mapped[column] = pd.array([pd.NA] * len(mapped), dtype="string")
    return mapped[[ROW_COLUMN, "respondent_id", *codebook.columns]]


def ingest(wave: Wave, codebook: Codebook) -> pd.DataFrame:
    """Read and map a wave's export: the common format, all text, with source line numbers."""
    return map_columns(read_export(wave), wave, codebook)


def source_name(wave: Wave) -> Path:
    """Return the export path as reported in messages."""
    return wave.export_path
