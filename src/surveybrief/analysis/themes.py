"""Themes of open answers: the keyword pass, the coders' codes, shares of those who commented.

Outline: take the non-empty answers of an open question (a non-answer such as "N/A" or "нет"
is not a comment) / suggest themes by the frame's keyword rules / when a coding workbook came
back, check it against the wave and take its codes (the reconciled ``final`` codes; else the
themes both coders gave; else the one coder's) / tabulate the themes like a multi-select
question: % of respondents who commented, one base, Wilson intervals.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from surveybrief.analysis.agreement import agreement_table
from surveybrief.analysis.tabulate import QuestionTable, tabulate_multi
from surveybrief.clean.skips import is_comment
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Question, multi_column
from surveybrief.inputs.coding import CODE_COLUMNS, SHEET, ReturnedCoding
from surveybrief.inputs.frames import NO_THEME, CodeFrame
from surveybrief.inputs.questionnaire import OpenTarget
from surveybrief.text import N_, Phrase

AUTOMATIC, ONE_CODER, TWO_CODERS = "automatic", "one_coder", "two_coders"
STATUS_WORDS = {
    AUTOMATIC: Phrase(N_("automatic keyword pass")),
    ONE_CODER: Phrase(N_("one coder")),
    TWO_CODERS: Phrase(N_("two coders")),
}


def open_answers(responses: pd.DataFrame, target: OpenTarget) -> pd.Series:
    """Return the comments of one open question, by respondent pseudonym."""
    values = responses[target.column].astype("string")
    keep = values.notna() & values.fillna("").map(is_comment).astype(bool)
    return pd.Series(values[keep].to_numpy(), index=responses.loc[keep, "respondent_id"])


def keyword_pass(answers: pd.Series, frame: CodeFrame) -> pd.DataFrame:
    """Return the themes the keyword rules find in each answer (answers x themes, bool)."""
    return pd.DataFrame(
        {t.code: [t.matches(a) for a in answers] for t in frame.themes}, index=answers.index
    )


def _same(a: str, b: str) -> bool:
    return re.sub(r"\s+", " ", a).strip() == re.sub(r"\s+", " ", b).strip()


def check_against_wave(coding: ReturnedCoding, answers: pd.Series) -> None:
    """Refuse a workbook whose rows no longer match the wave's open answers."""
    seen: set[str] = set()
    for row, who, text in zip(coding.rows, coding.respondents, coding.answers, strict=True):
        where = {"file": coding.path, "sheet": SHEET, "row": row}
        if who in seen:
            raise InputError("respondent listed twice", **where, column="respondent", value=who)
        seen.add(who)
        if who not in answers.index:
            raise InputError(
                "respondent has no open answer in this wave", **where, column="respondent",
                value=who, expected="a pseudonym written by the coding command",
            )  # fmt: skip
        if not _same(text, str(answers[who])):
            raise InputError(
                "answer no longer matches the wave (run the coding command again and carry "
                "the codes over)", **where, column="answer", value=who,
            )  # fmt: skip
    missing = [who for who in answers.index if who not in seen]
    if missing:
        raise InputError(
            f"{len(missing)} answer(s) missing from the coding workbook", file=coding.path,
            sheet=SHEET, column="respondent", value=missing[0],
        )  # fmt: skip


def _require_complete(coding: ReturnedCoding, role: str) -> None:
    """Every row coded by a role that coded any (no half-coded workbook is published)."""
    for row, codes in zip(coding.rows, coding.codes[role], strict=True):
        if not codes:
            raise InputError(
                f"answer not coded by {role} (give theme codes or {NO_THEME})",
                file=coding.path, sheet=SHEET, row=row, column=CODE_COLUMNS[role][0],
            )  # fmt: skip


def _matrix(codes, respondents, frame: CodeFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {c: [c in given for given in codes] for c in frame.codes}, index=list(respondents)
    )


@dataclass(frozen=True)
class ThemeCoding:
    """The themes of one open question's answers, how they were coded, and agreement."""

    target: OpenTarget
    answers: pd.Series
    suggested: pd.DataFrame
    themes: pd.DataFrame
    status: str
    agreement: pd.DataFrame | None = None

    @property
    def base(self) -> int:
        """Return how many respondents commented."""
        return len(self.answers)

    def question(self, lang: str = "en") -> Question:
        """Return the themes as a multi-select question (so they tabulate and chart alike)."""
        return self.target.themes_question()

    def table(self, lang: str = "en") -> QuestionTable:
        """Return the theme shares: % of respondents who commented, with Wilson intervals."""
        q = self.question(lang)
        coded = self.themes.copy()
        coded[NO_THEME] = ~coded.any(axis=1)
        data = {multi_column(q.id, c): coded[c].astype("Int8").to_numpy() for c in q.codes}
        return tabulate_multi(pd.DataFrame(data), q, lang)


def code_themes(
    target: OpenTarget, answers: pd.Series, coding: ReturnedCoding | None
) -> ThemeCoding:
    """Return the themes of ``answers``: the keyword pass, or the returned coding."""
    frame = target.frame
    suggested = keyword_pass(answers, frame)
    if coding is None:
        return ThemeCoding(target, answers, suggested, suggested, AUTOMATIC)
    check_against_wave(coding, answers)
    _require_complete(coding, "coder1")
    order = list(coding.respondents)
    first = _matrix(coding.codes["coder1"], order, frame)
    agreement, status, used = None, ONE_CODER, first
    if coding.has_role("coder2"):
        _require_complete(coding, "coder2")
        second = _matrix(coding.codes["coder2"], order, frame)
        labels = {t.code: t.label() for t in frame.themes}
        agreement, status, used = agreement_table(first, second, labels), TWO_CODERS, first & second
    if coding.has_role("final"):
        _require_complete(coding, "final")
        used = _matrix(coding.codes["final"], order, frame)
    return ThemeCoding(target, answers, suggested, used.reindex(answers.index), status, agreement)


def wave_themes(
    responses: pd.DataFrame, target: OpenTarget, returned: ReturnedCoding | None
) -> ThemeCoding:
    """Return a wave's themes of one open question: its returned coding, else the keyword pass."""
    return code_themes(target, open_answers(responses, target), returned)
