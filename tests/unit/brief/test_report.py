import json

import nbformat
from fontTools.ttLib import TTFont

from surveybrief.brief.report import assemble, font_css, font_paths, to_html

KAZAKH = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
RUSSIAN = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def test_the_briefing_font_has_cyrillic_and_kazakh_letters():
    for path in font_paths().values():
        cmap = TTFont(path).getBestCmap()
        missing = [c for c in KAZAKH + RUSSIAN if ord(c) not in cmap]
        assert missing == [], path.name


def test_font_css_binds_every_weight_and_style_to_a_local_file():
    css = font_css()
    assert css.count("@font-face") == 4
    assert all(p.as_uri() in css for p in font_paths().values())


def test_pdf_renderer_fetches_nothing_but_inline_data():
    from surveybrief.brief.report import to_pdf

    html = (
        '<html><body><p>Қазақстан</p><img src="file:///etc/passwd">'
        '<img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    pdf = to_pdf(html)
    assert pdf.startswith(b"%PDF") and b"root:" not in pdf


def test_assembled_html_hides_code_and_analyst_cells(tmp_path):
    nb = nbformat.v4.new_notebook()
    header = nbformat.v4.new_markdown_cell("# Analyst header")
    header.metadata["tags"] = ["remove-from-briefing"]
    cell = nbformat.v4.new_code_cell("secret_code = 1\nprint('log line')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="log line"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>Shown</p>"}),
    ]
    nb.cells = [header, nbformat.v4.new_markdown_cell("## Kept heading"), cell]
    path = tmp_path / "10_x.ipynb"
    nbformat.write(nb, path)
    html = to_html(assemble([path], "<p>Appendix</p>", "T"), "T")
    assert "Shown" in html and "Kept heading" in html and "Appendix" in html
    for hidden in ("secret_code", "log line", "Analyst header", "In&nbsp;[", "<script"):
        assert hidden not in html
    json.dumps(html)  # plain text


def test_the_report_and_the_brief_each_take_their_own_outputs(tmp_path):
    from surveybrief.brief.display import BRIEF_DOC, DOC_KEY, LANG_KEY

    cell = nbformat.v4.new_code_cell("front.show()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"text/html": f"<p>{text}</p>"}, metadata=metadata
        )
        for text, metadata in (
            ("untagged report", {}),
            ("report ru", {LANG_KEY: "ru"}),
            ("brief en", {LANG_KEY: "en", DOC_KEY: BRIEF_DOC}),
            ("brief ru", {LANG_KEY: "ru", DOC_KEY: BRIEF_DOC}),
        )
    ]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("## Narrative of the notebook"), cell]
    path = tmp_path / "99_briefing.ipynb"
    nbformat.write(nb, path)
    report = to_html(assemble([path], "", "T", "ru"), "T", "ru")
    brief = to_html(assemble([path], "", "T", "ru", BRIEF_DOC), "T", "ru", BRIEF_DOC)
    assert '<body class="brief">' in brief and '<body class="report">' in report
    report, brief = (html.split("<main", 1)[1] for html in (report, brief))  # no stylesheet
    assert "untagged report" in report and "report ru" in report and "brief " not in report
    assert "brief ru" in brief and "brief en" not in brief and "report" not in brief
    assert "Narrative of the notebook" in report and "Narrative" not in brief
