"""Worker processes that run notebooks with papermill, each in one warm kernel of its own.

A worker starts its kernel when the pool starts it (the kernel warms up, importing what the
notebooks import, while other work runs), runs notebook after notebook in it, resetting it in
between, and starts a new one if a notebook killed it. Ctrl-C is left to the main process.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from surveybrief.config import KERNEL_NAME

#: The running worker's kernel and how to start another (set by :func:`start_worker`).
_WORKER: dict = {}

#: How long a worker ending on SIGTERM gives its kernel to stop before it ends anyway.
STOP_SECONDS = 5


def new_pool(cwd: Path, socket_root: Path, modules: list[str], size: int):
    """Return a pool of ``size`` workers, each starting its warm kernel; forked at once.

    The first job forks every worker now, while the caller runs one thread: forked later,
    beside a thread importing scipy, a worker could inherit an import lock and hang.
    """
    from concurrent.futures import ProcessPoolExecutor

    Path(socket_root).mkdir(parents=True, exist_ok=True)
    start = (Path(cwd).resolve(), str(socket_root), modules)
    pool = ProcessPoolExecutor(max_workers=size, initializer=start_worker, initargs=start)
    pool.submit(int)
    return pool


def end_at_once(pool, seconds: float = 2 * STOP_SECONDS) -> None:
    """Terminate a pool's workers, and kill those still there after ``seconds``.

    A terminated worker keeps what its notebook ran and stops its kernel (:func:`_on_terminate`);
    one that has not ended by then is killed (its kernel ends with it: ipykernel polls its
    parent), so that an interrupted run ends, and lets its wave go, whatever a worker does.
    """
    from multiprocessing.connection import wait

    processes = list(getattr(pool, "_processes", {}).values())
    for process in processes:
        process.terminate()
    left = {process.sentinel: process for process in processes}
    deadline = time.monotonic() + seconds
    while left and time.monotonic() < deadline:
        for sentinel in wait(list(left), max(0.0, deadline - time.monotonic())):
            left.pop(sentinel)
    for process in left.values():
        process.kill()


def start_worker(cwd: Path, socket_root: str, modules: list[str]) -> None:
    """Start this worker's warm kernel at once, so it warms up while other work runs."""
    import contextlib
    import multiprocessing.util
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    signal.signal(signal.SIGTERM, _on_terminate)
    _die_with_the_run()
    _WORKER.update(cwd=cwd, socket_root=socket_root, modules=modules, kernel=None, started=0)
    multiprocessing.util.Finalize(None, stop_worker, exitpriority=10)
    with contextlib.suppress(Exception):  # tried again, and reported, with the first notebook
        _kernel()


def _die_with_the_run() -> None:
    """End this worker when the run's process dies, however it dies (Linux; elsewhere no-op).

    A worker forked from the run holds the run's lock file open: an orphan would keep the wave
    locked after a ``kill -9`` of the run. Its kernel ends with it (ipykernel polls its parent).
    """
    import contextlib
    import ctypes
    import signal

    with contextlib.suppress(Exception):
        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGTERM))
        if os.getppid() == 1:  # the run died before this line: nothing to serve
            os._exit(1)


def _on_terminate(signum, frame) -> None:
    """End this worker on SIGTERM (an interrupted run, or the run's death), keeping its notebook.

    The executed notebook is written once, when it ends (``kernels.WrittenAtTheEnd``): a
    notebook cut off mid-way is ended by an exception, so papermill's ``finally`` writes what
    ran, and the interrupted build keeps it to look at. Idle, the worker just ends. A second
    SIGTERM (the pool sends its own once another worker is gone) leaves the first one to end it:
    raised again, mid-way through that end, it was caught by the pool's worker loop, which then
    waited for work forever while the run waited for it.
    """
    if "terminated" in _WORKER:
        return
    _WORKER["terminated"] = signum
    if _WORKER.get("busy"):
        raise KeyboardInterrupt  # caught in :func:`execute`, after papermill wrote the notebook
    _end_now(signum)


def _end_now(signum: int) -> None:
    """Stop the kernel and end this process at once, as the signal would have, within seconds.

    An alarm bounds the kernel's stop: a run killed outright (``kill -9``) has no one left to
    end a worker stuck there, and the worker holds the wave's lock file open. The cell cut off
    leaves its task unfinished, on purpose: asyncio's log would print it as a traceback.
    """
    import contextlib
    import logging
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    logging.getLogger("asyncio").disabled = True
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(STOP_SECONDS)
    with contextlib.suppress(BaseException):
        stop_worker()
    os._exit(128 + signum)


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


def stop_worker() -> None:
    """Stop this worker's kernel (when the worker exits)."""
    kernel = _WORKER.pop("kernel", None)
    if kernel is not None:
        kernel.shutdown()


def execute(job: tuple) -> dict:
    """Execute one notebook with papermill in this worker's warm kernel; never raises.

    The result lists the files the notebook wrote through ``surveybrief.writers`` (its
    ``products``, absolute paths), from the log named in ``job``.
    """
    from surveybrief.writers import BUILD_ENV

    path, output, parameters, notebooks_dir, products_log, build = job
    if build:  # a worker kept across runs (make preview) serves this one
        os.environ[BUILD_ENV] = build
    Path(products_log).unlink(missing_ok=True)
    _WORKER["busy"] = True
    try:
        result = _run_notebook(path, output, parameters, notebooks_dir, products_log, build)
    except KeyboardInterrupt:
        if "terminated" not in _WORKER:
            raise
    finally:
        _WORKER["busy"] = False
    if "terminated" in _WORKER:  # a SIGTERM came meanwhile, its KeyboardInterrupt caught or not
        _end_now(_WORKER["terminated"])
    written = Path(products_log)
    lines = written.read_text(encoding="utf-8").splitlines() if written.is_file() else []
    written.unlink(missing_ok=True)
    result["products"] = sorted(set(lines))
    return result


def _run_notebook(path, output, parameters, notebooks_dir, products_log: str, build) -> dict:
    """Execute one notebook in the warm kernel (reset first, listing its products); a result."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from surveybrief.run.kernels import register_engine

    start = time.perf_counter()
    result = {"name": Path(output).stem, "status": "ok", "cell_index": None, "error": None}
    try:
        kernel = _kernel()
    except Exception as exc:
        result.update(status="failed", error=f"kernel did not start: {type(exc).__name__}: {exc}")
        result["seconds"] = round(time.perf_counter() - start, 2)
        return result
    try:
        kernel.reset(str(products_log), build)  # a clean namespace, as in a fresh kernel
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


def source_cell_number(executed: Path, cell_index: int) -> int:
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
