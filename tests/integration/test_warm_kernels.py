"""A kernel reused across notebooks gives each one the start a fresh kernel would."""

from __future__ import annotations

import tempfile

import nbformat
import pytest

from surveybrief.run import workers

pytestmark = pytest.mark.integration

LEAVE_A_MESS = """
import os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
left_behind = 42
os.chdir("/")
sys.path.append("/nowhere")
warnings.simplefilter("error")
font_size = matplotlib.rcParams["font.size"]
matplotlib.rcParams["font.size"] = 31
figure = plt.figure()
"""

EXPECT_A_CLEAN_START = """
import os, sys, warnings
import matplotlib
import matplotlib.pyplot as plt
assert "left_behind" not in dir() and "figure" not in dir(), "names of the last notebook"
assert os.getcwd() == NOTEBOOKS, os.getcwd()
assert "/nowhere" not in sys.path
assert not any(f[0] == "error" and f[2] is Warning for f in warnings.filters)
assert matplotlib.rcParams["font.size"] != 31
assert plt.get_fignums() == []
"""


def notebook(path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nb.metadata["kernelspec"] = {"name": "surveybrief", "display_name": "surveybrief"}
    nbformat.write(nb, path)
    return path


@pytest.fixture
def worker(tmp_path):
    """This process as a pipeline worker: one warm kernel, stopped after the test."""
    sockets = tempfile.mkdtemp(prefix="surveybrief-test-")
    workers.start_worker(tmp_path, sockets, ["matplotlib.pyplot"])
    yield tmp_path
    workers.stop_worker()


def run(path, out):
    products = path.parent / f"{path.stem}.products"
    return workers.execute((path, out, {}, path.parent, products, None))


def test_the_next_notebook_starts_from_a_clean_kernel(worker):
    messy = notebook(worker / "a.ipynb", LEAVE_A_MESS)
    clean = notebook(
        worker / "b.ipynb", f"NOTEBOOKS = {str(worker)!r}", EXPECT_A_CLEAN_START, "1 + 1"
    )
    kernel = workers._WORKER["kernel"]
    assert run(messy, worker / "a.out.ipynb")["status"] == "ok"
    result = run(clean, worker / "b.out.ipynb")
    assert result["status"] == "ok", result["error"]
    assert workers._WORKER["kernel"] is kernel  # one kernel served both notebooks
    cells = nbformat.read(worker / "b.out.ipynb", as_version=4).cells
    assert [c.execution_count for c in cells] == [1, 2, 3]  # counted as in a fresh kernel
    assert cells[0].outputs == [] and cells[1].outputs == []  # no warnings, no history errors
    assert cells[2].outputs[0]["data"]["text/plain"] == "2"


def test_a_notebook_that_kills_its_kernel_fails_alone_and_the_next_gets_a_new_kernel(worker):
    fatal = notebook(worker / "fatal.ipynb", "import os\nos._exit(3)")
    fine = notebook(worker / "fine.ipynb", "x = 1", "x + 1")
    first = run(fatal, worker / "fatal.out.ipynb")
    assert first["status"] == "failed"
    assert "kernel" in first["error"].lower() and "died" in first["error"].lower()
    second = run(fine, worker / "fine.out.ipynb")
    assert second["status"] == "ok", second["error"]
    assert second["kernel_start_seconds"] is not None  # a new kernel was started for it


def test_a_failed_import_is_reported_by_the_notebook_at_its_cell(worker, tmp_path):
    sockets = tempfile.mkdtemp(prefix="surveybrief-test-")
    workers.stop_worker()
    workers.start_worker(tmp_path, sockets, ["no_such_module_anywhere"])  # warm-up survives
    broken = notebook(tmp_path / "broken.ipynb", "x = 1", "import no_such_module_anywhere")
    result = run(broken, tmp_path / "broken.out.ipynb")
    assert result["status"] == "failed"
    assert result["cell_index"] == 1
    assert result["error"].startswith("ModuleNotFoundError")


def test_a_kernel_that_cannot_start_fails_each_notebook_with_that_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(workers, "KERNEL_NAME", "no-such-kernel-anywhere")
    sockets = tempfile.mkdtemp(prefix="surveybrief-test-")
    workers.start_worker(tmp_path, sockets, [])  # does not raise: reported per notebook
    try:
        fine = notebook(tmp_path / "fine.ipynb", "1 + 1")
        result = run(fine, tmp_path / "fine.out.ipynb")
    finally:
        workers.stop_worker()
    assert result["status"] == "failed"
    assert result["error"].startswith("kernel did not start: NoSuchKernel")


def test_the_executed_notebook_is_written_once_and_still_when_a_cell_fails(worker, monkeypatch):
    """papermill writes at every cell's start and end; the warm engine once, at the end."""
    import papermill.engines
    import papermill.execute

    writes = []
    for module in (papermill.engines, papermill.execute):
        original = module.write_ipynb

        def counted(nb, path, original=original):
            writes.append(str(path))
            return original(nb, path)

        monkeypatch.setattr(module, "write_ipynb", counted)
    fine = notebook(worker / "fine.ipynb", "x = 1", "x + 1", "x + 2")
    assert run(fine, worker / "fine.out.ipynb")["status"] == "ok"
    engine_writes = len(writes)
    assert engine_writes <= 2  # the engine's at the end and papermill's own last one
    failing = notebook(worker / "failing.ipynb", "y = 1", "1 / 0", "y + 1")
    result = run(failing, worker / "failing.out.ipynb")
    assert result["status"] == "failed" and result["cell_index"] == 1
    code = [c for c in nbformat.read(worker / "failing.out.ipynb", as_version=4).cells
            if c.cell_type == "code"]  # fmt: skip
    assert code[1].outputs[0]["ename"] == "ZeroDivisionError"  # what ran is kept, with the error
    assert code[2].execution_count is None
    fatal = notebook(worker / "fatal.ipynb", "z = 1", "import os\nos._exit(3)")
    assert run(fatal, worker / "fatal.out.ipynb")["status"] == "failed"
    kept = [c for c in nbformat.read(worker / "fatal.out.ipynb", as_version=4).cells
            if c.cell_type == "code"]  # fmt: skip
    assert kept[0].execution_count == 1  # the cell before the kernel died, executed, kept


def test_what_warm_up_imported_is_out_of_the_collectors_sight(worker):
    """gc.freeze after warm-up: the collection after each notebook skips pandas and friends."""
    probe = notebook(
        worker / "probe.ipynb",
        "import gc\nfrozen = gc.get_freeze_count()\nassert frozen > 10_000, frozen",
    )
    result = run(probe, worker / "probe.out.ipynb")
    assert result["status"] == "ok", result["error"]


def test_a_worker_stopped_mid_notebook_keeps_what_ran(tmp_path):
    """An interrupted run terminates its workers: the cut-off notebook is still written."""
    import os
    import time

    marker = tmp_path / "first-cell-ran"
    slow = notebook(
        tmp_path / "slow.ipynb",
        f"open({str(marker)!r}, 'w').close()\nprint('first')",
        "import time\ntime.sleep(120)",
        "1 + 1",
    )
    out = tmp_path / "slow.out.ipynb"
    pool = workers.new_pool(tmp_path, tmp_path / "sockets", [], 1)
    try:
        future = pool.submit(workers.execute, (slow, out, {}, tmp_path, tmp_path / "p", None))
        deadline = time.monotonic() + 90
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert marker.exists(), "the first cell never ran"
        (process,) = pool._processes.values()
        process.terminate()
        time.sleep(0.05)
        process.terminate()  # the pool's own, once it sees another worker gone
        process.join(timeout=30)  # ends, not caught by the pool's loop to wait for work
        assert process.exitcode is not None, "the worker outlived two SIGTERMs"
        assert future.exception(timeout=60) is not None  # the run learns the worker ended
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    executed = nbformat.read(out, as_version=4)
    cells = executed.cells
    assert cells[0].execution_count == 1 and cells[0].outputs[0]["text"] == "first\n"
    assert cells[2].execution_count is None
    assert executed.metadata.papermill["interrupted"] is True
    statuses = [c.metadata.papermill["status"] for c in cells]
    assert statuses == ["completed", "failed", "pending"], statuses
    assert not os.path.exists(out.with_suffix(".ipynb.tmp"))
