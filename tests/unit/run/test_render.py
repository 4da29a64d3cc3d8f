"""Which files the render writes, and which rendered document each one holds."""

from surveybrief.run.render import briefing_files, documents


def test_english_only_writes_the_report_under_its_olddocuments_and_the_brief_by_language():
    assert briefing_files(("en",)) == [
        "briefing.html",
        "briefing.pdf",
        "brief.en.html",
        "brief.en.pdf",
    ]
    assert documents(("en",)) == {"briefing": "briefing.en", "brief.en": "brief.en"}


def test_three_languages_write_each_document_per_language_and_the_default_twice():
    files = briefing_files(("ru", "en", "kk"))
    assert len(files) == 2 + 6 + 6 and files[:2] == ["briefing.html", "briefing.pdf"]
    assert {"brief.kk.pdf", "briefing.kk.html", "briefing.ru.pdf"} <= set(files)
    names = documents(("ru", "en", "kk"))
    assert names["briefing"] == "briefing.ru"  # the first language is the default
    assert {f"{stem}.{ext}" for stem in names for ext in ("html", "pdf")} == set(files)
