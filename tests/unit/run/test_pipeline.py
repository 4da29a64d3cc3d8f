"""Leaving earlier waves out of a run: named, checked, seen by every notebook, recorded."""

from __future__ import annotations

import shutil

import pytest

from surveybrief.config import LEAVE_OUT_VARIABLE, list_waves
from surveybrief.exceptions import InputError
from surveybrief.run.pipeline import leave_out_waves
from tests.helpers import copy_data_root


@pytest.fixture
def three_waves(tmp_path, monkeypatch):
    monkeypatch.delenv(LEAVE_OUT_VARIABLE, raising=False)
    data = copy_data_root(tmp_path / "data")
    for wave in ("2026-01", "2026-06"):
        shutil.copytree(data / "raw" / "2025-06", data / "raw" / wave)
    return data


def test_left_out_waves_are_not_listed_for_any_notebook_of_the_run(three_waves):
    leave_out_waves(three_waves, "2026-06", "2026-01")
    assert list_waves(three_waves) == ["2025-06", "2026-06"]
    leave_out_waves(three_waves, "2026-06", None)  # the next run leaves none out
    assert list_waves(three_waves) == ["2025-06", "2026-01", "2026-06"]


@pytest.mark.parametrize("named", ["2026-06", "2024-01", "2026-01,2027-01"])
def test_only_earlier_waves_of_the_data_root_can_be_left_out(three_waves, named):
    with pytest.raises(InputError, match="not earlier waves of the data root") as err:
        leave_out_waves(three_waves, "2026-06", named)
    assert named.split(",")[-1] in str(err.value)
    assert list_waves(three_waves) == ["2025-06", "2026-01", "2026-06"]


def test_a_ctrl_c_while_publishing_waits_for_it_and_is_said_not_raised():
    """The link is swapped whole; then the run says so instead of "nothing was published"."""
    import os
    import signal

    from surveybrief.run.pipeline import _uninterrupted

    done, said = [], []

    def publish():
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of publishing
        done.append(True)

    _uninterrupted(publish, said.append)  # raises nothing
    assert done == [True] and "published whole first" in said[0]


def test_progress_to_a_reader_gone_away_goes_on_quietly():
    """``make briefing | head -1``: the pipe closes, the run's progress goes on unread."""
    import subprocess
    import sys

    code = "from surveybrief.run.pipeline import _say\nfor i in range(3): _say(str(i))"
    process = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # the reader is gone before the first line
    assert process.wait(timeout=60) == 0
    assert process.stderr.read() == b""
