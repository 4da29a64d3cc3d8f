"""``make bench``: the project's run against the plain papermill route, side by side, one run.

Every scenario runs several times in this one process (median reported) on a copy of the data in
a temporary folder; peak memory is the largest summed RSS of the whole process tree. Results are
printed as ratios to the baseline and to the floor and written to outputs/bench/results.json
with every measurement and, under ``targets``, each target with its value and whether it holds.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from surveybrief.config import DATA_DIR, KERNEL_NAME, NOTEBOOKS_DIR, OUTPUTS_DIR, PROJ_ROOT
from surveybrief.writers import write_json_atomic

WAVE = "2025-06"
SCALE_SIZES = (50, 10_000, 100_000, 1_000_000)
SCALE_WAVE = "2030-06"
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


def _summary(runs: list[tuple[float, float]]) -> dict:
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


def baseline_once(data: Path, work: Path, notebooks: list[Path]) -> tuple[float, float]:
    """Run the plain route once: papermill CLI per notebook, nbconvert --no-input, weasyprint."""
    if work.exists():
        shutil.rmtree(work)
    executed = work / "executed"
    executed.mkdir(parents=True)
    shutil.rmtree(data / "processed", ignore_errors=True)
    total, peak = 0.0, 0.0
    for nb in notebooks:
        seconds, rss = run_measured(
            [
                str(BIN / "papermill"),
                str(nb),
                str(executed / nb.name),
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


def _statuses(out: Path) -> dict[str, str]:
    manifest = json.loads((out / WAVE / "manifest.json").read_text())
    return {n["name"]: n["status"] for n in manifest["notebooks"]}


def _edit_raw(data: Path, row: int) -> None:
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


def run_bench(
    repeats: int = 3, sizes: tuple[int, ...] = SCALE_SIZES, out_dir: Path = OUTPUTS_DIR / "bench"
) -> dict:
    """Run every scenario; print the table; write results.json; return the results."""
    from surveybrief.run.plan import load_plan

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
        plan = load_plan(NOTEBOOKS_DIR, has_earlier_waves=False, has_published=True)
        notebooks = plan.paths  # in declared order, as the plain route runs them one by one
        print(f"bench: {len(notebooks)} notebooks, {cores} cores, {repeats} runs each", flush=True)

        m["baseline"] = _summary(
            [baseline_once(data, tmp / "baseline", notebooks) for _ in range(repeats)]
        )
        print(
            f"  baseline (papermill CLI + nbconvert + weasyprint): "
            f"{m['baseline']['median_seconds']:.1f} s",
            flush=True,
        )

        floor_runs = [
            run_measured([sys.executable, "-c", "import pandas, seaborn, matplotlib.pyplot"])
            for _ in range(repeats)
        ]
        m["import_one_process"] = _summary(floor_runs)
        floor = m["import_one_process"]["median_seconds"] * len(notebooks) / cores
        m["floor"] = {
            "median_seconds": round(floor, 3),
            "definition": f"one import of pandas+seaborn+matplotlib x "
            f"{len(notebooks)} kernels (one per notebook, as papermill runs them) / {cores} cores",
        }

        out = tmp / "outputs"
        cold = []
        for _ in range(repeats):
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(data / "processed", ignore_errors=True)
            cold.append(run_measured(briefing_command(data, out)))
        m["cold"] = _summary(cold)
        kernels = len(json.loads((out / WAVE / "manifest.json").read_text())["kernels"])
        m["floor_kernels_started"] = {
            "median_seconds": round(
                m["import_one_process"]["median_seconds"] * kernels / min(cores, kernels), 3
            ),
            "definition": f"one import x the {kernels} kernels the project started / "
            f"{min(cores, kernels)} cores (imports only: no notebook work, no PDF)",
        }
        print(f"  make briefing, cold: {m['cold']['median_seconds']:.1f} s", flush=True)

        m["unchanged"] = _summary(
            [run_measured(briefing_command(data, out)) for _ in range(repeats)]
        )
        m["unchanged"]["statuses"] = _statuses(out)
        print(
            f"  make briefing, nothing changed: {m['unchanged']['median_seconds']:.2f} s",
            flush=True,
        )

        nb_copy = tmp / "notebooks"
        shutil.copytree(NOTEBOOKS_DIR, nb_copy)
        run_measured(briefing_command(data, out, nb_copy))  # the copy's first run is the base
        one = []
        for i in range(repeats):
            path = nb_copy / "20_economic.ipynb"
            doc = json.loads(path.read_text(encoding="utf-8"))
            doc["cells"].append(
                {
                    "cell_type": "markdown",
                    "id": f"bench-{i}",
                    "metadata": {},
                    "source": f"Analyst's note {i}.",
                }
            )
            path.write_text(json.dumps(doc, indent=1), encoding="utf-8")
            one.append(run_measured(briefing_command(data, out, nb_copy)))
        m["one_section_changed"] = _summary(one)
        m["one_section_changed"]["statuses"] = _statuses(out)
        print(
            f"  make briefing, one section changed: "
            f"{m['one_section_changed']['median_seconds']:.1f} s",
            flush=True,
        )

        raw = []
        for i in range(repeats):
            _edit_raw(data, 2 + i)
            raw.append(run_measured(briefing_command(data, out)))
        m["raw_changed"] = _summary(raw)
        m["raw_changed"]["statuses"] = _statuses(out)
        print(
            f"  make briefing, raw data changed: {m['raw_changed']['median_seconds']:.1f} s",
            flush=True,
        )

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
            print(
                f"  scale {n:>9,}: {m['scale'][str(n)]['seconds']:.1f} s, "
                f"peak {m['scale'][str(n)]['peak_rss_mb']:.0f} MB",
                flush=True,
            )

    results["targets"] = _targets(m)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomic(out_dir / "results.json", results)
    print(format_table(results), flush=True)
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
        shutil.rmtree(data / "processed", ignore_errors=True)
        runs.append(run_measured(briefing_command(data, root / "outputs")))
    out = root / "outputs" / SCALE_WAVE
    sizes = {
        "executed_kb": round(sum(p.stat().st_size for p in (out / "executed").glob("*")) / 1e3, 1),
        "html_kb": round((out / "briefing.html").stat().st_size / 1e3, 1),
    }
    summary = _summary(runs)
    return {
        "respondents": n,
        "seconds": summary["median_seconds"],
        "runs_seconds": summary["seconds"],
        "peak_rss_mb": summary["peak_rss_mb"],
        **sizes,
    }


def _targets(m: dict) -> dict:
    base = m["baseline"]["median_seconds"]
    cold = m["cold"]["median_seconds"]
    floor = m["floor"]["median_seconds"]
    unchanged = m["unchanged"]["median_seconds"]
    one = m["one_section_changed"]["statuses"]
    ran = sorted(k for k, v in one.items() if v != "reused")
    raw = m["raw_changed"]["statuses"]
    targets = {
        "cold_at_least_3x_faster_than_baseline": {
            "value": round(base / cold, 2),
            "holds": base / cold >= 3,
        },
        "cold_within_2x_of_floor": {"value": round(cold / floor, 2), "holds": cold / floor <= 2},
    }
    if "floor_kernels_started" in m:  # the stricter reading, reported beside the target
        strict = m["floor_kernels_started"]["median_seconds"]
        targets["cold_within_2x_of_floor_of_kernels_started"] = {
            "value": round(cold / strict, 2),
            "holds": cold / strict <= 2,
        }
    targets |= {
        "unchanged_at_least_20x_faster_than_baseline": {
            "value": round(base / unchanged, 1),
            "holds": base / unchanged >= 20,
        },
        "one_section_changed_runs_only_it_and_the_briefing": {
            "value": ran,
            "holds": ran == ["20_economic", "briefing (HTML, PDF)"],
        },
        "raw_changed_runs_everything": {
            "value": sorted(set(raw.values())),
            "holds": set(raw.values()) == {"ok"},
        },
    }
    scale = m.get("scale", {})
    if "50" in scale and "1000000" in scale:
        small, big = scale["50"], scale["1000000"]
        targets["million_within_3x_of_50"] = {
            "value": round(big["seconds"] / small["seconds"], 2),
            "holds": big["seconds"] / small["seconds"] <= 3,
        }
        targets["million_peak_under_3_gib"] = {
            "value": big["peak_rss_mb"],
            "holds": big["peak_rss_mb"] < 3 * 1024,
        }
        per = [scale[k]["seconds"] / scale[k]["respondents"] for k in sorted(scale, key=int)]
        targets["cost_grows_linearly_or_better"] = {
            "value": [f"{p * 1e6:.1f} µs/respondent" for p in per],
            "holds": all(b <= a * 1.1 for a, b in itertools.pairwise(per)),
        }
    sized = [row for row in scale.values() if "executed_kb" in row]
    if len(sized) >= 2:
        executed = [row["executed_kb"] for row in sized]
        html = [row["html_kb"] for row in sized]
        targets["outputs_stay_small_at_every_size"] = {
            "value": {"executed_kb": executed, "html_kb": html},
            "holds": max(executed) <= 1.5 * min(executed) and max(html) <= 1.5 * min(html),
        }
    return targets


def format_table(results: dict) -> str:
    """Return the results as a plain-text table with ratios to the baseline and the floor."""
    m = results["measurements"]
    base, floor = m["baseline"]["median_seconds"], m["floor"]["median_seconds"]
    lines = [
        f"{'scenario':44s} {'median s':>9s} {'vs baseline':>12s} {'vs floor':>9s} {'peak MB':>8s}"
    ]
    rows = (
        ("baseline", "baseline: papermill CLI + nbconvert + PDF"),
        ("floor", "floor: imports x notebooks / cores"),
        ("floor_kernels_started", "floor: imports x kernels started / cores"),
        ("cold", "make briefing, cold"),
        ("unchanged", "make briefing, nothing changed"),
        ("one_section_changed", "make briefing, one section changed"),
        ("raw_changed", "make briefing, raw data changed"),
    )
    for key, label in rows:
        if key not in m:
            continue
        s = m[key]["median_seconds"]
        peak = m[key].get("peak_rss_mb")
        lines.append(
            f"{label:44s} {s:9.2f} {base / s:11.1f}x {s / floor:8.2f}x "
            f"{'' if peak is None else f'{peak:8.0f}'}"
        )
    for n, row in sorted(m.get("scale", {}).items(), key=lambda item: int(item[0])):
        lines.append(
            f"{'scale: ' + f'{int(n):,}' + ' respondents, cold':44s} "
            f"{row['seconds']:9.2f} {'':>12s} {'':>9s} {row['peak_rss_mb']:8.0f}"
        )
    lines.append("targets:")
    for name, t in results["targets"].items():
        lines.append(f"  {'HOLDS' if t['holds'] else 'MISSED':6s} {name}: {t['value']}")
    return "\n".join(lines)


def main() -> int:
    """Entry point of `make bench`."""
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    run_bench(repeats=repeats)
    return 0
