"""Typeform exports: Results > Responses > Download all responses, as CSV or .xlsx.

``#`` (a 32-character response token) first; each question under its title, a multiple
selection as one column per choice headed by the choice's label alone (the label in the cell
when ticked, blank when not) and, where it offers "Other", a column headed ``Other`` holding
the typed text (so the export repeats the header ``Other``); a single choice's typed "Other"
in its own cell; a rating as its number. Then ``Response Type``, ``Start Date (UTC)``,
``Stage Date (UTC)`` (blank for a completed response), ``Submit Date (UTC)`` as
``YYYY-MM-DD hh:mm:ss``, ``Network ID`` (ten hex digits of a hash of the IP address) and
``Tags``. A Typeform form is written in one language: headers and cells are its English
labels.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import number_or_text, write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv", "xlsx")
TRAILING = ["Response Type", "Start Date (UTC)", "Stage Date (UTC)", "Submit Date (UTC)",
            "Network ID", "Tags"]  # fmt: skip


def _columns(codebook: Codebook) -> list[tuple[str, tuple]]:
    """Return (header, what) of every answer column, in the form's order."""
    found = []
    for q in codebook.questions:
        if not q.kind.several:
            found.append((q.wording("en"), ("answer", q, None)))
            continue
        for option in q.options:
            if option.is_other:
                found.append(("Other", ("other_text", q, None)))
            else:
                found.append((option.label("en"), ("tick", q, option.code)))
    return found


def _cell(people: People, row: int, what: tuple) -> object:
    """Return one answer cell as Typeform writes it."""
    kind, q, code = what
    if kind == "tick":
        return q.option(code).label("en") if code in (people.chosen(q, row) or []) else None
    if kind == "other_text":
        return people.value(f"{q.id}__other_text", row)
    value = people.value(q.id, row)
    if value is None or q.kind.open_text:
        return value
    if q.kind.ordered:
        return number_or_text(value)
    if q.other_option is not None and value == q.other_option.code:
        return people.value(f"{q.id}__other_text", row)
    return q.option(value).label("en")


def _token(people: People, row: int) -> str:
    """Return a response's ``#``: 32 characters of digits and lower-case letters."""
    return hashlib.sha256(f"{people.who.at[row, 'token']}".encode()).hexdigest()[:32]


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv") -> Path:
    """Write the export of ``variant`` into ``folder``; return its path."""
    columns = _columns(codebook)
    rows = [["#", *(c[0] for c in columns), *TRAILING]]
    for row in range(len(people.answers)):
        started = people.who.at[row, "started"]
        network = hashlib.sha256(people.who.at[row, "ip"].encode()).hexdigest()[:10]
        rows.append([
            _token(people, row), *(_cell(people, row, c[1]) for c in columns), "completed",
            f"{started:%Y-%m-%d %H:%M:%S}", None,
            f"{started.replace(second=59):%Y-%m-%d %H:%M:%S}", network, None,
        ])  # fmt: skip
    if variant == "xlsx":
        return write_xlsx(folder / "responses.xlsx", rows, "Responses")
    return write_csv(folder / "responses.csv", rows, line_end="\n")
