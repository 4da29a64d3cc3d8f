"""KoboToolbox: "Download data" as CSV (";"-separated, every field quoted) or XLS(X).

Headers are the form's names ("XML values and headers") or labels ("Labels", in a form
language), with the group path when "Include groups in headers" is on (``group/question``).
A select_multiple is one cell of the chosen names (or labels) separated by spaces, and/or
("Select Many": both by default) one column per choice (``group/question/choice``, ``1`` or
``0``, all blank when the question was not answered); an ``or_other`` question adds the choice
``other`` and its text in ``question_other``. A Ranking question is a group whose levels
(``rank__level``: "1st choice", ...) are columns ``group/level`` holding the choice ranked
there, first place first (``ranks_by_place``). The form's own columns are ``start``, ``end``,
``today``, ``audit`` and the export's ``_id``, ``_uuid`` (the submission id),
``_submission_time``, ``_validation_status``, ``_notes``, ``_status``, ``_submitted_by``,
``__version__``, ``_tags``, ``meta/rootUuid``, ``_index``; the device and user fields
(``deviceid``, ``phonenumber``, ``username``, ...) and geopoint parts are personal data. A
second header row of HXL tags (``#tag``) is skipped. Submissions marked "Not approved" in
Kobo's validation are set aside.
"""

from __future__ import annotations

import re

from surveybrief.inputs.export_spec import RowFilter
from surveybrief.platforms.base import (
    ANSWER,
    META,
    OTHER_TEXT,
    PERSONAL,
    Column,
    Head,
    Platform,
    Reading,
    answer,
    keys,
    normalise,
    numbered,
    path_readings,
)

#: The label pyxform gives an ``or_other`` question's text, as "Labels" exports head it.
SPECIFY_OTHER = keys("Specify other.", "Specify other")


def _splits(header: str, question: tuple[str, ...] | None) -> bool:
    """Return True for a split column ``<question>/<choice>`` of the question before it."""
    stem = header.rpartition("/")[0]
    return question is not None and bool(stem) and stem in question


#: Columns only KoboToolbox writes.
SIGNATURE = keys("_uuid", "_submission_time", "_validation_status", "__version__")
#: A geopoint's parts (``_<name>_latitude``) and a media file's link (``<name>_URL``).
LOCATION = re.compile(r"(^|/)_[^/]+_(latitude|longitude|altitude|precision)$", re.IGNORECASE)
MEDIA_URL = re.compile(r"_URL$")


class KoboToolbox(Platform):
    """KoboToolbox's data export."""

    name = "kobotoolbox"
    title = "KoboToolbox"
    settings = (
        'Downloads: CSV or XLS; "XML values and headers" or "Labels"; groups in headers or '
        'not (separator "/"); Select Many as single and/or separate columns'
    )
    meta = keys(
        "start", "end", "today", "audit", "__version__", "_version_", "_id", "_submission_time",
        "_validation_status", "_notes", "_status", "_tags", "_index", "_parent_index",
        "_parent_table_name", "_attachments", "_xform_id_string", "instanceID",
        "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "meta/instanceName",
        "formhub/uuid", "_submission__id", "_submission__uuid", "_submission__submission_time",
    )  # fmt: skip
    personal = keys(
        "deviceid", "subscriberid", "simserial", "phonenumber", "username", "email",
        "_submitted_by", "_geolocation",
    )  # fmt: skip
    names = keys("username", "_submitted_by")
    ids = ("_uuid",)
    multi_separators = (" ",)
    ranks_by_place = True
    row_rules = (
        RowFilter(
            "_validation_status",
            ("validation_status_not_approved", "Not Approved"),
            "marked “Not approved” in KoboToolbox's validation",
        ),
    )

    def detect(self, head: Head) -> bool:
        """Kobo appends its own columns (``_uuid``, ``_submission_time``, ...)."""
        return bool(head.keys & SIGNATURE)

    def header_rows(self, head: Head) -> int:
        """Two when the second row holds HXL tags (every filled cell starts with "#")."""
        tags = [v for v in head.row(0) if v is not None and v.strip()]
        return 2 if tags and all(v.strip().startswith("#") for v in tags) else 1

    def columns(self, head: Head, header_rows: int) -> list[Column]:
        """Read each header; "Specify other." heads the Other text of the question before it.

        In "Labels" exports the ``or_other`` text has pyxform's label; the question's split
        columns may stand between them.
        """
        found, question = [], None
        for header in head.header:
            header = str(header)
            last = header.rsplit("/", 1)[-1]
            if normalise(last) in SPECIFY_OTHER and question is not None:
                found.append(answer(header, Reading(question, OTHER_TEXT)))
                continue
            column = self.column(header, (), head)
            if column.kind == ANSWER and not _splits(header, question):
                question = column.readings[-1].question
            found.append(column)
        return numbered(found)

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Read a group path; geopoint parts and media links are not answers."""
        own = self.own_column(header)
        if own is not None:
            return own
        if LOCATION.search(header):
            return Column(header, PERSONAL)
        if MEDIA_URL.search(header):
            return Column(header, META)
        return answer(header, *path_readings(header.split("/")))


PLATFORM = KoboToolbox()
