"""Run a wave's notebooks in order with papermill, then assemble the briefing.

Outline: check inputs and parameters / execute each notebook (progress shown, stop at the first
failure with its notebook, cell and error; the failed executed copy is kept) / render HTML and
PDF to temporary files and move both into place only when both succeeded / write manifest.json.

Notebooks run in worker processes, one per core, each with one warm kernel (see ``kernels``):
started when the run begins, so it imports pandas and the package while 00_clean runs, and reset
between notebooks. Unchanged notebooks (same cache key) are not run at all.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from surveybrief.config import (
    KERNEL_NAME,
    NOTEBOOKS_DIR,
    OUTPUTS_DIR,
    PACKAGE_DIR,
    list_waves,
    published_path,
    resolve_wave,
    wave_output_dir,
)
from surveybrief.exceptions import InputError, NotebookError
from surveybrief.inputs.wave import load_wave
from surveybrief.run import provenance
from surveybrief.writers import atomic_path, write_json_atomic, write_workbook_atomic

NOTEBOOK_PATTERN = re.compile(r"^(\d\d)_[a-z0-9_]+\.ipynb$")
#: Notebooks whose executed outputs form the briefing, by prefix: front, chapters, appendix.
FRONT, APPENDIX, CLEAN, TRENDS = "99", "90", "00", "80"


def discover_notebooks(notebooks_dir: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Return the pipeline notebooks (two-digit prefix) in run order."""
    found = [p for p in Path(notebooks_dir).iterdir() if NOTEBOOK_PATTERN.match(p.name)]
    return sorted(found, key=lambda p: p.name)


def briefing_order(executed: list[Path]) -> list[Path]:
    """Return executed notebooks in briefing order: front matter, chapters, trends, audit."""
    by_prefix = {p.name[:2]: p for p in executed}
    chapters = [p for p in executed if p.name[:2] not in (FRONT, APPENDIX, CLEAN)]
    ordered = [by_prefix[FRONT]] if FRONT in by_prefix else []
    ordered += chapters
    if APPENDIX in by_prefix:
        ordered.append(by_prefix[APPENDIX])
    return ordered


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _typed(column):
    """Return a CSV column as numbers when every filled cell is a number, else as text."""
    import pandas as pd

    filled = column[column != ""]
    if len(filled) and filled.map(lambda v: bool(NUMBER.match(v))).all():
        return pd.to_numeric(column.where(column != "", None))
    return column.where(column != "", None)


def write_tables_workbook(tables_dir: Path, target: Path) -> Path | None:
    """Write every table of the run into one workbook, a sheet per table (for spreadsheets)."""
    import pandas as pd

    files = sorted(tables_dir.glob("*.csv"))
    if not files:
        return None
    sheets = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False).apply(_typed) for p in files}
    return write_workbook_atomic(target, sheets)


def _source_cell_number(executed: Path, cell_index: int) -> int:
    """Return the 1-based number, in the committed notebook, of a failed executed cell.

    papermill inserts an ``injected-parameters`` cell; cells after it shift by one.
    """
    import nbformat

    cells = nbformat.read(executed, as_version=4).cells
    injected = [
        i for i, c in enumerate(cells) if "injected-parameters" in c.metadata.get("tags", [])
    ]
    shift = 1 if injected and cell_index > injected[0] else 0
    return cell_index - shift + 1


def check_parameters(notebooks: list[Path], parameters: dict) -> None:
    """Refuse parameters a notebook does not declare in its ``parameters`` cell."""
    import papermill

    for path in notebooks:
        declared = set(papermill.inspect_notebook(str(path)))
        unknown = sorted(set(parameters) - declared)
        if unknown:
            raise InputError(
                "notebook does not declare these parameters",
                file=path,
                column=", ".join(unknown),
                expected=f"one of {sorted(declared)}",
            )


def _appendix_html(manifest: dict) -> str:
    from surveybrief.brief.present import definition_table

    rows = [
        ("Wave", manifest["wave"]),
        ("Generated", manifest["started_at"]),
        (
            "Git commit",
            f"{manifest['git']['commit']}"
            + (" (with uncommitted changes)" if manifest["git"]["is_dirty"] else ""),
        ),
    ]
    rows += [(f"sha256 {name}", digest) for name, digest in manifest["inputs"].items()]
    rows += [(f"{name}", version) for name, version in manifest["key_packages"].items()]
    if manifest["kernels"]:
        rows.append(
            (
                "Kernels",
                f"{len(manifest['kernels'])}, each reused across notebooks (start-up and "
                f"imports: {', '.join(f'{s:.1f} s' for s in manifest['kernels'])})",
            )
        )
    rows += [
        (f"Notebook {nb['name']}", f"{nb['status']}, {nb['seconds']:.1f} s")
        for nb in manifest["notebooks"]
    ]
    return (
        '<h1 class="appendix">Appendix B. Provenance</h1>'
        '<p class="lead">Inputs, software and run of this briefing; manifest.json holds the '
        "full record.</p>" + definition_table(rows, "provenance")
    )


#: The running worker's kernel and how to start another (set by :func:`_start_worker`).
_WORKER: dict = {}


def _start_worker(cwd: Path, socket_root: str, modules: list[str]) -> None:
    """Start this worker's warm kernel at once, so it warms up while other work runs."""
    import contextlib
    import multiprocessing.util
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _WORKER.update(cwd=cwd, socket_root=socket_root, modules=modules, kernel=None, started=0)
    multiprocessing.util.Finalize(None, _stop_worker, exitpriority=10)
    with contextlib.suppress(Exception):  # tried again, and reported, with the first notebook
        _kernel()


def _kernel():
    """Return this worker's kernel, starting a new one if there is none or it died."""
    from surveybrief.run.kernels import WarmKernel

    kernel = _WORKER.get("kernel")
    if kernel is not None and kernel.is_alive():
        return kernel
    if kernel is not None:
        kernel.shutdown()
    _WORKER["started"] += 1
    sockets = os.path.join(_WORKER["socket_root"], f"{os.getpid()}-{_WORKER['started']}")
    os.makedirs(sockets, exist_ok=True)  # one folder per kernel: no shared sockets
    _WORKER["kernel"] = None
    start = time.perf_counter()
    _WORKER["kernel"] = WarmKernel(KERNEL_NAME, _WORKER["cwd"], sockets, _WORKER["modules"])
    _WORKER["start_seconds"] = round(time.perf_counter() - start, 2)  # told with the next result
    return _WORKER["kernel"]


def _stop_worker() -> None:
    kernel = _WORKER.pop("kernel", None)
    if kernel is not None:
        kernel.shutdown()


def _execute(job: tuple) -> dict:
    """Execute one notebook with papermill in this worker's warm kernel; never raises."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from surveybrief.run.kernels import register_engine

    path, output, parameters, notebooks_dir = job
    start = time.perf_counter()
    result = {"name": path.stem, "status": "ok", "cell_index": None, "error": None}
    try:
        kernel = _kernel()
    except Exception as exc:
        result.update(status="failed", error=f"kernel did not start: {type(exc).__name__}: {exc}")
        result["seconds"] = round(time.perf_counter() - start, 2)
        return result
    try:
        kernel.reset()  # the notebook starts from a clean namespace, as in a fresh kernel
        papermill.execute_notebook(
            str(path),
            str(output),
            parameters=parameters,
            kernel_name=KERNEL_NAME,
            cwd=str(notebooks_dir),
            progress_bar=False,
            engine_name=register_engine(),
            warm_kernel=kernel,
        )
    except PapermillExecutionError as exc:
        result.update(
            status="failed", cell_index=exc.cell_index, error=f"{exc.ename}: {exc.evalue}"
        )
    except Exception as exc:  # a dead kernel or a timeout: keep what was executed
        result.update(status="failed", error=f"{type(exc).__name__}: {exc}")
    result["seconds"] = round(time.perf_counter() - start, 2)
    result["kernel_start_seconds"] = _WORKER.pop("start_seconds", None)
    return result


def _fingerprint(*parts: object) -> str:
    import hashlib
    import json

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def code_fingerprint() -> dict[str, str]:
    """Return sha256 of every file of the package (code, template, stylesheet)."""
    root = PACKAGE_DIR
    return {
        str(p.relative_to(root)): provenance.sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def data_fingerprint(data_root: Path, wave_id: str) -> dict[str, str]:
    """Return sha256 of every input a wave's notebooks read: codebooks, published, raw waves.

    Earlier waves count too, since the trends read them.
    """
    files = sorted((data_root / "codebook").glob("*.yaml"))
    files += sorted((data_root / "published").glob("*.yaml"))
    for wave in list_waves(data_root):
        if wave <= wave_id:
            files += sorted(p for p in (data_root / "raw" / wave).rglob("*") if p.is_file())
    return {str(p.relative_to(data_root)): provenance.sha256_file(p) for p in files}


def _stages(notebooks: list[Path]) -> list[list[Path]]:
    """Return the notebooks in stages: cleaning first, then everything that reads its output."""
    first = [p for p in notebooks if p.name[:2] == CLEAN]
    rest = [p for p in notebooks if p.name[:2] != CLEAN]
    return [s for s in (first, rest) if s]


def run_pipeline(
    wave: str | None = None,
    data_root: Path = Path("data"),
    outputs_root: Path = OUTPUTS_DIR,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    log: Callable[[str], None] | None = None,
    use_cache: bool = True,
    workers: int | None = None,
) -> dict:
    """Run the whole pipeline for one wave; return the manifest. Raise on the first failure.

    Notebooks whose cache key (notebook source, parameters, every input file, the package's
    code, installed package versions) matches the last successful run are reused, not run;
    notebooks that only read the cleaned wave run in parallel on the available cores.
    """
    import json
    from concurrent.futures import ProcessPoolExecutor, as_completed

    log = log or (lambda line: print(line, flush=True))
    data_root, outputs_root = Path(data_root).resolve(), Path(outputs_root).resolve()
    wave_id = resolve_wave(data_root, wave or "latest")
    wave_meta = load_wave(data_root, wave_id)
    out = wave_output_dir(outputs_root, wave_id)
    executed_dir = out / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"wave": wave_id, "data_root": str(data_root), "outputs_root": str(outputs_root)}
    has_earlier = any(w < wave_id for w in list_waves(data_root))
    has_published = published_path(data_root, wave_id).is_file()
    notebooks = [
        p
        for p in discover_notebooks(notebooks_dir)
        if (p.name[:2] != TRENDS or has_earlier) and (p.name[:2] != APPENDIX or has_published)
    ]
    packages = provenance.package_versions()
    inputs = data_fingerprint(data_root, wave_id)  # hashed once: cache key and manifest
    common = _fingerprint(parameters, inputs, code_fingerprint(), packages, sys.version)
    keys = {p.name: _fingerprint(common, provenance.sha256_file(p)) for p in notebooks}
    cache_file = out / ".cache.json"  # notebook cache keys of the last successful run
    cache = json.loads(cache_file.read_text()) if use_cache and cache_file.is_file() else {}
    processed_ok = (data_root / "processed" / wave_id / "responses.parquet").is_file()

    def is_reusable(path: Path) -> bool:
        if cache.get(path.name) != keys[path.name] or not (executed_dir / path.name).is_file():
            return False
        return processed_ok or path.name[:2] != CLEAN

    to_run = [p for p in notebooks if not is_reusable(p)]
    if to_run:
        check_parameters(to_run, parameters)
    manifest = {
        "wave": wave_id,
        "parameters": parameters,
        "status": "running",
        "started_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": inputs,
        "git": provenance.git_state(),
        "python": sys.version.split()[0],
        "key_packages": provenance.package_versions(provenance.KEY_PACKAGES),
        "packages": packages,
        "notebooks": [],
        "kernels": [],  # start-up and warm-up seconds of each kernel started
        "outputs": {},
    }
    cores = workers or os.cpu_count() or 1
    last_seconds = _last_seconds(out / "manifest.json")
    log(
        f"surveybrief: wave {wave_id} ({wave_meta.title}), {len(notebooks)} notebooks, "
        f"{len(to_run)} to run, {len(notebooks) - len(to_run)} unchanged, {cores} workers"
    )
    for stale in out.glob(".run-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=".run-", dir=out))
    sockets = tempfile.mkdtemp(prefix="surveybrief-")
    number = {p.name: i for i, p in enumerate(notebooks, 1)}
    total = len(notebooks)
    rerun = {p.name for p in to_run}
    new_cache = {
        k: v
        for k, v in cache.items()
        if (k in keys and k not in rerun) or (k == "briefing" and not rerun)
    }
    pool = None
    if to_run:  # one warm kernel per worker, started now: they warm up while 00_clean runs
        from surveybrief.run.kernels import notebook_imports

        widest = max(len([p for p in stage if p in to_run]) for stage in _stages(notebooks))
        pool = ProcessPoolExecutor(
            max_workers=max(1, min(cores, widest)),
            initializer=_start_worker,
            initargs=(notebooks_dir.resolve(), sockets, notebook_imports(to_run)),
        )
    try:
        for stage in _stages(notebooks):
            jobs = []
            for path in stage:
                if path in to_run:
                    log(f"[{number[path.name]}/{total}] {path.stem} ...")
                    jobs.append((path, scratch / path.name, parameters, notebooks_dir))
                else:
                    log(f"[{number[path.name]}/{total}] {path.stem} unchanged, reused")
                    manifest["notebooks"].append(
                        {"name": path.stem, "status": "reused", "seconds": 0.0}
                    )
            jobs.sort(key=lambda job: -last_seconds.get(job[0].stem, 0.0))  # longest first
            results = {}
            futures = {pool.submit(_execute, job): job[0].name for job in jobs}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                _report(results[futures[future]], number, total, log)
            failed = None
            for path in stage:  # in notebook order, so the first failure is reported
                if path.name not in results:
                    continue
                result = results[path.name]
                if result.get("kernel_start_seconds") is not None:
                    manifest["kernels"].append(result["kernel_start_seconds"])
                target = executed_dir / path.name
                if (scratch / path.name).exists():
                    os.replace(scratch / path.name, target)
                manifest["notebooks"].append(
                    {"name": path.stem, "status": result["status"], "seconds": result["seconds"]}
                )
                if result["status"] == "ok":
                    new_cache[path.name] = keys[path.name]
                elif failed is None:
                    failed = (path, result)
            write_json_atomic(cache_file, new_cache)
            if failed is not None:
                path, result = failed
                target = executed_dir / path.name
                cell = (
                    _source_cell_number(target, result["cell_index"])
                    if result["cell_index"] is not None and target.is_file()
                    else None
                )
                manifest["status"] = "failed"
                manifest["error"] = {"notebook": path.stem, "cell": cell, "error": result["error"]}
                write_json_atomic(out / "manifest.json", manifest)
                raise NotebookError(path.stem, cell, result["error"], target)
        workbook = None
        if pool is not None:  # the workbook is written, and kernels stop, while the PDF renders
            workbook = pool.submit(write_tables_workbook, out / "tables", out / "tables.xlsx")
            pool.shutdown(wait=False)

        briefing_key = _fingerprint([keys[p.name] for p in notebooks])
        briefing_files = (out / "briefing.html", out / "briefing.pdf")
        if (
            use_cache
            and not to_run
            and cache.get("briefing") == briefing_key
            and all(f.is_file() for f in briefing_files)
        ):
            log("briefing: unchanged, reused (no notebook executed)")
            manifest["notebooks"].append(
                {"name": "briefing (HTML, PDF)", "status": "reused", "seconds": 0.0}
            )
        else:
            _render_briefing(out, notebooks, executed_dir, manifest, wave_meta.title, log, workbook)
            new_cache["briefing"] = briefing_key
            write_json_atomic(cache_file, new_cache)
        manifest["outputs"] = {f.name: provenance.sha256_file(f) for f in briefing_files}
        manifest["status"] = "ok"
        manifest["finished_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        write_json_atomic(out / "manifest.json", manifest)
        _summary(manifest, out, log)
        return manifest
    except KeyboardInterrupt:
        if pool is not None:  # stop now: a worker's exit also ends its kernel
            for process in list(getattr(pool, "_processes", {}).values()):
                process.terminate()
        raise
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)


def _last_seconds(manifest_file: Path) -> dict[str, float]:
    """Return each notebook's seconds in the previous run (to start the longest first)."""
    import json

    try:
        notebooks = json.loads(manifest_file.read_text(encoding="utf-8"))["notebooks"]
        return {nb["name"]: float(nb["seconds"]) for nb in notebooks}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def _report(result: dict, number: dict, total: int, log: Callable[[str], None]) -> None:
    name = result["name"]
    state = "ok" if result["status"] == "ok" else "FAILED"
    log(f"[{number[name + '.ipynb']}/{total}] {name} {state} ({result['seconds']:.1f} s)")


def _render_briefing(
    out: Path,
    notebooks: list[Path],
    executed_dir: Path,
    manifest: dict,
    title: str,
    log: Callable[[str], None],
    workbook=None,
) -> None:
    """Render HTML and PDF and move both into place together; write tables.xlsx.

    ``workbook`` is the pending job writing tables.xlsx elsewhere, if one was started.
    """
    from surveybrief.brief import report

    if workbook is None:
        write_tables_workbook(out / "tables", out / "tables.xlsx")
    log("briefing: HTML and PDF ...")
    start = time.perf_counter()
    executed = [executed_dir / p.name for p in notebooks]
    nb = report.assemble(briefing_order(executed), _appendix_html(manifest), title)
    html = report.to_html(nb, title)
    pdf = report.to_pdf(html)
    if workbook is not None:
        workbook.result()  # raises what writing the workbook raised
    with (
        atomic_path(out / "briefing.html") as tmp_html,
        atomic_path(out / "briefing.pdf") as tmp_pdf,
    ):
        tmp_html.write_text(html, encoding="utf-8")
        tmp_pdf.write_bytes(pdf)
    seconds = time.perf_counter() - start
    manifest["notebooks"].append(
        {"name": "briefing (HTML, PDF)", "status": "ok", "seconds": round(seconds, 2)}
    )
    log(f"briefing: ok ({seconds:.1f} s)")


def _summary(manifest: dict, out: Path, log: Callable[[str], None]) -> None:
    """Print one summary of what was written where and how long each step took."""
    steps = ", ".join(
        [f"kernel start {s:.1f} s" for s in manifest["kernels"]]
        + [f"{n['name']} {n['status']} {n['seconds']:.1f} s" for n in manifest["notebooks"]]
    )
    log(
        f"written to {out}: briefing.html, briefing.pdf, tables/, tables.xlsx, figures/, "
        f"executed/, quarantine.csv, manifest.json. Steps: {steps}"
    )
