"""Write requirements.lock and its conda mirror environment.yml from one list of pins."""

from __future__ import annotations

from pathlib import Path

from surveybrief.config import PROJ_ROOT

LOCK_HEADER = (
    "# Exact pins for Python 3.11, resolved from requirements.in with 'make lock'.\n"
    "# environment.yml mirrors these pins (tests/unit/tools/test_environment.py checks it).\n"
)
ENV_HEADER = (
    "# Conda environment mirroring requirements.lock (same exact pins; a test checks they agree).\n"
    "# Regenerate both with `make lock`.\n"
    "name: surveybrief\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
    "  - pip:\n"
)


def read_pins(freeze_file: Path) -> list[str]:
    """Return the ``name==version`` lines of a ``pip freeze`` output, sorted case-insensitively."""
    lines = Path(freeze_file).read_text(encoding="utf-8").splitlines()
    pins = [line.strip() for line in lines if "==" in line and not line.startswith("#")]
    pins = [p for p in pins if not p.lower().startswith("pip==")]  # pip comes with the venv
    return sorted(pins, key=str.lower)


def write_lock_files(freeze_file: str | Path, root: Path = PROJ_ROOT) -> None:
    """Write requirements.lock and environment.yml with the pins of ``freeze_file``."""
    pins = read_pins(Path(freeze_file))
    (root / "requirements.lock").write_text(LOCK_HEADER + "\n".join(pins) + "\n", encoding="utf-8")
    body = "".join(f"      - {pin}\n" for pin in pins)
    tail = "      # the project package itself: run `pip install -e .` or put src/ on the path\n"
    (root / "environment.yml").write_text(ENV_HEADER + body + tail, encoding="utf-8")
