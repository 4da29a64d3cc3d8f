"""Typeform: Results > Responses > Download all responses, as CSV or Excel (.xlsx).

One header row. ``#`` first: the response's id (a 32-character token). Then the questions in
the form's order, each headed by its title (as typed, markup such as ``<strong>`` included): a
single choice, a rating, an opinion scale or a text is one column holding the label, the number
or the text; a multiple selection is one column per choice, headed by the choice's label
alone, holding that label when ticked and nothing otherwise, followed by a column headed
``Other`` with the typed text where the question offers "Other" (so several columns may be
headed ``Other``). The text typed for a single choice's "Other" stands in its own cell. After
the answers: hidden fields (by the names the form gave them), ``Response Type`` (completed or
partial), ``Start Date (UTC)``, ``Stage Date (UTC)``, ``Submit Date (UTC)``, ``Network ID`` (a
hash of the respondent's IP address) and ``Tags``. A skipped question is blank.
"""

from __future__ import annotations

from surveybrief.platforms.base import (
    OPTION,
    OTHER_TEXT,
    Column,
    Head,
    LabelsOnly,
    Reading,
    answer,
    keys,
    normalise,
    numbered,
)

#: The submission-time columns only Typeform writes.
DATES = keys("Start Date (UTC)", "Submit Date (UTC)", "Stage Date (UTC)")


class Typeform(LabelsOnly):
    """Typeform's response download."""

    name = "typeform"
    title = "Typeform"
    settings = (
        "Results > Responses > Download all responses: CSV or .xlsx as downloaded; a "
        "multiple selection's choices one column each under their labels, its typed "
        '"Other" in a column headed "Other"; hidden fields are dropped or mapped in wave.yaml'
    )
    meta = DATES | keys("Response Type", "Tags", "Ending")
    #: A hash of the respondent's IP address: it links responses from one network.
    personal = keys("Network ID")
    ids = ("#",)
    writes_other_in_cell = True

    def detect(self, head: Head) -> bool:
        """``#`` first, and Typeform's submission dates or network id among the headers."""
        first = normalise(head.header[0]) if head.header else ""
        return first == "#" and bool(head.keys & (DATES | self.personal))

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Read a question's title, a choice's label alone, or "Other" after a question's choices.

        Which question a label alone or an ``Other`` belongs to is the codebook's to say
        (``clean.mapping``: the question its neighbouring columns read).
        """
        own = self.own_column(header)
        if own is not None:
            return own
        if normalise(header) in self.other_words:
            return answer(header, Reading((), OTHER_TEXT, (header,)))
        return answer(header, Reading((header,)), Reading((), OPTION, (header,)))

    def columns(self, head: Head, header_rows: int) -> list[Column]:
        """Return the columns, repeated headers numbered (``Other``, ``Other (2)``)."""
        return numbered(super().columns(head, header_rows))


PLATFORM = Typeform()
