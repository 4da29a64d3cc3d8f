"""Microsoft Forms exports: the workbook "Open results in Excel" gives, or a CSV saved from it.

``ID`` (1, 2, ...), ``Start time`` and ``Completion time`` (date cells), ``Email``
("anonymous" where the respondent did not sign in), ``Name``, ``Last modified time``
(blank), then the question titles; a multiple choice is its labels each followed by ";"
(``A;B;``), the text typed for "Other" among them; a skipped question is blank. Labels are
in each respondent's language. ``csv`` is that workbook saved as CSV by Excel (UTF-8 with
a byte-order mark, ``M/D/YY H:MM`` times).
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import number_or_text, write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("xlsx", "csv")


def _answer(people: People, q, row: int) -> object:
    """Return one cell as Microsoft Forms writes it ("A;B;", a rating as a number)."""
    value = people.in_cell(q, row, ";", trailing=True)
    return number_or_text(value) if q.kind.ordered else value


def write(people: People, codebook: Codebook, folder: Path, variant: str = "xlsx") -> Path:
    """Write the export of ``variant`` into ``folder``; return its path."""
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time"]
    rows = [[*head, *(q.wording("en") for q in codebook.questions)]]
    for row in range(len(people.answers)):
        who = people.who.loc[row]
        texts = [people.value(q.id, row) or "" for q in codebook.questions if q.kind.open_text]
        signed = row % 4 != 1 or any(" — " in t for t in texts)  # who signs is named
        start, end = who["started"], who["started"].replace(second=59)
        if variant == "csv":
            start, end = (f"{t.month}/{t.day}/{t:%y %H:%M}" for t in (start, end))
        rows.append(
            [
                row + 1,
                start,
                end,
                who["email"] if signed else "anonymous",
                f"{who['first']} {who['last']}" if signed else None,
                None,
                *(_answer(people, q, row) for q in codebook.questions),
            ]
        )
    if variant == "csv":
        return write_csv(folder / "Energy survey.csv", rows, bom=True)
    return write_xlsx(folder / "Energy survey.xlsx", rows, "Sheet1")
