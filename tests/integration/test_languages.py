"""The briefing in English, Russian and Kazakh from one execution of the notebooks."""

from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from surveybrief.run.pipeline import run_pipeline
from tests.helpers import (
    WAVE,
    assert_fit_to_print,
    assert_reads_in_chromium,
    copy_data_root,
    ink_fills,
    pdf_structure,
)

pytestmark = pytest.mark.integration
CYRILLIC = re.compile("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]")
#: Latin words a Russian or Kazakh page may hold: proper names, the English article's title
#: (quoted as published), file names, statistical symbols.
ALLOWED = {
    "Astana", "Open", "Dialogue", "The", "Times", "Experts", "See", "Economic", "Cooperation",
    "as", "Central", "Asia's", "Best", "Path", "to", "Integration", "half", "sha256", "Git",
}  # fmt: skip


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("langs")
    data = copy_data_root(root / "data")
    manifest = run_pipeline(WAVE, data, root / "outputs", log=lambda line: None, langs="en,ru,kk")
    assert manifest["status"] == "ok"
    return root / "outputs" / WAVE


def body_text(path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for element in soup.select(".provenance"):  # hashes, package names and versions
        element.decompose()
    return soup.select_one("main").get_text(" ", strip=True)


def test_every_language_has_its_html_and_pdf_and_the_default_is_english(out):
    for lang in ("en", "ru", "kk"):
        html = (out / f"briefing.{lang}.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        assert (out / f"briefing.{lang}.pdf").stat().st_size > 10_000
    assert (out / "briefing.html").read_bytes() == (out / "briefing.en.html").read_bytes()


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_no_english_word_outside_names_and_quotations(out, lang):
    text = body_text(out / f"briefing.{lang}.html")
    words = set(re.findall(r"\b[A-Za-z][A-Za-z'’]+\b", text))
    assert words - ALLOWED == set(), sorted(words - ALLOWED)[:20]
    cover = {"ru": "Основные выводы", "kk": "Негізгі қорытындылар"}[lang]
    assert cover in text


def test_plural_forms_and_formats_on_the_page(out):
    ru = body_text(out / "briefing.ru.html")
    said = "Из 50 экспертов, ответивших на вопрос, 56\u00a0% (28 из 50; 95\u00a0% ДИ 42–69\u00a0%)"
    assert said in ru
    assert "9–16 июня 2025\u202fг." in ru
    kk = body_text(out / "briefing.kk.html")
    assert "2025\u202fж. 9–16 маусым" in kk


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_kazakh_and_russian_pages_fit_and_carry_their_letters(out, lang, tmp_path):
    pdf = out / f"briefing.{lang}.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    letters = {"ru": "жщыэюя", "kk": "әғқңөұүі"}[lang]
    assert all(ch in text for ch in letters), [ch for ch in letters if ch not in text]
    assert {"ru": "Страница 1 из", "kk": "беттің 1-беті"}[lang] in text
    assert_fit_to_print(pdf, tmp_path)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_short_brief_fits_four_pages_in_every_language(out, lang, tmp_path):
    pdf = out / f"brief.{lang}.pdf"
    pages = PdfReader(pdf).pages
    assert 1 <= len(pages) <= 4, f"brief.{lang}.pdf has {len(pages)} pages"
    assert_fit_to_print(pdf, tmp_path)
    html = (out / f"brief.{lang}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html
    soup = BeautifulSoup(html, "html.parser")
    assert len(soup.select(".brief-chart img")) == 6  # one chart per chapter of codebook v1
    assert len(soup.select("ul.note li")) == 5  # the five-line methodology note
    pointer = soup.select_one("p.pointer").get_text()  # the full report, named by what it is
    assert {"en": "The full report", "ru": "Полный отчёт", "kk": "Толық есеп"}[lang] in pointer


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_short_brief_has_no_english_word_outside_names(out, lang):
    text = body_text(out / f"brief.{lang}.html")
    words = set(re.findall(r"\b[A-Za-z][A-Za-z'’]+\b", text)) - ALLOWED - {"HTML", "AAPOR"}
    assert words == set(), sorted(words)[:20]


def test_the_brief_and_the_report_come_from_the_same_run_and_differ(out):
    brief, report = body_text(out / "brief.en.html"), body_text(out / "briefing.en.html")
    assert "Methodology in brief" in brief and "Methodology in brief" not in report
    assert "Results by chapter" not in report and "Table 1.1" not in brief
    findings = {
        doc: [
            li.get_text(" ", strip=True)
            for li in BeautifulSoup(
                (out / f"{doc}.en.html").read_text(encoding="utf-8"), "html.parser"
            ).select("ul.key-findings li")
        ]
        for doc in ("brief", "briefing")
    }
    headline = [f for f in findings["briefing"] if not f.startswith("Audit")]
    assert headline and set(headline) <= set(findings["brief"])  # the cover's, and the sixth
    pages = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["pages"]
    assert pages["brief.ru.pdf"] <= 4 and pages["briefing.ru.pdf"] > 4


def test_every_language_reads_in_a_browser(out):
    pages = [out / f"{doc}.{lang}.html" for doc in ("briefing", "brief") for lang in ("ru", "kk")]
    shots = assert_reads_in_chromium([*pages, out / "brief.en.html"], out / "checks")
    assert len(shots) == 10 and all(p.stat().st_size > 10_000 for p in shots)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_every_share_stated_in_every_language_is_a_row_of_a_table(out, lang):
    """The pattern of a stated share comes from each language's catalog (tests/helpers.py)."""
    from bs4 import BeautifulSoup

    from tests.helpers import matched_claims, unbacked_numbers

    said = set()
    for name in (f"briefing.{lang}.html", f"brief.{lang}.html"):
        html = (out / name).read_text(encoding="utf-8")
        assert unbacked_numbers(html, out / "tables", lang) == [], name
        said |= matched_claims(BeautifulSoup(html, "html.parser").get_text(" "), lang)
    # the reconstructed wave's sentences are read in every language (none checked vacuously)
    assert {"unreported", "audit_counts", "audit_smallest", "assumed_base", "runner_up", "span",
            "bases_range", "precision", "reproduced", "wave_size"} <= said, said  # fmt: skip


def test_tables_are_language_independent_and_charts_come_in_each_language(out):
    """A run in three languages writes English tables; each chart once per language."""
    tables = list((out / "tables").glob("*.csv"))
    assert tables and not [p.name for p in tables if CYRILLIC.search(p.read_text())]
    english = [p for p in (out / "figures").glob("*.svg") if p.suffixes == [".svg"]]
    assert english and not [p.name for p in english if CYRILLIC.search(p.read_text())]
    for lang in ("ru", "kk"):
        assert all((p.parent / f"{p.stem}.{lang}.svg").is_file() for p in english)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
@pytest.mark.parametrize("doc", ["briefing", "brief"])
def test_every_pdf_is_tagged_with_its_language_headings_tables_and_figure_alternatives(
    out, lang, doc
):
    """PDF/UA-1: a structure tree with headings, header cells and a described Figure per chart."""
    html = BeautifulSoup((out / f"{doc}.{lang}.html").read_text(encoding="utf-8"), "html.parser")
    found = pdf_structure(out / f"{doc}.{lang}.pdf")
    assert found["tagged"] and found["lang"] == lang
    assert found["title"] == html.title.get_text(strip=True)
    counts = found["counts"]
    # a table broken across pages is one Table per page: at least every table, every header cell
    assert counts["/H1"] >= 1 and counts["/Table"] >= len(html.select("table"))
    assert counts["/TH"] >= len(html.select("th"))
    charts = [img for img in html.select("main img")]
    assert len(found["alts"]) == len(charts) >= 1
    assert all(len(alt) > 20 for alt in found["alts"])  # each says what its chart shows
    assert sorted(found["alts"]) == sorted(img["alt"] for img in charts)
    assert found["outline"] >= 1


#: What names the project's files or settings: never in what a reader reads (the appendix of
#: provenance, which lists the inputs by file, aside).
ANALYST_WORDS = re.compile(
    r"wave\.yaml|README|quarantine\.csv|manifest\.json|quotes\.allowed|checklist|\.ipynb|"
    r"\.yaml\b|\.csv\b|\bdata/|make (briefing|coding|test)"
)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_reader_documents_name_no_file_or_setting_of_the_project(out, lang):
    """Not a file, a setting, a notebook or a command, the provenance appendix included."""
    for doc in ("briefing", "brief"):
        html = (out / f"{doc}.{lang}.html").read_text(encoding="utf-8")
        text = BeautifulSoup(html, "html.parser").select_one("main").get_text(" ", strip=True)
        assert [m.group() for m in ANALYST_WORDS.finditer(text)] == [], (doc, lang)


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_the_brief_has_no_near_empty_last_page(out, lang, tmp_path):
    """Full pages, or a shorter brief: the last page holds at least a third of a page."""
    fills = ink_fills(out / f"brief.{lang}.pdf", tmp_path)
    assert len(fills) == 1 or fills[-1] >= 0.3, [round(f, 2) for f in fills]
    assert min(fills[:-1], default=1) >= 0.5, [round(f, 2) for f in fills]
