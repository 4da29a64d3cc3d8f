"""Shared fixtures: the project's data root, a writable copy, and the cleaned 2025-06 wave."""

from __future__ import annotations

from pathlib import Path

import pytest

from surveybrief.config import DATA_DIR
from tests.helpers import WAVE, copy_data_root


@pytest.fixture(scope="session")
def data_root() -> Path:
    """The committed data root (read only: tests never write under it)."""
    return DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the data root for one test."""
    return copy_data_root(tmp_path / "data")


@pytest.fixture(scope="session")
def cleaned_root(tmp_path_factory) -> Path:
    """A copy of the data root whose 2025-06 wave was cleaned once for the session.

    Tests read it; a test that writes must use ``data_copy``. The processed data are in
    ``cleaned_outputs``.
    """
    return copy_data_root(tmp_path_factory.mktemp("cleaned") / "data")


@pytest.fixture(scope="session")
def cleaned_outputs(cleaned_root, tmp_path_factory) -> Path:
    """An outputs root where 00_clean left the cleaned 2025-06 wave (processed/, by 2025-06/)."""
    from surveybrief.clean.cleaner import run_clean

    outputs = tmp_path_factory.mktemp("cleaned-out")
    run_clean(cleaned_root, WAVE, outputs / WAVE)
    return outputs


@pytest.fixture(scope="session")
def cleaned_2025(cleaned_root, cleaned_outputs):
    """The cleaned 2025-06 wave: codebook, wave.yaml, responses, published figures."""
    from surveybrief.clean.processed import load_cleaned_wave

    return load_cleaned_wave(cleaned_root, cleaned_outputs / WAVE, WAVE)
