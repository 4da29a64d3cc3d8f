"""Google Forms: "Download responses (.csv)" from the form, or its linked Sheet as CSV or xlsx.

The first column is the submission time (``Timestamp``, named in the form owner's language);
``Email Address`` / ``Email address`` (Sheets) or ``Username`` (the form's CSV, verified
e-mails) hold the respondent's e-mail; ``Score`` a quiz's points. Headers are the question
titles. Checkbox answers are the chosen labels in one cell: joined by ";" in the form's CSV,
by ", " in the Sheet; the text typed for "Other" stands in the cell itself, as one more item
(and alone in a multiple-choice cell). Skipped questions are blank. There is no response id.
"""

from __future__ import annotations

from surveybrief.platforms.base import Head, Platform, keys, normalise

#: The first header, in the languages Google Forms names it in.
TIMESTAMPS = keys(
    "Timestamp", "Marca temporal", "Horodateur", "Carimbo de data/hora", "Zeitstempel",
    "Informazioni cronologiche", "Отметка времени", "Уақыт белгісі", "Tijdstempel",
    "Sygnatura czasowa", "Zaman damgası",
)  # fmt: skip


class GoogleForms(Platform):
    """Google Forms' response downloads."""

    name = "google_forms"
    title = "Google Forms"
    settings = (
        "Responses > Download responses (.csv), or the linked Sheet downloaded as .csv or "
        '.xlsx; question titles as headers; checkbox answers joined by ";" or ", "; '
        '"Other" texts in the answer cell'
    )
    meta = TIMESTAMPS | keys("Score", "Total score")
    personal = keys("Email Address", "Email address", "Username", "Adresse e-mail")
    ids = ()
    writes_labels_only = True
    multi_separators = (";", ", ")
    writes_other_in_cell = True

    def detect(self, head: Head) -> bool:
        """Return True when the first column is the submission time's."""
        return bool(head.header) and normalise(head.header[0]) in TIMESTAMPS


PLATFORM = GoogleForms()
