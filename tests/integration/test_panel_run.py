"""Two waves that share experts are compared as a panel: who stayed, and the test on the pairs."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
import yaml
from bs4 import BeautifulSoup

from surveybrief.clean.panel_key import KEY_ENV
from surveybrief.run.pipeline import run_pipeline
from tests.helpers import data_root_with_codebook, unbacked_claims

pytestmark = pytest.mark.integration
WORDING = "How would you describe relations among the Central Asian states today?"
STABLE, FRAGILE = "Stable but competitive", "Fragile and vulnerable to external influence"
#: SYNTHETIC: 36 experts in 2030-06; 30 answer again in 2031-06 (12 of them moving from fragile
#: to stable), 6 leave (all stable) and 4 join (stable): 12 of 36 stable, then 22 of 34.
BEFORE = [(f"e{i}@example.org", FRAGILE if i < 24 else STABLE) for i in range(36)]
AFTER = [(f"e{i}@example.org", STABLE if i < 12 or i >= 24 else FRAGILE) for i in range(30)] + [
    (f"new{i}@example.org", STABLE) for i in range(4)
]


def _write(root, wave: str, rows) -> None:
    folder = root / "raw" / wave
    folder.mkdir(parents=True)
    out = io.StringIO()
    table = [["Timestamp", "Email Address", WORDING]]
    table += [[f"{wave[:4]}/06/10 10:{i // 60:02d}:{i % 60:02d}", e, a] for i, (e, a) in
              enumerate(rows)]  # fmt: skip
    csv.writer(out, lineterminator="\r\n").writerows(table)
    (folder / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    doc = {
        "wave": wave, "title": "Panel (SYNTHETIC)", "sponsor": "Test",
        "fieldwork": {"start": f"{wave}-10", "end": f"{wave}-12"}, "population": "Experts",
        "sample": {"description": "a panel", "n_stated": len(rows), "method": "invited"},
        "mode": "Google Forms", "weighting": "none", "codebook_version": 1,
        "is_synthetic": True, "export": {"file": "export.csv"},
        "panel": {"link_by": "Email Address"},
    }  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


@pytest.fixture(scope="module")
def out(tmp_path_factory):
    root = tmp_path_factory.mktemp("panel")
    data = data_root_with_codebook(root / "data")
    _write(data, "2030-06", BEFORE)
    _write(data, "2031-06", AFTER)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        patch.delenv(KEY_ENV, raising=False)
        run_pipeline("2030-06", data, root / "outputs", log=lambda line: None)
        manifest = run_pipeline("2031-06", data, root / "outputs", log=lambda line: None)
    assert manifest["status"] == "ok" and manifest["panel_key"]
    return root / "outputs" / "2031-06"


def test_the_trends_say_who_of_the_panel_stayed_and_test_on_the_pairs(out):
    flow = pd.read_csv(out / "tables" / "panel.csv").iloc[0]
    assert (flow["panel_from"], flow["both"], flow["left"], flow["joined"]) == (36, 30, 6, 4)
    changes = pd.read_csv(out / "tables" / "changes.csv").set_index("option")
    stable = changes.loc["stable_competitive"]
    assert stable["test"] == "partially_overlapping_z" and stable["n_paired"] == 30
    assert stable["change_pp"] == pytest.approx(100 * (22 / 34 - 12 / 36))  # all of each wave
    html = (out / "briefing.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text(" ", strip=True)
    assert "The panel: of the 36 experts of 2030-06, 30 answered again in 2031-06" in text
    assert "partially overlapping samples z-test (Derrick et al.)" in text
    assert unbacked_claims(text, out / "tables") == []
    edited = text.replace("of the 36 experts", "of the 37 experts")
    assert unbacked_claims(edited, out / "tables") != []  # the panel's counts are checked


def test_no_identifier_of_an_expert_reaches_anything_published_or_processed(out):
    published = out.resolve().parent  # the build and, beside it, the processed data
    for path in published.rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".html", ".json", ".ipynb", ".md"):
            assert "example.org" not in path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".parquet":
            assert "example.org" not in pd.read_parquet(path).to_csv()
