"""make demo: three synthetic waves in three shapes and two codebook versions, with trends."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from surveybrief.config import DATA_DIR
from surveybrief.tools.demo import DEMO_WAVES, run_demo
from tests.helpers import (
    STATED_CHANGE,
    assert_fit_to_print,
    matched_claims,
    tree_digest,
    unbacked_numbers,
)

pytestmark = pytest.mark.integration


def test_demo_renders_a_three_wave_briefing_without_touching_data(tmp_path):
    before = tree_digest(DATA_DIR)
    manifest = run_demo(tmp_path / "demo")
    assert tree_digest(DATA_DIR) == before
    out = tmp_path / "demo" / DEMO_WAVES[-1][0]
    assert manifest["status"] == "ok"
    assert "80_trends" in [n["name"] for n in manifest["notebooks"]]
    soup = BeautifulSoup((out / "briefing.html").read_text(encoding="utf-8"), "html.parser")
    headings = [h.get_text(strip=True) for h in soup.find_all(["h1", "h2"])]
    assert "Trends across waves" in headings
    assert "What changed in the questionnaire" in headings
    changes = [li.get_text() for li in soup.select("ul.changes li")]
    assert any("Reworded" in c and "State of relations" in c for c in changes)
    assert any("trade_fta → free_trade" in c for c in changes)
    assert "SYNTHETIC" in soup.select_one(".cover").get_text()
    series = pd.read_csv(out / "tables" / "trends.csv")
    assert sorted(series["wave"].unique()) == [w[0] for w in DEMO_WAVES]
    reworded = series[series["question_id"] == "relations_state"]
    assert set(reworded["wave"]) == {DEMO_WAVES[-1][0]}  # reworded in v2: not compared
    free_trade = series[series["option"] == "free_trade"]
    assert len(free_trade) == 3  # the renamed option is followed through all waves
    findings = [li.get_text() for li in soup.select("ul.key-findings li")]
    assert 4 <= len(findings) <= 6
    assert any(f.startswith(("Change since", "Trends:")) for f in findings)
    text = soup.get_text(" ", strip=True)  # the demo shows a rating question with its summary
    assert "On the 1–5 scale, the mean answer is" in text and "two highest points" in text
    assert (out / "tables" / "prospects_10y_scale.csv").is_file()
    assert "Who answered" in text
    said = set()
    for name in ("briefing.html", "brief.en.html"):  # every stated number is a table's
        html = (out / name).read_text(encoding="utf-8")
        assert unbacked_numbers(html, out / "tables") == [], name
        said |= matched_claims(BeautifulSoup(html, "html.parser").get_text(" "))
    expected = {"runner_up", "no_change", "largest_shift", "change", "span", "open_share",
                "open_answered", "agreement", "bases_range", "precision", "wave_size"}  # fmt: skip
    assert expected <= said, said  # every kind of sentence the demo has is checked
    assert STATED_CHANGE.search(text)  # the check above saw the trend sentences
    html = (out / "briefing.html").read_text(encoding="utf-8")
    for pattern in (r"(mean answer is \d+\.\d \(95% CI \d+\.)(\d)", r"(in order: “[^”]+” \d)(\d)",
                    r"(\d+% to \d+% \([+-]?\d+ points; 95% CI [+-]?)(\d)",
                    r"(clearly ahead of “[^”]+” \()(\d)", r"(the widest interval is ±)(\d)",
                    r"(The largest shift, “[^”]+” \([+-]?)(\d)", r"(Bases range from )(\d)",
                    r"(Krippendorff's α = 0\.)(\d)", r"(\d+ respondents of )(\d)"):  # fmt: skip
        edited = re.sub(pattern, lambda m: m[1] + str((int(m[2]) + 1) % 10), html, count=1)
        assert edited != html and len(unbacked_numbers(edited, out / "tables")) == 1, pattern
    # Every trend chart's data is also a table, and its alt text says each value it draws.
    charted = [s for s in soup.select("section.trend") if s.select_one("figure img")]
    assert charted
    assert not [s for s in soup.select("section.trend") if s not in charted
                and s.select_one("table.series")]  # no chart, no chart's table  # fmt: skip
    for section in charted:
        rows = series[series["question_id"] == section["id"].removeprefix("trend-")]
        waves = sorted(rows["wave"].unique())
        alt = section.select_one("figure img")["alt"]
        assert all(w in alt for w in waves) and alt.count(" → ") >= len(waves) - 1, alt
        heads = [th.get_text() for th in section.select("table.series th")]
        assert len(waves) < 3 or all(any(h.startswith(w) for h in heads) for w in waves), heads
    # Wide tables (breakdowns with ten options, trend changes) stay inside the page.
    (tmp_path / "pages").mkdir()
    assert_fit_to_print(out / "briefing.pdf", tmp_path / "pages")
    # The short brief lists the changes since the previous wave and still fits four pages.
    brief = BeautifulSoup((out / "brief.en.html").read_text(encoding="utf-8"), "html.parser")
    listed = [li.get_text() for li in brief.select(".brief-changes li")]
    assert listed and all(c.startswith(("Change since", "Trends:")) for c in listed)
    assert 1 <= len(PdfReader(out / "brief.en.pdf").pages) <= 4


def test_demo_shows_a_two_round_delphi_with_consensus_and_feedback_sheets(tmp_path, monkeypatch):
    from surveybrief.clean.panel_key import KEY_ENV
    from surveybrief.tools.demo import run_delphi_demo
    from surveybrief.tools.synthetic_delphi import N_ROUND_2, ROUNDS

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(KEY_ENV, raising=False)
    manifest = run_delphi_demo(tmp_path / "demo-delphi", tmp_path / "private")
    assert manifest["status"] == "ok" and manifest["panel_key"]
    assert not (tmp_path / "config" / "surveybrief").exists()  # its own key, not the user's
    out = tmp_path / "demo-delphi" / ROUNDS[-1][0]
    soup = BeautifulSoup((out / "briefing.html").read_text(encoding="utf-8"), "html.parser")
    chapters = [h.get_text(strip=True) for h in soup.select("h1.chapter")]
    assert chapters[0] == "Where the panel agrees" and "Trends across waves" in chapters
    assert "Round 2 of a Delphi survey." in soup.get_text(" ", strip=True)
    sheets = tmp_path / "private" / "feedback" / ROUNDS[-1][0]
    assert len(list(sheets.glob("p*.html"))) == N_ROUND_2 and (sheets / "mail_merge.csv").is_file()
