"""Shared fixtures: the project's data root, and a writable copy of it for runs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from surveybrief.config import DATA_DIR, PROJ_ROOT

SEED_DIR = PROJ_ROOT.parent / "shared" / "seed"


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The committed data root (read only: tests never write under it)."""
    return DATA_DIR


def copy_data_root(target: Path) -> Path:
    """Copy codebook, published figures and raw waves (not processed) to ``target``."""
    for name in ("codebook", "published", "raw"):
        shutil.copytree(DATA_DIR / name, target / name)
    return target


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the data root for one test."""
    return copy_data_root(tmp_path / "data")


def register_export(data_root: Path, wave: str) -> None:
    """Record the current sha256 of a wave's export in its wave.yaml (after a test edits it)."""
    import re

    from surveybrief.run.provenance import sha256_file

    path = Path(data_root) / "raw" / wave / "wave.yaml"
    text = path.read_text(encoding="utf-8")
    export = Path(data_root) / "raw" / wave / "responses.csv"
    text = re.sub(r"(?m)^  sha256: .*$", f"  sha256: {sha256_file(export)}", text)
    path.write_text(text, encoding="utf-8")
