"""Clean a wave: ingest, validate, set invalid rows aside, type the columns, write the result.

Outline: load inputs (codebook, wave.yaml, export) / process (validate, type) / save outputs
(``processed/<wave>/responses.parquet`` and ``quarantine.csv`` in the run's folder). Nothing
is written under the data root.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveybrief.clean.ingest import ingest
from surveybrief.clean.panel_key import fingerprint, panel_key
from surveybrief.clean.skips import comment_counts, skip_counts
from surveybrief.clean.validate import ValidationResult, validate_wave
from surveybrief.config import (
    ROW_COLUMN,
    clean_report_file,
    list_waves,
    processed_dir,
    processed_file,
    raw_dir,
)
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, load_codebook
from surveybrief.inputs.digest import wave_inputs_digest
from surveybrief.inputs.wave import Wave, links_panel, load_wave
from surveybrief.writers import write_csv_atomic, write_json_atomic, write_parquet_atomic

QUARANTINE_FILE = "quarantine.csv"
#: The processed data's column of panel ids (a panel wave only: ``clean.panel_key``).
PANEL_ID = "panel_id"


@dataclass(frozen=True)
class CleanResult:
    """What cleaning produced, for display and for the methodology box."""

    responses: pd.DataFrame
    validation: ValidationResult
    excluded: pd.DataFrame
    n_rows_read: int
    skipped: pd.DataFrame
    #: The platform that wrote the export, the CSV separator, and decisions taken reading it.
    platform: str = "generic"
    delimiter: str | None = None
    decisions: tuple[dict, ...] = ()

    @property
    def quarantine(self) -> pd.DataFrame:
        """Return every row set aside: excluded on purpose, then invalid, by row."""
        frames = [f for f in (self.excluded, self.validation.quarantine) if len(f)]
        if not frames:
            return self.validation.quarantine
        merged = pd.concat(frames, ignore_index=True)
        return merged.sort_values(["row", "column"], kind="stable").reset_index(drop=True)

    @property
    def report(self) -> dict:
        """Return counts for the manifest and the briefing."""
        return {
            "n_rows_read": self.n_rows_read,
            "n_rows_valid": len(self.responses),
            "n_rows_excluded": len(self.excluded),
            "n_rows_quarantined": self.validation.n_invalid_rows,
            "n_problems": len(self.validation.quarantine),
            "skipped": skip_counts(self.skipped, self.validation.valid[ROW_COLUMN]),
            "platform": self.platform,
            "delimiter": self.delimiter,
            "decisions": list(self.decisions),
        }


def type_responses(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Return the processed frame: codes as text; ticks 0/1 and ranks Int8; ratings Int64."""
    typed = {"respondent_id": frame["respondent_id"].astype("string")}
    for q in codebook.questions:
        for column in q.columns:
            values = frame[column]
            if q.kind.per_option and column in q.option_columns:
                typed[column] = values.astype("Int8")
            elif q.kind.ordered:
                typed[column] = values.astype("Int64")
            else:
                typed[column] = values.astype("string")
    return pd.DataFrame(typed)


def clean_wave(wave: Wave, codebook: Codebook, key: bytes | None = None) -> CleanResult:
    """Ingest and validate ``wave``; stop if invalid rows exceed the wave's threshold.

    ``key``: the panel key (``clean.panel_key``) of a wave that links its experts.
    """
    if wave.codebook_version != codebook.version:
        raise InputError(
            "wave needs another codebook version",
            file=wave.path,
            column="codebook_version",
            value=wave.codebook_version,
            expected=f"version {codebook.version} (data/codebook)",
        )
    ingested = ingest(wave, codebook, key)
    frame = ingested.frame
    n_read = len(frame) + len(ingested.excluded)
    if n_read == 0:
        raise InputError("export has a header but no responses", file=wave.export_path)
    if frame.empty:
        raise InputError(
            f"all {n_read} rows were excluded (see the reasons in quarantine.csv); first: "
            f"{ingested.excluded['reason'].iloc[0]}",
            file=wave.export_path,
            row=int(ingested.excluded["row"].iloc[0]),
        )
    result = validate_wave(frame, codebook)
    share = result.n_invalid_rows / len(frame)
    if share > wave.max_invalid_share:
        first = result.quarantine.iloc[0]
        raise InputError(
            f"{result.n_invalid_rows} of {len(frame)} rows are invalid ({share:.0%}), more than "
            f"max_invalid_share {wave.max_invalid_share:.0%} in wave.yaml; first: "
            f"{first['reason']}",
            file=wave.export_path,
            row=int(first["row"]),
            column=str(first["column"]),
            value=first["value"],
        )
    responses = type_responses(result.valid.drop(columns=[ROW_COLUMN]), codebook)
    if ingested.panel_ids is not None:
        rows = result.valid[ROW_COLUMN]
        responses.insert(1, PANEL_ID, rows.map(ingested.panel_ids).astype("string"))
        _check_once_each(responses, rows, wave)
    return CleanResult(
        responses=responses,
        validation=result,
        excluded=ingested.excluded,
        n_rows_read=n_read,
        skipped=ingested.skipped,
        platform=ingested.platform,
        delimiter=ingested.delimiter,
        decisions=tuple(ingested.decisions),
    )


def _check_once_each(responses: pd.DataFrame, rows: pd.Series, wave: Wave) -> None:
    """Refuse a panel member who answered twice under two respondent ids (one link, two rows)."""
    ids = responses[PANEL_ID]
    twice = ids.notna() & ids.duplicated(keep=False)
    if twice.any():
        found = rows[twice.to_numpy()].tolist()
        raise InputError(
            f"{len(found)} rows share one panel member's link (the same expert twice)",
            file=wave.export_path, row=int(found[0]), column=wave.panel_link,
            value=f"rows {', '.join(map(str, found[:10]))}",
            expected="one response per expert: leave the extra submission out "
            "(export.exclude_rows) or correct the link column",
        )  # fmt: skip


def question_bases(responses: pd.DataFrame, codebook: Codebook) -> dict[str, int]:
    """Return, per question, how many respondents answered it (any option, for multi-select)."""
    return {
        q.id: int(responses[q.option_columns].notna().any(axis=1).sum()) for q in codebook.questions
    }


def run_clean(
    data_root: Path,
    wave_id: str,
    run_dir: Path,
    quarantine_dir: Path | None = None,
    key: bytes | None = None,
) -> CleanResult:
    """Clean one wave; write the processed data into ``run_dir``, the quarantine and a report.

    The quarantine goes to ``quarantine_dir`` (default ``run_dir``: the run's folder for the
    wave being briefed; the processed folder for an earlier wave that the trends read).
    ``key``: the run's panel key (taken for the wave being briefed), if the wave links.
    """
    wave = load_wave(data_root, wave_id)
    codebook = load_codebook(data_root, wave.codebook_version)
    if wave.panel_link and key is None:
        key = panel_key(wave_id)
    key = key if wave.panel_link else None
    result = clean_wave(wave, codebook, key)
    write_parquet_atomic(processed_file(run_dir, wave_id), result.responses)
    write_csv_atomic(Path(quarantine_dir or run_dir) / QUARANTINE_FILE, result.quarantine)
    report = result.report | {
        "panel": _panel_report(result.responses, key),
        "bases": question_bases(result.responses, codebook),
        "comments": comment_counts(result.responses, codebook),
        "inputs_sha256": wave_inputs_digest(raw_dir(data_root, wave_id), codebook.path),
    }
    write_json_atomic(clean_report_file(run_dir, wave_id), report)
    return result


def _panel_report(responses: pd.DataFrame, key: bytes | None) -> dict | None:
    """Return how many respondents the panel links, and which key (its fingerprint) did it."""
    if key is None:
        return None
    ids = responses[PANEL_ID]
    return {"linked": int(ids.notna().sum()), "unlinked": int(ids.isna().sum()),
            "key": fingerprint(key)}  # fmt: skip


def run_clean_all(data_root: Path, wave_id: str, run_dir: Path) -> dict[str, CleanResult]:
    """Clean ``wave_id`` and every earlier wave (the trends read them); return each result.

    Every wave the run reads is cleaned here once, so nothing downstream calls the cleaner.
    """
    waves = [w for w in list_waves(data_root) if w <= wave_id]
    key = panel_key(wave_id) if links_panel(data_root, wave_id) else None  # one for the run
    results = {}
    for other in waves[:-1]:
        results[other] = _clean_earlier(data_root, other, wave_id, run_dir, key)
    results[wave_id] = run_clean(data_root, wave_id, run_dir, key=key)
    return results


def _clean_earlier(
    data_root: Path, earlier: str, wave_id: str, run_dir: Path, key: bytes | None
) -> CleanResult:
    """Clean an earlier wave; a broken one stops the run naming it and how to go on."""
    try:
        return run_clean(data_root, earlier, run_dir, processed_dir(run_dir, earlier), key)
    except InputError as exc:
        raise InputError(
            f"earlier wave {earlier}, which the trends compare with {wave_id}, cannot be read: "
            f"{exc.problem}",
            file=exc.file,
            sheet=exc.sheet,
            row=exc.row,
            column=exc.column,
            value=exc.value,
            expected=(f"{exc.expected}. " if exc.expected else "")
            + f"Fix that wave's export or wave.yaml, or leave it out of this run: make "
            f"briefing WAVE={wave_id} LEAVE_OUT={earlier} (surveybrief briefing --leave-out "
            f"{earlier})",
        ) from exc
