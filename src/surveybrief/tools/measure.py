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


def run_measured(
    command: list[str], cwd: Path = PROJ_ROOT, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Run ``command``; return (wall seconds, peak RSS in MB of its whole process tree)."""
    import psutil

    start = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
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


def plain_parameters(step, data: Path, work: Path) -> dict[str, str]:
    """Return a step's parameters as the plain route and the peers pass them."""
    base = {"wave": WAVE, "data_root": str(data), "outputs_root": str(work / "outputs")}
    return base | dict(step.parameters)


def baseline_once(data: Path, work: Path, steps: list) -> tuple[float, float]:
    """Run the plain route once: papermill CLI per notebook, nbconvert --no-input, weasyprint.

    ``steps`` are the plan's steps, in order (a notebook run per chapter is run once per chapter).
    """
    if work.exists():
        shutil.rmtree(work)
    executed = work / "executed"
    executed.mkdir(parents=True)
    total, peak = 0.0, 0.0
    for step in steps:
        params = [
            a for name, v in plain_parameters(step, data, work).items() for a in ("-p", name, v)
        ]
        seconds, rss = run_measured(
            [
                str(BIN / "papermill"),
                str(step.path),
                str(executed / step.executed_name),
                *params,
                "-k",
                KERNEL_NAME,
                "--cwd",
                str(NOTEBOOKS_DIR),
                "--no-progress-bar",
            ]
        )
        total, peak = total + seconds, max(peak, rss)
    seconds, rss = run_measured(plain_render_command(executed))
    total, peak = total + seconds, max(peak, rss)
    for command in plain_pdf_commands(executed):
        seconds, rss = run_measured(command)
        total, peak = total + seconds, max(peak, rss)
    return total, peak


def plain_render_command(executed: Path) -> list[str]:
    """Return the plain route's HTML step: ``jupyter nbconvert --no-input`` of every notebook."""
    return [
        str(BIN / "jupyter"),
        "nbconvert",
        "--to",
        "html",
        "--no-input",
        *map(str, sorted(executed.glob("*.ipynb"))),
    ]


def plain_pdf_commands(executed: Path) -> list[list[str]]:
    """Return the plain route's PDF step: the ``weasyprint`` command per HTML page."""
    return [
        [str(BIN / "weasyprint"), str(html), str(html.with_suffix(".pdf"))]
        for html in sorted(executed.glob("*.html"))
    ]


def plain_render(executed: Path) -> None:
    """Render executed notebooks as the plain route does (HTML per notebook, then PDF)."""
    subprocess.run(plain_render_command(executed), check=True, capture_output=True)
    for command in plain_pdf_commands(executed):
        subprocess.run(command, check=True, capture_output=True)


def bench_plan(data: Path):
    """Return the plan of the bench's wave (the 2025-06 wave: codebook v1, published figures)."""
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.run.plan import load_plan

    book = load_codebook(data, 1)
    return load_plan(
        NOTEBOOKS_DIR,
        has_earlier_waves=False,
        has_published=True,
        chapters=[s.id for s in book.chapters],
        open_questions=[t.id for t in book.open_targets],
    )


def edit_raw(data: Path, row: int) -> None:
    """Change one answer of the raw export and register the new file's sha256."""
    import re

    from surveybrief.inputs.digest import sha256_file

    export = data / "raw" / WAVE / "responses.csv"
    lines = export.read_text(encoding="utf-8").split("\n")
    cells = lines[row].split(",")
    kz = lines[0].split(",").index("kz_moderator")
    cells[kz] = "partial_economic" if cells[kz] != "partial_economic" else "leading_moderator"
    lines[row] = ",".join(cells)
    export.write_text("\n".join(lines), encoding="utf-8")
    wave_yaml = data / "raw" / WAVE / "wave.yaml"
    text = re.sub(
        r"(?m)^  sha256: .*$",
        f"  sha256: {sha256_file(export)}",
        wave_yaml.read_text(encoding="utf-8"),
    )
    wave_yaml.write_text(text, encoding="utf-8")
