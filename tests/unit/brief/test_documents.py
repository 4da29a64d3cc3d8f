"""brief.documents: the document kinds a run renders, registered one module each."""

import surveybrief.brief.documents as package
from surveybrief.brief.documents.document_kind import FRONT_STEPS, document_kinds
from surveybrief.run import render

ONE_PAGER = """
from surveybrief.brief.documents.document_kind import FRONT_STEPS, DocumentKind

DOCUMENT = DocumentKind(name="one_pager", stem="summary", steps=FRONT_STEPS, max_pages=1, order=30)
"""


def test_the_report_and_the_brief_are_the_registered_kinds():
    kinds = document_kinds()
    assert [(k.name, k.stem) for k in kinds] == [("report", "briefing"), ("brief", "brief")]
    report, brief = kinds
    assert report.appendix and report.unsuffixed and not brief.appendix
    assert brief.steps == FRONT_STEPS and brief.max_pages == 4


def test_a_new_document_kind_is_one_module(tmp_path, monkeypatch):
    """A module dropped beside the others is rendered in every language, its limit checked."""
    (tmp_path / "one_pager.py").write_text(ONE_PAGER)
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(tmp_path)])
    document_kinds.cache_clear()
    try:
        assert [k.name for k in document_kinds()] == ["report", "brief", "one_pager"]
        files = render.briefing_files(("en", "ru"))
        assert {"summary.en.html", "summary.en.pdf", "summary.ru.html", "summary.ru.pdf"} <= set(
            files
        )
        assert render.documents(("en",))["summary.en"] == "summary.en"
        said = []
        render._warn_long({"summary.en.pdf": 2, "brief.en.pdf": 4}, said.append)
        assert said == ["warning: summary.en.pdf has 2 pages, more than the one_pager's 1"]
    finally:
        monkeypatch.undo()
        document_kinds.cache_clear()
    assert len(document_kinds()) == 2
