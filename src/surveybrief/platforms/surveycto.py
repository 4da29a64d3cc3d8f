"""SurveyCTO: the wide CSV (or Excel) export of a form's data.

Headers are the bare field names (no group path); the starter form's fields ``starttime``,
``endtime``, ``deviceid``, ``subscriberid``, ``simid``, ``devicephonenum``, ``username``,
``duration``, ``caseid`` and the server's ``SubmissionDate``, ``CompletionDate``,
``instanceID``, ``formdef_version``, ``KEY`` (the submission id) and, with review,
``review_status`` ... come with the answers. Answers are choice values (often numbers); a
select_multiple is one cell of values separated by spaces, and by default also one 1/0 column
per value, ``field_<value>`` (``field__96`` for -96): those beside ``field`` are not read.
A text typed for "Other" is in the form's own field, by convention ``field_other``. Dates
follow the exporting computer (``Jun 10, 2025 10:12:33 AM``). Submissions whose review status
is ``REJECTED`` are set aside.
"""

from __future__ import annotations

import re

from surveybrief.inputs.export_spec import RowFilter
from surveybrief.platforms.base import (
    META,
    OTHER_TEXT,
    Column,
    Head,
    Platform,
    Reading,
    answer,
    keys,
)


class SurveyCto(Platform):
    """SurveyCTO's wide export."""

    name = "surveycto"
    title = "SurveyCTO"
    settings = (
        "Export > wide format, CSV or Excel; choice values (not labels); select_multiple as "
        "one column (the 1/0 columns beside it are not read)"
    )
    meta = keys(
        "SubmissionDate", "CompletionDate", "starttime", "endtime", "duration", "instanceID",
        "instanceName", "formdef_version", "review_status", "review_comments",
        "review_corrections", "review_quality", "text_audit", "audio_audit",
    )  # fmt: skip
    personal = keys(
        "deviceid", "subscriberid", "simid", "devicephonenum", "username", "caseid",
        "phonenumber", "email",
    )  # fmt: skip
    names = keys("username")
    ids = ("key",)
    multi_separators = (" ",)
    one_cell_wins = True
    row_rules = (RowFilter("review_status", ("REJECTED",), "rejected in SurveyCTO's review"),)

    def detect(self, head: Head) -> bool:
        """SurveyCTO writes ``KEY`` with ``formdef_version``."""
        return {"key", "formdef_version"} <= head.keys

    def columns(self, head: Head, header_rows: int) -> list[Column]:
        """Read each header; a choice's 1/0 column beside its select_multiple is not read.

        ``field_<value>`` (``field__96`` for -96) beside ``field`` holding only 1 and 0 is
        such a column, whatever the value (a number or a name such as ``other``); otherwise
        ``field_other`` is the text typed for "Other".
        """
        fields = set(head.header)
        found = []
        for i, header in enumerate(head.header):
            own = self.own_column(header)
            stem = re.fullmatch(r"(?P<field>.+?)_(?P<value>_?[^_]+)", header)
            cells = set(head.values(i))
            if own is not None:
                found.append(own)
            elif stem and stem["field"] in fields and cells and cells <= {"0", "1"}:
                found.append(Column(header, META))  # a choice's 1/0 column: the cell is read
            elif header.endswith("_other") and header.removesuffix("_other") in fields:
                field = header.removesuffix("_other")
                found.append(answer(header, Reading((field,), OTHER_TEXT), Reading((header,))))
            else:
                found.append(answer(header))
        return found


PLATFORM = SurveyCto()
