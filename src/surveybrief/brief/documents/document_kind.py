"""What a document kind declares, and the registry of the kinds this package defines."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from functools import cache

#: Which executed notebooks a document is assembled from (by their place in the plan).
ALL_STEPS, FRONT_STEPS = "all", "front"


@dataclass(frozen=True)
class DocumentKind:
    """One kind of document: what it holds and the files it is written to.

    ``name`` is the tag of the outputs it shows (an untagged output belongs to the report);
    ``stem`` names its files, ``<stem>.<lang>.html|pdf`` in each language, and, for the one
    kind with ``unsuffixed`` set, also ``<stem>.html|pdf`` in the run's first language;
    ``steps`` is ALL_STEPS or FRONT_STEPS; ``appendix`` adds the provenance appendix;
    ``max_pages`` is the most A4 pages it should take (a longer one is reported), if any;
    ``order`` places it among the kinds (the first renders in this process); ``title`` is
    what the index of published documents calls it; ``tighten``: a last page nearly empty is
    avoided by setting the document tighter (``report.render_pdf``).
    """

    name: str
    stem: str
    steps: str = ALL_STEPS
    appendix: bool = False
    unsuffixed: bool = False
    max_pages: int | None = None
    order: int = 50
    title: str = ""
    tighten: bool = False


@cache
def document_kinds() -> tuple[DocumentKind, ...]:
    """Return every registered document kind, in their order (the report first)."""
    import surveybrief.brief.documents as package

    found = [
        importlib.import_module(f"{package.__name__}.{info.name}").DOCUMENT
        for info in pkgutil.iter_modules(package.__path__)
        if info.name != "document_kind"
    ]
    return tuple(sorted(found, key=lambda kind: (kind.order, kind.name)))
