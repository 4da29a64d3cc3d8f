"""Render the briefing: the executed notebooks of the plan -> HTML and PDF, moved in together.

Also writes ``tables.xlsx`` (every table, a sheet each). HTML and PDF are written to temporary
files and replace the previous briefing only when both rendered.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from surveybrief.config import executed_dir, tables_dir
from surveybrief.run.plan import Step
from surveybrief.writers import atomic_path, write_workbook_atomic

BRIEFING_FILES = ("briefing.html", "briefing.pdf")
WORKBOOK_FILE = "tables.xlsx"

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _typed(column):
    """Return a CSV column as numbers when every filled cell is a number, else as text."""
    import pandas as pd

    filled = column[column != ""]
    if len(filled) and filled.map(lambda v: bool(NUMBER.match(v))).all():
        return pd.to_numeric(column.where(column != "", None))
    return column.where(column != "", None)


def write_tables_workbook(folder: Path, target: Path) -> Path | None:
    """Write every table of the run into one workbook, a sheet per table (for spreadsheets)."""
    import pandas as pd

    files = sorted(folder.glob("*.csv"))
    if not files:
        return None
    sheets = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False).apply(_typed) for p in files}
    return write_workbook_atomic(target, sheets)


def provenance_letter(steps: list[Step]) -> str:
    """Return the provenance appendix's letter: the one after the notebooks' appendices."""
    return chr(ord("A") + sum(s.place == "appendix" for s in steps))


def render_briefing(
    out: Path,
    steps: list[Step],
    manifest: dict,
    title: str,
    log: Callable[[str], None],
    workbook=None,
) -> None:
    """Render HTML and PDF of ``steps`` (briefing order) and move both into place together.

    ``workbook`` is the pending job writing tables.xlsx elsewhere, if one was started.
    """
    from surveybrief.brief import report  # nbformat and the renderers: only when rendering
    from surveybrief.brief.provenance import provenance_html

    if workbook is None:
        write_tables_workbook(tables_dir(out), out / WORKBOOK_FILE)
    log("briefing: HTML and PDF ...")
    start = time.perf_counter()
    executed = [executed_dir(out) / s.executed_name for s in steps]
    nb = report.assemble(executed, provenance_html(manifest, provenance_letter(steps)), title)
    html = report.to_html(nb, title)
    pdf = report.to_pdf(html)
    if workbook is not None:
        workbook.result()  # raises what writing the workbook raised
    with (
        atomic_path(out / BRIEFING_FILES[0]) as tmp_html,
        atomic_path(out / BRIEFING_FILES[1]) as tmp_pdf,
    ):
        tmp_html.write_text(html, encoding="utf-8")
        tmp_pdf.write_bytes(pdf)
    seconds = time.perf_counter() - start
    manifest["notebooks"].append(
        {"name": "briefing (HTML, PDF)", "status": "ok", "seconds": round(seconds, 2)}
    )
    log(f"briefing: ok ({seconds:.1f} s)")
