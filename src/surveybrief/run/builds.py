"""A wave's published results, and the folder where a run builds the next ones.

``outputs/<wave>`` is a link to the complete result of the last successful run, kept in
``outputs/_builds/<wave>/<run id>/<wave>/``. A run builds its whole result (tables, figures,
executed notebooks, processed data, workbook, documents, manifest) in a new folder there and,
once everything is written, points the link at it with one rename (a new link made beside the
old one, renamed over it): a reader sees the previous complete set or the new one, never a mix.
Folders of runs that were interrupted or failed are removed by the next run of the wave (under
its lock), as is the previous result once the link no longer points at it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from surveybrief.config import coding_output_dir, wave_output_dir

#: The folder of every wave's builds, under the outputs root.
BUILDS = "_builds"
#: The file a build's cache records are in (``run.cache`` writes it).
CACHE_RECORD = ".cache.json"


def _fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (POSIX: sync the directory)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(path: Path) -> None:
    """Remove a file, link or folder, whatever it is; a missing one is fine."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.exists():
        shutil.rmtree(path, ignore_errors=True)


@dataclass(frozen=True)
class Builds:
    """The builds of one wave under one outputs root."""

    outputs_root: Path
    wave: str

    @property
    def link(self) -> Path:
        """Return ``outputs/<wave>``: what readers open."""
        return wave_output_dir(self.outputs_root, self.wave)

    @property
    def folder(self) -> Path:
        """Return the folder holding the wave's builds."""
        return Path(self.outputs_root) / BUILDS / self.wave

    def current(self) -> Path | None:
        """Return the published result (a plain folder from before builds counts), or None."""
        if self.link.is_symlink():
            target = self.link.resolve()
            return target if target.is_dir() else None
        return self.link if self.link.is_dir() else None

    def _current_run(self) -> Path | None:
        """Return the run folder of the published build (None: none, or a plain folder)."""
        current = self.current()
        if current is None or current == self.link:
            return None
        return current.parent

    def clean(self) -> Path | None:
        """Remove what earlier runs left, but the newest unpublished build with a cache record.

        That one (of a run that failed or was interrupted after some steps) is returned: the
        next run reuses from it what verifies, and removes it when it publishes. Half-made
        links and builds without a record go at once.
        """
        current = self._current_run()
        found = self.folder.glob("*") if self.folder.is_dir() else []
        others = sorted(p for p in found if p != current)
        recorded = [p for p in others if (p / self.wave / CACHE_RECORD).is_file()]
        kept = recorded[-1] if recorded else None  # run ids sort by start time
        for path in [*others, *Path(self.outputs_root).glob(f".{self.wave}.link-*")]:
            if path != kept:
                _remove(path)
        return kept / self.wave if kept is not None else None

    def start(self) -> Path:
        """Create a new run's folder and return its ``<wave>`` folder (where the run writes)."""
        run_id = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f") + f"-{os.getpid()}"
        staging = self.folder / run_id / self.wave
        staging.mkdir(parents=True)
        return staging

    def publish(self, staging: Path) -> None:
        """Point ``outputs/<wave>`` at ``staging`` with one rename; remove the previous build."""
        if self.link.is_dir() and not self.link.is_symlink():  # a folder from before builds
            self._keep_coding_workbooks()
            os.replace(self.link, self.folder / f"before-builds-{os.getpid()}")
        new_link = Path(self.outputs_root) / f".{self.wave}.link-{os.getpid()}"
        _remove(new_link)
        os.symlink(os.path.relpath(staging, Path(self.outputs_root)), new_link)
        os.replace(new_link, self.link)
        _fsync_dir(Path(self.outputs_root))
        for left in self.folder.glob("*"):  # the previous build, and any a failed run left
            if left != staging.parent:
                _remove(left)

    def _keep_coding_workbooks(self) -> None:
        """Move coding workbooks an earlier version wrote into the plain folder to their place.

        They may be half coded by now: never removed with the folder.
        """
        old = self.link / "coding"
        if old.is_dir():
            target = coding_output_dir(self.outputs_root, self.wave)
            if target.exists():
                target = target.with_name(f"{target.name}.before-builds-{os.getpid()}")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, target)

    def discard(self, staging: Path) -> None:
        """Remove a run's folder that will not be published."""
        _remove(staging.parent)
