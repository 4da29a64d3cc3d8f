"""``make bench``: the project's run against the plain papermill route, side by side, one run.

Every scenario runs several times in this one process (median reported) on a copy of the data in
a temporary folder; peak memory is the largest summed RSS of the whole process tree. Results are
printed as ratios to the baseline and to the floor and written to outputs/bench/results.json
with every measurement and, under ``targets``, each target with its value and whether it holds.
"""

from __future__ import annotations

import compileall
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

from surveybrief.config import DATA_DIR, NOTEBOOKS_DIR, OUTPUTS_DIR, PACKAGE_DIR
from surveybrief.tools import bench_disclosure, bench_explore, bench_peers
from surveybrief.tools.bench_report import format_table, targets
from surveybrief.tools.measure import (
    WAVE,
    baseline_once,
    bench_plan,
    briefing_command,
    edit_raw,
    run_measured,
    summarise,
)
from surveybrief.writers import WRITE_ENV, write_json_atomic

SCALE_SIZES = (50, 10_000, 100_000, 1_000_000)
SCALE_WAVE = "2030-06"
#: Generated panels the disclosure rules are compared on (five breakdowns each).
DISCLOSURE_WAVES = 20


def say(line: str) -> None:
    """Print one progress line at once."""
    print(line, flush=True)


def _statuses(out: Path) -> dict[str, str]:
    manifest = json.loads((out / WAVE / "manifest.json").read_text())
    return {n["name"]: n["status"] for n in manifest["notebooks"]}


def _floor(m: dict, repeats: int, notebooks: int, cores: int) -> None:
    """Measure the floor: one import of what the notebooks import, per notebook, over the cores."""
    runs = [
        run_measured([sys.executable, "-c", "import pandas, seaborn, matplotlib.pyplot"])
        for _ in range(repeats)
    ]
    m["import_one_process"] = summarise(runs)
    m["floor"] = {
        "median_seconds": round(m["import_one_process"]["median_seconds"] * notebooks / cores, 3),
        "definition": f"one import of pandas+seaborn+matplotlib x "
        f"{notebooks} kernels (one per notebook, as papermill runs them) / {cores} cores",
    }


def _cold_and_unchanged(m: dict, data: Path, out: Path, repeats: int, cores: int) -> None:
    """``make briefing`` from nothing, then again with nothing changed."""
    cold = []
    for _ in range(repeats):
        shutil.rmtree(out, ignore_errors=True)
        cold.append(run_measured(briefing_command(data, out)))
    m["cold"] = summarise(cold)
    kernels = len(json.loads((out / WAVE / "manifest.json").read_text())["kernels"])
    m["floor_kernels_started"] = {
        "median_seconds": round(
            m["import_one_process"]["median_seconds"] * kernels / min(cores, kernels), 3
        ),
        "definition": f"one import x the {kernels} kernels the project started / "
        f"{min(cores, kernels)} cores (imports only: no notebook work, no PDF)",
    }
    say(f"  make briefing, cold: {m['cold']['median_seconds']:.1f} s")
    m["unchanged"] = summarise([run_measured(briefing_command(data, out)) for _ in range(repeats)])
    m["unchanged"]["statuses"] = _statuses(out)
    say(f"  make briefing, nothing changed: {m['unchanged']['median_seconds']:.2f} s")
    three = []
    for _ in range(repeats):  # the same cold run in three languages (notebooks run once)
        shutil.rmtree(out, ignore_errors=True)
        three.append(run_measured(briefing_command(data, out, extra=("--langs en,ru,kk",))))
    m["cold_three_languages"] = summarise(three)
    say(
        f"  make briefing LANGS=en,ru,kk, cold: {m['cold_three_languages']['median_seconds']:.1f} s"
    )


def _one_notebook_changed(m: dict, data: Path, out: Path, tmp: Path, repeats: int) -> None:
    """Add an analyst's note to one notebook (90_audit): only it and the briefing should run.

    Chapters share one notebook run per chapter; editing it re-runs every chapter, so the
    scenario edits a notebook that runs once.
    """
    nb_copy = tmp / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, nb_copy)
    run_measured(briefing_command(data, out, nb_copy))  # the copy's first run is the base
    runs = []
    for i in range(repeats):
        path = nb_copy / "90_audit.ipynb"
        doc = json.loads(path.read_text(encoding="utf-8"))
        cell = {"cell_type": "markdown", "id": f"bench-{i}", "metadata": {}}
        doc["cells"].append(cell | {"source": f"Analyst's note {i}."})
        path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
        runs.append(run_measured(briefing_command(data, out, nb_copy)))
    m["one_notebook_changed"] = summarise(runs)
    m["one_notebook_changed"]["statuses"] = _statuses(out)
    seconds = m["one_notebook_changed"]["median_seconds"]
    say(f"  make briefing, one notebook changed: {seconds:.1f} s")


def _raw_changed(m: dict, data: Path, out: Path, repeats: int) -> None:
    """One answer of the raw export changed (and registered): everything should run."""
    runs = []
    for i in range(repeats):
        edit_raw(data, 2 + i)
        runs.append(run_measured(briefing_command(data, out)))
    m["raw_changed"] = summarise(runs)
    m["raw_changed"]["statuses"] = _statuses(out)
    say(f"  make briefing, raw data changed: {m['raw_changed']['median_seconds']:.1f} s")


def _scales(m: dict, tmp: Path, sizes: tuple[int, ...], repeats: int) -> None:
    """Cold runs on SYNTHETIC waves of growing size; a failed size is reported, not fatal."""
    m["scale"] = {}
    for n in sizes:
        try:
            m["scale"][str(n)] = _scale_run(tmp / f"scale-{n}", n, repeats)
        except RuntimeError as exc:  # report, do not lose the other measurements
            m["scale"][str(n)] = {
                "respondents": n,
                "error": str(exc)[-500:],
                "seconds": float("nan"),
                "peak_rss_mb": float("nan"),
            }
        row = m["scale"][str(n)]
        say(f"  scale {n:>9,}: {row['seconds']:.1f} s, peak {row['peak_rss_mb']:.0f} MB")
    small = m["scale"].get(str(min(sizes)), {})
    if small.get("publication_check_seconds") is not None:  # a wave with breakdowns to attack
        m["publication_check"] = {
            "seconds": small["publication_check_seconds"],
            "run_seconds": small["seconds"],
            "respondents": small["respondents"],
        }


def run_bench(
    repeats: int = 3, sizes: tuple[int, ...] = SCALE_SIZES, out_dir: Path = OUTPUTS_DIR / "bench"
) -> dict:
    """Run every scenario; print the table; write results.json; return the results."""
    # The baseline and the peers run the notebooks outside a run of ours, as a user's hand
    # runs are: asked to write their files, as they must for the next notebook to read them.
    os.environ[WRITE_ENV] = "1"
    # Byte-compiled, as pip leaves an installed package and any run without
    # PYTHONDONTWRITEBYTECODE leaves it: a machine that sets it would time compiling instead.
    compileall.compile_dir(str(PACKAGE_DIR), quiet=1)
    cores = os.cpu_count() or 1
    results: dict = {
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "cores": cores,
        "repeats": repeats,
        "measurements": {},
    }
    m = results["measurements"]
    with tempfile.TemporaryDirectory(prefix="surveybrief-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        for name in ("codebook", "published", "raw"):
            shutil.copytree(DATA_DIR / name, data / name)
        plan = bench_plan(data)
        notebooks = plan.steps  # in declared order, as the plain route runs them one by one
        bench_peers.setup_fresh_clone(m, tmp, say)
        say(f"bench: {len(notebooks)} notebooks, {cores} cores, {repeats} runs each")
        runs = [baseline_once(data, tmp / "baseline", notebooks) for _ in range(repeats)]
        m["baseline"] = summarise(runs)
        seconds = m["baseline"]["median_seconds"]
        say(f"  baseline (papermill CLI + nbconvert + weasyprint): {seconds:.1f} s")
        _floor(m, repeats, len(notebooks), cores)
        _cold_and_unchanged(m, data, tmp / "outputs", repeats, cores)
        _one_notebook_changed(m, data, tmp / "outputs", tmp, repeats)
        _raw_changed(m, data, tmp / "outputs", repeats)
        bench_peers.papermill_pool(m, data, tmp, repeats, say)
        bench_peers.ploomber(m, data, tmp, repeats, say)
        _scales(m, tmp, sizes, repeats)
        say("  the analyst's loop: pickers on 10,000 respondents, the preview's updates")
        m["pickers"] = bench_explore.pickers_bench(tmp)
        m["preview"] = bench_explore.preview_bench(tmp)
    say("  disclosure: three rules on generated panels, attacked (a few minutes)")
    m["disclosure"] = bench_disclosure.disclosure_bench(DISCLOSURE_WAVES)
    m["disclosure_rule_aware"] = bench_disclosure.rule_aware_bench()
    results["targets"] = targets(m)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out_dir / "results.json", results)
    say(format_table(results))
    return results


def _scale_run(root: Path, n: int, repeats: int = 1) -> dict:
    """Generate a synthetic wave of ``n`` respondents; time ``repeats`` cold full runs on it."""
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.tools.synthetic import write_wave

    data = root / "data"
    shutil.copytree(DATA_DIR / "codebook", data / "codebook")
    write_wave(load_codebook(data, 1), data, SCALE_WAVE, n=n, seed=7, shape="kobo_csv")
    runs = []
    for _ in range(repeats):
        shutil.rmtree(root / "outputs", ignore_errors=True)
        runs.append(run_measured(briefing_command(data, root / "outputs")))
    out = root / "outputs" / SCALE_WAVE
    check = json.loads((out / "manifest.json").read_text()).get("publication_check", {})
    sizes = {
        "executed_kb": round(sum(p.stat().st_size for p in (out / "executed").glob("*")) / 1e3, 1),
        "html_kb": round((out / "briefing.html").stat().st_size / 1e3, 1),
    }
    summary = summarise(runs)
    return {
        "respondents": n,
        "seconds": summary["median_seconds"],
        "runs_seconds": summary["seconds"],
        "peak_rss_mb": summary["peak_rss_mb"],
        "publication_check_seconds": check.get("seconds"),
        **sizes,
    }


def main() -> int:
    """Entry point of `make bench`."""
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    run_bench(repeats=repeats)
    return 0
