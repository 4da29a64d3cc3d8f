"""SurveyCTO exports: the wide CSV of a form's data (or Excel).

The server's ``CompletionDate`` and ``SubmissionDate`` (``Jun 9, 2026 9:00:00 AM``), the
starter form's ``starttime``, ``endtime``, ``deviceid``, ``subscriberid``, ``simid``,
``devicephonenum``, ``username``, ``duration``, ``caseid``, the fields by bare name (no
groups), a select_multiple as values separated by spaces, the "Other" text in the form's
``<field>_other``, then ``instanceID``, ``formdef_version``, ``KEY`` and ``review_status``
(one submission ``REJECTED``). ``xlsx``: the same in a workbook.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv", "xlsx")
HEAD = ("CompletionDate", "SubmissionDate", "starttime", "endtime", "deviceid", "subscriberid",
        "simid", "devicephonenum", "username", "duration", "caseid")  # fmt: skip
TAIL = ("instanceID", "formdef_version", "KEY", "review_status")


def _when(moment: dt.datetime) -> str:
    """Return ``Jun 9, 2026 9:00:00 AM`` (the day and hour not zero-padded)."""
    hour = moment.hour % 12 or 12
    return f"{moment:%b} {moment.day}, {moment:%Y} {hour}:{moment:%M:%S %p}"


def _cell(people: People, row: int, q, other: bool) -> str | None:
    if other:
        return people.value(f"{q.id}__other_text", row)
    if q.type == "multi":
        chosen = people.chosen(q, row)
        return None if chosen is None else " ".join(chosen)
    return people.value(q.id, row)


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv") -> Path:
    """Write the export of ``variant`` into ``folder``; one extra submission is rejected."""
    fields = [(q, False) for q in codebook.questions]
    fields += [(q, True) for q in codebook.questions if q.other_option is not None]
    names = [f"{q.id}_other" if other else q.id for q, other in fields]
    rows = [[*HEAD, *names, *TAIL]]
    for row in [*range(len(people.answers)), 2]:
        serial = len(rows)
        who = people.who.loc[row]
        start = who["started"]
        key = f"uuid:{serial:08d}-77ab-4c1d-8e2f-{7919 * serial:012d}"
        head = [_when(start + dt.timedelta(minutes=2)), _when(start + dt.timedelta(minutes=3)),
                _when(start), _when(start + dt.timedelta(minutes=1)), who["device"][8:],
                None, None, who["phone"], "enumerator1", "61", None]  # fmt: skip
        status = "REJECTED" if serial > len(people.answers) else "APPROVED"
        cells = [_cell(people, row, q, other) for q, other in fields]
        rows.append([*head, *cells, key, "2606091200", key, status])
    if variant == "xlsx":
        return write_xlsx(folder / "Energy survey_WIDE.xlsx", rows, "data")
    return write_csv(folder / "Energy survey_WIDE.csv", rows, line_end="\r\n")
