"""Run a wave's notebooks in order with papermill, then assemble the briefing.

Outline: check inputs and parameters / execute each notebook (progress shown, stop at the first
failure with its notebook, cell and error; the failed executed copy is kept) / render HTML and
PDF to temporary files and move both into place only when both succeeded / write manifest.json.
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

from surveybrief import present, provenance
from surveybrief.config import (
    KERNEL_NAME,
    NOTEBOOKS_DIR,
    OUTPUTS_DIR,
    list_waves,
    published_path,
    wave_output_dir,
)
from surveybrief.exceptions import InputError, NotebookError
from surveybrief.export import atomic_path, write_json_atomic, write_workbook_atomic
from surveybrief.inputs import resolve_wave
from surveybrief.wave import load_wave

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


def _ipc_kernel_manager(socket_dir: str):
    """Return a kernel manager class talking to kernels over local IPC sockets, not TCP."""
    from jupyter_client.manager import AsyncKernelManager

    class IPCKernelManager(AsyncKernelManager):
        """Kernel manager whose sockets live in a private folder (no network ports)."""

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"
            self.ip = os.path.join(socket_dir, "kernel")

    return IPCKernelManager


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
    rows += [
        (f"Notebook {nb['name']}", f"{nb['status']}, {nb['seconds']:.1f} s")
        for nb in manifest["notebooks"]
    ]
    return (
        '<h1 class="appendix">Appendix B. Provenance</h1>'
        '<p class="lead">Inputs, software and run of this briefing; manifest.json holds the '
        "full record.</p>" + present.definition_table(rows, "provenance")
    )


def run_pipeline(
    wave: str | None = None,
    data_root: Path = Path("data"),
    outputs_root: Path = OUTPUTS_DIR,
    notebooks_dir: Path = NOTEBOOKS_DIR,
    log: Callable[[str], None] | None = None,
) -> dict:
    """Run the whole pipeline for one wave; return the manifest. Raise on the first failure."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from surveybrief import report

    log = log or (lambda line: print(line, flush=True))
    data_root, outputs_root = Path(data_root).resolve(), Path(outputs_root).resolve()
    wave_id = resolve_wave(data_root, wave or "latest")
    wave_meta = load_wave(data_root, wave_id)
    out = wave_output_dir(outputs_root, wave_id)
    executed_dir = out / "executed"
    executed_dir.mkdir(parents=True, exist_ok=True)
    parameters = {"wave": wave_id, "data_root": str(data_root), "outputs_root": str(outputs_root)}
    notebooks = discover_notebooks(notebooks_dir)
    has_earlier = any(w < wave_id for w in list_waves(data_root))
    has_published = published_path(data_root, wave_id).is_file()
    notebooks = [
        p
        for p in notebooks
        if (p.name[:2] != TRENDS or has_earlier) and (p.name[:2] != APPENDIX or has_published)
    ]
    check_parameters(notebooks, parameters)
    manifest = {
        "wave": wave_id,
        "parameters": parameters,
        "status": "running",
        "started_at": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "inputs": provenance.input_hashes(data_root, wave_id),
        "git": provenance.git_state(),
        "python": sys.version.split()[0],
        "key_packages": provenance.package_versions(provenance.KEY_PACKAGES),
        "packages": provenance.package_versions(),
        "notebooks": [],
        "outputs": {},
    }
    log(f"surveybrief: wave {wave_id} ({wave_meta.title}), {len(notebooks)} notebooks")
    for stale in out.glob(".run-*"):  # left by a run that was killed
        shutil.rmtree(stale, ignore_errors=True)
    scratch = Path(tempfile.mkdtemp(prefix=".run-", dir=out))
    sockets = tempfile.mkdtemp(prefix="surveybrief-")
    manager_class = _ipc_kernel_manager(sockets)
    try:
        for i, path in enumerate(notebooks, 1):
            target = executed_dir / path.name
            start = time.perf_counter()
            log(f"[{i}/{len(notebooks)}] {path.stem} ...")
            try:
                papermill.execute_notebook(
                    str(path),
                    str(scratch / path.name),
                    parameters=parameters,
                    kernel_name=KERNEL_NAME,
                    cwd=str(notebooks_dir),
                    progress_bar=False,
                    kernel_manager_class=manager_class,
                )
            except Exception as exc:  # a failing cell, or a dead kernel: keep what was executed
                seconds = time.perf_counter() - start
                if (scratch / path.name).exists():
                    os.replace(scratch / path.name, target)
                if isinstance(exc, PapermillExecutionError):
                    cell = _source_cell_number(target, exc.cell_index)
                    error = f"{exc.ename}: {exc.evalue}"
                else:
                    cell, error = None, f"{type(exc).__name__}: {exc}"
                manifest["notebooks"].append(
                    {"name": path.stem, "status": "failed", "seconds": round(seconds, 2)}
                )
                manifest["status"] = "failed"
                manifest["error"] = {"notebook": path.stem, "cell": cell, "error": error}
                write_json_atomic(out / "manifest.json", manifest)
                log(f"[{i}/{len(notebooks)}] {path.stem} FAILED after {seconds:.1f} s")
                raise NotebookError(path.stem, cell, error, target) from None
            seconds = time.perf_counter() - start
            os.replace(scratch / path.name, target)
            manifest["notebooks"].append(
                {"name": path.stem, "status": "ok", "seconds": round(seconds, 2)}
            )
            log(f"[{i}/{len(notebooks)}] {path.stem} ok ({seconds:.1f} s)")

        write_tables_workbook(out / "tables", out / "tables.xlsx")
        log("briefing: HTML and PDF ...")
        start = time.perf_counter()
        executed = [executed_dir / p.name for p in notebooks]
        nb = report.assemble(briefing_order(executed), _appendix_html(manifest), wave_meta.title)
        html = report.to_html(nb, wave_meta.title)
        pdf = report.to_pdf(html)
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
        manifest["outputs"] = {
            name: provenance.sha256_file(out / name) for name in ("briefing.html", "briefing.pdf")
        }
        manifest["status"] = "ok"
        manifest["finished_at"] = dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
        write_json_atomic(out / "manifest.json", manifest)
        log(f"briefing: ok ({seconds:.1f} s) -> {out / 'briefing.html'}, {out / 'briefing.pdf'}")
        return manifest
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(sockets, ignore_errors=True)
