import re

import yaml

from surveybrief.config import PROJ_ROOT

PIN = re.compile(r"^([A-Za-z0-9_.\-\[\]]+)==([^\s;#]+)$")


def lock_pins() -> dict[str, str]:
    pins = {}
    for line in (PROJ_ROOT / "requirements.lock").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            match = PIN.match(line)
            assert match, f"requirements.lock: not an exact pin: {line!r}"
            pins[match[1].lower()] = match[2]
    return pins


def test_environment_yml_mirrors_the_lock_file():
    env = yaml.safe_load((PROJ_ROOT / "environment.yml").read_text())
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    env_pins = {}
    for spec in pip_section:
        match = PIN.match(spec)
        assert match, f"environment.yml: not an exact pin: {spec!r}"
        env_pins[match[1].lower()] = match[2]
    assert env_pins == lock_pins()
    assert "python=3.11" in env["dependencies"]


def test_lock_covers_every_top_level_requirement():
    wanted = [
        line.split("#")[0].strip().lower()
        for line in (PROJ_ROOT / "requirements.in").read_text().splitlines()
        if line.split("#")[0].strip()
    ]
    pins = lock_pins()
    assert [w for w in wanted if w not in pins] == []


def test_installed_versions_are_the_locked_ones():
    from importlib import metadata

    pins = lock_pins()
    for name in ("pandas", "papermill", "nbconvert", "weasyprint", "matplotlib", "jupyterlab"):
        assert metadata.version(name) == pins[name]
