"""Render the briefing: the executed notebooks of the plan -> HTML and PDF, moved in together.

Also writes ``tables.xlsx`` (every table, a sheet each). HTML and PDF are written to temporary
files and replace the previous briefing only when both rendered.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import ExitStack
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


def briefing_files(langs: tuple[str, ...] = ("en",)) -> list[str]:
    """Return the briefing's files: briefing.html|pdf, and briefing.<lang>.html|pdf per language.

    The default (first) language is also briefing.html|pdf; per-language files are written only
    when more than one language is asked for.
    """
    names = list(BRIEFING_FILES)
    if len(langs) > 1:
        names += [f"briefing.{lang}.{ext}" for lang in langs for ext in ("html", "pdf")]
    return names


def _render_one(out: Path, steps: list[Step], manifest: dict, title: str, lang: str):
    """Return the HTML and PDF of the briefing in one language."""
    from surveybrief.brief import report  # nbformat and the renderers: only when rendering
    from surveybrief.brief.i18n import language
    from surveybrief.brief.provenance import provenance_html

    executed = [executed_dir(out) / s.executed_name for s in steps]
    with language(lang):
        appendix = provenance_html(manifest, provenance_letter(steps))
    nb = report.assemble(executed, appendix, title, lang)
    html = report.to_html(nb, title, lang)
    return html, report.to_pdf(html)


def render_briefing(
    out: Path,
    steps: list[Step],
    manifest: dict,
    titles: dict[str, str],
    log: Callable[[str], None],
    workbook=None,
) -> None:
    """Render HTML and PDF of ``steps`` (briefing order) in each language, moved in together.

    ``titles`` gives the briefing's title per language (its first language is the default);
    ``workbook`` is the pending job writing tables.xlsx elsewhere, if one was started.
    """
    langs = tuple(titles)
    if workbook is None:
        write_tables_workbook(tables_dir(out), out / WORKBOOK_FILE)
    log(f"briefing: HTML and PDF ({', '.join(langs)}) ...")
    start = time.perf_counter()
    rendered = {lang: _render_one(out, steps, manifest, titles[lang], lang) for lang in langs}
    if workbook is not None:
        workbook.result()  # raises what writing the workbook raised
    payloads = dict(zip(BRIEFING_FILES, rendered[langs[0]], strict=True))
    if len(langs) > 1:
        for lang, (html, pdf) in rendered.items():
            payloads[f"briefing.{lang}.html"], payloads[f"briefing.{lang}.pdf"] = html, pdf
    with ExitStack() as stack:  # every file replaced only when all rendered
        temps = {name: stack.enter_context(atomic_path(out / name)) for name in payloads}
        for name, data in payloads.items():
            if isinstance(data, str):
                temps[name].write_text(data, encoding="utf-8")
            else:
                temps[name].write_bytes(data)
    seconds = time.perf_counter() - start
    manifest["notebooks"].append(
        {"name": "briefing (HTML, PDF)", "status": "ok", "seconds": round(seconds, 2)}
    )
    log(f"briefing: ok ({seconds:.1f} s)")
