"""The benchmark's peers: papermill's Python API in a process pool, and Ploomber.

Both run the plan's notebooks with the plan's parameters and dependencies, two at a time, then
the same plain rendering as the baseline (``jupyter nbconvert --no-input`` per executed
notebook, the ``weasyprint`` command per page). Ploomber runs in a virtual environment of its own
(``.venv-peers``, pins in ``requirements-peers.lock``: Ploomber with the project's pins), built
by the bench and byte-compiled as the project's own; it orchestrates, the notebooks run in the
project's kernel. Its DAG is one ``NotebookRunner`` per notebook run and its ``Parallel``
executor with two processes (``ploomber_dag.py``, a script that imports only Ploomber).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from surveybrief.config import KERNEL_NAME, NOTEBOOKS_DIR, PROJ_ROOT
from surveybrief.tools.measure import BIN, plain_parameters, plain_render

PEERS_VENV = PROJ_ROOT / ".venv-peers"
PEERS_LOCK = PROJ_ROOT / "requirements-peers.lock"
#: Heads the stamp: a ``.venv-peers`` built before its packages were byte-compiled is rebuilt.
PEERS_STAMP = "# byte-compiled at install, as the project's .venv (.ci/setup)\n"
PLOOMBER_SCRIPT = Path(__file__).with_name("ploomber_dag.py")
WORKERS = 2


def _execute(job: tuple) -> str:
    import papermill

    path, output, params = job
    papermill.execute_notebook(
        path, output, parameters=params, kernel_name=KERNEL_NAME, cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )  # fmt: skip
    return output


def run_pool(plan, data: Path, work: Path) -> None:
    """Run the plan stage by stage in a pool of two processes (papermill's API), then render."""
    executed = work / "executed"
    executed.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(WORKERS) as pool:
        for stage in plan.stages():
            jobs = [
                (str(s.path), str(executed / s.executed_name), plain_parameters(s, data, work))
                for s in stage
            ]
            list(pool.map(_execute, jobs))
    plain_render(executed)


def ploomber_job(plan, data: Path, work: Path) -> dict:
    """Return what ``ploomber_dag.py`` builds its DAG from: tasks, their upstream and paths."""
    return {
        "kernel": KERNEL_NAME,
        "cwd": str(NOTEBOOKS_DIR),
        "workers": WORKERS,
        "tasks": [
            {
                "name": s.name,
                "source": str(s.path),
                "product": str(work / "executed" / s.executed_name),
                "params": plain_parameters(s, data, work),
                "upstream": plan.needs(s),
            }
            for s in plan.steps
        ],
    }


def ploomber_python() -> Path:
    """Return the peers' Python, building ``.venv-peers`` from its lock when it is missing."""
    python = PEERS_VENV / "bin" / "python"
    stamp = PEERS_VENV / ".installed"
    if stamp.is_file() and stamp.read_text() == PEERS_STAMP + PEERS_LOCK.read_text():
        return python
    uv = BIN / "uv"
    subprocess.run([str(uv), "venv", "--quiet", "--clear", "--python", sys.executable,
                    str(PEERS_VENV)], check=True)  # fmt: skip
    subprocess.run(
        [str(uv), "pip", "install", "--quiet", "--compile-bytecode", "--python", str(python),
         "-r", str(PEERS_LOCK)],
        check=True,
    )  # fmt: skip
    stamp.write_text(PEERS_STAMP + PEERS_LOCK.read_text())
    return python


def ploomber_command(job_file: Path) -> list[str]:
    """Return the command that builds the Ploomber DAG of ``job_file`` (``ploomber_dag.py``)."""
    return [str(ploomber_python()), str(PLOOMBER_SCRIPT), str(job_file)]


def ploomber_env() -> dict[str, str]:
    """Return the environment of Ploomber's runs: the project's kernel visible, no telemetry."""
    kernels = str(Path(sys.prefix) / "share" / "jupyter")  # make setup installs it --sys-prefix
    path = os.pathsep.join(p for p in (kernels, os.environ.get("JUPYTER_PATH", "")) if p)
    return os.environ | {
        "JUPYTER_PATH": path,
        "PLOOMBER_STATS_ENABLED": "false",
        "PLOOMBER_VERSION_CHECK_DISABLED": "true",
    }


def run_ploomber(plan, data: Path, work: Path, render: bool = True) -> dict:
    """Build the DAG with Ploomber (its own up-to-date checks), then render; return its report."""
    job_file = work / "ploomber-job.json"
    job_file.parent.mkdir(parents=True, exist_ok=True)
    job_file.write_text(json.dumps(ploomber_job(plan, data, work)), encoding="utf-8")
    result = subprocess.run(ploomber_command(job_file), env=ploomber_env(), capture_output=True,
                            text=True, check=False)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"ploomber build failed: {result.stderr[-2000:]}")
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if render and report["executed"]:
        plain_render(work / "executed")
    return report


def main(argv: list[str]) -> int:
    """``python -m surveybrief.tools.peers pool|ploomber DATA WORK``: one measured peer run."""
    from surveybrief.tools.measure import bench_plan

    kind, data, work = argv[0], Path(argv[1]), Path(argv[2])
    plan = bench_plan(data)
    if kind == "pool":
        run_pool(plan, data, work)
    else:
        print(json.dumps(run_ploomber(plan, data, work)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
