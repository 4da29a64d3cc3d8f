"""A wave's description (``data/raw/<wave>/wave.yaml``): what the export is and how to read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.config import WAVE_FILE, WAVE_ID_PATTERN, raw_dir
from surveybrief.exceptions import InputError
from surveybrief.yamlio import load_yaml, require

EXPORT_FORMATS = ("csv",)


@dataclass(frozen=True)
class ExportSpec:
    """Where the export file is and its shape."""

    file: str
    format: str = "csv"
    encoding: str = "utf-8"
    respondent_id: str = "respondent_id"
    #: header in the export -> processed column (codebook id, or <question>__<option>)
    columns: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Wave:
    """Metadata of one survey wave, as the methodology box discloses it."""

    id: str
    title: str
    sponsor: str
    fieldwork_start: dt.date
    fieldwork_end: dt.date
    population: str
    sample_description: str
    n_stated: int
    sampling: str
    mode: str
    weighting: str
    codebook_version: int
    is_reconstructed: bool
    export: ExportSpec
    reconstruction: dict
    limitations: tuple[str, ...]
    max_invalid_share: float
    path: Path

    @property
    def raw_dir(self) -> Path:
        """Return the immutable folder holding the export and this file."""
        return self.path.parent

    @property
    def export_path(self) -> Path:
        """Return the export file's path."""
        return self.raw_dir / self.export.file

    @property
    def fieldwork_text(self) -> str:
        """Return the fieldwork dates as a reader expects them, e.g. '9–16 June 2025'."""
        s, e = self.fieldwork_start, self.fieldwork_end
        if (s.year, s.month) == (e.year, e.month):
            return f"{s.day}–{e.day} {e:%B %Y}"
        if s.year == e.year:
            return f"{s.day} {s:%B} – {e.day} {e:%B %Y}"
        return f"{s.day} {s:%B %Y} – {e.day} {e:%B %Y}"


def _date(value, *, file: Path, key: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise InputError(
            f"fieldwork {key} is not a date", file=file, value=value, expected="YYYY-MM-DD"
        ) from exc


def load_wave(data_root: Path, wave_id: str) -> Wave:
    """Load and check ``raw/<wave_id>/wave.yaml`` under ``data_root``."""
    if not WAVE_ID_PATTERN.match(wave_id):
        raise InputError("invalid wave id", value=wave_id, expected="YYYY-MM, e.g. 2025-06")
    path = raw_dir(data_root, wave_id) / WAVE_FILE
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError("wave.yaml is not a mapping", file=path)
    declared = str(require(doc, "wave", file=path, where="wave.yaml"))
    if declared != wave_id:
        raise InputError(
            "wave id in wave.yaml differs from its folder",
            file=path,
            value=declared,
            expected=wave_id,
        )
    fieldwork = require(doc, "fieldwork", file=path, where="wave.yaml", kind=dict)
    sample = require(doc, "sample", file=path, where="wave.yaml", kind=dict)
    export = require(doc, "export", file=path, where="wave.yaml", kind=dict)
    fmt = str(export.get("format", "csv"))
    if fmt not in EXPORT_FORMATS:
        raise InputError(
            "unsupported export format",
            file=path,
            column="export.format",
            value=fmt,
            expected=" | ".join(EXPORT_FORMATS),
        )
    n_stated = require(sample, "n_stated", file=path, where="sample", kind=int)
    if n_stated <= 0:
        raise InputError("sample.n_stated must be positive", file=path, value=n_stated)
    max_invalid = float(doc.get("max_invalid_share", 0.1))
    if not 0 <= max_invalid <= 1:
        raise InputError("max_invalid_share must be in [0, 1]", file=path, value=max_invalid)
    return Wave(
        id=wave_id,
        title=str(require(doc, "title", file=path, where="wave.yaml")),
        sponsor=str(require(doc, "sponsor", file=path, where="wave.yaml")),
        fieldwork_start=_date(
            require(fieldwork, "start", file=path, where="fieldwork"), file=path, key="start"
        ),
        fieldwork_end=_date(
            require(fieldwork, "end", file=path, where="fieldwork"), file=path, key="end"
        ),
        population=str(require(doc, "population", file=path, where="wave.yaml")),
        sample_description=str(require(sample, "description", file=path, where="sample")),
        n_stated=n_stated,
        sampling=str(sample.get("method", "not stated")),
        mode=str(require(doc, "mode", file=path, where="wave.yaml")),
        weighting=str(doc.get("weighting", "none")),
        codebook_version=int(require(doc, "codebook_version", file=path, where="wave.yaml")),
        is_reconstructed=bool(doc.get("is_reconstructed", False)),
        export=ExportSpec(
            file=str(require(export, "file", file=path, where="export")),
            format=fmt,
            encoding=str(export.get("encoding", "utf-8")),
            respondent_id=str(export.get("respondent_id", "respondent_id")),
            columns={str(k): str(v) for k, v in (export.get("columns") or {}).items()},
        ),
        reconstruction=dict(doc.get("reconstruction") or {}),
        limitations=tuple(str(x) for x in doc.get("limitations") or ()),
        max_invalid_share=max_invalid,
        path=path,
    )
