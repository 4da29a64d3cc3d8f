"""ruff lints and formats the package, the tests and the notebooks (house style)."""

import subprocess
import sys
from pathlib import Path

import pytest

from surveybrief.config import PROJ_ROOT

RUFF = Path(sys.executable).parent / "ruff"
TARGETS = ["src", "tests", "notebooks"]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["lint", "format"])
def test_ruff_is_clean(command):
    done = subprocess.run(
        [str(RUFF), *command, *TARGETS], cwd=PROJ_ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
