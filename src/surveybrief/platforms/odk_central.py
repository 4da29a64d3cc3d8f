"""ODK Central (and ODK Briefcase/Aggregate before it): "Download" of a form's submissions (CSV).

``SubmissionDate`` comes first; the form's fields follow with their group path joined by "-"
(``sec1-nexus_priority``; bare names with "Remove group names"); then ``meta-instanceID``,
``KEY`` (the submission id), ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits``,
``FormVersion`` (older exports stop earlier). Answers are choice names, never labels; a
select_multiple is one cell of names separated by spaces, and with "Split select multiple
choices into columns" also ``field/name`` columns of 1/0 — only for names someone chose, and
0 even where the question was skipped, so the one cell is read and those columns are not. An
``or_other`` question writes the text typed for "Other" in ``field_other``. Geopoints become
``field-Latitude`` ... ``-Accuracy`` (personal data). Comma-separated, UTF-8, no byte-order
mark. Submissions a reviewer rejected (``ReviewState`` ``rejected``) are set aside.
"""

from __future__ import annotations

import re

from surveybrief.inputs.export_spec import RowFilter
from surveybrief.platforms.base import (
    OPTION,
    PERSONAL,
    Column,
    Head,
    Platform,
    Reading,
    answer,
    keys,
    normalise,
    path_readings,
)

LOCATION = re.compile(r"-(Latitude|Longitude|Altitude|Accuracy)$")


class OdkCentral(Platform):
    """ODK Central's CSV export."""

    name = "odk_central"
    title = "ODK Central"
    settings = (
        "Submissions > Download: the main table (.csv, or the .csv inside the .zip); group "
        "names kept or removed; select multiple split into columns or not"
    )
    meta = keys(
        "SubmissionDate", "meta-instanceID", "meta-instanceName", "meta-audit", "instanceID",
        "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "Edits",
        "FormVersion", "start", "end", "today", "audit",
    )  # fmt: skip
    personal = keys(
        "SubmitterID", "SubmitterName", "DeviceID", "deviceid", "phonenumber", "username",
        "email", "simserial", "subscriberid",
    )  # fmt: skip
    names = keys("SubmitterName", "username")
    ids = ("key",)
    multi_separators = (" ",)
    one_cell_wins = True
    row_rules = (RowFilter("ReviewState", ("rejected",), "rejected by a reviewer in ODK Central"),)

    def detect(self, head: Head) -> bool:
        """``SubmissionDate`` first and ``KEY``, without SurveyCTO's ``formdef_version``."""
        first = normalise(head.header[0]) if head.header else ""
        return (
            first == "submissiondate" and "key" in head.keys and "formdef_version" not in head.keys
        )

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Read a "-"-joined group path; ``field/name`` is a choice of a split select."""
        own = self.own_column(header)
        if own is not None:
            return own
        if LOCATION.search(header):
            return Column(header, PERSONAL)
        stem, slash, choice = header.rpartition("/")
        if slash and stem:
            question = path_readings(stem.split("-"), other_suffix="", options=False)[-1].question
            return answer(header, Reading(question, OPTION, (choice,)))
        return answer(header, *path_readings(header.split("-"), options=False))


PLATFORM = OdkCentral()
