"""Hostile answers shown through every display path end up inert (checked by parsing)."""

from __future__ import annotations

import nbformat
import pandas as pd
from bs4 import BeautifulSoup

from surveybrief.brief.report import assemble, to_html

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<iframe src="file:///etc/passwd"></iframe>',
    "![secret](file:///etc/passwd)",
    "![local](../data/raw/2025-06/responses.csv)",
    "[click me](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    '<svg onload="alert(1)"><script>alert(2)</script></svg>',
    "<style>body{display:none}</style>",
    '<object data="file:///etc/passwd"></object>',
]


def hostile_notebook(path):
    frame = pd.DataFrame({"answer": HOSTILE})
    cells = [nbformat.v4.new_markdown_cell("\n\n".join(HOSTILE))]
    outputs = [
        {"text/html": "".join(HOSTILE)},  # raw HTML output
        {"text/html": frame.to_html(escape=False)},  # a table rendered without escaping
        {"text/html": frame.style.to_html()},  # a styled table (Styler does not escape)
        {"text/markdown": "\n\n".join(HOSTILE)},  # markdown output
    ]
    for data in outputs:
        cell = nbformat.v4.new_code_cell("")
        cell.outputs = [nbformat.v4.new_output("display_data", data=data)]
        cells.append(cell)
    nb = nbformat.v4.new_notebook(cells=cells)
    nbformat.write(nb, path)
    return path


def assert_inert(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    body = soup.find("main")
    for tag in ("script", "iframe", "object", "embed", "svg", "style", "form"):
        assert body.find(tag) is None, tag
    for element in body.find_all(True):
        for name, value in element.attrs.items():
            assert not name.lower().startswith("on"), (element.name, name)
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert not text.strip().lower().startswith(("javascript:", "file:")), text
    for img in body.find_all("img"):
        assert img.get("src", "").startswith("data:image/") or "src" not in img.attrs


def test_every_display_path_is_inert(tmp_path):
    html = to_html(assemble([hostile_notebook(tmp_path / "10_x.ipynb")], "", "T"), "T")
    assert_inert(html)
    soup = BeautifulSoup(html, "html.parser").find("main")
    assert soup.find("a", href=True) is None  # every hostile link lost its target
    assert "alert(2)" not in soup.get_text()  # script bodies are dropped, not shown


def test_pdf_of_hostile_html_embeds_no_local_file(tmp_path):
    from surveybrief.brief.report import to_pdf

    html = to_html(assemble([hostile_notebook(tmp_path / "10_x.ipynb")], "", "T"), "T")
    pdf = to_pdf(html)
    assert b"root:x:0:0" not in pdf and pdf.startswith(b"%PDF")


def test_hostile_labels_through_tables_charts_and_narrative(tmp_path, data_root):
    import shutil

    import yaml

    from surveybrief.brief.section import SectionRun
    from surveybrief.clean.cleaner import clean_wave
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.inputs.wave import load_wave

    shutil.copytree(data_root / "codebook", tmp_path / "codebook")
    path = tmp_path / "codebook" / "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section in doc["sections"]:
        for q in section["questions"]:
            if q["id"] == "kz_moderator":
                q["title"]["en"] = HOSTILE[0]
                q["wording"]["en"] = HOSTILE[6]
                q["options"][0]["label"]["en"] = HOSTILE[1]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    codebook = load_codebook(tmp_path)
    wave = load_wave(data_root, "2025-06")
    responses = clean_wave(wave, load_codebook(data_root)).responses
    run = SectionRun(codebook.section("kazakhstan"), codebook, wave, responses, tmp_path / "out")
    fragment = run.title_html() + run.question_html("kz_moderator")
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": fragment})]
    nb.cells = [cell]
    nbformat.write(nb, tmp_path / "50_k.ipynb")
    html = to_html(assemble([tmp_path / "50_k.ipynb"], "", "T"), "T")
    assert_inert(html)
    text = BeautifulSoup(html, "html.parser").find("main").get_text()
    assert "<img src=x onerror=alert(1)>" in text  # shown as text, not run


def test_a_tables_scrolling_box_keeps_its_keyboard_focus_and_name_and_nothing_else():
    from surveybrief.brief.present import scroll_region
    from surveybrief.brief.sanitize import sanitize_fragment

    kept = sanitize_fragment(scroll_region("Table 1. Obstacles") + "<table></table></div>")
    assert 'tabindex="0"' in kept and 'role="region"' in kept
    assert 'aria-label="Table 1. Obstacles"' in kept
    dropped = sanitize_fragment('<div tabindex="5" role="button" onclick="x()">a</div>')
    assert "tabindex" not in dropped and "role" not in dropped and "onclick" not in dropped
