"""The questionnaire's model: sections, questions, options and labels by language.

Frozen dataclasses built by ``inputs.codebook`` from ``data/codebook/v<N>.yaml``. They answer
questions about the questionnaire (which columns a question has in the processed data, which
codes are valid, which sections are chapters) and hold no respondent data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.inputs.frames import NO_THEME, CodeFrame
from surveybrief.inputs.question_kind import QuestionKind, question_kinds

#: The id of the themes of an open question, tabulated like a multi-select question.
THEME_SUFFIX = "_themes"
#: Separator between question id and option code in multi-select column names.
MULTI_SEP = "__"


@dataclass(frozen=True)
class Changes:
    """What a codebook version changed relative to the previous version."""

    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    reworded: tuple[str, ...] = ()
    #: question id -> {old option code: new option code}
    renamed_options: dict[str, dict[str, str]] = field(default_factory=dict)
    #: question id -> {old option code: (new codes...)}
    split_options: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Consensus:
    """What counts as the panel agreeing on a rating statement, declared before the answers.

    Declared in the codebook (``consensus:``), never chosen after seeing the results (CREDES;
    Diamond et al. 2014). ``points``: the scale points that count as agreeing (default: the top
    two); ``share``: at least this percentage of those who answered chose one of them;
    ``iqr``: the interquartile range is at most this. Reached when every declared rule holds.
    """

    points: tuple[str, ...]
    share: float | None = None
    iqr: float | None = None


@dataclass(frozen=True)
class Option:
    """One answer option: a stable code and its labels by language."""

    code: str
    labels: dict[str, str]
    is_reported: bool = True
    #: The "Other (please specify)" option: its free text is kept in ``<question>__other_text``.
    is_other: bool = False
    #: The "None of these" box of a multi-select question: who ticks it answered, ticking no
    #: option; who ticks nothing at all skipped the question.
    is_none: bool = False

    def label(self, lang: str = "en") -> str:
        """Return the label in ``lang``, falling back to English."""
        return self.labels.get(lang) or self.labels["en"]


@dataclass(frozen=True)
class Question:
    """One question of the questionnaire."""

    id: str
    type: str
    section_id: str
    titles: dict[str, str]
    wordings: dict[str, str]
    options: tuple[Option, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    is_headline: bool = False
    #: Themes of the open answers (a text question) or of the "Other" texts (``other_frame``).
    frame: CodeFrame | None = None
    other_frame: CodeFrame | None = None
    #: A rating statement's consensus rule, declared in advance (None: none declared).
    consensus: Consensus | None = None
    #: What a type's own codebook keys say that no field above holds (``codebook_fields``).
    extra: dict = field(default_factory=dict)

    @property
    def kind(self) -> QuestionKind:
        """Return the question's type, registered with its traits and hooks (``question_types``)."""
        return question_kinds()[self.type]

    def title(self, lang: str = "en") -> str:
        """Return the short title in ``lang``."""
        return self.titles.get(lang) or self.titles["en"]

    def wording(self, lang: str = "en") -> str:
        """Return the question wording in ``lang``."""
        return self.wordings.get(lang) or self.wordings["en"]

    def note(self, lang: str = "en") -> str | None:
        """Return the note on this question, if any."""
        return self.notes.get(lang) or self.notes.get("en")

    @property
    def codes(self) -> list[str]:
        """Return the option codes in codebook order."""
        return [o.code for o in self.options]

    def option(self, code: str) -> Option:
        """Return the option with ``code``."""
        for opt in self.options:
            if opt.code == code:
                return opt
        raise KeyError(f"question {self.id!r} has no option {code!r}")

    def option_label(self, code: str, lang: str = "en") -> str:
        """Return the label of ``code``, including the reserved not-reported code."""
        if code == NOT_REPORTED_CODE:
            return "Other answers (not reported in the source)"
        return self.option(code).label(lang)

    @property
    def other_option(self) -> Option | None:
        """Return the "Other (please specify)" option, if the question has one."""
        return next((o for o in self.options if o.is_other), None)

    @property
    def none_option(self) -> Option | None:
        """Return the "None of these" option of a multi-select question, if it has one."""
        return next((o for o in self.options if o.is_none), None)

    @property
    def option_columns(self) -> list[str]:
        """Return the columns holding the answers (one per option: multi-select, ranking)."""
        if self.kind.per_option:
            return [multi_column(self.id, code) for code in self.codes]
        return [self.id]

    @property
    def columns(self) -> list[str]:
        """Return the processed-data columns of this question (answers, then any other-text)."""
        extra = [other_text_column(self.id)] if self.other_option is not None else []
        return self.option_columns + extra


@dataclass(frozen=True)
class Section:
    """A section of the questionnaire; chapters of the briefing are the sections with is_chapter."""

    id: str
    number: int
    titles: dict[str, str]
    questions: tuple[Question, ...]
    is_chapter: bool = True

    def title(self, lang: str = "en") -> str:
        """Return the section title in ``lang``."""
        return self.titles.get(lang) or self.titles["en"]


@dataclass(frozen=True)
class Codebook:
    """The whole questionnaire."""

    version: int
    titles: dict[str, str]
    sections: tuple[Section, ...]
    wording_notes: dict[str, str]
    path: Path
    changes: Changes = field(default_factory=lambda: Changes())

    def title(self, lang: str = "en") -> str:
        """Return the survey title in ``lang``."""
        return self.titles.get(lang) or self.titles["en"]

    @property
    def questions(self) -> list[Question]:
        """Return all questions in questionnaire order."""
        return [q for s in self.sections for q in s.questions]

    @property
    def open_targets(self) -> list[OpenTarget]:
        """Return the open answers to code: each text question, each "Other" text with a frame."""
        targets = []
        for q in self.questions:
            if q.kind.open_text:
                targets.append(OpenTarget(q.id, q, q.id, q.frame))
            elif q.other_option is not None and q.other_frame is not None:
                column = other_text_column(q.id)
                targets.append(OpenTarget(column, q, column, q.other_frame))
        return targets

    def themes_or_question(self, question_id: str) -> Question:
        """Return a question, or an open question's themes as one (``<id>_themes``)."""
        if not question_id.endswith(THEME_SUFFIX):
            return self.question(question_id)
        return self.open_target(question_id.removesuffix(THEME_SUFFIX)).themes_question()

    def open_target(self, target_id: str) -> OpenTarget:
        """Return the open-answer target ``target_id`` (a text question or ``<q>__other_text``)."""
        for target in self.open_targets:
            if target.id == target_id:
                return target
        raise KeyError(f"no open question {target_id!r} in codebook v{self.version}")

    @property
    def chapters(self) -> list[Section]:
        """Return the sections that are chapters of the briefing."""
        return [s for s in self.sections if s.is_chapter]

    def question(self, question_id: str) -> Question:
        """Return the question with ``question_id``."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(f"codebook has no question {question_id!r}")

    def section(self, section_id: str) -> Section:
        """Return the section with ``section_id``."""
        for s in self.sections:
            if s.id == section_id:
                return s
        raise KeyError(f"codebook has no section {section_id!r}")

    @property
    def columns(self) -> list[str]:
        """Return every processed-data column (after ``respondent_id``), in order."""
        return [c for q in self.questions for c in q.columns]


@dataclass(frozen=True)
class OpenTarget:
    """Open answers to code: a text question, or a question's "Other, please specify" texts."""

    id: str
    question: Question
    column: str
    frame: CodeFrame | None

    @property
    def is_other(self) -> bool:
        """Return True for the "Other" texts of a closed question."""
        return self.column != self.question.id

    def title(self, lang: str = "en") -> str:
        """Return the question's title (the brief says "“Other” answers" for the Other texts)."""
        return self.question.title(lang)

    def themes_question(self) -> Question:
        """Return the themes as a multi-select question (they tabulate, chart and trend alike)."""
        options = [Option(t.code, t.labels) for t in self.frame.themes]
        options.append(Option(NO_THEME, {"en": "No theme of the frame"}))
        q = self.question
        titles = {lang: self.title(lang) for lang in {"en", *q.titles}}  # brief adds "themes"
        return Question(
            id=f"{self.id}{THEME_SUFFIX}",
            type="multi",
            section_id=q.section_id,
            titles=titles,
            wordings=q.wordings,
            options=tuple(options),
        )


def other_text_column(question_id: str) -> str:
    """Return the column holding the free text of a question's "Other" answers."""
    return f"{question_id}{MULTI_SEP}other_text"


def multi_column(question_id: str, code: str) -> str:
    """Return the column name of one option of a multi-select question."""
    return f"{question_id}{MULTI_SEP}{code}"
