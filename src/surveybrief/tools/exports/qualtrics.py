"""Qualtrics exports: Export data as CSV, TSV or Excel, "Use choice text".

Three header rows: export tags (``Q1``, ``Q1_4_TEXT``, ``Q3_1`` ...), the question texts
(``<question> - Selected Choice`` over a choice with a text box, ``<question> - Selected
Choice - <choice>`` over a split choice, ``<question> - <choice> - Text`` over the typed
Other) and the ImportIds as JSON. The 17 own columns first (``StartDate`` ... ``ResponseId``,
the recipients' names and e-mail, IP address, location). ``csv_split``: multi-value fields
split into columns, a ticked choice holding its text, unticked 0 and seen-but-unanswered
-99 (both recodes on), one "Survey Preview" response. ``csv_unsplit``: one column of choices
joined by ",", no recodes. ``xlsx``: as ``csv_split`` in a workbook. ``tsv``: as
``csv_split``, tab-separated UTF-16 with its byte-order mark.
"""

from __future__ import annotations

import json
from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv_split", "csv_unsplit", "xlsx", "tsv")
OWN = (
    ("StartDate", "Start Date", "startDate"), ("EndDate", "End Date", "endDate"),
    ("Status", "Response Type", "status"), ("IPAddress", "IP Address", "ipAddress"),
    ("Progress", "Progress", "progress"), ("Duration (in seconds)", "Duration (in seconds)",
    "duration"), ("Finished", "Finished", "finished"), ("RecordedDate", "Recorded Date",
    "recordedDate"), ("ResponseId", "Response ID", "_recordId"), ("RecipientLastName",
    "Recipient Last Name", "recipientLastName"), ("RecipientFirstName", "Recipient First Name",
    "recipientFirstName"), ("RecipientEmail", "Recipient Email", "recipientEmail"),
    ("ExternalReference", "External Data Reference", "externalDataReference"),
    ("LocationLatitude", "Location Latitude", "locationLatitude"), ("LocationLongitude",
    "Location Longitude", "locationLongitude"), ("DistributionChannel", "Distribution Channel",
    "distributionChannel"), ("UserLanguage", "User Language", "userLanguage"),
)  # fmt: skip


def _import_id(**parts: str) -> str:
    return json.dumps(parts, separators=(",", ":"))


def _question_columns(n: int, q, split: bool) -> list[tuple[str, str, str, tuple]]:
    """Return (tag, label, ImportId, what) of one question's columns."""
    wording, other = q.wording("en"), q.other_option
    selected = f"{wording} - Selected Choice" if other is not None else wording
    found = []
    if q.kind.several and split:
        for k, option in enumerate(q.options, 1):
            label = f"{selected} - {option.label()}"
            import_id = _import_id(ImportId=f"QID{n}", choiceId=str(k))
            found.append((f"Q{n}_{k}", label, import_id, ("tick", q, option.code)))
    else:
        import_id = _import_id(ImportId=f"QID{n}" + ("_TEXT" if q.kind.open_text else ""))
        found.append((f"Q{n}", selected, import_id, ("answer", q)))
    if other is not None:
        k = q.codes.index(other.code) + 1
        label = f"{wording} - {other.label()} - Text"
        found.append((f"Q{n}_{k}_TEXT", label, _import_id(ImportId=f"QID{n}_{k}_TEXT"),
                      ("other_text", q)))  # fmt: skip
    return found


def _cell(people: People, row: int, what: tuple, recode: bool) -> str | None:
    """Return one answer cell (English choice texts; -99 and 0 where the recodes say)."""
    q = what[1]
    seen = people.value(q.option_columns[0], row) is not None
    if what[0] == "other_text":
        text = people.value(f"{q.id}__other_text", row)
        return text if text is not None else ("-99" if recode and seen else None)
    if q.kind.several:
        chosen = people.chosen(q, row)
        if chosen is None:
            return None
        if what[0] == "tick":
            return q.option(what[2]).label() if what[2] in chosen else ("0" if recode else None)
        return ",".join(q.option(c).label() for c in chosen)
    value = people.value(q.id, row)
    if value is None or q.kind.open_text:
        return value
    return q.option(value).label()


def _own(people: People, row: int, preview: bool) -> list[str | None]:
    who = people.who.loc[row]
    start = who["started"]
    return [
        f"{start:%Y-%m-%d %H:%M:%S}", f"{start:%Y-%m-%d %H:%M}:59",
        "Survey Preview" if preview else "IP Address", who["ip"], "100", "59", "True",
        f"{start:%Y-%m-%d %H:%M}:59", f"R_{7919 * (row + 3) + (5 if preview else 0):015d}",
        who["last"], who["first"], who["email"], None, "43.2567", "76.9286",
        "preview" if preview else "email", who["lang"].upper(),
    ]  # fmt: skip


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv_split") -> Path:
    """Write the export of ``variant`` into ``folder``; one preview response comes first."""
    split, recode = variant != "csv_unsplit", variant != "csv_unsplit"
    columns = [
        c for n, q in enumerate(codebook.questions, 1) for c in _question_columns(n, q, split)
    ]
    rows = [
        [*(o[0] for o in OWN), *(c[0] for c in columns)],
        [*(o[1] for o in OWN), *(c[1] for c in columns)],
        [*(_import_id(ImportId=o[2]) for o in OWN), *(c[2] for c in columns)],
    ]
    for row in [0, *range(len(people.answers))]:  # the first: a preview, not a response
        preview = len(rows) == 3
        rows.append(
            [*_own(people, row, preview), *(_cell(people, row, c[3], recode) for c in columns)]
        )
    if variant == "xlsx":
        return write_xlsx(folder / "Energy+survey_June+9,+2026_12.00.xlsx", rows, "Sheet0")
    if variant == "tsv":
        return write_csv(folder / "Energy+survey.tsv", rows, delimiter="\t", encoding="utf-16")
    return write_csv(folder / "Energy+survey_June+9,+2026_12.00.csv", rows, line_end="\n")
