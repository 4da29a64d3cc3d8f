"""SurveyCTO exports: the wide CSV of a form's data (or Excel).

The server's ``CompletionDate`` and ``SubmissionDate`` (``Jun 9, 2026 9:00:00 AM``), the
starter form's ``starttime``, ``endtime``, ``deviceid``, ``subscriberid``, ``simid``,
``devicephonenum``, ``username``, ``duration``, ``caseid``, the fields by bare name (no
groups), a select_multiple as values separated by spaces and, by default, one 1/0 column per
choice (``<field>_<value>``; the "Other" choice's none, its value colliding with the text
field), the "Other" text in the form's ``<field>_other``, then ``instanceID``,
``formdef_version``, ``KEY`` and ``review_status`` (one submission ``REJECTED``). ``xlsx``:
the same in a workbook.
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


def _name(field: tuple) -> str:
    """Return a field's header: its name, ``<name>_<value>`` (a choice's 1/0), ``<name>_other``."""
    q, kind = field[0], field[1]
    return f"{q.id}_{field[2]}" if kind == "dummy" else f"{q.id}_other" if kind else q.id


def _cell(people: People, row: int, q, other, value: str | None = None) -> str | None:
    if other == "dummy":  # SurveyCTO's default 1/0 column of a choice (blank when unanswered)
        chosen = people.chosen(q, row)
        return None if chosen is None else ("1" if value in chosen else "0")
    if other:
        return people.value(f"{q.id}__other_text", row)
    if q.kind.several:
        chosen = people.chosen(q, row)
        return None if chosen is None else " ".join(chosen)
    return people.value(q.id, row)


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv") -> Path:
    """Write the export of ``variant`` into ``folder``; one extra submission is rejected."""
    fields = [(q, False) for q in codebook.questions]
    fields += [(q, "dummy", c) for q in codebook.questions if q.kind.several for c in q.codes
               if not q.option(c).is_other]  # fmt: skip
    fields += [(q, True) for q in codebook.questions if q.other_option is not None]
    names = [_name(field) for field in fields]
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
        cells = [_cell(people, row, *field) for field in fields]
        rows.append([*head, *cells, key, "2606091200", key, status])
    if variant == "xlsx":
        return write_xlsx(folder / "Energy survey_WIDE.xlsx", rows, "data")
    return write_csv(folder / "Energy survey_WIDE.csv", rows, line_end="\r\n")
