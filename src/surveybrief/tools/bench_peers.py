"""``make bench``'s peers and set-up: Ploomber, papermill's API in a pool, a fresh clone's set-up.

Measured in the same run as the project's scenarios (``tools.bench``), on the same data copy:
- papermill's Python API in a pool of two processes, stage by stage, then the plain rendering;
- Ploomber (``tools.peers``): a cold build then the plain rendering, its own up-to-date build,
  and what it does when the raw data change but the notebooks do not;
- ``setup_fresh_clone``: ``make setup`` on a fresh clone with empty uv and pip caches.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from surveybrief.config import PROJ_ROOT
from surveybrief.tools import peers
from surveybrief.tools.measure import (
    bench_plan,
    edit_raw,
    plain_pdf_commands,
    plain_render_command,
    run_measured,
    summarise,
)


def _fresh(data: Path, work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)


def papermill_pool(m: dict, data: Path, tmp: Path, repeats: int, say) -> None:
    """Cold runs of papermill's API in a two-process pool, then the plain rendering."""
    work, runs = tmp / "pool", []
    for _ in range(repeats):
        _fresh(data, work)
        command = [sys.executable, "-m", "surveybrief.tools.peers", "pool", str(data), str(work)]
        runs.append(run_measured(command))
    m["papermill_pool"] = summarise(runs)
    say(f"  papermill API, 2-process pool, cold: {m['papermill_pool']['median_seconds']:.1f} s")


def _ploomber_cold_once(plan, data: Path, work: Path) -> tuple[tuple[float, float], Path]:
    _fresh(data, work)
    job = work / "ploomber-job.json"
    job.parent.mkdir(parents=True)
    job.write_text(json.dumps(peers.ploomber_job(plan, data, work)), encoding="utf-8")
    total, peak = run_measured(peers.ploomber_command(job), env=peers.ploomber_env())
    for command in [
        plain_render_command(work / "executed"),
        *plain_pdf_commands(work / "executed"),
    ]:
        seconds, rss = run_measured(command)
        total, peak = total + seconds, max(peak, rss)
    return (total, peak), job


def ploomber(m: dict, data: Path, tmp: Path, repeats: int, say) -> None:
    """Ploomber cold (build + plain rendering), up to date, and after a raw-data change."""
    plan, work = bench_plan(data), tmp / "ploomber"
    peers.ploomber_python()  # its virtual environment, built outside the measurements
    runs = [_ploomber_cold_once(plan, data, work) for _ in range(repeats)]
    m["ploomber_cold"] = summarise([run for run, _job in runs])
    job = runs[-1][1]
    say(f"  Ploomber (Parallel, 2 processes), cold: {m['ploomber_cold']['median_seconds']:.1f} s")
    unchanged = [
        run_measured(peers.ploomber_command(job), env=peers.ploomber_env()) for _ in range(repeats)
    ]
    m["ploomber_unchanged"] = summarise(unchanged)
    say(f"  Ploomber, up-to-date build: {m['ploomber_unchanged']['median_seconds']:.2f} s")
    edit_raw(data, 7)
    report = peers.run_ploomber(plan, data, work, render=False)
    m["ploomber_raw_changed"] = {
        "executed": report["executed"],
        "what_it_did": (
            f"re-executed {len(report['executed'])} of {len(plan.steps)} notebooks"
            if report["executed"]
            else "executed nothing: the briefing stays as it was, from the old data"
        ),
    }
    say(f"  Ploomber, raw data changed: {m['ploomber_raw_changed']['what_it_did']}")


def setup_fresh_clone(m: dict, tmp: Path, say) -> None:
    """Time ``make setup`` on a fresh clone of the project with empty uv and pip caches."""
    clone = tmp / "clone"
    subprocess.run(["git", "clone", "--quiet", str(PROJ_ROOT), str(clone)], check=True)
    cache = tmp / "empty-cache"
    env = os.environ | {
        "UV_CACHE_DIR": str(cache / "uv"),
        "PIP_NO_CACHE_DIR": "1",
        "PIP_CACHE_DIR": str(cache / "pip"),
    }
    env.pop("VIRTUAL_ENV", None)
    seconds, peak = run_measured(["make", "--no-print-directory", "setup"], cwd=clone, env=env)
    m["setup_fresh_clone"] = {"median_seconds": round(seconds, 2), "peak_rss_mb": round(peak, 1)}
    m["setup_fresh_clone_s"] = round(seconds, 2)
    say(f"  make setup on a fresh clone, empty caches: {seconds:.1f} s")
    shutil.rmtree(clone, ignore_errors=True)
    shutil.rmtree(cache, ignore_errors=True)
