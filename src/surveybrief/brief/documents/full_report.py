"""The full report: every chapter's outputs, the appendices and the provenance appendix."""

from surveybrief.brief.display import REPORT_DOC
from surveybrief.brief.documents.document_kind import ALL_STEPS, DocumentKind

DOCUMENT = DocumentKind(
    name=REPORT_DOC,
    stem="briefing",
    steps=ALL_STEPS,
    appendix=True,
    unsuffixed=True,
    order=10,
    title="Full report",
)
