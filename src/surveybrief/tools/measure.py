"""Measuring commands for the benchmark: wall time and peak memory of a whole process tree.

Also the two routes compared: ``make briefing`` (the project's) and the plain papermill route
(papermill CLI per notebook, ``jupyter nbconvert --no-input``, the ``weasyprint`` command).
"""

from __future__ import annotations

import contextlib
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from surveybrief.config import KERNEL_NAME, NOTEBOOKS_DIR, PROJ_ROOT

WAVE = "2025-06"
BIN = Path(sys.executable).parent


def run_measured(command: list[str], cwd: Path = PROJ_ROOT) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak RSS in MB of its whole process tree)."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            root = psutil.Process(process.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            total = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        total += p.memory_info().rss
            except psutil.Error:
                pass
            peak = max(peak, total / 1e6)
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command[:4])} ... failed: {err[-2000:]}")
    return seconds, peak


def summarise(runs: list[tuple[float, float]]) -> dict:
    """Return the seconds of each run, their median and the largest peak memory."""
    return {
        "seconds": [round(s, 3) for s, _ in runs],
        "median_seconds": round(statistics.median(s for s, _ in runs), 3),
        "peak_rss_mb": round(max(m for _, m in runs), 1),
    }


def briefing_command(
    data: Path, out: Path, notebooks: Path | None = None, extra: tuple[str, ...] = ()
) -> list[str]:
    """Return `make briefing` for a data root and outputs root (the project's own route)."""
    command = ["make", "--no-print-directory", "briefing", f"DATA={data}", f"OUT={out}"]
    if notebooks is not None:
        command.append(f"NOTEBOOKS={notebooks}")
    if extra:
        command.append("ARGS=" + " ".join(extra))
    return command


def baseline_once(data: Path, work: Path, steps: list) -> tuple[float, float]:
    """Run the plain route once: papermill CLI per notebook, nbconvert --no-input, weasyprint.

    ``steps`` are the plan's steps, in order (a notebook run per chapter is run once per chapter).
    """
    if work.exists():
        shutil.rmtree(work)
    executed = work / "executed"
    executed.mkdir(parents=True)
    shutil.rmtree(data / "processed", ignore_errors=True)
    total, peak = 0.0, 0.0
    for step in steps:
        own = [arg for name, value in step.parameters for arg in ("-p", name, value)]
        seconds, rss = run_measured(
            [
                str(BIN / "papermill"),
                str(step.path),
                str(executed / step.executed_name),
                *own,
                "-k",
                KERNEL_NAME,
                "--cwd",
                str(NOTEBOOKS_DIR),
                "-p",
                "wave",
                WAVE,
                "-p",
                "data_root",
                str(data),
                "-p",
                "outputs_root",
                str(work / "outputs"),
                "--no-progress-bar",
            ]
        )
        total, peak = total + seconds, max(peak, rss)
    seconds, rss = run_measured(
        [
            str(BIN / "jupyter"),
            "nbconvert",
            "--to",
            "html",
            "--no-input",
            *map(str, sorted(executed.glob("*.ipynb"))),
        ]
    )
    total, peak = total + seconds, max(peak, rss)
    for html in sorted(executed.glob("*.html")):
        seconds, rss = run_measured(
            [str(BIN / "weasyprint"), str(html), str(html.with_suffix(".pdf"))]
        )
        total, peak = total + seconds, max(peak, rss)
    return total, peak
