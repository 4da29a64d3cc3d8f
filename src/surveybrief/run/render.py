"""Render the briefing: the executed notebooks of the plan -> HTML and PDF, moved in together.

Two documents per language from the same executed notebooks: the full report (every output
but the brief's) and the short brief (the front notebook's brief outputs). Also writes
``tables.xlsx`` (every table, a sheet each). All files are written to temporary files and
replace the previous ones only when every document rendered.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path

from surveybrief import catalogue
from surveybrief.config import executed_dir
from surveybrief.run.plan import Step
from surveybrief.writers import atomic_path, write_workbook_atomic

WORKBOOK_FILE = "tables.xlsx"


def write_tables_workbook(output_dir: Path, target: Path) -> Path | None:
    """Write every result of the run into one workbook, a sheet per table (for spreadsheets).

    From the catalogue, as the steps wrote them (typed), not from the published CSVs.
    """
    found = catalogue.names(output_dir)
    if not found:
        return None
    return write_workbook_atomic(target, {n: catalogue.read(output_dir, n) for n in found})


def provenance_letter(steps: list[Step]) -> str:
    """Return the provenance appendix's letter: the one after the notebooks' appendices."""
    return chr(ord("A") + sum(s.place == "appendix" for s in steps))


def briefing_files(langs: tuple[str, ...] = ("en",), pdf: bool = True) -> list[str]:
    """Return the files the render writes: each registered document kind in each language.

    The report is briefing.html|pdf in the default (first) language, and also
    briefing.<lang>.html|pdf per language when more than one is asked for; the short brief (and
    any other kind) is <stem>.<lang>.html|pdf for every language (``brief.documents``).
    """
    return [f"{stem}.{ext}" for stem in documents(langs) for ext in _formats(pdf)]


def _formats(pdf: bool) -> tuple[str, ...]:
    """Return the formats a render writes: HTML, and PDF unless a preview leaves it out."""
    return ("html", "pdf") if pdf else ("html",)


def _kinds() -> tuple:
    from surveybrief.brief.documents.document_kind import document_kinds

    return document_kinds()


def documents(langs: tuple[str, ...]) -> dict[str, str]:
    """Return, per file stem the render writes, the rendered document it holds (a job name)."""
    names = {}
    for kind in _kinds():
        if kind.unsuffixed:
            names[kind.stem] = f"{kind.stem}.{langs[0]}"
        if not kind.unsuffixed or len(langs) > 1:
            names |= {f"{kind.stem}.{lang}": f"{kind.stem}.{lang}" for lang in langs}
    return names


def render_document(job: tuple) -> tuple[str, bytes, int]:
    """Render one document (report or brief, one language): its HTML, PDF and page count.

    ``job`` is (executed notebooks, appendix HTML, title, language, document, PDF too?,
    DRAFT mark?); a preview leaves the PDF out (no bytes, no pages). A top-level
    function so the run's worker processes can render documents side by side.
    """
    from surveybrief.brief import report  # nbconvert and WeasyPrint: only when rendering

    executed, appendix, title, lang, doc, pdf, draft = job
    nb = report.assemble(executed, appendix, title, lang, doc)
    html = report.to_html(nb, title, lang, doc, draft)
    tighten = next(k.tighten for k in _kinds() if k.name == doc)
    return (
        (html, *report.render_pdf(html, tighten, f"the {doc} in {lang} (PDF)"))
        if pdf
        else (html, b"", 0)
    )


def _jobs(
    out: Path,
    steps: list[Step],
    manifest: dict,
    titles: dict[str, str],
    pdf: bool = True,
    draft: bool = True,
) -> dict:
    """Return the render jobs by job name: each kind of document in each language, in order."""
    from surveybrief.brief.documents.document_kind import ALL_STEPS
    from surveybrief.brief.i18n import language
    from surveybrief.brief.provenance_appendix import provenance_html

    executed = [(executed_dir(out) / s.executed_name).resolve() for s in steps]
    front = [path for path, s in zip(executed, steps, strict=True) if s.place == "front"]
    jobs = {}
    for kind in _kinds():
        sources = executed if kind.steps == ALL_STEPS else front
        for lang, title in titles.items():
            with language(lang):
                appendix = (
                    provenance_html(manifest, provenance_letter(steps)) if kind.appendix else ""
                )
            jobs[f"{kind.stem}.{lang}"] = (sources, appendix, title, lang, kind.name, pdf, draft)
    return jobs


def _render_all(jobs: dict, pool) -> dict:
    """Render every job: the first here, the others in ``pool``'s workers when there is one."""
    names = list(jobs)
    futures = {name: pool.submit(render_document, jobs[name]) for name in names[1:]} if pool else {}
    rendered = {names[0]: render_document(jobs[names[0]])}
    for name in names[1:]:
        rendered[name] = futures[name].result() if name in futures else render_document(jobs[name])
    return rendered


def render_briefing(
    out: Path,
    steps: list[Step],
    manifest: dict,
    titles: dict[str, str],
    log: Callable[[str], None],
    workbook=None,
    pool=None,
    pdf: bool = True,
    draft: bool = True,
) -> None:
    """Render the report and the short brief of ``steps`` in each language, moved in together.

    ``titles`` gives the title per language (its first language is the default);
    ``workbook`` is the pending job writing tables.xlsx elsewhere, if one was started;
    ``pool`` (the run's workers, if any) renders documents beside this process; ``pdf``
    False (a preview) writes the HTML only; ``draft`` marks every page DRAFT (every run but a
    final one, ``make briefing FINAL=1``).
    """
    langs = tuple(titles)
    if workbook is None:
        write_tables_workbook(out, out / WORKBOOK_FILE)
    formats = " and ".join(f.upper() for f in _formats(pdf))
    log(f"briefing: report and brief, {formats} ({', '.join(langs)}) ...")
    start = time.perf_counter()
    rendered = _render_all(_jobs(out, steps, manifest, titles, pdf, draft), pool)
    if workbook is not None:
        workbook.result()  # raises what writing the workbook raised
    names = documents(langs)
    payloads = {
        f"{stem}.{ext}": rendered[job][i]
        for stem, job in names.items()
        for i, ext in enumerate(_formats(pdf))
    }
    with ExitStack() as stack:  # every file replaced only when all rendered
        temps = {name: stack.enter_context(atomic_path(out / name)) for name in payloads}
        for name, data in payloads.items():
            if isinstance(data, str):
                temps[name].write_text(data, encoding="utf-8")
            else:
                temps[name].write_bytes(data)
    seconds = time.perf_counter() - start
    manifest["notebooks"].append(
        {"name": f"briefing ({', '.join(_formats(pdf)).upper()})", "status": "ok",
         "seconds": round(seconds, 2)}
    )  # fmt: skip
    if pdf:
        manifest["pages"] = {f"{stem}.pdf": rendered[job][2] for stem, job in names.items()}
    log(f"briefing: ok ({seconds:.1f} s)")
    _warn_long(manifest.get("pages", {}), log)


def page_counts(out: Path, langs: tuple[str, ...], pdf: bool = True) -> dict[str, int]:
    """Return the pages of each PDF of a build (a briefing reused from an earlier run)."""
    if not pdf:
        return {}
    from pypdf import PdfReader

    return {f"{stem}.pdf": len(PdfReader(out / f"{stem}.pdf").pages) for stem in documents(langs)}


def _warn_long(pages: dict[str, int], log: Callable[[str], None]) -> None:
    """Report each document longer than its kind's page limit (the render still publishes it)."""
    for kind in (k for k in _kinds() if k.max_pages):
        for name, count in pages.items():
            if name.startswith(f"{kind.stem}.") and count > kind.max_pages:
                limit = f"the {kind.name}'s {kind.max_pages}"
                log(f"warning: {name} has {count} pages, more than {limit}")
