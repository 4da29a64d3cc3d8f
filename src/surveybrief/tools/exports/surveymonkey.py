"""SurveyMonkey exports: "All individual responses", Expanded columns, Actual Answer Text.

Two header rows: the respondent's columns (``Respondent ID`` ... ``Custom Data 1``) then
each question's text over its first column, blank over the others; row 2 blank over the
respondent's columns, ``Response`` / ``Open-Ended Response`` / each choice's label / "Other
(please specify)" over the questions'. A ticked choice holds its label. ``csv`` and ``xlsx``
write "Other" as real exports show it most: the single choice's ``Response`` holds "Other
(please specify)" and the next column the text; the multiple choice has a column holding the
Other label when ticked, then the text's. ``csv_text_only`` writes the other shape: a blank
``Response`` beside the text, and one text column for the multiple choice's Other. Times are
``MM/DD/YYYY hh:mm:ss AM``; CSV lines end in CRLF.
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import us_time, write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv", "xlsx", "csv_text_only")
OWN = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
       "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip
OTHER = "Other (please specify)"


def _question_columns(q, text_only: bool) -> list[tuple[str, tuple]]:
    """Return (row 2, what) of each column of one question."""
    if not q.kind.several:
        part = "Open-Ended Response" if q.kind.open_text else "Response"
        found = [(part, ("answer", q, None))]
        if q.other_option is not None:
            found.append((OTHER, ("other_text", q, None)))
        return found
    found = []
    for option in q.options:
        if not option.is_other:
            found.append((option.label("en"), ("tick", q, option.code)))
        elif text_only:
            found.append((OTHER, ("other_text", q, None)))
        else:
            found += [(OTHER, ("tick", q, option.code)), (OTHER, ("other_text", q, None))]
    return found


def _columns(codebook: Codebook, text_only: bool) -> list[tuple[str, str, tuple]]:
    """Return (row 1, row 2, what) of every question column, the text over the first only."""
    found = []
    for q in codebook.questions:
        for i, (part, what) in enumerate(_question_columns(q, text_only)):
            found.append((q.wording("en") if i == 0 else "", part, what))
    return found


def _cell(people: People, row: int, what: tuple, text_only: bool) -> str | None:
    """Return one answer cell as SurveyMonkey writes it."""
    kind, q, code = what
    if kind == "tick":
        chosen = people.chosen(q, row) or []
        if code not in chosen:
            return None
        return OTHER if q.option(code).is_other else people.label(q, code, row)
    if kind == "other_text":
        return people.value(f"{q.id}__other_text", row)
    value = people.value(q.id, row)
    if value is None or q.kind.open_text:
        return value
    if q.other_option is not None and value == q.other_option.code:
        return None if text_only else OTHER
    return people.label(q, value, row)


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv") -> Path:
    """Write the export of ``variant`` into ``folder``; return its path."""
    text_only = variant == "csv_text_only"
    columns = _columns(codebook, text_only)
    rows = [
        [*OWN, *(c[0] for c in columns)],
        [*([None] * len(OWN)), *(c[1] for c in columns)],
    ]
    for row in range(len(people.answers)):
        who = people.who.loc[row]
        own = [
            str(11800000000 + 7919 * row), "431700001", us_time(who["started"]),
            us_time(who["started"].replace(second=58)), who["ip"], who["email"],
            who["first"], who["last"], who["token"],
        ]  # fmt: skip
        rows.append([*own, *(_cell(people, row, c[2], text_only) for c in columns)])
    if variant == "xlsx":
        return write_xlsx(folder / "Energy survey.xlsx", rows, "Sheet")
    return write_csv(folder / "Energy survey.csv", rows, line_end="\r\n")
