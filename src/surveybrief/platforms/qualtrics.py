"""Qualtrics: "Data & Analysis > Export & Import > Export data" as CSV, TSV or Excel.

Three header rows: export tags (``Q1``, ``Q2_1``, ``Q2_4_TEXT`` or the survey's own), the
question texts (``<question> - <choice>`` over a choice's column, ``<question> - Selected
Choice`` over a choice with a text box, ``<question> - <choice> - Text`` over the typed
"Other"), and ImportIds (``{"ImportId":"QID2","choiceId":"1"}``); legacy exports have two
(``V1`` ... over the own columns). The own columns: ``StartDate``, ``EndDate``, ``Status``,
``Progress``, ``Duration (in seconds)``, ``Finished``, ``RecordedDate``, ``ResponseId`` (the
id), ``DistributionChannel``, ``UserLanguage``, fraud scores and display orders; personal:
``IPAddress``, ``RecipientLastName``, ``RecipientFirstName``, ``RecipientEmail``,
``ExternalReference``, ``LocationLatitude``, ``LocationLongitude``. "Use choice text" writes
labels (a ticked choice column holds its text, an unticked one nothing or 0); "Split
multi-value fields into columns" off writes several choices in one cell joined by ","; -99 is
"seen but unanswered". Previews, tests and spam (``Status``) are set aside.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from surveybrief.inputs.export_spec import RowFilter
from surveybrief.platforms.base import (
    OPTION,
    OTHER_TEXT,
    Column,
    Head,
    Platform,
    Reading,
    answer,
    keys,
    normalise,
)

#: The ImportId row (JSON, or the 2016-21 exporter's Python-style dict).
IMPORT_ID = re.compile(r"""^\{\s*["']ImportId["']""")
#: Statuses that are not real responses: previews, tests, spam (as text or as codes).
NOT_RESPONSES = (
    "Survey Preview", "Survey Test", "Spam", "Survey Preview Spam", "Imported Spam",
    "Offline Survey Preview", "EX Spam", "1", "2", "8", "9", "12", "17", "40",
)  # fmt: skip
#: Parts of an answer column's label that are not the question or the choice.
SELECTED = " - selected choice"


def label_readings(tag: str, label: str) -> tuple[Reading, ...]:
    """Return the readings of a column from its tag and its Qualtrics label (``q - choice``)."""
    text = label.strip()
    if normalise(text).endswith(SELECTED):
        return (Reading((tag, text[: -len(SELECTED)].strip())),)
    head, sep, tail = text.rpartition(" - ")
    if sep and normalise(tail) == "text":  # "<question> - <choice> - Text": the typed Other
        question, _, choice = head.rpartition(" - ")
        return (Reading((question or head,), OTHER_TEXT, (choice,)),)
    if sep:
        question = head.removesuffix(" - Selected Choice").strip()
        return (
            Reading((question,), OPTION, (tail,)),
            Reading((tag, text)),
            Reading((tail,)),
        )
    return (Reading((tag, text)),)


class Qualtrics(Platform):
    """Qualtrics' response export."""

    name = "qualtrics"
    title = "Qualtrics"
    settings = (
        "Export data: CSV, TSV or Excel (three header rows, or a legacy export's two); "
        '"Use choice text"; multi-value fields split into columns or not; -99 for seen but '
        "unanswered"
    )
    meta = keys(
        "StartDate", "EndDate", "Status", "Progress", "Duration (in seconds)",
        "Duration__in_seconds_", "Finished", "RecordedDate", "DistributionChannel",
        "UserLanguage", "Q_Language", "Q_RecaptchaScore", "Q_RelevantIDDuplicate",
        "Q_RelevantIDDuplicateScore", "Q_RelevantIDFraudScore", "Q_RelevantIDLastStartDate",
        "Q_TotalDuration", "Q_BallotBoxStuffing", "Q_R", "Q_R_DEL", "Q_URL", "SolutionRevision",
        "ResponseSet", "LocationAccuracy", "Start Date", "End Date", "Response Type",
        "Recorded Date", "Distribution Channel", "User Language",
    )  # fmt: skip
    personal = keys(
        "IPAddress", "IP Address", "RecipientLastName", "RecipientFirstName", "RecipientEmail",
        "Recipient Last Name", "Recipient First Name", "Recipient Email", "ExternalReference",
        "External Data Reference", "ExternalDataReference", "LocationLatitude",
        "LocationLongitude", "Location Latitude", "Location Longitude", "EmailAddress", "Name",
    )  # fmt: skip
    names = keys("RecipientLastName", "RecipientFirstName", "Recipient Last Name",
                 "Recipient First Name", "Name")  # fmt: skip
    ids = ("responseid", "response id")
    multi_separators = (",",)
    missing_codes = MappingProxyType({"-99": "seen, not answered"})
    row_rules = (RowFilter("Status", NOT_RESPONSES, "a preview, test or spam response"),)

    def detect(self, head: Head) -> bool:
        """Return True for a ``ResponseId`` column, the ImportId row, or legacy ``V1`` tags."""
        legacy = {normalise(v or "") for v in head.row(0)} & {"responseid", "responseset"}
        return (
            "responseid" in head.keys
            or self._imports(head)
            or (bool(head.header) and normalise(head.header[0]) == "v1" and bool(legacy))
        )

    def _imports(self, head: Head) -> bool:
        return any(v is not None and IMPORT_ID.match(v) for v in head.row(1))

    def header_rows(self, head: Head) -> int:
        """Three with the ImportId row, two in a legacy export, else one."""
        if self._imports(head):
            return 3
        legacy = {normalise(v or "") for v in head.row(0)} & {"responseid", "response id"}
        return 2 if legacy else 1

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Read a column from its tag and, where there is one, its label row."""
        label = (under[0] or "").strip() if under else ""
        own = self.own_column(header) or (self.own_column(label) if label else None)
        if own is not None:  # a legacy export's V1..V10 are named by their label row
            name = label if re.fullmatch(r"V\d+", header) and label else header
            return Column(name, own.kind, holds_names=own.holds_names)
        if re.fullmatch(r"(FL_\d+_DO|.*_DO|Q_.*|SC\d+)", header):
            return Column(header, "meta")
        if not label:  # one header row: the tags, or the texts ("<question> - <choice>")
            return answer(header, *label_readings(header, header))
        return answer(header, *label_readings(header, label))


PLATFORM = Qualtrics()
