"""SurveyMonkey: "All individual responses" exported as CSV or XLS(X), columns "Expanded".

Two header rows. Row 1: the respondent's columns (``Respondent ID``, ``Collector ID``,
``Start Date``, ``End Date``, ``IP Address``, ``Email Address``, ``First Name``, ``Last Name``,
``Custom Data 1``, custom variables), then each question's text over its first column only,
blank over its further columns. Row 2: blank over the respondent's columns; ``Response`` over
a one-column question, ``Open-Ended Response`` over a text, the choice's label over each
column of a multiple choice, the row's label over each row of a matrix, and the "Other"
label (``Other (please specify)`` or the author's own) over the column holding the typed
text. A ticked choice holds its label, an unticked one nothing. "Other" is written two ways:
a single choice's ``Response`` holds the Other label (or nothing) and the next column the
text; a multiple choice has one column of typed text, or a column holding the Other label
when ticked followed by the text's. Skipped questions are blank. Cells "Actual Answer Text".
"""

from __future__ import annotations

import re

from surveybrief.platforms.base import (
    CHOICE_OR_OTHER,
    OPTION,
    PERSONAL,
    Column,
    Head,
    LabelsOnly,
    Reading,
    answer,
    keys,
    normalise,
    numbered,
)

#: Row-2 words over a one-column question.
RESPONSE = keys("Response", "Open-Ended Response", "Ответ", "Открытый ответ")
#: Row-2 labels of an "Other" text: the standard one and the shapes authors give it.
OTHER_LABEL = re.compile(r"^(other|otro|autre|другое|басқа)\b.*|.*\(please (specify|explain)\)$",
                         re.IGNORECASE)  # fmt: skip


class SurveyMonkey(LabelsOnly):
    """SurveyMonkey's response export."""

    name = "surveymonkey"
    title = "SurveyMonkey"
    settings = (
        "Analyze > Save as > Export file > All individual responses: CSV or XLS, Original "
        'View, Columns "Expanded", Cells "Actual Answer Text" (the CSV inside the .zip)'
    )
    meta = keys("Collector ID", "Start Date", "End Date")
    personal = keys("IP Address", "Email Address", "First Name", "Last Name")
    names = keys("First Name", "Last Name")
    ids = ("respondent id",)

    def detect(self, head: Head) -> bool:
        """``Respondent ID`` first, ``Collector ID`` beside it."""
        first = normalise(head.header[0]) if head.header else ""
        return first == "respondent id" and "collector id" in head.keys

    def header_rows(self, head: Head) -> int:
        """Row 1 the questions, row 2 the parts of each."""
        return 2

    def columns(self, head: Head, header_rows: int) -> list[Column]:
        """Carry each question's text over its further columns; read row 2 under it."""
        parts = head.row(0) if header_rows > 1 else (None,) * len(head.header)
        found, question, in_block = [], "", True
        for i, cell in enumerate(head.header):
            part = (parts[i] or "").strip()
            in_block = in_block and not part
            if cell.strip():
                question = cell.strip()
            found.append(self._column(question, cell.strip(), part, in_block, i, head))
        return numbered(found)

    def _column(self, question: str, cell: str, part: str, in_block: bool, i, head) -> Column:
        """Return one column: the respondent's, or a part of ``question``."""
        own = self.own_column(cell) if cell else None
        if own is not None:
            return own
        if in_block:  # custom data and custom variables: anything may be in them
            return Column(cell or f"column {i + 1}", PERSONAL)
        if normalise(part) in RESPONSE:
            return answer(question)
        header = f"{question} - {part}"
        if OTHER_LABEL.match(part):
            following = head.row(0)[i + 1] if i + 1 < len(head.header) else None
            is_tick = (following or "").strip() == part and not (head.header[i + 1] or "").strip()
            if not is_tick:  # the typed text, unless a real choice starts with "Other"
                return answer(header, Reading((question,), CHOICE_OR_OTHER, (part,)))
            return answer(header, Reading((question,), OPTION, (part, "other")))
        return answer(
            header,
            Reading((question,), OPTION, (part,)),
            Reading((part,)),
            Reading((header,)),
        )


PLATFORM = SurveyMonkey()
