"""LimeSurvey (3.x to 6.x): "Export responses" to CSV or Excel.

Every heading is a question code, with ``[suffix]`` for a sub-column, and, as the export
dialog's "Headings" says, its text: ``Question code`` (``BARR[SQ001]``), ``Full question
text`` (``Which barriers? [Lack of financing]``), or ``Question code & question text``
(``BARR[SQ001]. Which barriers? [Lack of financing]``, separator ". "). ``[other]`` holds the
text typed for "Other" (of a list or a multiple choice), ``[comment]`` a comment. The own
columns come first (``id``, ``submitdate``, ``lastpage``, ``startlanguage``, ``seed``,
``startdate``, ``datestamp``), the personal ones wherever the survey saves them (``token``,
``ipaddr``, ``refurl``; the participants' ``firstname``, ``lastname``, ``email``,
``attribute_N`` at the end). "Answer codes" write a ticked choice as ``Y`` and Other as
``-oth-``; "Full answers" write ``Yes``/``No``, the labels, ``Other``, and ``N/A`` for a
question the respondent never saw. Meta headings and those words are translated into the
export's language. A CSV is UTF-8 with a byte-order mark, every field quoted.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from surveybrief.platforms.base import (
    COMMENT,
    META,
    OPTION,
    OTHER_TEXT,
    OTHER_WORDS,
    PERSONAL,
    Column,
    Head,
    Platform,
    Reading,
    answer,
    keys,
    normalise,
)

#: A heading's code part: the question code and its bracketed suffixes.
CODE = re.compile(r"(?P<code>[A-Za-z][A-Za-z0-9_]*)(?P<suffixes>(?:\[[^\]]*\])*)")
#: The separator between code and text ("Question code & question text").
CODE_TEXT_SEPARATOR = ". "
#: Bracket groups at the end of a heading's text (sub-question, "Other", "Comment").
TRAILING_GROUP = re.compile(r"\s?\[([^\[\]]*)\]$")
META_CODES = keys("submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
                  "interviewtime")  # fmt: skip
META_TEXTS = keys(
    "Date submitted", "Last page", "Start language", "Seed", "Date started", "Date last action",
    "Total time", "Дата отправки", "Последняя страница", "Язык", "Дата начала",
    "Дата последнего действия",
)  # fmt: skip
PERSONAL_CODES = keys("token", "ipaddr", "refurl", "firstname", "lastname", "email")
PERSONAL_TEXTS = keys(
    "Access code", "Token", "IP address", "Referrer URL", "First name", "Last name",
    "Email address", "Email", "Код доступа", "IP-адрес", "Имя", "Фамилия",
)  # fmt: skip
NAME_CODES = keys("firstname", "lastname")
NAME_TEXTS = keys("First name", "Last name", "Имя", "Фамилия")
ID_TEXTS = keys("Response ID", "Antwort ID", "ID ответа")
COMMENT_WORDS = keys("Comment", "Комментарий", "Пікір", "Kommentar")


def _split(header: str) -> tuple[str | None, list[str], str | None]:
    """Return a heading's code, its suffixes and its text (None where the heading has none)."""
    text = header.strip()
    found = CODE.match(text)
    if found and found.end() == len(text):
        return found["code"], re.findall(r"\[([^\]]*)\]", found["suffixes"]), None
    if found and text[found.end() :].startswith(CODE_TEXT_SEPARATOR):
        suffixes = re.findall(r"\[([^\]]*)\]", found["suffixes"])
        return found["code"], suffixes, text[found.end() + len(CODE_TEXT_SEPARATOR) :]
    return None, [], text


def _is_timing(code: str, head: Head) -> bool:
    """Return True for a timing column: ``groupTime12``, or ``<code>Time`` beside ``<code>``."""
    if re.fullmatch(r"groupTime\d+", code):
        return True
    codes = {_split(h)[0] for h in head.header} if head is not None else set()
    return code.endswith("Time") and code.removesuffix("Time") in codes


def _text_parts(text: str | None, groups: int) -> tuple[str | None, list[str]]:
    """Return a heading text's question wording and its last ``groups`` bracket groups."""
    parts: list[str] = []
    while text is not None and len(parts) < groups and (found := TRAILING_GROUP.search(text)):
        parts.insert(0, found.group(1).strip())
        text = text[: found.start()]
    return (None if text is None else text.strip()), parts


class LimeSurvey(Platform):
    """LimeSurvey's response export."""

    name = "limesurvey"
    title = "LimeSurvey"
    settings = (
        'Responses > Export: CSV or Microsoft Excel; Headings "Question code", "Full '
        'question text" or "Question code & question text" (separator ". "); Responses '
        '"Answer codes" or "Full answers"; Y/N not converted'
    )
    meta = META_CODES | META_TEXTS
    personal = PERSONAL_CODES | PERSONAL_TEXTS
    names = NAME_CODES | NAME_TEXTS
    ids = ("id", "response id")
    other_words = OTHER_WORDS | keys("-oth-", "Sonstiges", "Autre", "Otro")
    ticked = keys("Y", "Yes", "Ja", "Oui", "Sí", "Да", "Иә", "1")
    unticked = keys("N", "No", "Nein", "Non", "Нет", "Жоқ", "0")
    missing_codes = MappingProxyType({"N/A": "not shown to the respondent (LimeSurvey's N/A)"})
    missing_codes_in_text = False

    def detect(self, head: Head) -> bool:
        """Its first column is the response id, then its own columns or coded headings."""
        if not head.header:
            return False
        code, _, text = _split(head.header[0])
        first = normalise(code or "")
        if first != "id" and normalise(text or "") not in ID_TEXTS:
            return False
        coded = [_split(h) for h in head.header[1:]]
        own = {normalise(c or "") for c, _, _ in coded} | {normalise(t or "") for *_, t in coded}
        return bool(own & (META_CODES | META_TEXTS)) or any(s for _, s, _ in coded)

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Read the code, its suffixes and the text of a heading."""
        code, suffixes, text = _split(header)
        for part in (code, text):
            own = self.own_column(part) if part else None
            if own is not None:
                return Column(header, own.kind, holds_names=own.holds_names)
        if code is not None and re.fullmatch(r"attribute_\d+", code):
            return Column(header, PERSONAL)
        if code is not None and not suffixes and _is_timing(code, head):
            return Column(header, META)
        if code is None:  # "Full question text": a wording, or a wording and a sub-question
            wording, groups = _text_parts(text, 1)
            shown = groups[0] if groups else ""
            return answer(header, Reading((text,)), self._reading((wording,), "", shown))
        wording, groups = _text_parts(text, len(suffixes))
        names = tuple(n for n in (code, wording) if n)
        if not suffixes:
            return answer(header, Reading(names))
        shown = groups[-1] if groups else suffixes[-1]
        return answer(header, self._reading(names, suffixes[-1], shown))

    def _reading(self, question: tuple[str, ...], suffix: str, shown: str) -> Reading:
        """Return what a sub-column holds: an option, the "Other" text, or a comment."""
        key, label = normalise(suffix), normalise(shown)
        if key == "other" or (not suffix and label in self.other_words):
            return Reading(question, OTHER_TEXT)
        if key.endswith("comment") or (not suffix and label in COMMENT_WORDS):
            return Reading(question, COMMENT)
        options = tuple(dict.fromkeys(o for o in (suffix, shown) if o))
        return Reading(question, OPTION, options) if options else Reading(question)


PLATFORM = LimeSurvey()
