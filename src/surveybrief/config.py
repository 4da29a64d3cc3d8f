"""Paths and constants, from one place.

Every path the package uses is derived here, so notebooks, tests and the runner agree on them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJ_ROOT = PACKAGE_DIR.parents[1]
DATA_DIR = PROJ_ROOT / "data"
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
OUTPUTS_DIR = PROJ_ROOT / "outputs"
#: Files for one person only (a Delphi round's feedback sheets): never under the outputs.
PRIVATE_DIR = PROJ_ROOT / "private"
TEMPLATES_DIR = PACKAGE_DIR / "brief" / "templates"

KERNEL_NAME = "surveybrief"
CODEBOOK_PATTERN = re.compile(r"^v(\d+)\.yaml$")
WAVE_FILE = "wave.yaml"
#: The declared pipeline, in the notebooks folder.
PLAN_FILE = "pipeline.yaml"

#: Bases below this are flagged as small; no comparative claims are made on them.
SMALL_BASE_N = 30
#: Confidence level of every interval in the briefing.
CONFIDENCE = 0.95
#: Code for "answered, but the answer is not reported by the source" (reconstructed waves only).
NOT_REPORTED_CODE = "not_reported"

#: Column holding each row's number in the export file (header row = 1), kept through cleaning.
ROW_COLUMN = "_row"

WAVE_ID_PATTERN = re.compile(r"^\d{4}-\d{2}$")


def codebook_dir(data_root: Path) -> Path:
    """Return the folder of the codebook versions."""
    return Path(data_root) / "codebook"


def published_dir(data_root: Path) -> Path:
    """Return the folder of the published figures, one file per wave."""
    return Path(data_root) / "published"


def raw_root(data_root: Path) -> Path:
    """Return the folder of the immutable raw waves."""
    return Path(data_root) / "raw"


def codebook_path(data_root: Path, version: int) -> Path:
    """Return the file of one codebook version (``codebook/v<version>.yaml``)."""
    return codebook_dir(data_root) / f"v{version}.yaml"


def codebook_versions(data_root: Path) -> list[int]:
    """Return the codebook versions under a data root, oldest first."""
    folder = codebook_dir(data_root)
    if not folder.is_dir():
        return []
    found = (CODEBOOK_PATTERN.match(p.name) for p in folder.iterdir())
    return sorted(int(m[1]) for m in found if m)


def published_path(data_root: Path, wave: str) -> Path:
    """Return the published-figures file of a wave."""
    return published_dir(data_root) / f"{wave}.yaml"


def raw_dir(data_root: Path, wave: str) -> Path:
    """Return the immutable raw folder of a wave."""
    return raw_root(data_root) / wave


def coding_dir(data_root: Path, wave: str) -> Path:
    """Return the folder of a wave's returned coding workbooks (input: never written by a run)."""
    return Path(data_root) / "coding" / wave


def coding_output_dir(outputs_root: Path, wave: str) -> Path:
    """Return the folder ``make coding`` writes a wave's coding workbooks to (outside runs)."""
    return Path(outputs_root) / "coding" / wave


def processed_dir(run_dir: Path, wave: str) -> Path:
    """Return the folder of a cleaned wave, beside the output folder of the run that cleaned it.

    Each run keeps the processed data it made (of the wave it briefs and of every earlier wave
    its trends read) with its other results: two output roots never share them, the data root
    is only read, and the run's cache verifies them like any other product. Beside, not inside:
    ``outputs/<wave>`` is what people share, and respondent-level data are not for sharing
    (``outputs/_builds/<wave>/<run>/processed/``; a notebook run by hand on a plain folder:
    ``outputs/processed/``). Links are followed, so ``outputs/<wave>`` finds its build's.
    """
    return Path(run_dir).resolve().parent / "processed" / wave


def wave_output_dir(outputs_root: Path, wave: str) -> Path:
    """Return the output folder of one wave's run."""
    return Path(outputs_root) / wave


def processed_file(run_dir: Path, wave: str) -> Path:
    """Return the cleaned responses of a wave (Parquet, written by 00_clean)."""
    return processed_dir(run_dir, wave) / "responses.parquet"


def clean_report_file(run_dir: Path, wave: str) -> Path:
    """Return the counts of a wave's cleaning (rows read, excluded, set aside; bases)."""
    return processed_dir(run_dir, wave) / "clean_report.json"


def tables_dir(output_dir: Path) -> Path:
    """Return the folder of a run's tables (CSV; each also a sheet of tables.xlsx)."""
    return Path(output_dir) / "tables"


def figures_dir(output_dir: Path) -> Path:
    """Return the folder of a run's charts (SVG and PNG)."""
    return Path(output_dir) / "figures"


def executed_dir(output_dir: Path) -> Path:
    """Return the folder of a run's executed notebooks."""
    return Path(output_dir) / "executed"


#: Waves the analyst leaves out of a run (``--leave-out``, ``make briefing LEAVE_OUT=``),
#: comma-separated. Held in the environment so that every notebook of the run, each in a
#: kernel of its own, lists the same waves; the run's manifest records it.
LEAVE_OUT_VARIABLE = "SURVEYBRIEF_LEAVE_OUT"


def left_out_waves() -> list[str]:
    """Return the waves left out of this run (none unless ``--leave-out`` named some)."""
    text = os.environ.get(LEAVE_OUT_VARIABLE, "")
    return sorted({w.strip() for w in text.split(",") if w.strip()})


def list_waves(data_root: Path) -> list[str]:
    """Return the wave ids under ``raw/`` (folders holding a wave.yaml), oldest first.

    Waves left out of this run (``left_out_waves``) are not listed.
    """
    root = raw_root(data_root)
    if not root.is_dir():
        return []
    left_out = set(left_out_waves())
    return sorted(
        p.name
        for p in root.iterdir()
        if p.is_dir()
        and WAVE_ID_PATTERN.match(p.name)
        and (p / WAVE_FILE).is_file()
        and p.name not in left_out
    )


def latest_wave(data_root: Path) -> str:
    """Return the newest wave id, or raise if the data root holds none."""
    from surveybrief.exceptions import InputError

    waves = list_waves(data_root)
    if not waves:
        raise InputError(
            "no wave found", file=raw_root(data_root), expected="a folder <YYYY-MM>/wave.yaml"
        )
    return waves[-1]


def resolve_wave(data_root: Path, wave: str) -> str:
    """Return ``wave``, or the latest wave under ``data_root`` when it is 'latest' or empty."""
    return latest_wave(data_root) if wave in ("", "latest") else wave
