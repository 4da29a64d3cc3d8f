"""Write requirements.lock and its conda mirror environment.yml from one resolution.

The lock is resolved once (``make lock``: ``uv pip compile --universal`` for the lowest Python
the project supports) into exact pins for every Python from 3.11.2 to 3.13; where the newest
release of a package does not support them all, it has one pin per range of Pythons, with an
environment marker (``soupsieve==2.10 ; python_full_version < '3.11.5'``). pip and uv both
install the pin whose marker holds.
"""

from __future__ import annotations

import re
from pathlib import Path

from surveybrief.config import PROJ_ROOT

#: The Pythons the lock is resolved and checked for (README "Requirements").
PYTHONS = ("3.11.2", "3.12", "3.13")
#: An exact pin, with an optional environment marker.
PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-\[\]]+)==(?P<version>[^\s;#]+)(\s*;\s*(?P<marker>.+))?$")

LOCK_HEADER = (
    "# Exact pins for Python 3.11.2 to 3.13, resolved from requirements.in with 'make lock'\n"
    "# (uv pip compile --universal --python-version 3.11.2): a package whose newest release does\n"
    "# not support every one of these Pythons has a pin per range, with its marker.\n"
    "# environment.yml mirrors these pins (tests/unit/tools/test_environment.py checks it).\n"
)
ENV_HEADER = (
    "# Conda environment mirroring requirements.lock (same exact pins; a test checks they agree).\n"
    "# Regenerate both with `make lock`.\n"
    "name: surveybrief\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - pip\n"
    "  - pip:\n"
)


def read_pins(compiled_file: Path) -> list[str]:
    """Return the pins of a compiled requirements file (``name==version[ ; marker]``), sorted.

    pip itself is left out: it comes with the virtual environment.
    """
    lines = Path(compiled_file).read_text(encoding="utf-8").splitlines()
    pins = []
    for line in lines:
        line = line.split("  #")[0].strip()
        match = PIN.match(line)
        if match and match["name"].lower() != "pip":
            marker = f" ; {match['marker'].strip()}" if match["marker"] else ""
            pins.append(f"{match['name'].lower()}=={match['version']}{marker}")
    return sorted(pins, key=lambda pin: (pin.split("==")[0], pin))


def write_lock_files(compiled_file: str | Path, root: Path = PROJ_ROOT) -> None:
    """Write requirements.lock and environment.yml with the pins of ``compiled_file``."""
    pins = read_pins(Path(compiled_file))
    (root / "requirements.lock").write_text(LOCK_HEADER + "\n".join(pins) + "\n", encoding="utf-8")
    body = "".join(f'      - "{pin}"\n' if ";" in pin else f"      - {pin}\n" for pin in pins)
    tail = "      # the project package itself: run `pip install -e .` or put src/ on the path\n"
    (root / "environment.yml").write_text(ENV_HEADER + body + tail, encoding="utf-8")
