"""SPSS ``.sav`` files (from Qualtrics, LimeSurvey, KoboToolbox's "SPSS Labels", or by hand).

Variables have a name and a label (the question text; Qualtrics writes ``<question> -
<choice>`` over a choice's variable); value labels turn codes into the options' labels (read
with them applied). A multiple choice is one variable per option: 1 (or its label) ticked, 0
or missing not; user-missing values are read as missing. The own and personal variables of
the platforms that write SPSS files (Qualtrics' ``ResponseId``, ``IPAddress``, recipients;
``Duration__in_seconds_``) are known.
"""

from __future__ import annotations

from surveybrief.platforms.base import Column, Head, Platform, Reading, answer, keys
from surveybrief.platforms.qualtrics import PLATFORM as QUALTRICS
from surveybrief.platforms.qualtrics import label_readings


class Spss(Platform):
    """An SPSS data file."""

    name = "spss"
    title = "SPSS"
    settings = "the .sav file; value labels and variable labels as written"
    meta = QUALTRICS.meta
    personal = QUALTRICS.personal
    names = QUALTRICS.names
    ids = ("respondent_id", *QUALTRICS.ids)
    ticked = Platform.ticked | keys("Selected", "Checked", "Yes")
    row_rules = QUALTRICS.row_rules

    def detect(self, head: Head) -> bool:
        """Every .sav file is SPSS's."""
        return head.format == "sav"

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Read a variable by its name and its label (``question - choice`` as Qualtrics)."""
        own = self.own_column(header)
        if own is not None:
            return own
        label = head.variable_labels.get(header, "")
        if not label:
            return answer(header)
        return answer(header, Reading((header, label)), *label_readings(header, label))


PLATFORM = Spss()
