"""Run a wave's declared pipeline with papermill, then assemble the briefing.

Outline: read the plan (``notebooks/pipeline.yaml``) and check the parameters / run the steps
stage by stage (a stage holds the steps whose needs are done; its notebooks run in parallel in
worker processes with warm kernels; a step whose cache key is unchanged is reused; the first
failure stops the run, naming notebook, cell and error, with the failed copy kept) / render HTML
and PDF and move both into place together / write manifest.json.
"""

from __future__ import annotations

import importlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from surveybrief.brief.display import parse_langs
from surveybrief.brief.translations import check_translations
from surveybrief.config import (
    LEAVE_OUT_VARIABLE,
    NOTEBOOKS_DIR,
    OUTPUTS_DIR,
    executed_dir,
    left_out_waves,
    list_waves,
    processed_file,
    published_path,
    raw_root,
    resolve_wave,
    tables_dir,
    wave_output_dir,
)
from surveybrief.exceptions import InputError, NotebookError, PublicationError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.run import cache, provenance, publication, render, workers
from surveybrief.run.manifest import MANIFEST_FILE, last_seconds, log_summary, new_manifest, now
from surveybrief.run.plan import Plan, Step, check_parameters, load_plan
from surveybrief.writers import write_json_atomic

BRIEFING_STEP = "briefing (HTML, PDF)"


def leave_out_waves(data_root: Path, wave: str | None, leave_out: str | None) -> None:
    """Leave the named earlier waves out of this run (every notebook sees the same list).

    Each must be a wave of the data root and earlier than the one briefed.
    """
    os.environ.pop(LEAVE_OUT_VARIABLE, None)
    if not leave_out:
        return
    named = sorted({w.strip() for w in leave_out.split(",") if w.strip()})
    briefed = resolve_wave(data_root, wave or "latest")
    wrong = [w for w in named if w >= briefed or w not in list_waves(data_root)]
    if wrong:
        raise InputError(
            "--leave-out names waves that are not earlier waves of the data root",
            file=raw_root(data_root),
            value=", ".join(wrong),
            expected=f"waves before {briefed} under {raw_root(data_root)}",
        )
    os.environ[LEAVE_OUT_VARIABLE] = ",".join(named)


class Run:
    """One run of the pipeline for one wave: its plan, cache, pool and manifest."""

    def __init__(
        self, wave, data_root, outputs_root, notebooks_dir, use_cache, log, langs=None
    ) -> None:
        self.data_root = Path(data_root).resolve()
        self.wave_id = resolve_wave(self.data_root, wave or "latest")
        self.meta = load_wave(self.data_root, self.wave_id)
        self.out = wave_output_dir(Path(outputs_root).resolve(), self.wave_id)
        executed_dir(self.out).mkdir(parents=True, exist_ok=True)
        self.notebooks_dir, self.log = Path(notebooks_dir), log
        self.parameters = {
            "wave": self.wave_id,
            "data_root": str(self.data_root),
            "outputs_root": str(Path(outputs_root).resolve()),
        }
        self.left_out = left_out_waves()
        self.langs = parse_langs(langs or self.meta.languages)
        waves = [w for w in list_waves(self.data_root) if w <= self.wave_id]
        codebook = load_codebook(self.data_root, self.meta.codebook_version)
        self.plan: Plan = load_plan(
            self.notebooks_dir,
            has_earlier_waves=len(waves) > 1,
            has_published=published_path(self.data_root, self.wave_id).is_file(),
            chapters=[s.id for s in codebook.chapters],
            open_questions=[t.id for t in codebook.open_targets],
        )
        self.has_processed = all(processed_file(self.data_root, w).is_file() for w in waves)
        packages = provenance.package_versions()
        inputs = cache.data_fingerprint(self.data_root, self.wave_id)  # hashed once per run
        self.common = cache.common_key(
            self.parameters | {"langs": ",".join(self.langs)}, inputs, packages
        )
        self.cache = cache.read_cache(self.out, use_cache)
        self.keys: dict[str, str] = {}
        self.new_cache = dict(self.cache)
        self.manifest = new_manifest(self.wave_id, self.parameters, inputs, packages)
        self.manifest["left_out_waves"] = self.left_out
        self.number = {s.name: i for i, s in enumerate(self.plan.steps, 1)}
        self.pool: ProcessPoolExecutor | None = None
        self.ran_any = False

    def might_run(self) -> list[Step]:
        """Return the steps that may need to run: changed, or reading what a changed step writes."""
        changed: set[str] = set()
        for step in self.plan.steps:
            own = self.cache.get(step.name) != cache.step_key(self.common, step, self.out)
            follows = bool(step.reads) and bool(changed & set(self.plan.needs(step)))
            if own or follows or not self._executed(step).is_file() or self._needs_data(step):
                changed.add(step.name)
        return [s for s in self.plan.steps if s.name in changed]

    def _executed(self, step: Step) -> Path:
        return executed_dir(self.out) / step.executed_name

    def parameters_of(self, step: Step) -> dict:
        """Return the parameters a step's notebook gets: the run's, its own, the languages.

        Its own: ``section`` or ``question``; the briefing's languages only for a step whose
        output is in the briefing.
        """
        langs = {} if step.place == "none" else {"langs": ",".join(self.langs)}
        return self.parameters | langs | dict(step.parameters)

    def _needs_data(self, step: Step) -> bool:
        return step.makes_processed_data and not self.has_processed

    def is_reusable(self, step: Step) -> bool:
        """Return whether a step's last executed copy still holds (key unchanged, files there)."""
        if self.cache.get(step.name) != self.keys[step.name]:
            return False
        return self._executed(step).is_file() and not self._needs_data(step)

    def start_pool(self, candidates: list[Step], cores: int) -> None:
        """Start one worker per core (at most the widest stage), each warming up its kernel."""
        from surveybrief.run.kernels import notebook_imports

        widest = max(len([s for s in stage if s in candidates]) for stage in self.plan.stages())
        self.sockets = tempfile.mkdtemp(prefix="surveybrief-")
        self.pool = ProcessPoolExecutor(
            max_workers=max(1, min(cores, widest)),
            initializer=workers.start_worker,
            initargs=(
                self.notebooks_dir.resolve(),
                self.sockets,
                notebook_imports([s.path for s in candidates]),
            ),
        )

    def run_stage(self, stage: list[Step], scratch: Path, seconds: dict[str, float]) -> None:
        """Run the steps of one stage in parallel (longest first); raise on the first failure."""
        total, jobs = len(self.plan.steps), []
        for step in stage:
            self.keys[step.name] = cache.step_key(self.common, step, self.out)
            if self.is_reusable(step):
                self.log(f"[{self.number[step.name]}/{total}] {step.name} unchanged, reused")
                self.manifest["notebooks"].append(
                    {"name": step.name, "status": "reused", "seconds": 0.0}
                )
            else:
                self.log(f"[{self.number[step.name]}/{total}] {step.name} ...")
                self.new_cache.pop(step.name, None)
                output = scratch / step.executed_name
                jobs.append((step.path, output, self.parameters_of(step), self.notebooks_dir))
        jobs.sort(key=lambda job: -seconds.get(job[1].stem, 0.0))
        if jobs and self.pool is None:  # a step the estimate thought unchanged has to run
            self.start_pool([s for s in stage if s.name in {j[1].stem for j in jobs}], 1)
        self.ran_any |= bool(jobs)
        futures = {self.pool.submit(workers.execute, job): job[1].stem for job in jobs}
        results = {}
        for future in as_completed(futures):
            results[futures[future]] = result = future.result()
            state = "ok" if result["status"] == "ok" else "FAILED"
            self.log(
                f"[{self.number[result['name']]}/{total}] {result['name']} {state} "
                f"({result['seconds']:.1f} s)"
            )
        self._record(stage, results, scratch)

    def _record(self, stage: list[Step], results: dict, scratch: Path) -> None:
        """Move executed copies into place, record the steps, raise for the first failure."""
        failed = None
        for step in (s for s in stage if s.name in results):  # in plan order
            result = results[step.name]
            if result.get("kernel_start_seconds") is not None:
                self.manifest["kernels"].append(result["kernel_start_seconds"])
            if (scratch / step.executed_name).exists():
                os.replace(scratch / step.executed_name, self._executed(step))
            self.manifest["notebooks"].append(
                {"name": step.name, "status": result["status"], "seconds": result["seconds"]}
            )
            if result["status"] == "ok":
                self.new_cache[step.name] = self.keys[step.name]
            elif failed is None:
                failed = (step, result)
        cache.write_cache(self.out, self.new_cache)
        if failed is not None:
            self._fail(*failed)

    def _fail(self, step: Step, result: dict) -> None:
        target = self._executed(step)
        cell = (
            workers.source_cell_number(target, result["cell_index"])
            if result["cell_index"] is not None and target.is_file()
            else None
        )
        self.manifest["status"] = "failed"
        self.manifest["error"] = {"notebook": step.name, "cell": cell, "error": result["error"]}
        write_json_atomic(self.out / MANIFEST_FILE, self.manifest)
        source = step.path.relative_to(self.notebooks_dir).as_posix()
        raise NotebookError(step.name, cell, result["error"], target, source)

    def finish(self) -> None:
        """Render the briefing (or reuse it when nothing changed); write the manifest."""
        workbook = None
        if self.pool is not None:  # the workbook is written by a worker while documents render
            workbook = self.pool.submit(
                render.write_tables_workbook, tables_dir(self.out), self.out / render.WORKBOOK_FILE
            )
        key = cache.fingerprint([self.keys[s.name] for s in self.plan.steps])
        files = [self.out / name for name in render.briefing_files(self.langs)]
        if (
            not self.ran_any
            and self.cache.get(cache.BRIEFING_KEY) == key
            and all(f.is_file() for f in files)
        ):
            self.log("briefing: unchanged, reused (no notebook executed)")
            self.manifest["notebooks"].append(
                {"name": BRIEFING_STEP, "status": "reused", "seconds": 0.0}
            )
        else:
            self.check_publication()
            steps = self.plan.briefing_order()
            titles = {lang: self.meta.text("title", lang) for lang in self.langs}
            render.render_briefing(
                self.out, steps, self.manifest, titles, self.log, workbook, self.pool
            )
            self.new_cache[cache.BRIEFING_KEY] = key
            cache.write_cache(self.out, self.new_cache)
        self.manifest["outputs"] = {f.name: provenance.sha256_file(f) for f in files}
        current = {s.executed_name for s in self.plan.steps}
        for stale in executed_dir(self.out).glob("*.ipynb"):  # from notebooks no longer run
            if stale.name not in current:
                stale.unlink()
        self.manifest["status"] = "ok"
        self.manifest["finished_at"] = now()
        write_json_atomic(self.out / MANIFEST_FILE, self.manifest)
        log_summary(self.manifest, self.out, self.log)

    def check_publication(self) -> None:
        """Attack what the run is to publish before rendering it (``run.publication``)."""
        start = time.perf_counter()
        try:
            report = publication.check_publication(self.out, self.data_root, self.wave_id)
        except PublicationError as exc:
            self.manifest["status"] = "failed"
            self.manifest["error"] = {"publication": exc.problems}
            write_json_atomic(self.out / MANIFEST_FILE, self.manifest)
            raise
        seconds = round(time.perf_counter() - start, 2)
        self.manifest["publication_check"] = {
            "breakdowns": report.tables, "hidden_small_cells": report.hidden_cells,
            "seconds": seconds,
        }  # fmt: skip
        self.log(
            f"publication check: {report.tables} breakdowns, {report.hidden_cells} hidden counts "
            f"of 1-4, none recoverable ({seconds:.1f} s)"
        )

    def stop(self, interrupted: bool = False) -> None:
        """Stop the workers (at once when interrupted: a worker's exit also ends its kernel).

        The pool is shut down once, waiting: shutting it down without waiting drops its wake-up
        pipe while its manager thread still reads it, which ended some runs with a traceback
        ("Bad file descriptor") from that thread after the outputs were written.
        """
        if self.pool is None:
            return
        if interrupted:
            for process in list(getattr(self.pool, "_processes", {}).values()):
                process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self.sockets, ignore_errors=True)


def run_pipeline(
    wave: str | None = None,
    data_root: Path = Path("data"),
    outputs_root: Path = OUTPUTS_DIR,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    log: Callable[[str], None] | None = None,
    use_cache: bool = True,
    workers: int | None = None,
    langs: str | tuple | None = None,
    leave_out: str | None = None,
) -> dict:
    """Run the whole pipeline for one wave; return the manifest. Raise on the first failure.

    Steps whose cache key (notebook source, parameters, every input file, the package's code,
    installed package versions, the earlier outputs it reads) matches the last successful run
    are reused, not run; the steps of a stage run in parallel on the available cores.
    """
    log = log or (lambda line: print(line, flush=True))
    leave_out_waves(Path(data_root).resolve(), wave, leave_out)
    meta = load_wave(
        Path(data_root).resolve(), resolve_wave(Path(data_root).resolve(), wave or "latest")
    )
    langs = parse_langs(langs or meta.languages)
    run = Run(wave, data_root, outputs_root, notebooks_dir, use_cache, log, langs)
    check_translations(run.langs, load_codebook(run.data_root, run.meta.codebook_version), run.meta)
    candidates = run.might_run()
    for step in candidates:
        check_parameters([step.path], run.parameters_of(step))
    cores = workers or os.cpu_count() or 1
    log(
        f"surveybrief: wave {run.wave_id} ({run.meta.title}), {len(run.plan.steps)} notebooks, "
        f"{len(candidates)} to run, {len(run.plan.steps) - len(candidates)} unchanged, "
        f"{cores} workers"
    )
    for stale in run.out.glob(".run-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=".run-", dir=run.out))
    seconds = last_seconds(run.out)
    try:
        if candidates:  # warm kernels start now: they warm up while 00_clean runs
            run.start_pool(candidates, cores)
            # the publication check's solver loads while the notebooks run, not after them
            threading.Thread(target=importlib.import_module, args=("scipy.optimize",)).start()
        for stage in run.plan.stages():
            run.run_stage(stage, scratch, seconds)
        run.finish()
        return run.manifest
    except KeyboardInterrupt:
        run.stop(interrupted=True)
        raise
    finally:
        run.stop()
        shutil.rmtree(scratch, ignore_errors=True)
