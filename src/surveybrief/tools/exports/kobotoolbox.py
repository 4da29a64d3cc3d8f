"""KoboToolbox exports: "Downloads" as CSV (";", every field quoted, CRLF) or XLS.

``csv_xml``: "XML values and headers", groups in headers (``outlook/priority``), "Select
Many" as single and separate columns (``outlook/barriers`` holds the chosen names separated
by spaces, ``outlook/barriers/fin`` ... 1 or 0, all blank when unanswered); ``or_other``
questions have the choice ``other`` and its text in ``outlook/barriers_other``. The form's
``start``, ``end``, ``today``, ``deviceid``, ``username`` come first, Kobo's ``_id``,
``_uuid`` ... ``_index`` last; one submission is "Not approved" in Kobo's validation.
``csv_labels``: "Labels" without groups: headers and answers are the English labels, the
single column joins chosen labels with spaces, the Other texts are headed "Specify other.".
``xlsx_xml``: as ``csv_xml`` in a workbook.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv_xml", "csv_labels", "xlsx_xml")
FORM_META = ("start", "end", "today", "deviceid", "username")
KOBO_META = ("_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
             "_submitted_by", "__version__", "_tags", "meta/rootUuid", "_index")  # fmt: skip


def _name(q, labels: bool, part: str = "") -> str:
    """Return a header: ``group/question[/choice]``, or the English labels."""
    if labels:
        return q.wording("en") + (f"/{q.option(part).label()}" if part else "")
    return f"{q.section_id}/{q.id}" + (f"/{part}" if part else "")


def _columns(codebook: Codebook, labels: bool) -> list[tuple[str, tuple]]:
    found = []
    for q in codebook.questions:
        found.append((_name(q, labels), ("answer", q)))
        if q.kind.several:
            found += [(_name(q, labels, c), ("tick", q, c)) for c in q.codes]
        if q.other_option is not None:
            other = "Specify other." if labels else f"{q.section_id}/{q.id}_other"
            found.append((other, ("other_text", q)))
    return found


def _cell(people: People, row: int, what: tuple, labels: bool) -> str | None:
    q = what[1]
    if what[0] == "other_text":
        return people.value(f"{q.id}__other_text", row)
    if q.kind.several:
        chosen = people.chosen(q, row)
        if chosen is None:
            return None
        if what[0] == "tick":
            return "1" if what[2] in chosen else "0"
        return " ".join(q.option(c).label() if labels else c for c in chosen)
    value = people.value(q.id, row)
    if value is None or (q.kind.open_text or q.kind.ordered) or not labels:
        return value
    return q.option(value).label()


def _meta(people: People, row: int, serial: int, labels: bool) -> tuple[list, list]:
    """Return the form's own first columns and Kobo's last ones (``serial``: the line)."""
    rejected = serial > len(people.answers)
    who = people.who.loc[row]
    start = who["started"]
    status = "Not Approved" if labels else "validation_status_not_approved"
    key = str(uuid.UUID(int=serial * 7919 + 17))
    first = [f"{start:%Y-%m-%dT%H:%M:%S}.000+05:00", f"{start:%Y-%m-%dT%H:%M}:59.000+05:00",
             f"{start:%Y-%m-%d}", who["device"], "enumerator1"]  # fmt: skip
    last = [str(4100 + serial), key, f"{start:%Y-%m-%dT%H:%M:%S}", status if rejected else None,
            None, "submitted_via_web", "enumerator1", "vT7sPz3xK", None, f"uuid:{key}",
            str(serial)]  # fmt: skip
    return first, last


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv_xml") -> Path:
    """Write the export of ``variant`` into ``folder``; one extra submission is rejected."""
    labels = variant == "csv_labels"
    columns = _columns(codebook, labels)
    rows = [[*FORM_META, *(h for h, _ in columns), *KOBO_META]]
    for row in [*range(len(people.answers)), 0]:  # the last: row 0 again, not approved
        first, last = _meta(people, row, len(rows), labels)
        rows.append([*first, *(_cell(people, row, w, labels) for _, w in columns), *last])
    if variant == "xlsx_xml":
        return write_xlsx(folder / "Energy survey - all versions - _xml.xlsx", rows, "Energy")
    name = f"Energy survey - all versions - {'labels' if labels else '_xml'}.csv"
    return write_csv(folder / name, rows, delimiter=";", quote_all=True)
