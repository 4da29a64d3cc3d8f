"""The short brief: the front notebook's brief outputs, at most four A4 pages."""

from surveybrief.brief.display import BRIEF_DOC
from surveybrief.brief.documents.document_kind import FRONT_STEPS, DocumentKind

DOCUMENT = DocumentKind(
    name=BRIEF_DOC,
    stem="brief",
    steps=FRONT_STEPS,
    max_pages=4,
    order=20,
    title="Short brief",
    tighten=True,
)
