"""The questionnaire codebook: sections, questions, options and labels, loaded from YAML.

The codebook is data (``data/codebook/codebook.yaml``); this module only reads and checks it and
answers questions about it (which columns a question has, which codes are valid).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.config import NOT_REPORTED_CODE, codebook_path
from surveybrief.exceptions import InputError
from surveybrief.yamlio import load_yaml, require

QUESTION_TYPES = ("single", "multi", "rating", "text", "profile")
#: Separator between question id and option code in multi-select column names.
MULTI_SEP = "__"


@dataclass(frozen=True)
class Option:
    """One answer option: a stable code and its labels by language."""

    code: str
    labels: dict[str, str]
    is_reported: bool = True
    #: The "Other (please specify)" option: its free text is kept in ``<question>__other_text``.
    is_other: bool = False

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
    def option_columns(self) -> list[str]:
        """Return the columns holding the answer codes (one per option for multi-select)."""
        if self.type == "multi":
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

    def title(self, lang: str = "en") -> str:
        """Return the survey title in ``lang``."""
        return self.titles.get(lang) or self.titles["en"]

    @property
    def questions(self) -> list[Question]:
        """Return all questions in questionnaire order."""
        return [q for s in self.sections for q in s.questions]

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


def other_text_column(question_id: str) -> str:
    """Return the column holding the free text of a question's "Other" answers."""
    return f"{question_id}{MULTI_SEP}other_text"


def multi_column(question_id: str, code: str) -> str:
    """Return the column name of one option of a multi-select question."""
    return f"{question_id}{MULTI_SEP}{code}"


def _labels(entry: dict, key: str, *, file: Path, where: str, required: bool = True) -> dict:
    if key not in entry and not required:
        return {}
    value = require(entry, key, file=file, where=where, kind=dict)
    if "en" not in value or not isinstance(value["en"], str) or not value["en"].strip():
        raise InputError(f"{where}: {key} has no English text", file=file, expected="an 'en' entry")
    return {str(k): str(v) for k, v in value.items()}


def _parse_question(entry: dict, section_id: str, file: Path) -> Question:
    qid = require(entry, "id", file=file, where=f"section {section_id!r}", kind=str)
    where = f"question {qid!r}"
    qtype = require(entry, "type", file=file, where=where, kind=str)
    if qtype not in QUESTION_TYPES:
        raise InputError(
            f"{where}: unknown type", file=file, value=qtype, expected=" | ".join(QUESTION_TYPES)
        )
    options = []
    for raw in entry.get("options") or []:
        code = str(require(raw, "code", file=file, where=where))
        if code == NOT_REPORTED_CODE:
            raise InputError(f"{where}: option code is reserved", file=file, value=code)
        options.append(
            Option(
                code=code,
                labels=_labels(raw, "label", file=file, where=f"{where} option {code!r}"),
                is_reported=bool(raw.get("is_reported", True)),
                is_other=bool(raw.get("is_other", False)),
            )
        )
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        raise InputError(f"{where}: duplicate option codes", file=file, value=dupes)
    if qtype in ("single", "multi", "rating", "profile") and not options:
        raise InputError(f"{where}: a {qtype} question needs options", file=file)
    if sum(o.is_other for o in options) > 1:
        raise InputError(f"{where}: more than one option has is_other", file=file)
    if qtype == "rating" and not all(c.lstrip("-").isdigit() for c in codes):
        raise InputError(f"{where}: rating codes must be integers", file=file, value=codes)
    return Question(
        id=qid,
        type=qtype,
        section_id=section_id,
        titles=_labels(entry, "title", file=file, where=where),
        wordings=_labels(entry, "wording", file=file, where=where),
        options=tuple(options),
        notes=_labels(entry, "note", file=file, where=where, required=False),
        is_headline=bool(entry.get("headline", False)),
    )


def load_codebook(data_root: Path) -> Codebook:
    """Load and check the codebook under ``data_root``; raise ``InputError`` on any defect."""
    path = codebook_path(data_root)
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise InputError("codebook is not a mapping", file=path)
    sections = []
    for raw in require(doc, "sections", file=path, where="codebook", kind=list):
        sid = require(raw, "id", file=path, where="section", kind=str)
        questions = tuple(
            _parse_question(q, sid, path)
            for q in require(raw, "questions", file=path, where=f"section {sid!r}", kind=list)
        )
        sections.append(
            Section(
                id=sid,
                number=int(require(raw, "number", file=path, where=f"section {sid!r}")),
                titles=_labels(raw, "title", file=path, where=f"section {sid!r}"),
                questions=questions,
                is_chapter=bool(raw.get("is_chapter", True)),
            )
        )
    ids = [q.id for s in sections for q in s.questions] + [s.id for s in sections]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise InputError("duplicate section or question ids", file=path, value=dupes)
    return Codebook(
        version=int(require(doc, "version", file=path, where="codebook")),
        titles=_labels(doc, "title", file=path, where="codebook"),
        sections=tuple(sections),
        wording_notes=_labels(doc, "wording_note", file=path, where="codebook", required=False),
        path=path,
    )
