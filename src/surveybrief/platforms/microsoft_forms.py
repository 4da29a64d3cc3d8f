"""Microsoft Forms: the Excel workbook of "Open results in Excel" / "Download a copy".

Its first columns are ``ID`` (a running number), ``Start time``, ``Completion time``,
``Email`` ("anonymous" in anonymous forms), ``Name`` and, in newer exports, ``Last modified
time`` (named in the form's language); quizzes add ``Total points``, ``Quiz feedback``,
``Grade posted time`` and per question ``Points - <question>`` and ``Feedback - <question>``.
Headers are the question titles. Several choices are one cell of labels, each followed by
";" (``Label A;Label B;``); the text typed for "Other" stands among them. A skipped question
is blank. A CSV saved from that workbook (often Windows-1252) reads the same.
"""

from __future__ import annotations

import re

from surveybrief.platforms.base import META, Column, Head, Platform, keys, normalise

#: The start-time header in the languages the export is written in.
STARTS = keys(
    "Start time", "Hora de início", "Hora de inicio", "Heure de début", "Startzeit",
    "Время начала", "Басталу уақыты", "開始時刻",
)  # fmt: skip
COMPLETIONS = keys(
    "Completion time", "Hora da conclusão", "Hora de finalización", "Heure de fin",
    "Fertigstellungszeit", "Время завершения", "Аяқталу уақыты", "完了時刻",
)  # fmt: skip
#: Quiz columns that belong to one question (points and feedback given by the teacher).
QUIZ_PREFIX = re.compile(r"^(points|feedback) - ", re.IGNORECASE)


class MicrosoftForms(Platform):
    """Microsoft Forms' Excel download."""

    name = "microsoft_forms"
    title = "Microsoft Forms"
    settings = (
        "Responses > Open results in Excel (the .xlsx as downloaded, or a CSV saved from it); "
        'question titles as headers; several choices as "A;B;"; "Other" texts in the '
        "answer cell"
    )
    meta = (
        STARTS
        | COMPLETIONS
        | keys(
            "Last modified time", "Total points", "Quiz feedback", "Grade posted time",
            "Время последнего изменения", "Hora da última modificação",
        )
    )  # fmt: skip
    personal = keys("Email", "Name", "Nome", "Электронная почта", "Имя", "Электрондық пошта",
                    "Аты", "メール", "名前", "E-mail")  # fmt: skip
    names = keys("Name", "Nome", "Имя", "Аты", "名前")
    ids = keys("ID", "ИД")
    writes_labels_only = True
    multi_separators = (";",)
    writes_other_in_cell = True

    def detect(self, head: Head) -> bool:
        """Its first column is the ID, and a start and a completion time follow."""
        first = normalise(head.header[0]) if head.header else ""
        return first in self.ids and bool(head.keys & STARTS) and bool(head.keys & COMPLETIONS)

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Points and feedback of a quiz question are the platform's, not the respondent's."""
        if QUIZ_PREFIX.match(header.strip()):
            return Column(header, META)
        return super().column(header, under, head)


PLATFORM = MicrosoftForms()
