"""Faults injected for real: kills, Ctrl-C, damaged cache, two runs at once, a full disk, inputs
swapped during a run, a read-only output folder. Whatever happens, ``outputs/<wave>`` holds the
previous complete set or the new one, never a mix; every failure ends with one line."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from surveybrief.run.cache import CACHE_FILE, read_cache
from surveybrief.run.manifest import MANIFEST_FILE
from tests.helpers import WAVE, copy_data_root, copy_notebooks, tree_digest

pytestmark = pytest.mark.integration
#: A shorter pipeline than the project's (clean, the chapters, the audit the front reads, the
#: front): each run is quicker, and every kind of step and the render are still there.
NOTEBOOKS = ["00_clean.ipynb", "10_section.ipynb", "90_audit.ipynb", "99_briefing.ipynb"]
SECONDS = 240  # no run here may take longer


def command(data: Path, out: Path, notebooks: Path, *extra: str) -> list[str]:
    return [
        *(sys.executable, "-m", "surveybrief", "briefing", "--wave", WAVE),
        *("--data", str(data), "--out", str(out), "--notebooks", str(notebooks), *extra),
    ]


def start(data, out, notebooks, *extra) -> subprocess.Popen:
    """Start the command line in a session of its own (its workers and kernels with it)."""
    return subprocess.Popen(
        command(data, out, notebooks, *extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def brief(data, out, notebooks, *extra) -> subprocess.CompletedProcess:
    """Run the command line to its end; past SECONDS, end it and all its processes, and fail."""
    process = start(data, out, notebooks, *extra)
    try:
        stdout, stderr = process.communicate(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # no worker left to hold the wave's lock
        stdout, stderr = process.communicate()
        pytest.fail(f"the run took over {SECONDS} s: {stdout[-1500:]} {stderr[-1500:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def assert_complete(out: Path) -> None:
    """Assert the published set is one run's whole result: every file a verified product."""
    records = read_cache(out, use_cache=True)
    assert records, "the published set has no cache record"
    claimed = {name: digest for r in records.values() for name, digest in r.products.items()}
    present = tree_digest(out)  # and the processed data and the catalogue beside it ("../...")
    for beside in ("processed", "results"):
        folder = out.resolve().parent / beside
        present |= {f"../{beside}/{n}": d for n, d in tree_digest(folder).items()}
    assert set(present) - set(claimed) == {MANIFEST_FILE, CACHE_FILE}
    assert all(present[name] == digest for name, digest in claimed.items())
    assert any(name.startswith("../processed/") for name in claimed)
    assert any(name.startswith("../results/") for name in claimed)
    manifest = json.loads((out / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["status"] == "ok"
    assert all(present[name] == digest for name, digest in manifest["outputs"].items())


def one_line_error(done: subprocess.CompletedProcess) -> str:
    assert done.returncode == 1, done.stdout[-2000:] + done.stderr[-2000:]
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr[-2000:]
    return lines[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A data root, the short pipeline, and a first complete run published from them."""
    root = tmp_path_factory.mktemp("faults")
    data = copy_data_root(root / "data")
    notebooks = copy_notebooks(root / "notebooks", NOTEBOOKS)
    out = root / "outputs"
    done = brief(data, out, notebooks)
    assert done.returncode == 0, done.stderr[-2000:]
    assert_complete(out / WAVE)
    return data, notebooks, out


def start_until(site, line_start: str, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start a run in a session of its own; return it once its log reaches ``line_start``."""
    data, notebooks, out = site
    process = start(data, out, notebooks, *extra)
    seen = ""
    for line in process.stdout:
        seen += line
        if line.startswith(line_start):
            break
    return process, seen


def interrupt_at(site, line_start: str, signum: int) -> tuple[int, str]:
    """Start a full run, send ``signum`` to its process group at a log line; return its end."""
    process, seen = start_until(site, line_start, "--no-cache")
    os.killpg(process.pid, signum)
    stdout, stderr = process.communicate(timeout=SECONDS)
    return process.returncode, seen + stdout + stderr


@pytest.mark.parametrize(
    ("signum", "line_start"),
    [
        (signal.SIGKILL, "[2/"),  # the chapters are running
        (signal.SIGKILL, "publication check"),  # rendering
        (signal.SIGKILL, "briefing: ok"),  # the documents are written, not yet published
        (signal.SIGINT, "[2/"),
        (signal.SIGINT, "briefing: report"),
    ],
)
def test_an_interrupted_run_leaves_the_previous_set_or_the_new_one(site, signum, line_start):
    data, notebooks, out = site
    before = tree_digest(out / WAVE)
    code, said = interrupt_at(site, line_start, signum)
    after = tree_digest(out / WAVE)
    assert after == before or code == 0, said[-2000:]  # whole: the old set, or a new one
    assert_complete(out / WAVE)
    if signum == signal.SIGINT and code == 130:
        assert "interrupted: nothing was published" in said and "Traceback" not in said
    again = brief(data, out, notebooks)  # the next run recovers and removes what was left
    assert again.returncode == 0, again.stderr[-2000:]
    assert_complete(out / WAVE)
    assert len(list((out / "_builds" / WAVE).iterdir())) == 1


def test_a_run_killed_alone_leaves_no_worker_holding_the_wave(site):
    """``kill -9`` of the run's process only (not its group): its workers end with it."""
    data, notebooks, out = site
    process, _ = start_until(site, "[2/", "--no-cache")
    process.kill()  # the main process alone
    process.communicate(timeout=SECONDS)
    again = brief(data, out, notebooks, "--wait")  # at most the moment its workers take to end
    assert again.returncode == 0, again.stderr[-2000:]
    assert_complete(out / WAVE)


def _edit_executed(out: Path) -> None:
    path = out / "executed" / "10_section-relations.ipynb"
    path.write_text(path.read_text(encoding="utf-8").replace("56%", "96%"), encoding="utf-8")
    (out / "briefing.pdf").unlink()


DAMAGE = {
    "executed notebook edited, PDF deleted": _edit_executed,
    "a table deleted": lambda out: (out / "tables" / "relations_state.csv").unlink(),
    "processed data truncated": lambda out: (
        out.parent / "processed" / WAVE / "responses.parquet"
    ).write_bytes(b"PAR1"),
    "PDF truncated": lambda out: (out / "briefing.pdf").write_bytes(
        (out / "briefing.pdf").read_bytes()[:1000]
    ),
    "cache record garbled": lambda out: (out / CACHE_FILE).write_text("{", encoding="utf-8"),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_or_deleted_results_are_detected_and_rebuilt(site, damage):
    data, notebooks, out = site
    published = out / WAVE
    good = tree_digest(published)
    processed = tree_digest(published.resolve().parent / "processed")
    DAMAGE[damage](published.resolve())  # as a user or a disk might, inside the build
    done = brief(data, out, notebooks)
    assert done.returncode == 0, done.stderr[-2000:]
    assert_complete(published)
    now = tree_digest(published)  # the documents' provenance says when: tables and data do not
    kept = [n for n in good if n.startswith(("tables/", "figures/"))]
    assert kept and all(now.get(name) == good[name] for name in kept)
    assert tree_digest(published.resolve().parent / "processed") == processed
    assert "56% (28 of 50" in (published / "briefing.html").read_text(encoding="utf-8")
    assert "96% (28 of 50" not in (published / "briefing.html").read_text(encoding="utf-8")


def test_two_runs_of_a_wave_one_stops_naming_the_other_one_waits(site):
    data, notebooks, out = site
    first, _ = start_until(site, "[1/", "--no-cache")
    second = brief(data, out, notebooks)
    message = one_line_error(second)
    assert f"pid {first.pid}" in message and "--wait" in message
    waiting = subprocess.Popen(
        command(data, out, notebooks, "--wait"), stdout=subprocess.PIPE, text=True
    )
    first.communicate(timeout=SECONDS)
    said, _ = waiting.communicate(timeout=SECONDS)
    assert first.returncode == 0 and waiting.returncode == 0
    assert f"waiting for the other run of wave {WAVE}" in said or "unchanged" in said
    assert_complete(out / WAVE)


def test_inputs_swapped_during_a_run_publish_nothing(site):
    data, notebooks, out = site
    before = tree_digest(out / WAVE)
    export = data / "raw" / WAVE / "responses.csv"
    original = export.read_bytes()
    process = subprocess.Popen(
        command(data, out, notebooks, "--no-cache"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for line in process.stdout:
        if line.startswith("[1/"):
            swapped = export.with_name("swap.tmp")
            swapped.write_bytes(original)
            os.replace(swapped, export)  # same bytes, another file: which did the run read?
            break
    _, stderr = process.communicate(timeout=SECONDS)
    assert process.returncode == 1 and "inputs changed while the run read them" in stderr
    assert "Traceback" not in stderr
    assert tree_digest(out / WAVE) == before


@pytest.fixture
def tiny_disk(tmp_path):
    """A 2.2 MB file system: room for one build of the short pipeline (1.4 MB), not two."""
    folder = tmp_path / "tiny"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2200k", "tmpfs", str(folder)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-limited file system here: {mounted.stderr!r}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=True)


def test_a_full_disk_gives_one_line_and_leaves_the_previous_set(site, tiny_disk):
    data, notebooks, _ = site
    out = tiny_disk / "outputs"
    assert brief(data, out, notebooks).returncode == 0
    before = tree_digest(out / WAVE)
    done = brief(data, out, notebooks, "--no-cache")  # a second build does not fit
    message = one_line_error(done)
    assert "No space left on device (ENOSPC)" in message and "nothing was published" in message
    assert tree_digest(out / WAVE) == before
    assert len(list((out / "_builds" / WAVE).iterdir())) == 1  # nothing half-written left


def test_a_read_only_output_folder_gives_one_line(site, tmp_path):
    data, notebooks, _ = site
    out = tmp_path / "outputs"
    out.mkdir()
    locked = subprocess.run(["chattr", "+i", str(out)], capture_output=True)
    if locked.returncode != 0:
        pytest.skip("chattr is not available here (root binds no file mode)")
    try:
        message = one_line_error(brief(data, out, notebooks))
    finally:
        subprocess.run(["chattr", "-i", str(out)], check=True)
    assert "(EPERM)" in message and str(out) in message and "choose another --out" in message
    assert list(out.iterdir()) == []


def test_results_never_depend_on_which_outputs_root_ran_before(site, tmp_path):
    """Two output roots over one data root: each keeps its own processed data."""
    data, notebooks, out = site
    other = tmp_path / "outputs"
    assert brief(data, other, notebooks).returncode == 0
    assert not (data / "processed").exists()
    mine = hashlib.sha256((out / WAVE / "tables" / "relations_state.csv").read_bytes())
    theirs = hashlib.sha256((other / WAVE / "tables" / "relations_state.csv").read_bytes())
    assert mine.hexdigest() == theirs.hexdigest()
    processed = (other / WAVE).resolve().parent / "processed"
    assert processed.is_dir() and processed.is_relative_to(other.resolve())
    assert not (other / WAVE / "processed").exists()  # not inside what people share


def test_a_notebook_run_by_hand_leaves_the_published_set_as_it_was(site, tmp_path):
    """As an analyst runs a notebook in JupyterLab over a published wave: it shows, not writes."""
    import nbformat
    import papermill

    from surveybrief.config import KERNEL_NAME

    data, notebooks, out = site

    def untouched() -> dict:  # the same bytes written again would still be a write
        files = sorted(p for p in (out / WAVE).rglob("*") if p.is_file())
        return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in files}

    before = untouched()
    executed = tmp_path / "90_audit.ipynb"
    papermill.execute_notebook(
        str(notebooks / "90_audit.ipynb"), str(executed), kernel_name=KERNEL_NAME,
        parameters={"data_root": str(data), "outputs_root": str(out)}, progress_bar=False,
    )  # fmt: skip
    assert untouched() == before
    said = [
        o.get("text", "")
        for cell in nbformat.read(executed, as_version=4).cells
        for o in cell.get("outputs", [])
        if o.get("name") == "stderr"
    ]
    assert sum("writes nothing there" in text for text in said) == 1
