"""LimeSurvey exports: "Export responses" as CSV or Excel.

``codes``: headings "Question code", responses "Answer codes": ``PRIO``, ``PRIO[other]``,
``BARR[fin]`` ... ``BARR[other]``; a ticked choice ``Y``, shown but unticked ``""``, an
unreached page NULL (a bare empty field); Other ``-oth-``. ``codetext_full``: headings
"Question code & question text" (``BARR[fin]. What holds ...? [Lack of financing]``), "Full
answers" (``Yes``/``No``, the labels, ``Other``, ``N/A`` where the page was never reached).
``full_xlsx``: "Full question text" headings and full answers in an Excel workbook. The own
columns come first (``id`` ... ``refurl``, ``token``), the participants' ``firstname``,
``lastname``, ``email`` last. CSV: UTF-8 with a byte-order mark, every value quoted, CRLF.
Incomplete responses (no ``submitdate``) stop at their last page.
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import write_csv, write_xlsx
from surveybrief.tools.exports.respondents import People

VARIANTS = ("codes", "codetext_full", "full_xlsx")
OWN = (
    ("id", "Response ID"), ("submitdate", "Date submitted"), ("lastpage", "Last page"),
    ("startlanguage", "Start language"), ("seed", "Seed"), ("token", "Access code"),
    ("startdate", "Date started"), ("datestamp", "Date last action"), ("ipaddr", "IP address"),
    ("refurl", "Referrer URL"),
)  # fmt: skip
PARTICIPANT = (("firstname", "First name"), ("lastname", "Last name"), ("email", "Email address"))


def _heading(code: str, text: str, variant: str) -> str:
    """Return a heading as the export's "Headings" setting writes it."""
    if variant == "codes":
        return code
    return f"{code}. {text}" if variant == "codetext_full" else text


def _columns(codebook: Codebook) -> list[tuple[str, str, tuple]]:
    """Return (code, text, what) of every question column, in the export's order."""
    found = []
    for q in codebook.questions:
        wording = q.wording("en")
        if q.kind.several:
            for option in q.options:
                if option.is_other:
                    found.append((f"{q.id}[other]", f"{wording} [Other]", ("other_text", q)))
                else:
                    found.append((f"{q.id}[{option.code}]", f"{wording} [{option.label()}]",
                                  ("tick", q, option.code)))  # fmt: skip
            continue
        found.append((q.id, wording, ("answer", q)))
        if q.other_option is not None:
            found.append((f"{q.id}[other]", f"{wording} [Other]", ("other_text", q)))
    return found


def _cell(people: People, row: int, what: tuple, full: bool) -> str | None:
    """Return one answer cell ("" shown but not answered; None never shown)."""
    q = what[1]
    if what[0] == "tick":
        chosen = people.chosen(q, row)
        if chosen is None:
            return "N/A" if full else None
        return ("Yes" if full else "Y") if what[2] in chosen else ("No" if full else "")
    if what[0] == "other_text":
        return people.value(f"{q.id}__other_text", row) or ""
    value = people.value(q.id, row)
    if value is None or (q.kind.open_text or q.kind.ordered):
        return value
    if q.other_option is not None and value == q.other_option.code:
        return "Other" if full else "-oth-"
    return q.option(value).label() if full else value


def _own(people: People, row: int, complete: bool) -> list[object]:
    """Return the own columns of a response (an incomplete one has no submitdate)."""
    who = people.who.loc[row]
    start = who["started"]
    done = start.replace(second=59)
    return [
        str(row + 1), done if complete else None, "2" if complete else "1", who["lang"],
        str(1000003 * (row + 7) % 99991), who["token"], start, done, who["ip"], None,
    ]  # fmt: skip


def write(people: People, codebook: Codebook, folder: Path, variant: str = "codes") -> Path:
    """Write the export of ``variant`` into ``folder``; return its path."""
    full = variant != "codes"
    columns = _columns(codebook)
    own = [_heading(c, t, variant) for c, t in OWN]
    tail = [_heading(c, t, variant) for c, t in PARTICIPANT]
    rows = [[*own, *(_heading(c, t, variant) for c, t, _ in columns), *tail]]
    last = codebook.questions[-1]
    for row in range(len(people.answers)):
        complete = people.value(last.id, row) is not None or row % 2 == 0
        who = people.who.loc[row]
        cells = [_cell(people, row, what, full) for _, _, what in columns]
        rows.append([*_own(people, row, complete), *cells, who["first"], who["last"], who["email"]])
    if variant == "full_xlsx":
        return write_xlsx(folder / "results-survey482913.xlsx", rows, "Energy cooperation")
    return write_csv(
        folder / "results-survey482913.csv", rows, quote_all=True, bom=True, bare_none=True
    )
