"""Open answers end to end: themes, the unreviewed notice, and hostile quotes inert everywhere."""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from surveybrief.run.pipeline import run_pipeline
from tests.helpers import data_root_with_codebook, pdf_structure

pytestmark = pytest.mark.integration
WAVE = "2026-06"
FIELD = "What is your main field of expertise?"
COMMENT = "Any further comments on regional integration?"
#: The data-safety table's hostile texts, each touching a theme so that it is quoted.
HOSTILE = [
    "<script>alert('x')</script> Water is the real issue.",
    '<img src=x onerror="alert(1)"> Transport corridors matter.',
    '=HYPERLINK("http://evil.example/a","trust") Political trust first.',
    "+SUM(1,2) and regional institutions.",
    "Call me on +7 (701) 555-12-34 about energy.",
    "My IIN is 850101300123; irrigation is key.",
    "Write to aigerim.b@mail.kz about railway transit.",
    "Айгерим Бекова считает, что водные споры важнее всего.",
    "John Smith says dialogue and patience help.",
]
SECRETS = [
    "555-12-34", "850101300123", "aigerim.b@mail.kz", "evil.example", "Айгерим", "Бекова",
    "John Smith", "Smith",
]  # fmt: skip


def write_wave(root):
    folder = root / "raw" / WAVE
    folder.mkdir(parents=True)
    rows = [["Timestamp", "Email Address", FIELD, COMMENT]]
    fields = ["Economics", "Politics", "Education"]
    for i, text in enumerate([*HOSTILE, "N/A", "Trade first.", ""]):
        rows.append([f"2026/06/10 10:{i:02d}:00", f"e{i}@example.org", fields[i % 3], text])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    (folder / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    (folder / "roster.csv").write_text("name\nАйгерим Бекова\nJohn Smith\n", encoding="utf-8")
    wave = {
        "wave": WAVE, "title": "Open answers test (SYNTHETIC)", "sponsor": "Test",
        "fieldwork": {"start": "2026-06-10", "end": "2026-06-12"}, "population": "None",
        "sample": {"description": "12 rows", "n_stated": 12}, "mode": "Google Forms",
        "codebook_version": 1, "is_synthetic": True,
        "export": {"file": "export.csv", "respondent_id": "Email Address", "roster": "roster.csv"},
        "quotes": {"allowed": True, "per_theme": 5},
    }  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(wave, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = tmp_path_factory.mktemp("open")
    data = data_root_with_codebook(root / "data")
    write_wave(data)
    run_pipeline(WAVE, data, root / "outputs", log=lambda line: None)
    return root / "outputs" / WAVE


def test_the_chapter_says_its_themes_are_an_unreviewed_keyword_pass(outputs):
    soup = BeautifulSoup((outputs / "briefing.html").read_text(encoding="utf-8"), "html.parser")
    chapter = soup.select_one("section.open-answers")
    assert "Automatic keyword pass, not reviewed" in chapter.select_one(".notice").get_text()
    assert "10 respondents of 12" in chapter.get_text()  # "N/A" and blank are not comments
    pdf = " ".join(p.extract_text() for p in PdfReader(outputs / "briefing.pdf").pages)
    assert "Automatic keyword pass, not reviewed" in " ".join(pdf.split())
    assert (outputs / "tables" / "comments_themes.csv").is_file()


def test_hostile_quotes_are_inert_and_scrubbed_in_every_output(outputs):
    html = (outputs / "briefing.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    quotes = [q.get_text() for q in soup.select("section.quotes blockquote p")]
    assert len(quotes) >= 7
    assert any("<script>alert('x')</script>" in q for q in quotes)  # shown as text
    assert not soup.find("script") and not soup.find("img", src="x")
    assert not [t for t in soup.find_all(True) if any(a.startswith("on") for a in t.attrs)]
    assert any(q.startswith("=HYPERLINK") for q in quotes)  # text on the page ...
    table = (outputs / "tables" / "comments_quotes.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in table and "'+SUM" in table  # ... guarded in the CSV
    book = load_workbook(outputs / "tables.xlsx")
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert not [c for c in cells if c.data_type == "f"]  # and no formula in the workbook
    assert any("=HYPERLINK" in str(c.value) for c in cells if c.data_type == "s")
    pdf = " ".join(p.extract_text() for p in PdfReader(outputs / "briefing.pdf").pages)
    texts = {"html": html, "pdf": pdf, "csv": table, "xlsx": " ".join(str(c.value) for c in cells)}
    for where, text in texts.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} in the {where}"
    assert "[phone]" in html and "[id]" in html and "[email]" in html and "[name]" in html


def test_the_coding_round_trip_from_the_command_line(tmp_path):
    """make coding writes the workbook; coded and returned, the next run reports two coders."""
    import json

    from surveybrief.__main__ import main
    from surveybrief.inputs.coding import CODE_COLUMNS, SHEET

    data = data_root_with_codebook(tmp_path / "data")
    write_wave(data)
    out = tmp_path / "outputs"
    assert main(["coding", "--wave", WAVE, "--data", str(data), "--out", str(out)]) == 0
    book = load_workbook(out / "coding" / WAVE / "comments.xlsx")
    sheet = book[SHEET]
    header = [c.value for c in sheet[1]]
    for row in range(2, sheet.max_row + 1):
        suggested = (sheet.cell(row, header.index("suggested") + 1).value or "no_theme").split(", ")
        for role in ("coder1", "coder2"):
            column = header.index(CODE_COLUMNS[role][0]) + 1
            sheet.cell(row, column, suggested[0])
    returned = data / "coding" / WAVE / "comments.xlsx"
    returned.parent.mkdir(parents=True)
    book.save(returned)
    run_pipeline(WAVE, data, out, log=lambda line: None)
    manifest = json.loads((out / WAVE / "manifest.json").read_text(encoding="utf-8"))
    assert f"coding/{WAVE}/comments.xlsx" in manifest["inputs"]  # hashed like raw data
    soup = BeautifulSoup((out / WAVE / "briefing.html").read_text(encoding="utf-8"), "html.parser")
    chapter = soup.select_one("section.open-answers").get_text(" ", strip=True)
    assert "Coded by two coders independently: agreement over all themes 100%" in chapter
    assert "Automatic keyword pass" not in chapter
    assert (out / WAVE / "tables" / "comments_agreement.csv").is_file()


def test_each_quote_says_its_language_in_the_html_and_the_tagged_pdf(outputs):
    """A Russian quote in an English report is marked Russian for a screen reader (PDF/UA)."""
    soup = BeautifulSoup((outputs / "briefing.html").read_text(encoding="utf-8"), "html.parser")
    langs = [quote["lang"] for quote in soup.select("section.quotes blockquote")]
    assert "ru" in langs and "en" in langs
    assert pdf_structure(outputs / "briefing.pdf")["langs"]["/BlockQuote"] == langs
