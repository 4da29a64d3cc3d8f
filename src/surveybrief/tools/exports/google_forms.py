"""Google Forms exports: the form's "Download responses (.csv)", and its linked Sheet.

``csv``: every field quoted, ``Timestamp`` as ``2026/06/09 9:00:00 AM GMT+5``, the verified
e-mail as ``Username``, checkbox labels joined by ";" (no space), typed "Other" texts in the
cell. ``sheet_csv`` and ``xlsx``: the Sheet, with ``Email address``, ``M/D/YYYY H:MM:SS``
times (date cells in the workbook) and checkbox labels joined by ", ". Labels are in each
respondent's language; headers are the English question titles; there is no response id.
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import number_or_text, write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv", "sheet_csv", "xlsx")


def _time(people: People, row: int, variant: str):
    moment = people.who.at[row, "started"]
    if variant == "csv":
        return f"{moment:%Y/%m/%d} {moment:%I:%M:%S %p GMT+5}".replace(" 0", " ", 1)
    return moment if variant == "xlsx" else f"{moment.month}/{moment.day}/{moment:%Y %H:%M:%S}"


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv") -> Path:
    """Write the export of ``variant`` into ``folder``; return its path."""
    email = "Username" if variant == "csv" else "Email address"
    joiner = ";" if variant == "csv" else ", "
    rows = [["Timestamp", email, *(q.wording("en") for q in codebook.questions)]]
    for row in range(len(people.answers)):
        cells = [people.in_cell(q, row, joiner) for q in codebook.questions]
        if variant == "xlsx":
            cells = [number_or_text(c) if q.kind.ordered else c
                     for c, q in zip(cells, codebook.questions, strict=True)]  # fmt: skip
        rows.append([_time(people, row, variant), people.who.at[row, "email"], *cells])
    if variant == "xlsx":
        return write_xlsx(folder / "Energy survey (Responses).xlsx", rows, "Form Responses 1")
    name = "Energy survey.csv" if variant == "csv" else "Energy survey - Form Responses 1.csv"
    return write_csv(folder / name, rows, quote_all=variant == "csv", line_end="\n")
