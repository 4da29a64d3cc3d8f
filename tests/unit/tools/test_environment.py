"""The lock, its conda mirror and the Pythons it installs on agree."""

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.markers import Marker

from surveybrief.config import PROJ_ROOT
from surveybrief.tools.lockfile import PIN, PYTHONS, read_pins

#: The glibc of each Python's distribution: Debian 12 (2.36), Ubuntu 24.04 (2.39), Debian 13.
PLATFORMS = {"3.11.2": "x86_64-manylinux_2_36", "3.12": "x86_64-manylinux_2_39"}


def lock_pins() -> dict[tuple[str, str], str]:
    """Return the lock's pins as {(name, marker): version}; every line is an exact pin."""
    pins = {}
    for line in (PROJ_ROOT / "requirements.lock").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            match = PIN.match(line.strip())
            assert match, f"requirements.lock: not an exact pin: {line!r}"
            pins[(match["name"].lower(), (match["marker"] or "").strip())] = match["version"]
    return pins


def test_environment_yml_mirrors_the_lock_file():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = {}
    for spec in pip_section:
        match = PIN.match(spec)
        assert match, f"environment.yml: not an exact pin: {spec!r}"
        env_pins[(match["name"].lower(), (match["marker"] or "").strip())] = match["version"]
    assert env_pins == lock_pins()
    assert "python=3.11" in env["dependencies"]


def test_lock_covers_every_top_level_requirement():
    wanted = [
        line.split("#")[0].strip().lower()
        for line in (PROJ_ROOT / "requirements.in").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    names = {name for name, _marker in lock_pins()}
    assert [w for w in wanted if w not in names] == []


def test_a_package_with_several_pins_has_exclusive_markers_for_every_python():
    by_name: dict[str, list[str]] = {}
    for name, marker in lock_pins():
        by_name.setdefault(name, []).append(marker)
    for python in (*PYTHONS, "3.11.4", "3.11.5", "3.13.9"):
        env = {"python_full_version": python, "python_version": ".".join(python.split(".")[:2])}
        env |= {"sys_platform": "linux", "platform_python_implementation": "CPython"}
        for name, markers in by_name.items():
            chosen = [m for m in markers if not m or Marker(m).evaluate(env)]
            assert len(chosen) <= 1, (python, name, chosen)
            if len(markers) > 1 and all(m.startswith("python_full_version") for m in markers):
                assert len(chosen) == 1, (python, name)  # a version-split package is never lost
    assert lock_pins()[("soupsieve", "python_full_version < '3.11.5'")]  # Debian 12's 3.11.2


def test_installed_versions_are_the_locked_ones():
    from importlib import metadata

    pins = {name: v for (name, m), v in lock_pins().items() if not m or Marker(m).evaluate()}
    for name in ("pandas", "papermill", "nbconvert", "weasyprint", "matplotlib", "soupsieve"):
        assert metadata.version(name) == pins[name]


def test_read_pins_keeps_markers_and_leaves_pip_out(tmp_path):
    compiled = tmp_path / "compiled.txt"
    compiled.write_text(
        "# header\nPyYAML==6.0.4\n    # via papermill\npip==25.0\n"
        "soupsieve==2.10 ; python_full_version < '3.11.5'\n"
    )
    assert read_pins(compiled) == [
        "pyyaml==6.0.4",
        "soupsieve==2.10 ; python_full_version < '3.11.5'",
    ]


@pytest.mark.parametrize("python", PYTHONS)
def test_every_pin_has_a_wheel_for_each_supported_python(python):
    """Resolve the lock for Linux x86_64 and that Python with wheels only (metadata, no install).

    Needs the package registry, as the set-up does.
    """
    uv = Path(sys.executable).parent / "uv"
    result = subprocess.run(
        [str(uv), "pip", "compile", str(PROJ_ROOT / "requirements.lock"), "--no-deps", "--quiet",
         "--python-version", python,
         "--python-platform", PLATFORMS.get(python, "x86_64-manylinux_2_40"),
         "--only-binary", ":all:", "--no-header", "--no-annotate"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    resolved = {line.split("==")[0] for line in result.stdout.splitlines() if "==" in line}
    assert {"numpy", "pandas", "weasyprint", "pyarrow", "pyreadstat"} <= resolved


def test_the_code_has_no_syntax_newer_than_the_lowest_python():
    pyproject = (PROJ_ROOT / "pyproject.toml").read_text()
    assert 'target-version = "py311"' in pyproject  # ruff flags syntax newer than 3.11
    assert 'requires-python = ">=3.11.2,<3.14"' in pyproject
    ruff = Path(sys.executable).parent / "ruff"
    result = subprocess.run(
        [str(ruff), "check", "--select", "E9", "--target-version", "py311", "src", "tests"],
        cwd=PROJ_ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:]


def test_setup_refuses_a_python_outside_the_supported_range_and_says_which_it_needs(tmp_path):
    old = tmp_path / "python3.10"
    old.write_text(
        '#!/bin/sh\n[ "$1" = -c ] && case "$2" in *platform*) echo 3.10.12; exit 0;; esac\nexit 1\n'
    )
    old.chmod(0o755)
    result = subprocess.run(
        ["bash", str(PROJ_ROOT / ".ci" / "setup"), str(tmp_path / "venv"), str(old)],
        cwd=PROJ_ROOT, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 1
    assert "needs Python 3.11.2 to 3.13; found" in result.stderr and "3.10.12" in result.stderr
    assert "make PYTHON=/path/to/python3.1x" in result.stderr
    assert not (tmp_path / "venv").exists()  # nothing half made
