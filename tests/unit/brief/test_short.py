"""The short brief says what the cover and the chapters say, in at most four pages' worth."""

import dataclasses
import re

from bs4 import BeautifulSoup

from surveybrief.brief import short
from surveybrief.brief.front import open_front
from surveybrief.brief.i18n import language
from tests.helpers import WAVE


def _soup(front) -> BeautifulSoup:
    return BeautifulSoup(short.brief_html(front), "html.parser")


def test_one_chart_per_chapter_of_its_most_certain_headline_question(cleaned_root, outputs):
    front = open_front(WAVE, cleaned_root, outputs)
    soup = _soup(front)
    chapters = [h.get_text() for h in soup.select(".brief-chart h3")]
    assert chapters == [f"{s.number}. {s.title('en')}" for s in front.codebook.chapters]
    chosen = dict((s.id, r.question.id) for s, r in short.chapter_charts(front))
    assert chosen["relations"] == "relations_state"  # 56% (42-69) beats obstacles' top answer
    assert all(img["alt"].startswith("Bar chart of ") for img in soup.select(".brief-chart img"))
    economic = soup.select(".brief-chart figcaption")[1].get_text()
    assert "The 5 most chosen of 9 answers; all in the report." in economic


def test_findings_carry_numbers_and_bases_and_changes_are_listed_apart(cleaned_root, outputs):
    soup = _soup(open_front(WAVE, cleaned_root, outputs))
    findings = [li.get_text() for li in soup.select(".brief-findings li")]
    assert len(findings) == 6 and all(re.search(r"\(\d+ of \d+; 95% CI", f) for f in findings)
    assert not any(f.startswith("Audit") for f in findings)
    changes = soup.select_one(".brief-changes").get_text(" ", strip=True)
    assert "first wave on record" in changes


def test_the_methodology_note_is_five_computed_lines(cleaned_root, outputs):
    front = open_front(WAVE, cleaned_root, outputs)
    lines = short.note_lines(front)
    assert len(lines) == 5
    assert lines[0].startswith("Who: 50 respondents.")
    assert "±13 points at n = 50 and ±17 at n = 30" in lines[2]
    assert "RECONSTRUCTED" in lines[3] and "28 of 31 published figures" in lines[3]
    assert lines[4].endswith("(3 more in the report.)")
    front.wave = dataclasses.replace(front.wave, limitations=())
    assert short.note_lines(front)[4] == "Limitations: none stated for this wave."


def test_the_pointer_names_the_report_by_what_it_is_never_by_its_file(cleaned_root, outputs):
    front = open_front(WAVE, cleaned_root, outputs)
    pointer = _soup(front).select_one("p.pointer").get_text()
    assert pointer.startswith("The full report") and ".pdf" not in pointer
    assert "outputs/" not in pointer
    front = open_front(WAVE, cleaned_root, outputs, langs="en,ru")
    with language("ru"):
        pointer = _soup(front).select_one("p.pointer").get_text()
    assert pointer.startswith("Полный отчёт") and ".pdf" not in pointer


def test_a_chapter_without_headline_questions_offers_its_closed_questions(cleaned_root, outputs):
    front = open_front(WAVE, cleaned_root, outputs)
    section = front.codebook.chapters[0]
    unmarked = dataclasses.replace(
        section,
        questions=[dataclasses.replace(q, is_headline=False) for q in section.questions],
    )
    assert front.headlines(unmarked) == []
    offered = front.headlines(unmarked, fallback=True)
    assert {r.question.id for _low, r in offered} == {"relations_state", "obstacles"}
