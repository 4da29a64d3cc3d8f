"""Run a wave's declared pipeline with papermill, then assemble the briefing; publish all at once.

Outline: take the lock of the wave's runs; read the plan (``notebooks/pipeline.yaml``) and hash
every input / start a new build beside the published one (``run.builds``) / run the steps stage
by stage (a stage holds the steps whose needs are done; its notebooks run in parallel in worker
processes with warm kernels; a step whose key is unchanged and whose products verify is
reused, its products copied into the new build; the first failure stops the run, naming
notebook, cell and error) / attack what is to be published, render HTML and PDF / check that no
input changed, write the manifest / point ``outputs/<wave>`` at the new build with one rename.
Until that rename readers see the previous complete results; a run that fails or is
interrupted publishes nothing.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import as_completed
from pathlib import Path
from typing import TYPE_CHECKING

from surveybrief import catalogue
from surveybrief.brief.display import parse_langs
from surveybrief.brief.translations import check_translations
from surveybrief.config import (
    LEAVE_OUT_VARIABLE,
    NOTEBOOKS_DIR,
    OUTPUTS_DIR,
    executed_dir,
    left_out_waves,
    list_waves,
    published_path,
    raw_root,
    resolve_wave,
)
from surveybrief.exceptions import (
    STORAGE_ADVICE,
    ChecklistError,
    InputError,
    NotebookError,
    ProductError,
    PublicationError,
    StorageError,
)
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import links_panel, load_wave
from surveybrief.run import cache, provenance, published_index, render, workers
from surveybrief.run.builds import Builds
from surveybrief.run.cache import Record
from surveybrief.run.inputs import Inputs
from surveybrief.run.lock import RunLock
from surveybrief.run.manifest import (
    MANIFEST_FILE,
    last_seconds,
    log_summary,
    new_manifest,
    now,
    published_panel_keys,
    recorded_pages,
)
from surveybrief.run.plan import Plan, Step, check_parameters, declared_parameters, load_plan
from surveybrief.writers import BUILD_ENV, write_json_atomic

if TYPE_CHECKING:  # the pool is started only when a step has to run
    from concurrent.futures import ProcessPoolExecutor

BRIEFING_STEP = "briefing (HTML, PDF)"
#: The run's own files in a build, beside the steps' products.
RUN_FILES = (MANIFEST_FILE, cache.CACHE_FILE)


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


def _storage_error(error: str) -> OSError | None:
    """Return the OSError a notebook's error text reports, when it is a full or closed disk."""
    import errno

    found = re.search(r"\[Errno (\d+)\] ([^:]+)(?:: '([^']*)')?", error or "")
    if not found or errno.errorcode.get(int(found[1])) not in STORAGE_ADVICE:
        return None
    return OSError(int(found[1]), found[2].strip(), found[3])


class Run:
    """One run of the pipeline for one wave: its plan, inputs, build, cache, pool and manifest."""

    def __init__(
        self,
        wave,
        data_root,
        outputs_root,
        notebooks_dir,
        use_cache,
        log,
        langs=None,
        pdf=True,
        pool=None,
        final=False,
    ) -> None:
        self.data_root = Path(data_root).resolve()
        self.wave_id = resolve_wave(self.data_root, wave or "latest")
        self.meta = load_wave(self.data_root, self.wave_id)
        self.builds = Builds(Path(outputs_root).resolve(), self.wave_id)
        self.notebooks_dir, self.log, self.use_cache = Path(notebooks_dir), log, use_cache
        self.left_out = left_out_waves()
        self.langs = parse_langs(langs or self.meta.languages)
        self.pdf = pdf  # False: a preview, HTML only
        self.final = final  # True: no DRAFT mark, refused while a checklist item is open
        self.feedback: dict[str, str] = {}  # a Delphi round's sheets, written once published
        self.plan = self._load_plan()
        shared = {"wave": self.wave_id, "data_root": str(self.data_root)}
        self.parameters = shared | {"outputs_root": str(self.builds.outputs_root)}
        self.inputs: Inputs | None = None
        self.common = ""
        self.manifest: dict = {}
        self.number = {s.name: i for i, s in enumerate(self.plan.steps, 1)}
        self.sources: list[tuple[Path, dict[str, Record]]] = []
        self.records: dict[str, Record] = {}
        self.reused_from: dict[str, Path] = {}  # the earlier build each reused step came from
        self.pending: dict[str, tuple[str, str]] = {}
        self.out: Path | None = None
        self.pool: ProcessPoolExecutor | None = None
        self.borrowed: ProcessPoolExecutor | None = pool  # kept by the caller across runs
        self.ran_any = False
        self.scratch = Path(tempfile.mkdtemp(prefix="surveybrief-"))  # sockets, product lists

    def _load_plan(self) -> Plan:
        waves = [w for w in list_waves(self.data_root) if w <= self.wave_id]
        codebook = load_codebook(self.data_root, self.meta.codebook_version)
        return load_plan(
            self.notebooks_dir,
            has_earlier_waves=len(waves) > 1,
            has_published=published_path(self.data_root, self.wave_id).is_file(),
            chapters=[s.id for s in codebook.chapters],
            open_questions=[t.id for t in codebook.open_targets],
            has_consensus=any(q.consensus for q in codebook.questions),
        )

    def _read_inputs(self) -> None:
        """Hash every input once, under the lock: the keys and the manifest name exactly these."""
        self.inputs = Inputs.take(self.data_root, self.wave_id)
        packages = provenance.package_versions()
        shared = {"wave": self.wave_id, "data_root": str(self.data_root)}
        panel = {"panel_key": self.panel_fingerprint()} if self.linked else {}
        self.common = cache.common_key(
            shared | {"langs": ",".join(self.langs)} | panel, self.inputs.hashes, packages
        )
        self.manifest = new_manifest(self.wave_id, self.parameters, self.inputs.hashes, packages)
        if panel:
            self.manifest["panel_key"] = panel["panel_key"]  # its fingerprint, not the key
        self.manifest["left_out_waves"] = self.left_out

    @property
    def linked(self) -> bool:
        """Return whether a wave this run reads links its experts (``panel`` in wave.yaml)."""
        return links_panel(self.data_root, self.wave_id)

    def panel_fingerprint(self) -> str:
        """Return the panel key's fingerprint: a changed key is never served from the cache.

        The key is taken (or made, on first use) before any notebook runs, and checked against
        the key each earlier published wave was linked with (its manifest), so a lost or
        another key stops the run at once (``clean.panel_key``).
        """
        from surveybrief.clean.panel_key import fingerprint, panel_key

        waves = [w for w in list_waves(self.data_root) if w < self.wave_id]
        linked_with = published_panel_keys(self.builds.outputs_root, waves)
        return fingerprint(panel_key(self.wave_id, linked_with))

    def begin(self) -> None:
        """Start the new build (under the lock): inputs read, what earlier runs left removed."""
        self._read_inputs()
        leftover = self.builds.clean()
        found = [b for b in (self.builds.current(), leftover) if b is not None]
        self.sources = [(b, cache.read_cache(b, self.use_cache)) for b in found]
        self.out = self.builds.start()
        os.environ[BUILD_ENV] = str(self.out.parent.resolve())  # the one this run may write
        executed_dir(self.out).mkdir()
        self.parameters["outputs_root"] = str(self.out.parent)  # notebooks write into the build
        self.manifest["outputs_root"] = str(self.builds.outputs_root)

    def _held(self, step: Step) -> bool:
        """Return whether an earlier build holds the step's products under its own key."""
        own = cache.own_key(self.common, step)
        return any(
            (record := records.get(step.name)) is not None
            and record.own == own
            and all((build / name).is_file() for name in record.products)
            for build, records in self.sources
        )

    def might_run(self) -> list[Step]:
        """Return the steps that may need to run: not held, or after a step that may run."""
        changed: set[str] = set()
        for step in self.plan.steps:
            if not self._held(step) or changed & set(self.plan.upstream(step)):
                changed.add(step.name)
        return [s for s in self.plan.steps if s.name in changed]

    def parameters_of(self, step: Step) -> dict:
        """Return the parameters a step's notebook gets: the run's, its own, the languages.

        Its own: ``section`` or ``question``; the briefing's languages only for a step whose
        output is in the briefing and that declares ``langs`` (an extra notebook need not: its
        outputs then show in every language as they are).
        """
        shown = step.place != "none" and "langs" in declared_parameters(step.path)
        langs = {"langs": ",".join(self.langs)} if shown else {}
        return self.parameters | langs | dict(step.parameters)

    def reuse(self, name: str, key: str) -> bool:
        """Copy a step's verified products from an earlier build; return whether that held."""
        for build, records in self.sources:
            record = records.get(name)
            if record is None or record.key != key:
                continue
            changed = cache.carry_over(record, build, self.out)
            if not changed:
                self.records[name], self.reused_from[name] = record, build
                return True
            self.log(
                f"{name}: {', '.join(changed[:3])} missing or changed since it was made "
                f"(in {build}); not reused"
            )
        return False

    def start_pool(self, candidates: list[Step], cores: int) -> None:
        """Start one worker per core (at most the widest stage), each warming up its kernel."""
        from surveybrief.run.kernels import notebook_imports

        if self.borrowed is not None:  # a pool kept across runs (make preview)
            self.pool = self.borrowed
            return
        widest = max(len([s for s in stage if s in candidates]) for stage in self.plan.stages())
        self.pool = workers.new_pool(
            self.notebooks_dir,
            self.scratch / "sockets",
            notebook_imports([s.path for s in candidates]),
            max(1, min(cores, widest)),
        )

    def _key(self, step: Step) -> str:
        """Return a step's cache key (its own part and the products it reads), kept pending."""
        own = cache.own_key(self.common, step)
        key = cache.step_key(own, [self.records[n] for n in self.plan.upstream(step)])
        self.pending[step.name] = (own, key)
        return key

    def _job(self, step: Step) -> tuple:
        """Return what a worker needs to run a step's notebook (only for a step that runs)."""
        return (
            step.path,
            executed_dir(self.out) / step.executed_name,
            self.parameters_of(step),
            self.notebooks_dir,
            str(self.scratch / f"{step.name}.products"),
            str(self.out.parent.resolve()),
        )

    def run_stage(self, stage: list[Step], seconds: dict[str, float]) -> None:
        """Run the steps of one stage in parallel (longest first); raise on the first failure."""
        total, jobs = len(self.plan.steps), []
        for step in stage:
            if self.reuse(step.name, self._key(step)):
                self.log(f"[{self.number[step.name]}/{total}] {step.name} unchanged, reused")
                self.manifest["notebooks"].append(
                    {"name": step.name, "status": "reused", "seconds": 0.0}
                )
            else:
                self.log(f"[{self.number[step.name]}/{total}] {step.name} ...")
                jobs.append(self._job(step))
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
        self._record(stage, results)

    def _record(self, stage: list[Step], results: dict) -> None:
        """Record each step's products and their hashes; raise for the first failure."""
        failed = None
        for step in (s for s in stage if s.name in results):  # in plan order
            result = results[step.name]
            if result.get("kernel_start_seconds") is not None:
                self.manifest["kernels"].append(result["kernel_start_seconds"])
            self.manifest["notebooks"].append(
                {"name": step.name, "status": result["status"], "seconds": result["seconds"]}
            )
            if result["status"] == "ok":
                self.records[step.name] = self._products(step, result["products"])
            elif failed is None:
                failed = (step, result)
        cache.write_cache(self.out, self.records)  # what a later run may reuse, verified
        if failed is not None:
            self._fail(*failed)

    def _products(self, step: Step, written: list[str]) -> Record:
        """Return a step's record: its keys and the hash of each file it wrote."""
        root = self.out.resolve()
        executed = root / "executed" / step.executed_name
        outside = [p for p in written if not Path(p).is_relative_to(root.parent)]
        if outside:
            raise NotebookError(
                step.name, None, f"it wrote {outside[0]}, outside the run's folder {root}", executed
            )
        own, key = self.pending.pop(step.name)
        return Record(own, key, cache.hash_products(root, [*map(Path, written), executed]))

    def _fail(self, step: Step, result: dict) -> None:
        target = executed_dir(self.out) / step.executed_name
        cell = (
            workers.source_cell_number(target, result["cell_index"])
            if result["cell_index"] is not None and target.is_file()
            else None
        )
        self.manifest["status"] = "failed"
        self.manifest["error"] = {"notebook": step.name, "cell": cell, "error": result["error"]}
        write_json_atomic(self.out / MANIFEST_FILE, self.manifest)
        storage = _storage_error(result["error"])
        if storage is not None:
            raise StorageError(storage, f"notebook {step.name} ran")
        source = step.path.relative_to(self.notebooks_dir).as_posix()
        raise NotebookError(step.name, cell, result["error"], target, source)

    def _reused_pages(self) -> dict[str, int]:
        """Return the reused briefing's page counts: as recorded for the same bytes, or read."""
        documents = render.briefing_files(self.langs, self.pdf)
        products = {n: d for n, d in self.records[cache.BRIEFING_KEY].products.items()
                    if n in documents}  # fmt: skip
        build = self.reused_from.get(cache.BRIEFING_KEY)
        recorded = recorded_pages(build, products) if build is not None else None
        return recorded or render.page_counts(self.out, self.langs, self.pdf)

    def finish(self) -> None:
        """Render the briefing (or reuse it when nothing ran), check the build, write its record."""
        self.check_checklist()
        key = cache.fingerprint([self.records[s.name].key for s in self.plan.steps]
                                + [f"pdf={self.pdf}", f"final={self.final}"])  # fmt: skip
        if not self.ran_any and self.reuse(cache.BRIEFING_KEY, key):
            self.log("briefing: unchanged, reused (no notebook executed)")
            self.manifest["pages"] = self._reused_pages()
            self.manifest["notebooks"].append(
                {"name": BRIEFING_STEP, "status": "reused", "seconds": 0.0}
            )
        else:
            self.render(key)
        documents = render.briefing_files(self.langs, self.pdf)
        products = self.records[cache.BRIEFING_KEY].products
        self.manifest["outputs"] = {name: products[name] for name in documents}
        self.check_complete()
        self.inputs.check_unchanged()
        self.manifest["status"] = "ok"
        self.manifest["finished_at"] = now()
        cache.write_cache(self.out, self.records)
        write_json_atomic(self.out / MANIFEST_FILE, self.manifest)

    def check_checklist(self) -> None:
        """Count the analyst checklist's open items; refuse a final briefing while any is open.

        The checklist is the front step's (``brief.checklist``); a run whose plan has no front
        step has none, and cannot be final.
        """
        from surveybrief.brief.checklist import CHECKLIST_RESULT, open_items

        path = catalogue.results_dir(self.out) / CHECKLIST_RESULT
        items = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        blocking = open_items(items or [])
        self.manifest["final"] = self.final
        self.manifest["checklist_open"] = None if items is None else len(blocking)
        if self.final and (items is None or blocking):
            missing = {"id": "checklist", "what": "This run made no checklist (its plan has "
                       "no front step).", "close": "Run the whole pipeline."}  # fmt: skip
            raise ChecklistError(self.wave_id, blocking if items is not None else [missing])
        if not self.final:
            count = "no checklist" if items is None else f"{len(blocking)} checklist item(s) open"
            self.log(f"draft: the documents are marked DRAFT ({count}); FINAL=1 publishes them "
                     "unmarked once no item is open")  # fmt: skip

    def render(self, key: str) -> None:
        """Attack what is to be published, then render the documents and the workbook."""
        self.check_publication()
        workbook = None
        if self.pool is not None and self.borrowed is None:  # a worker writes the workbook
            workbook = self.pool.submit(
                render.write_tables_workbook, self.out, self.out / render.WORKBOOK_FILE
            )
        steps = self.plan.briefing_order()
        titles = {lang: self.meta.text("title", lang) for lang in self.langs}
        render.render_briefing(
            self.out,
            steps,
            self.manifest,
            titles,
            self.log,
            workbook,
            self.pool,
            self.pdf,
            draft=not self.final,
        )
        names = [*render.briefing_files(self.langs, self.pdf), render.WORKBOOK_FILE]
        made = [self.out / n for n in names if (self.out / n).is_file()]
        self.records[cache.BRIEFING_KEY] = Record(key, key, cache.hash_products(self.out, made))

    def check_complete(self) -> None:
        """Raise unless every file of the build is one step's recorded product (or the run's)."""
        owner: dict[str, str] = {}
        for name, record in self.records.items():
            for product in record.products:
                if product in owner:
                    raise ProductError(f"{product} is written by both {owner[product]} and {name}")
                owner[product] = name
        run_folder = self.out.parent  # the build and, beside it, the processed data
        files = [p for p in run_folder.rglob("*") if p.is_file()]
        present = set(cache.product_names(self.out, files))
        stray = sorted(present - set(owner) - set(RUN_FILES))
        if stray:
            raise ProductError(
                f"{', '.join(stray[:5])} written by no step through surveybrief.writers (the "
                "cache could not verify it); write every output with surveybrief.writers"
            )

    def check_publication(self) -> None:
        """Attack what the run is to publish before rendering it (``run.publication``)."""
        from surveybrief.run import publication  # pandas and scipy: only when rendering

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
        ("Bad file descriptor") from that thread after the outputs were written. Interrupted,
        a second Ctrl-C is held back until the workers are gone, not raised half-way.
        """
        if self.pool is not None and self.pool is self.borrowed:
            self.pool = None  # its owner stops it
        if self.pool is not None:
            with _ctrl_c_held_back() if interrupted else contextlib.nullcontext():
                if interrupted:
                    workers.end_at_once(self.pool)
                self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        shutil.rmtree(self.scratch, ignore_errors=True)


@contextlib.contextmanager
def _ctrl_c_held_back():
    """Hold Ctrl-C back in the block (the main thread's; elsewhere no-op); yield those held."""
    import signal

    held: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield held
        return
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield held
    finally:
        signal.signal(signal.SIGINT, previous)


def _uninterrupted(publish: Callable[[], None], log: Callable[[str], None]) -> None:
    """Run ``publish`` with Ctrl-C held back until it is done (the link is swapped whole).

    A Ctrl-C that came meanwhile is said, not raised: the new results are published by then,
    and "interrupted: nothing was published" would be false.
    """
    with _ctrl_c_held_back() as held:
        publish()
    if held:
        log("Ctrl-C came while the results were being published: they were published whole first")


#: What the run needs after the notebooks (the publication check's solver, nbconvert and
#: WeasyPrint for the briefing), imported by a thread while the workers run the notebooks.
LOADED_WHILE_NOTEBOOKS_RUN = ("scipy.optimize", "nbconvert", "weasyprint")


def _preload(modules: tuple[str, ...]) -> None:
    """Import ``modules`` (in a thread of their own: the run's own thread is waiting).

    Only a head start: a module that fails to import here is imported again where it is used,
    and fails there, in the step that needs it, with that step's error.
    """
    for module in modules:
        with contextlib.suppress(Exception):
            importlib.import_module(module)


def _publish(run: Run) -> None:
    """Publish the build, then say what was written (said once it is true, not before)."""
    run.builds.publish(run.out)
    log_summary(run.manifest, run.builds.link, run.log)


def _build_and_publish(run: Run, cores: int, feedback_too: bool = False) -> None:
    """Build the wave's results in a new folder and publish them; a failure publishes nothing.

    A run that fails in a notebook or in the publication check, or is interrupted, leaves its
    build for a look (the error names it) and for the next run, which reuses what verifies and
    then removes it; any other failure removes the build at once.
    """
    before = os.environ.get(BUILD_ENV)
    run.begin()
    try:
        candidates = run.might_run()
        if candidates:  # none: every step's key, the code and catalogs with it, passed before
            run.start_pool(candidates, cores)  # kernels warm up during the checks and 00_clean
            book = load_codebook(run.data_root, run.meta.codebook_version)
            check_translations(run.langs, book, run.meta)
        for step in candidates:
            check_parameters([step.path], run.parameters_of(step))
        run.log(
            f"surveybrief: wave {run.wave_id} ({run.meta.title}), {len(run.plan.steps)} "
            f"notebooks, {len(candidates)} to run, {len(run.plan.steps) - len(candidates)} "
            f"unchanged, {cores} workers"
        )
        seconds = last_seconds(run.builds.current())
        if candidates:  # the check's solver and the renderers load while the notebooks run
            threading.Thread(target=_preload, args=(LOADED_WHILE_NOTEBOOKS_RUN,)).start()
        for stage in run.plan.stages():
            run.run_stage(stage, seconds)
        run.finish()
        if run.meta.delphi and feedback_too:  # rendered while the run can still fail whole
            from surveybrief.run import feedback

            run.feedback = feedback.run_feedback(run.data_root, run.out, run.wave_id, run.langs[0])
        run.stop()
        _uninterrupted(lambda: _publish(run), run.log)
    except KeyboardInterrupt:
        run.stop(interrupted=True)
        raise
    except (NotebookError, PublicationError, ChecklistError):
        raise
    except BaseException:
        run.builds.discard(run.out)
        raise
    finally:
        run.stop()
        os.environ.pop(BUILD_ENV, None)
        if before is not None:
            os.environ[BUILD_ENV] = before


def _write_feedback(run: Run, private_root: Path | None) -> None:
    """Write a published Delphi round's feedback sheets (under the wave's lock), or say why not.

    Not without a private folder (``make preview``, or the API called without one): said.
    """
    if not run.meta.delphi:
        return
    if private_root is None:
        run.log("Delphi round: no feedback sheets written (no private folder given)")
        return
    from surveybrief.run import feedback

    where = feedback.publish_feedback(
        run.wave_id, run.feedback, private_root, run.builds.outputs_root
    )
    sheets = sum(name.endswith(".html") for name in run.feedback)
    run.log(f"feedback sheets of round {run.meta.round}: {sheets} experts, {where}")


def _write_index(outputs_root: Path, log: Callable[[str], None]) -> None:
    """Rewrite outputs/index.html once the wave is published; a failure there is said, not raised.

    The wave's results are published by then: failing the run (or removing its build) over the
    index would be wrong. The next publication writes it again.
    """
    try:
        published_index.write_index(outputs_root)
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        log(f"warning: outputs/index.html not rewritten ({exc}); the wave is published")


def _without_iri_grammar() -> None:
    """Let jsonschema skip its IRI format checker in this process: 0.8 s less on every run.

    jsonschema imports ``rfc3987_syntax`` when installed (JupyterLab's jupyter-events needs
    it), which builds about 40 Lark grammars at import. Notebooks are validated by nbformat's
    schemas, which name no ``format``; so the run marks the module absent before papermill and
    nbformat load jsonschema, and jsonschema goes on without that one checker. That holds for
    the whole process: a library caller of :func:`run_pipeline` that validates ``iri`` formats
    with jsonschema afterwards gets them unchecked (jsonschema's behaviour without the module).
    """
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)


def _say(line: str) -> None:
    """Print a line of the run's progress; a reader gone (``| head -1``) ends the output only.

    The run goes on and publishes: a closed pipe is no fault of the results. Later lines go
    to the null device, so that Python's own flush at exit does not complain either.
    """
    try:
        print(line, flush=True)
    except BrokenPipeError:
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


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
    wait: bool = False,
    pdf: bool = True,
    pool=None,
    final: bool = False,
    private_root: Path | None = None,
) -> dict:
    """Run the whole pipeline for one wave and publish its results whole; return the manifest.

    Steps whose key (notebook source, parameters, every input file, the package's code,
    installed package versions, the products of the steps they need) matches an earlier
    build's, and whose products still verify, are reused; the steps of a stage run in parallel
    on the available cores. One run per wave at a time: a second one stops, or waits when
    ``wait``. Raise on the first failure; nothing is then published. ``pdf`` False renders
    the HTML only (``make preview``, into its own outputs root), whose ``pool`` of warm
    workers (``workers.new_pool``) is kept across its runs. A Delphi round's feedback sheets
    go to ``private_root`` (``make briefing``: ``private/``; never under the outputs) once it is
    published; without one (``make preview``) none are written, and the run says so.
    """
    log = log or _say
    _without_iri_grammar()
    data_root = Path(data_root).resolve()
    leave_out_waves(data_root, wave, leave_out)
    meta = load_wave(data_root, resolve_wave(data_root, wave or "latest"))
    langs = parse_langs(langs or meta.languages)
    run = Run(wave, data_root, outputs_root, notebooks_dir, use_cache, log, langs, pdf, pool, final)
    if meta.delphi and private_root is not None:
        from surveybrief.run import feedback

        feedback.check_private(private_root, run.builds.outputs_root)
    try:
        with RunLock(run.builds.outputs_root, run.wave_id, wait, log):
            _build_and_publish(run, workers or os.cpu_count() or 1, private_root is not None)
            try:
                _write_feedback(run, private_root)
            finally:  # published either way: the index lists it
                _write_index(run.builds.outputs_root, log)
    except OSError as exc:
        raise StorageError(exc, f"the run of wave {run.wave_id} wrote its results") from exc
    finally:
        shutil.rmtree(run.scratch, ignore_errors=True)
    return run.manifest
