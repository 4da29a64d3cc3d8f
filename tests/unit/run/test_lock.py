"""One run per wave: a second run is told which run holds the lock; a dead run's lock is taken."""

import json
import multiprocessing
import os
import signal
import time

import pytest

from surveybrief.exceptions import RunLockedError
from surveybrief.run.lock import RunLock, lock_path

WAVE = "2030-01"


def _hold(root, ready, seconds):
    with RunLock(root, WAVE, wait=False, log=lambda line: None):
        ready.set()
        time.sleep(seconds)


@pytest.fixture
def holder(tmp_path):
    ready = multiprocessing.get_context("fork").Event()
    process = multiprocessing.get_context("fork").Process(target=_hold, args=(tmp_path, ready, 30))
    process.start()
    assert ready.wait(20)
    yield process
    if process.is_alive():
        process.kill()
    process.join()


def test_a_second_run_stops_naming_the_run_that_holds_the_lock(tmp_path, holder):
    with (
        pytest.raises(RunLockedError) as err,
        RunLock(tmp_path, WAVE, wait=False, log=lambda line: None),
    ):
        pass
    message = str(err.value)
    assert f"pid {holder.pid}" in message and "started" in message and "--wait" in message


def test_a_waiting_run_starts_when_the_other_ends(tmp_path, holder):
    import threading

    lines = []
    ending = threading.Timer(1.0, os.kill, (holder.pid, signal.SIGTERM))  # while this one waits
    ending.start()
    with RunLock(tmp_path, WAVE, wait=True, log=lines.append):
        holder.join(5)
        assert holder.exitcode is not None  # it got the lock only once the other had ended
        mine = json.loads(lock_path(tmp_path, WAVE).read_text())
    ending.join()
    assert mine["pid"] == os.getpid()
    assert any(
        "waiting for the other run" in line and f"pid {holder.pid}" in line for line in lines
    )


def test_the_lock_of_a_killed_run_is_taken_over_and_said(tmp_path, holder):
    os.kill(holder.pid, signal.SIGKILL)
    holder.join()
    lines = []
    with RunLock(tmp_path, WAVE, wait=False, log=lines.append):
        pass
    assert any(f"pid {holder.pid}" in line and "taking over" in line for line in lines)
    assert lock_path(tmp_path, WAVE).read_text() == ""  # a run that ends empties it
