"""The questionnaire codebook: sections, questions, options and labels, loaded from YAML.

The codebook is data (``data/codebook/v<N>.yaml``, one file per version); this module reads and
checks it, answers questions about it (which columns a question has, which codes are valid) and
says which questions stay comparable between versions (``changes`` in each later version).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.config import NOT_REPORTED_CODE, codebook_path, codebook_versions
from surveybrief.exceptions import InputError
from surveybrief.inputs.yamlio import load_yaml, require

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
class Changes:
    """What a codebook version changed relative to the previous version."""

    added: tuple[str, ...] = ()
    dropped: tuple[str, ...] = ()
    reworded: tuple[str, ...] = ()
    #: question id -> {old option code: new option code}
    renamed_options: dict[str, dict[str, str]] = field(default_factory=dict)
    #: question id -> {old option code: (new codes...)}
    split_options: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def describe(self, codebook: Codebook) -> list[str]:
        """Return the changes as sentences for the briefing."""
        lines = []
        for qid in self.added:
            lines.append(f"Added: {_title(codebook, qid)}.")
        for qid in self.dropped:
            lines.append(f"Dropped: {qid}.")
        for qid in self.reworded:
            lines.append(f"Reworded (not compared with earlier waves): {_title(codebook, qid)}.")
        for qid, renames in self.renamed_options.items():
            for old, new in renames.items():
                lines.append(f"Option renamed in {_title(codebook, qid)}: {old} → {new}.")
        for qid, splits in self.split_options.items():
            for old, new in splits.items():
                lines.append(
                    f"Option split in {_title(codebook, qid)}: {old} → {', '.join(new)} "
                    "(these options are not compared with earlier waves)."
                )
        return lines


def _title(codebook: Codebook, qid: str) -> str:
    try:
        return codebook.question(qid).title()
    except KeyError:
        return qid


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


def _parse_changes(raw: dict | None, path: Path) -> Changes:
    if not raw:
        return Changes()
    if not isinstance(raw, dict):
        raise InputError("changes must be a mapping", file=path, column="changes")
    renamed, split = {}, {}
    for qid, entry in (raw.get("options") or {}).items():
        renamed[str(qid)] = {str(k): str(v) for k, v in (entry.get("renamed") or {}).items()}
        split[str(qid)] = {
            str(k): tuple(map(str, v)) for k, v in (entry.get("split") or {}).items()
        }
    return Changes(
        added=tuple(map(str, raw.get("added") or ())),
        dropped=tuple(map(str, raw.get("dropped") or ())),
        reworded=tuple(map(str, raw.get("reworded") or ())),
        renamed_options={q: r for q, r in renamed.items() if r},
        split_options={q: r for q, r in split.items() if r},
    )


def load_codebook(data_root: Path, version: int | None = None) -> Codebook:
    """Load and check one codebook version (the latest if None); raise ``InputError`` on defects."""
    if version is None:
        versions = codebook_versions(data_root)
        if not versions:
            raise InputError(
                "no codebook found",
                file=Path(data_root) / "codebook",
                expected="a file v1.yaml (v2.yaml, ... for later versions)",
            )
        version = versions[-1]
    path = codebook_path(data_root, version)
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
    declared = int(require(doc, "version", file=path, where="codebook"))
    if declared != version:
        raise InputError(
            "version inside the file differs from its name",
            file=path,
            column="version",
            value=declared,
            expected=str(version),
        )
    return Codebook(
        version=declared,
        titles=_labels(doc, "title", file=path, where="codebook"),
        sections=tuple(sections),
        wording_notes=_labels(doc, "wording_note", file=path, where="codebook", required=False),
        path=path,
        changes=_parse_changes(doc.get("changes"), path),
    )


@dataclass(frozen=True)
class Comparability:
    """Whether a question can be compared between two codebook versions, and how its codes map."""

    is_comparable: bool
    reason: str
    #: option code in the older version -> code in the newer one (comparable options only)
    code_map: dict[str, str] = field(default_factory=dict)


def compare_versions(codebooks: dict[int, Codebook], old: int, new: int, qid: str) -> Comparability:
    """Return whether question ``qid`` is comparable from codebook ``old`` to ``new``.

    Not comparable when it is missing from either version or was reworded in between; options
    renamed in between map to their new code; options split in between are left out.
    """
    try:
        before = codebooks[old].question(qid)
        after = codebooks[new].question(qid)
    except KeyError:
        return Comparability(False, "not asked in both waves")
    code_map = {c: c for c in before.codes}
    for version in range(old + 1, new + 1):
        changes = codebooks[version].changes if version in codebooks else Changes()
        if qid in changes.reworded:
            return Comparability(False, f"reworded in codebook v{version}")
        for old_code, new_code in changes.renamed_options.get(qid, {}).items():
            for k, v in list(code_map.items()):
                if v == old_code:
                    code_map[k] = new_code
        for old_code in changes.split_options.get(qid, {}):
            for k, v in list(code_map.items()):
                if v == old_code:
                    del code_map[k]
    code_map = {k: v for k, v in code_map.items() if v in after.codes}
    if not code_map:
        return Comparability(False, "no option in common")
    return Comparability(True, "comparable", code_map)


def load_codebooks(data_root: Path) -> dict[int, Codebook]:
    """Return every codebook version under ``data_root``."""
    return {v: load_codebook(data_root, v) for v in codebook_versions(data_root)}
