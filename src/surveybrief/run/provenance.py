"""Provenance of a run: input hashes, package versions, git commit; the manifest's content."""

from __future__ import annotations

import subprocess
from contextlib import suppress
from functools import lru_cache
from pathlib import Path

from surveybrief.config import PROJ_ROOT
from surveybrief.inputs.digest import sha256_file

__all__ = ["KEY_PACKAGES", "git_state", "package_versions", "sha256_file"]

#: Packages named in the briefing's provenance table (the manifest lists every installed one).
KEY_PACKAGES = (
    "pandas",
    "numpy",
    "matplotlib",
    "seaborn",
    "papermill",
    "nbconvert",
    "weasyprint",
    "pandera",
    "pyarrow",
    "jupyterlab",
)


def package_versions(names: tuple[str, ...] | None = None) -> dict[str, str]:
    """Return installed versions of ``names`` (all installed distributions if None).

    Read from the dist-info folder names as :func:`installed_distributions`; a name without
    one (an older kind of install) from its metadata.
    """
    installed = installed_distributions()
    if names is None:
        return dict(installed)
    versions = {}
    for name in names:
        versions[name] = installed.get(name) or _metadata_version(name)
    return versions


def _metadata_version(name: str) -> str:
    """Return the version a distribution's metadata gives, or "not installed"."""
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def installed_distributions() -> dict[str, str]:
    """Return {name: version} of every installed distribution, from the dist-info folder names.

    The names of ``<name>-<version>.dist-info`` folders on ``sys.path`` say both: no metadata
    file is read (reading ~150 of them was half of a run with nothing to do). Read once per
    state of those folders: an install or removal adds or removes a dist-info folder, which
    changes its folder's modification time, so a long-lived process (``make preview``) never
    keys its steps on versions since replaced.
    """
    import sys

    folders = []
    for entry in sys.path:
        folder = Path(entry or ".")
        with suppress(OSError):
            folders.append((str(folder), folder.stat().st_mtime_ns))
    return dict(_distributions(tuple(folders)))


@lru_cache(maxsize=4)
def _distributions(folders: tuple[tuple[str, int], ...]) -> tuple[tuple[str, str], ...]:
    """Return (name, version) of the dist-info folders in ``folders`` (path, mtime), sorted."""
    found: dict[str, str] = {}
    for entry, _mtime in folders:
        folder = Path(entry)
        if folder.is_dir():
            for info in folder.glob("*.dist-info"):
                name, _sep, version = info.name[: -len(".dist-info")].rpartition("-")
                found.setdefault(name.lower().replace("_", "-"), version)
    return tuple(sorted(found.items()))


def git_state(root: Path = PROJ_ROOT) -> dict[str, object]:
    """Return the commit of the project checkout and whether tracked files differ from it."""

    def start(*args: str) -> subprocess.Popen | None:
        """Start ``git args`` in ``root`` without waiting; None where git cannot start."""
        try:
            return subprocess.Popen(["git", *args], cwd=root, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)  # fmt: skip
        except OSError:
            return None

    def answer(process: subprocess.Popen | None) -> str | None:
        """Return what the git command printed, or None if it failed or hung (10 s)."""
        if process is None:
            return None
        try:
            out, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            return None
        return out.strip() if process.returncode == 0 else None

    head, state = start("rev-parse", "HEAD"), start("status", "--porcelain", "--untracked-files=no")
    commit, status = answer(head), answer(state)  # asked side by side: one wait, not two
    return {"commit": commit or "unknown", "is_dirty": bool(status) if status is not None else None}
