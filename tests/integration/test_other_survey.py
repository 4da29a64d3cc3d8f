"""Another institute's survey, its own codebook, exported by Kobo (xlsx) and Qualtrics (CSV).

The project's own notebooks run on it with no mapping and no notebook of its own: the briefing
holds that survey's chapters only, every question type reported.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from surveybrief.inputs.codebook import load_codebook
from surveybrief.run.pipeline import run_pipeline
from surveybrief.tools.synthetic import write_wave
from tests.helpers import FIXTURES

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("shape", ["kobo_xlsx", "qualtrics_csv"])
def test_another_survey_gets_its_own_chapters_from_a_platform_export(tmp_path, shape):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "water_survey" / "codebook", data / "codebook")
    codebook = load_codebook(data, 1)
    folder = write_wave(codebook, data, "2031-03", n=45, seed=21, shape=shape)
    assert "mapping: {}" in (folder / "wave.yaml").read_text(encoding="utf-8")
    out = tmp_path / "outputs"
    manifest = run_pipeline("2031-03", data, out, log=lambda line: None)
    names = [n["name"] for n in manifest["notebooks"]]
    assert names[:3] == ["00_clean", "10_section-cooperation", "10_section-institutions"]
    html = (out / "2031-03" / "briefing.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    chapters = [h.get_text(" ", strip=True) for h in soup.select("h1.chapter")]
    assert chapters == [
        "1. Cooperation on shared rivers",
        "2. Institutions",
        "Open answers: Remarks",
    ]
    remarks = soup.select_one("section.open-answers").get_text(" ", strip=True)
    assert "has no code frame for this question, so no themes are reported" in remarks
    assert "Central Asia" not in soup.get_text() and "Appendix A. Provenance" in html
    text = soup.get_text(" ", strip=True)
    assert "scale, the mean answer is" in text and "two highest points" in text  # ratings
    assert "Who answered" in text and "Remarks:" in text  # profile and open answers counted
    tables = out / "2031-03" / "tables"
    scale = pd.read_csv(tables / "readiness_scale.csv").set_index("statistic")
    assert 1 <= scale.loc["mean", "value"] <= 5 and scale.loc["top2_pct", "base"] > 0
    profile = pd.read_csv(tables / "profile_sector.csv")
    shown = profile[~profile["is_suppressed"]]
    assert (shown["count"] >= 5).all()
    for secret in ("Aliyeva", "Petrov", "example.org", "enumerator1", "203.0.113."):
        assert secret not in html
