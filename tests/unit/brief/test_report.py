import json

import nbformat
import pytest
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
    from surveybrief.exceptions import RenderError

    html = (
        '<html><body><p>Қазақстан</p><img src="file:///etc/passwd">'
        '<img src="http://127.0.0.1:9/x.png"></body></html>'
    )
    with pytest.raises(RenderError) as err:  # refused, and a document without them is not whole
        to_pdf(html)
    assert "Failed to load image" in str(err.value) and "root:" not in str(err.value)
    assert to_pdf('<html lang="kk"><body><p>Қазақстан</p></body></html>').startswith(b"%PDF")


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


def _paragraphs(count: int) -> str:
    style = (
        "<style>@page { size: A4; margin: 20mm } html { font-size: 11pt } "
        "html.compact { font-size: 9pt } p { margin: 0 0 4pt }</style>"
    )
    body = "".join(f"<p>Paragraph {i}: a line of the brief.</p>" for i in range(count))
    return f'<html lang="en"><head>{style}</head><body class="brief">{body}</body></html>'


def test_a_last_page_holding_next_to_nothing_is_lost_by_setting_the_document_tighter():
    from surveybrief.brief.report import MIN_LAST_PAGE_FILL, _document, page_fills, render_pdf

    count = next(n for n in range(40, 200) if len(_document(_paragraphs(n)).pages) == 2)
    spilled = _document(_paragraphs(count + 1))
    assert len(spilled.pages) == 2 and page_fills(spilled)[-1] < MIN_LAST_PAGE_FILL
    assert render_pdf(_paragraphs(count + 1), tighten=True)[1] == 1  # shorter
    assert render_pdf(_paragraphs(count + 1))[1] == 2  # the report is never tightened
    full = count + 40  # a second page a third full or more: pages full enough, kept
    assert page_fills(_document(_paragraphs(full)))[-1] >= MIN_LAST_PAGE_FILL
    assert render_pdf(_paragraphs(full), tighten=True)[1] == 2


def test_a_quote_in_another_language_is_marked_with_it_in_the_tagged_pdf(tmp_path):
    from surveybrief.brief.report import render_pdf
    from tests.helpers import pdf_structure

    html = (
        '<html lang="en"><head><title>T</title></head><body><h1>Title</h1><p>English.</p>'
        '<blockquote lang="ru"><p>Интеграция нужна всем.</p></blockquote>'
        '<blockquote lang="kk"><p>Бірлік керек.</p></blockquote></body></html>'
    )
    path = tmp_path / "quotes.pdf"
    path.write_bytes(render_pdf(html)[0])
    found = pdf_structure(path)
    assert found["lang"] == "en"
    assert found["langs"] == {"/BlockQuote": ["ru", "kk"]}


CHART = (
    '<img alt="a chart" src="data:image/svg+xml;utf8,<svg xmlns=%27http://www.w3.org/2000/svg%27'
    ' width=%2710%27 height=%2710%27><rect width=%2710%27 height=%2710%27/></svg>">'
)


def _with(body: str) -> str:
    return f'<html lang="en"><head><title>T</title></head><body><h1>T</h1>{body}</body></html>'


def test_a_chart_weasyprint_fails_to_draw_is_an_error_not_half_a_page(monkeypatch):
    """WeasyPrint logs it and goes on; the document would be published with half a chart."""
    from weasyprint.svg import SVG

    from surveybrief.brief.report import render_pdf
    from surveybrief.exceptions import RenderError

    assert render_pdf(_with(CHART))[1] == 1  # drawn: no error

    def fail(*args, **kwargs):
        raise ValueError("a path it cannot draw")

    monkeypatch.setattr(SVG, "draw", fail)
    with pytest.raises(RenderError, match=r"the brief in en .*Failed to render SVG image"):
        render_pdf(_with(CHART), name="the brief in en (PDF)")


def test_an_image_weasyprint_may_not_load_is_an_error():
    from surveybrief.brief.report import render_pdf
    from surveybrief.exceptions import RenderError

    with pytest.raises(RenderError, match="Failed to load image"):
        render_pdf(_with('<img alt="x" src="https://example.org/x.png">'))


def test_a_ctrl_c_while_a_chart_is_drawn_is_not_lost(monkeypatch):
    """WeasyPrint draws a chart inside ``except BaseException``: the Ctrl-C is raised after."""
    import os
    import signal

    from weasyprint.svg import SVG

    from surveybrief.brief.report import render_pdf

    draw = SVG.draw

    def interrupted(self, *args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C, in the middle of the drawing
        return draw(self, *args, **kwargs)

    monkeypatch.setattr(SVG, "draw", interrupted)
    # as in a terminal: a background job (make test &) starts with Ctrl-C ignored
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with pytest.raises(KeyboardInterrupt):
            render_pdf(_with(CHART))
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    finally:
        signal.signal(signal.SIGINT, before)
