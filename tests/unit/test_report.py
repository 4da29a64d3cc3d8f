from fontTools.ttLib import TTFont

from surveybrief.brief.report import font_css, font_paths

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
