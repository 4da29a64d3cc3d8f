"""Draft and final: every run is a DRAFT until FINAL=1, refused while a checklist item is open."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from surveybrief.exceptions import ChecklistError
from surveybrief.run.pipeline import run_pipeline
from tests.helpers import WAVE, assert_reads_in_chromium, copy_data_root, tree_digest

pytestmark = pytest.mark.integration
MARKS = {"en": "DRAFT — not for publication", "ru": "ЧЕРНОВИК", "kk": "ЖОБА"}
OPEN = ("reconstructed", "audit:3-of-31")
DOCUMENTS = [f"{doc}.{lang}" for doc in ("briefing", "brief") for lang in MARKS]


def _marked_pages(pdf) -> list[bool]:
    return [MARKS[pdf.stem.split(".")[1]] in p.extract_text() for p in PdfReader(pdf).pages]


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    root = tmp_path_factory.mktemp("final")
    data = copy_data_root(root / "data")
    manifest = run_pipeline(WAVE, data, root / "outputs", log=lambda line: None, langs="en,ru,kk")
    return {"data": data, "outputs": root / "outputs", "manifest": manifest}


def test_a_run_is_a_draft_marked_on_every_page_with_its_checklist_beside(draft):
    out = draft["outputs"] / WAVE
    assert draft["manifest"]["final"] is False and draft["manifest"]["checklist_open"] == 2
    for name in DOCUMENTS:
        assert all(_marked_pages(out / f"{name}.pdf")), name
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        assert f'<p class="draft-mark" role="note">{MARKS[name[-2:]]}' in html
    listed = (out / "checklist.md").read_text(encoding="utf-8")
    assert all(f'**[open]** `"{item}"`' in listed for item in OPEN)


def test_final_is_refused_with_the_list_while_an_item_is_open_and_publishes_nothing(draft):
    outputs = draft["outputs"]
    before = tree_digest(outputs / WAVE)
    with pytest.raises(ChecklistError) as caught:
        run_pipeline(WAVE, draft["data"], outputs, log=lambda line: None, langs="en,ru,kk",
                     final=True)  # fmt: skip
    message = str(caught.value)
    assert "FINAL refused, nothing was published: 2 checklist item(s) open" in message
    assert all(f"\n  - {item}: " in message for item in OPEN)
    assert tree_digest(outputs / WAVE) == before


def test_final_publishes_unmarked_documents_once_every_item_is_signed_off(draft, tmp_path):
    wave_yaml = draft["data"] / "raw" / WAVE / "wave.yaml"
    signed = "".join(
        f'  "{item}": Reviewed and accepted for the test (T. Tester)\n' for item in OPEN
    )
    wave_yaml.write_text(wave_yaml.read_text(encoding="utf-8") + "checklist:\n" + signed,
                         encoding="utf-8")  # fmt: skip
    manifest = run_pipeline(WAVE, draft["data"], draft["outputs"], log=lambda line: None,
                            langs="en,ru,kk", final=True)  # fmt: skip
    out = draft["outputs"] / WAVE
    assert manifest["final"] is True and manifest["checklist_open"] == 0
    for name in DOCUMENTS:
        assert not any(_marked_pages(out / f"{name}.pdf")), name
        assert 'class="draft-mark"' not in (out / f"{name}.html").read_text(encoding="utf-8")
    listed = (out / "checklist.md").read_text(encoding="utf-8")
    assert "0 item(s) open" in listed and "Signed off: Reviewed and accepted" in listed
    # The final documents read in Chromium: no axe-core WCAG 2.1 A/AA violation at 1280 and
    # 390 px in any language, every chart with its text alternative.
    assert_reads_in_chromium([out / f"{name}.html" for name in DOCUMENTS], tmp_path / "checks")


def test_the_index_lists_every_document_with_its_pages_and_reads_in_chromium(draft, tmp_path):
    outputs = draft["outputs"]
    index = outputs / "index.html"
    soup = BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser")
    manifest = json.loads((outputs / WAVE / "manifest.json").read_text(encoding="utf-8"))
    state = "final" if manifest["final"] else "DRAFT"
    assert soup.select_one("caption").get_text().endswith(state)
    links = {a["href"]: a.parent.get_text(" ", strip=True) for a in soup.select("a")}
    for name in DOCUMENTS:
        pages = manifest["pages"][f"{name}.pdf"]
        assert (
            f"PDF ({_size_said(outputs / WAVE / f'{name}.pdf')}, {pages} pages)"
            in links[f"{WAVE}/{name}.pdf"]
        )
        assert f"{WAVE}/{name}.html" in links
    assert f"{WAVE}/tables.xlsx" in links
    assert_reads_in_chromium([index], tmp_path / "checks", images=False)


def _size_said(path) -> str:
    size = path.stat().st_size
    return f"{size / 1_000_000:.1f} MB" if size >= 1_000_000 else f"{round(size / 1000)} kB"
