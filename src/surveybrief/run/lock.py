"""One run per wave at a time: an advisory lock on ``outputs/_builds/<wave>.lock``.

The lock is an ``flock`` on the file, so the operating system releases it when its process
ends, however it ends: the lock of a killed run is taken over by the next one, which says so.
The file names the run holding it (process id, start time, host), for the message a second
run gives: it stops, or waits when asked (``--wait``). Local file systems only (as git's and
SQLite's locks, ``flock`` is not reliable over every network file system).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

from surveybrief.exceptions import RunLockedError
from surveybrief.run.builds import BUILDS
from surveybrief.run.manifest import now


def lock_path(outputs_root: Path, wave: str) -> Path:
    """Return the lock file of one wave's runs."""
    return Path(outputs_root) / BUILDS / f"{wave}.lock"


def _holder(fd: int) -> dict:
    """Return what the lock file says of the run that holds (or held) it."""
    os.lseek(fd, 0, os.SEEK_SET)
    text = os.read(fd, 4096).decode("utf-8", errors="replace")
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}


def describe(holder: dict) -> str:
    """Return 'pid 123 on host, started ...' for a holder (or 'unknown' when unreadable)."""
    if not holder:
        return "a run that did not say which"
    return f"pid {holder.get('pid')} on {holder.get('host')}, started {holder.get('started')}"


class RunLock:
    """Hold the lock of one wave's runs for the ``with`` block."""

    def __init__(self, outputs_root: Path, wave: str, wait: bool, log: Callable[[str], None]):
        self.path, self.wave, self.wait, self.log = lock_path(outputs_root, wave), wave, wait, log
        self.fd: int | None = None

    def __enter__(self) -> RunLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            if not self.wait:
                os.close(fd)
                raise RunLockedError(self.wave, describe(holder), self.path) from None
            self.log(f"waiting for the other run of wave {self.wave} ({describe(holder)}) ...")
            fcntl.flock(fd, fcntl.LOCK_EX)
        left = _holder(fd)
        if left:  # a run ends by emptying the file: this one ended without doing so
            self.log(f"taking over the lock of a run that ended unfinished ({describe(left)})")
        mine = {"pid": os.getpid(), "host": socket.gethostname(), "started": now()}
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps(mine).encode("utf-8"))
        self.fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.close(self.fd)  # releases the flock
            self.fd = None
