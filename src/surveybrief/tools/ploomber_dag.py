"""Build the bench's Ploomber DAG from a job file; print which tasks ran (JSON, last line).

Run by the peers' Python (``.venv-peers``), not the project's: it imports only Ploomber. One
``NotebookRunner`` per notebook run (same notebook, parameters and upstream as the plan), the
``Parallel`` executor with the job's number of processes. Ploomber decides what is up to date
from each task's source and parameters (its product metadata); it does not know the raw data.
"""

import json
import sys
from pathlib import Path


def build(job: dict) -> dict:
    """Build the DAG of ``job``; return the names of the tasks Ploomber executed."""
    from ploomber import DAG
    from ploomber.executors import Parallel
    from ploomber.products import File
    from ploomber.tasks import NotebookRunner

    dag = DAG(executor=Parallel(processes=job["workers"]))
    tasks = {}
    for spec in job["tasks"]:
        tasks[spec["name"]] = NotebookRunner(
            Path(spec["source"]),
            File(spec["product"]),
            dag=dag,
            name=spec["name"],
            params=spec["params"],
            kernelspec_name=job["kernel"],
            static_analysis="disable",
            executor_params={"cwd": job["cwd"], "progress_bar": False},
        )
    for spec in job["tasks"]:
        for upstream in spec["upstream"]:
            tasks[upstream] >> tasks[spec["name"]]
    report = dag.build(force=False, show_progress=False).to_dict()
    rows = list(zip(report.get("name", []), report.get("Ran?", []), strict=True))
    return {
        "executed": [name for name, ran in rows if ran],
        "skipped": [name for name, ran in rows if not ran],
    }


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as handle:
        print(json.dumps(build(json.load(handle))))
