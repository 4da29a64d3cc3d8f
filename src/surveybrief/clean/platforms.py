"""What survey platforms add to an export besides the answers, known so no one lists it by hand.

KoboToolbox, Qualtrics and Google Forms each write their own columns: timestamps, device and
submission metadata, recipient names and e-mail, IP address and location. They are recognised
by header (case, spaces and Kobo's group paths ignored) and never read as answers; the personal
ones are personal data, and the names in name columns scrub open answers like a roster.
"""

from __future__ import annotations

import re

#: Platform columns that hold no personal data (dropped unread).
META = {
    # KoboToolbox
    "start", "end", "today", "audit", "__version__", "_version_", "_id", "_uuid",
    "_submission_time", "_validation_status", "_notes", "_status", "_tags", "_index",
    "_parent_index", "_parent_table_name", "_attachments", "_xform_id_string", "instanceid",
    "meta/instanceid", "meta/rootuuid", "meta/deprecatedid", "meta/instancename", "formhub/uuid",
    "_submission__id", "_submission__uuid", "_submission__submission_time",
    # Qualtrics (ids as exported, and the labels of its second header row)
    "startdate", "enddate", "status", "progress", "duration (in seconds)", "finished",
    "recordeddate", "responseid", "distributionchannel", "userlanguage", "q_recaptchascore",
    "q_relevantidduplicate", "q_relevantidduplicatescore", "q_relevantidfraudscore",
    "q_relevantidlaststartdate", "q_totalduration", "q_ballotboxstuffing", "start date",
    "end date", "response type", "recorded date", "response id", "distribution channel",
    "user language",
    # Google Forms
    "timestamp", "score", "total score",
}  # fmt: skip
#: Platform columns that hold personal data (dropped unread; names scrub open answers).
PERSONAL = {
    "deviceid", "subscriberid", "simserial", "phonenumber", "username", "_submitted_by",
    "_geolocation", "ipaddress", "ip address", "recipientlastname", "recipientfirstname",
    "recipientemail", "recipient last name", "recipient first name", "recipient email",
    "externalreference", "external data reference", "locationlatitude", "locationlongitude",
    "location latitude", "location longitude", "email address", "email",
}  # fmt: skip
#: Personal columns whose values are names (they scrub open answers like a roster).
NAME_COLUMNS = {
    "recipientlastname", "recipientfirstname", "recipient last name", "recipient first name",
    "name", "full name", "first name", "last name", "surname", "username", "_submitted_by",
}  # fmt: skip
#: Respondent id columns of the platforms, tried in this order when wave.yaml names none.
ID_COLUMNS = ("respondent_id", "_uuid", "responseid", "response id", "_id")


def key(header: str) -> str:
    """Return a header for matching: case-folded, spaces collapsed, Kobo's group path removed.

    Kobo meta columns keep their own path (``meta/instanceID``, ``formhub/uuid``).
    """
    text = re.sub(r"\s+", " ", str(header)).strip().casefold()
    if text.startswith(("meta/", "formhub/")):
        return text
    return text.rsplit("/", 1)[-1] if "/" in text and not text.startswith("_") else text


def is_meta(header: str) -> bool:
    """Return True for a platform column that holds no answer and no personal data."""
    return key(header) in META or str(header).strip().casefold() in META


def is_personal(header: str) -> bool:
    """Return True for a platform column that holds personal data."""
    return key(header) in PERSONAL


def is_name_column(header: str) -> bool:
    """Return True for a column holding people's names (their values scrub open answers)."""
    return key(header) in NAME_COLUMNS


#: Columns that only one platform writes, to tell which made an export.
SIGNATURES = {
    "qualtrics": {"responseid", "response id"},
    "kobotoolbox": {"_uuid", "_submission_time"},
}


def platform_of(headers) -> str | None:
    """Return the platform whose own columns the export has (None when it shows none)."""
    keys = {key(h) for h in headers}
    return next((name for name, marks in SIGNATURES.items() if keys & marks), None)
