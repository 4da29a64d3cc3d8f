"""Assemble the briefing: executed notebooks -> one notebook -> HTML (nbconvert) -> PDF.

The front matter (``99_briefing``), the section chapters and the audit appendix are taken from
the executed notebooks; code cells' inputs, prompts, streams and cells tagged
``remove-from-briefing`` are left out by an nbconvert template of our own. The PDF is rendered
by WeasyPrint with the DejaVu Sans font shipped by matplotlib (Cyrillic and Kazakh letters) and a
URL fetcher that only admits inline data and that font: nothing else is fetched or embedded.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from surveybrief.brief.display import DOC_KEY, LANG_KEY, REPORT_DOC
from surveybrief.brief.i18n import _, language
from surveybrief.brief.sanitize import sanitize_document
from surveybrief.config import TEMPLATES_DIR
from surveybrief.exceptions import RenderError

REMOVE_TAG = "remove-from-briefing"
TEMPLATE_NAME = "briefing"
FONT_FILES = {
    ("normal", "normal"): "DejaVuSans.ttf",
    ("bold", "normal"): "DejaVuSans-Bold.ttf",
    ("normal", "italic"): "DejaVuSans-Oblique.ttf",
    ("bold", "italic"): "DejaVuSans-BoldOblique.ttf",
}


def _briefing_cells(nb: nbformat.NotebookNode, lang: str = "en", doc: str = REPORT_DOC) -> list:
    """Return the cells of an executed notebook that belong in document ``doc`` in ``lang``.

    An output tagged with another language or document (``brief.display``) is left out; the
    short brief takes outputs only (no narrative cells of the notebooks).
    """
    cells = []
    for cell in nb.cells:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if REMOVE_TAG in tags or "injected-parameters" in tags or "parameters" in tags:
            continue
        if doc != REPORT_DOC and cell.cell_type != "code":
            continue
        cell = copy.deepcopy(cell)
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.outputs
                if o.output_type in ("display_data", "execute_result")
                and o.get("metadata", {}).get(LANG_KEY, lang) == lang
                and o.get("metadata", {}).get(DOC_KEY, REPORT_DOC) == doc
            ]
            if not cell.outputs:
                continue
        cells.append(cell)
    return cells


def assemble(
    executed: list[Path], appendix_html: str, title: str, lang: str = "en", doc: str = REPORT_DOC
) -> nbformat.NotebookNode:
    """Return one notebook made of the ``doc`` cells of ``executed`` and a final appendix."""
    merged = nbformat.v4.new_notebook()
    merged.metadata["title"] = title
    for path in executed:
        for cell in _briefing_cells(nbformat.read(path, as_version=4), lang, doc):
            cell["id"] = f"{path.stem}-{cell.get('id', len(merged.cells))}"  # unique when merged
            merged.cells.append(cell)
    if appendix_html:
        cell = nbformat.v4.new_code_cell(source="")
        cell.outputs = [
            nbformat.v4.new_output(
                "display_data", data={"text/html": appendix_html, "text/plain": "appendix"}
            )
        ]
        merged.cells.append(cell)
    return merged


def draft_mark(lang: str = "en") -> str:
    """Return the DRAFT mark in ``lang``: on every page of a document that is not final."""
    with language(lang):
        return _("DRAFT — not for publication")


def stylesheet(lang: str = "en", draft: bool = False) -> str:
    """Return the briefing's CSS, its page footer in ``lang`` (and a DRAFT mark on each page)."""
    css = (TEMPLATES_DIR / TEMPLATE_NAME / "briefing.css").read_text(encoding="utf-8")
    with language(lang):
        pieces = re.split(r"(\{page\}|\{pages\})", _("Page {page} of {pages}"))
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    footer = " ".join(counters.get(p) or json.dumps(p, ensure_ascii=False) for p in pieces if p)
    css += f"\n@page {{ @bottom-center {{ content: {footer}; }} }}\n"
    if draft:
        mark = json.dumps(draft_mark(lang), ensure_ascii=False)
        css += (
            f"@page {{ @top-left {{ content: {mark}; color: #8a0f1c; font-weight: bold; "
            'font-size: 9pt; font-family: "DejaVu Sans", sans-serif; } }\n'
        )
    return css


def to_html(
    nb: nbformat.NotebookNode,
    title: str,
    lang: str = "en",
    doc: str = REPORT_DOC,
    draft: bool = False,
) -> str:
    """Render the assembled notebook through the briefing template: no code, no prompts.

    ``draft``: a DRAFT mark atop the page and on every printed page.
    """
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name=TEMPLATE_NAME,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    resources = {
        "briefing": {
            "title": title,
            "css": stylesheet(lang, draft),
            "lang": lang,
            "doc": doc,
            "draft": draft_mark(lang) if draft else "",
        }
    }
    html, _ = exporter.from_notebook_node(nb, resources=resources)
    return sanitize_document(html)


def font_paths() -> dict[tuple[str, str], Path]:
    """Return the DejaVu Sans files matplotlib ships (the briefing's one font family)."""
    import matplotlib

    root = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {key: root / name for key, name in FONT_FILES.items()}


def font_css() -> str:
    """Return @font-face rules binding 'DejaVu Sans' to matplotlib's font files."""
    rules = []
    for (weight, style), path in font_paths().items():
        rules.append(
            f'@font-face {{ font-family: "DejaVu Sans"; font-weight: {weight}; '
            f'font-style: {style}; src: url("{path.as_uri()}"); }}'
        )
    return "\n".join(rules)


def _fetcher():
    from weasyprint.urls import URLFetcher

    allowed = {p.as_uri() for p in font_paths().values()}

    class InlineOnlyFetcher(URLFetcher):
        """Admit data: URIs and the bundled font files; refuse every other URL."""

        def fetch(self, url, headers=None):
            if url.startswith("data:") or url in allowed:
                return super().fetch(url, headers)
            raise ValueError(f"briefing may not load external resources: {url[:80]}")

    return InlineOnlyFetcher(allowed_protocols={"data", "file"})


def to_pdf(html: str) -> bytes:
    """Render the briefing HTML to PDF bytes (A4, page numbers come from the stylesheet)."""
    return render_pdf(html)[0]


#: The least share of a last page's body a document that may tighten should fill (issue: a
#: brief whose last page holds one paragraph): below it, it is set tighter to lose that page.
MIN_LAST_PAGE_FILL = 0.3
#: The class that sets a document tighter (smaller type and charts; briefing.css).
COMPACT_CLASS = "compact"


def page_fills(document) -> list[float]:
    """Return how full each page of a WeasyPrint document is: its lowest box over its body."""
    fills = []
    for page in document.pages:
        box = page._page_box
        leaves = [
            d
            for child in box.children
            if type(child).__name__ != "MarginBox"
            for d in child.descendants()
            if not getattr(d, "children", None) and d.height is not None
        ]
        bottom = max((d.position_y + d.height for d in leaves), default=box.content_box_y())
        fills.append(round((bottom - box.content_box_y()) / box.height, 3))
    return fills


def _document(html: str):
    from weasyprint import CSS, HTML

    fetcher = _fetcher()
    return HTML(string=html, url_fetcher=fetcher, media_type="print").render(
        stylesheets=[CSS(string=font_css(), url_fetcher=fetcher)]
    )


_TAGGING = threading.Lock()


@contextmanager
def _languages_tagged() -> Iterator[None]:
    """Mark each structure element made from an HTML element with ``lang`` with its language.

    WeasyPrint (70) writes the document's language only; a quote in another language (a
    ``blockquote lang="ru"`` in an English report) must say its own (PDF/UA, /Lang on the
    element) for a screen reader to switch voices. Its tagger builds the tree with one
    recursive generator, wrapped here while a PDF is written (tests: test_languages).
    """
    import pydyf
    from weasyprint.pdf import tags

    original = getattr(tags, "_build_box_tree", None)
    if original is None:  # another WeasyPrint: its tagging as it is (tests would say so)
        yield
        return

    def build(box, parent, *args):
        element = getattr(box, "element", None)
        lang = None
        if element is not None and getattr(box, "element_tag", None) not in ("html", "body"):
            lang = element.attrib.get("lang")
        for made in original(box, parent, *args):
            if lang and isinstance(made, dict) and "S" in made and "Lang" not in made:
                made["Lang"] = pydyf.String(lang)
            yield made

    with _TAGGING:  # one render at a time patches the tagger (threads of one process)
        tags._build_box_tree = build
        try:
            yield
        finally:
            tags._build_box_tree = original


class _Errors(logging.Handler):
    """Keeps the errors WeasyPrint logs (its way of saying it left something out)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.said: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.said.append(record.getMessage())


@contextmanager
def _nothing_left_out(name: str) -> Iterator[None]:
    """Raise for what WeasyPrint only logs: a chart or image it left out, a Ctrl-C it caught.

    WeasyPrint (70) draws each SVG chart inside ``except BaseException``, logs "Failed to
    render SVG image" and goes on: the page kept half a chart, and a Ctrl-C that came then was
    lost, so an interrupted run published it with exit 0. Errors are its word for resources it
    could not use (images, stylesheets): each is a document that is not whole.
    """
    import signal

    errors, noted = _Errors(), []
    logger = logging.getLogger("weasyprint")
    previous = signal.getsignal(signal.SIGINT)
    watching = threading.current_thread() is threading.main_thread() and callable(previous)
    if watching:  # the run's own process; its workers leave Ctrl-C to it

        def note(signum, frame):
            noted.append(signum)
            previous(signum, frame)

        signal.signal(signal.SIGINT, note)
    logger.addHandler(errors)
    try:
        yield
    finally:
        logger.removeHandler(errors)
        if watching:
            signal.signal(signal.SIGINT, previous)
    if noted:
        raise KeyboardInterrupt
    if errors.said:
        raise RenderError(name, errors.said)


def render_pdf(html: str, tighten: bool = False, name: str = "the PDF") -> tuple[bytes, int]:
    """Render the HTML to PDF bytes and return them with the number of pages.

    Tagged PDF/UA-1 (WeasyPrint's ``pdf/ua-1``): headings, tables with header cells and every
    chart a Figure with its alt text, in a structure tree a screen reader follows; the
    document's language and title in its metadata; a bookmark outline from the headings.
    With ``tighten`` (the short brief), a last page less than ``MIN_LAST_PAGE_FILL`` full is
    avoided when the document set tighter (``compact``) takes a page fewer: full pages, or
    a shorter document. Anything WeasyPrint leaves out raises (:func:`_nothing_left_out`).
    """
    with _nothing_left_out(name):
        document = _document(html)
        if tighten and len(document.pages) > 1 and page_fills(document)[-1] < MIN_LAST_PAGE_FILL:
            tight = _document(html.replace("<html ", f'<html class="{COMPACT_CLASS}" ', 1))
            if len(tight.pages) < len(document.pages):
                document = tight
        with _languages_tagged():
            pdf = document.write_pdf(pdf_variant="pdf/ua-1")
    return pdf, len(document.pages)
