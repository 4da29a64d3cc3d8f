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
