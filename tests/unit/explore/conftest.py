"""A SYNTHETIC data root with two waves of the shipped codebook (profiles answered)."""

from __future__ import annotations

import shutil

import pytest

from surveybrief.config import DATA_DIR
from surveybrief.inputs.codebook import load_codebook
from surveybrief.tools.synthetic import write_wave


@pytest.fixture(scope="session")
def two_waves(tmp_path_factory):
    """Return a data root with SYNTHETIC waves 2026-06 (60) and 2027-06 (80)."""
    root = tmp_path_factory.mktemp("explore") / "data"
    shutil.copytree(DATA_DIR / "codebook", root / "codebook")
    codebook = load_codebook(root, 1)
    write_wave(codebook, root, "2026-06", n=60, seed=1, shape="google_csv")
    write_wave(codebook, root, "2027-06", n=80, seed=2, shape="kobo_csv", drift=0.12)
    return root
