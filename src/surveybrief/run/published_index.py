"""``outputs/index.html``: every wave's published documents, with dates, sizes and pages.

Written after each run publishes a wave, from what every wave's published build records (its
``manifest.json``: when it finished, draft or final, page counts) and the files' sizes; one
page for whoever hands the briefings on. Accessible like the documents: a language, a title,
one table per wave with a caption and header cells, links that say what they open.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from surveybrief.config import WAVE_ID_PATTERN
from surveybrief.run.manifest import MANIFEST_FILE
from surveybrief.writers import write_text_atomic

INDEX_FILE = "index.html"
_LANG = re.compile(r'<html[^>]*\slang="([A-Za-z-]+)"')
WORKBOOK = "tables.xlsx"
_LANGUAGES = {  # the page is English; a language's own name is marked with that language
    "en": "English",
    "ru": 'Russian (<span lang="ru">Русский</span>)',
    "kk": 'Kazakh (<span lang="kk">Қазақша</span>)',
}
_STYLE = """
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2733; margin: 0 auto;
       max-width: 60rem; padding: 1rem; line-height: 1.45; }
table { border-collapse: collapse; width: 100%; margin: 0 0 2rem; }
caption { text-align: left; font-weight: bold; padding: 0.4rem 0; }
th, td { border-bottom: 1px solid #c9d1da; padding: 0.35rem 0.5rem; text-align: left; }
a { color: #0b4f8a; }
.draft { color: #8a0f1c; font-weight: bold; }
.wrap { overflow-x: auto; }
"""


@dataclass(frozen=True)
class Published:
    """One wave's published build: its folder and the record of the run that made it."""

    wave: str
    folder: Path
    manifest: dict


def published_waves(outputs_root: Path) -> list[Published]:
    """Return every wave published under ``outputs_root`` with a readable record, newest first."""
    found = []
    for folder in sorted(Path(outputs_root).iterdir(), reverse=True):
        if not WAVE_ID_PATTERN.match(folder.name) or not folder.is_dir():
            continue
        try:
            manifest = json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a folder from before records: not listed
        if manifest.get("status") == "ok":
            found.append(Published(folder.name, folder, manifest))
    return found


def _size(path: Path) -> str:
    """Return a file's size as a reader says it (kB below a megabyte)."""
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{max(1, round(size / 1000))} kB"


def _language_of(page: Path) -> str:
    """Return the language a document declares (``<html lang="...">``)."""
    with page.open(encoding="utf-8", errors="replace") as text:
        found = _LANG.search(text.read(4096))
    return found[1] if found else "?"


def _document_rows(item: Published) -> list[str]:
    """Return a table row per document kind and language: its HTML and PDF, sizes, pages."""
    from surveybrief.brief.documents.document_kind import document_kinds

    rows, pages = [], item.manifest.get("pages", {})
    for kind in document_kinds():
        found = sorted(item.folder.glob(f"{kind.stem}.*.html"))
        if not found and (item.folder / f"{kind.stem}.html").is_file():
            found = [item.folder / f"{kind.stem}.html"]  # one language: the unsuffixed file
        for path in found:
            lang = _language_of(path)
            language = _LANGUAGES.get(lang, escape(lang))  # HTML: own names marked
            title = kind.title or kind.name
            cells = [f'<th scope="row">{escape(title)}</th>', f"<td>{language}</td>"]
            html_link = f'<a href="{escape(item.wave)}/{escape(path.name)}">'
            cells.append(f"<td>{html_link}{escape(title)}, {language}, web page</a> "
                         f"({_size(path)})</td>")  # fmt: skip
            pdf = path.with_suffix(".pdf")
            if pdf.is_file():
                count = pages.get(pdf.name)
                said = f", {count} page{'s' if count != 1 else ''}" if count else ""
                link = f'<a href="{escape(item.wave)}/{escape(pdf.name)}">'
                cells.append(f"<td>{link}{escape(title)}, {language}, PDF</a> "
                             f"({_size(pdf)}{said})</td>")  # fmt: skip
            else:
                cells.append("<td>no PDF</td>")
            rows.append("<tr>" + "".join(cells) + "</tr>")
    return rows


def _wave_table(item: Published) -> str:
    """Return one wave's table: when it was published, draft or final, and every document."""
    m = item.manifest
    state = (
        "final" if m.get("final") else '<span class="draft">DRAFT</span>'
        if "final" in m else "not recorded"
    )  # fmt: skip
    finished = escape(str(m.get("finished_at", "")).replace("T", " ").replace("+00:00", " UTC"))
    rows = _document_rows(item)
    workbook = item.folder / WORKBOOK
    if workbook.is_file():
        rows.append(
            '<tr><th scope="row">Tables</th><td>every language</td><td colspan="2">'
            f'<a href="{escape(item.wave)}/{WORKBOOK}">Every table of wave {escape(item.wave)}, '
            f"spreadsheet</a> ({_size(workbook)})</td></tr>"
        )
    caption = f"Wave {escape(item.wave)}: published {finished}, {state}"
    head = "".join(f'<th scope="col">{h}</th>' for h in ("Document", "Language", "Web page", "PDF"))
    return (
        f'<div class="wrap" tabindex="0" role="region" aria-label="Wave {escape(item.wave)}">'
        f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def index_html(outputs_root: Path) -> str:
    """Return the index page of everything published under ``outputs_root``."""
    waves = published_waves(outputs_root)
    body = "".join(_wave_table(w) for w in waves) or "<p>Nothing is published yet.</p>"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">'
        f"<title>Published briefings</title><style>{_STYLE}</style></head><body><main>"
        "<h1>Published briefings</h1>"
        f"<p>{len(waves)} wave(s), newest first. A DRAFT is not for publication.</p>"
        f"{body}</main></body></html>\n"
    )


def write_index(outputs_root: Path) -> Path:
    """Write ``outputs/index.html`` anew (atomically) from what is published now."""
    return write_text_atomic(Path(outputs_root) / INDEX_FILE, index_html(outputs_root))
