"""Load the questionnaire codebook (``data/codebook/v<N>.yaml``) and check it.

The codebook is data, one file per version; this module reads a version into the model of
``inputs.questionnaire`` and refuses a file with a defect (missing text, an unknown type,
duplicate codes or ids, a version that differs from its file name) with one clear error. The
model's names are importable from here too.
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.config import NOT_REPORTED_CODE, codebook_dir, codebook_path, codebook_versions
from surveybrief.exceptions import InputError
from surveybrief.inputs.frames import parse_frame
from surveybrief.inputs.question_kind import question_kinds
from surveybrief.inputs.questionnaire import (
    MULTI_SEP,
    Changes,
    Codebook,
    Consensus,
    Option,
    Question,
    Section,
    multi_column,
    other_text_column,
)
from surveybrief.inputs.versions import Comparability, compare_versions, parse_changes
from surveybrief.inputs.yamlio import check_keys, load_yaml, require

__all__ = [
    "MULTI_SEP",
    "Changes",
    "Codebook",
    "Comparability",
    "Option",
    "Question",
    "Section",
    "compare_versions",
    "load_codebook",
    "load_codebooks",
    "multi_column",
    "other_text_column",
]


def _labels(entry: dict, key: str, *, file: Path, where: str, required: bool = True) -> dict:
    if key not in entry and not required:
        return {}
    value = require(entry, key, file=file, where=where, kind=dict)
    if "en" not in value or not isinstance(value["en"], str) or not value["en"].strip():
        raise InputError(f"{where}: {key} has no English text", file=file, expected="an 'en' entry")
    return {str(k): str(v) for k, v in value.items()}


#: What an option entry may say.
OPTION_KEYS = frozenset({"code", "label", "is_reported", "is_other", "is_none"})
CONSENSUS_KEYS = frozenset({"points", "share", "iqr"})
#: What every question entry may say; a type adds its own keys (``QuestionKind.keys``).
QUESTION_KEYS = frozenset(
    {"id", "type", "title", "wording", "options", "note", "headline", "frame", "other_frame",
     "consensus"}
)  # fmt: skip


def _option(raw: dict, *, file: Path, where: str) -> Option:
    code = str(require(raw, "code", file=file, where=where))
    if code == NOT_REPORTED_CODE:
        raise InputError(f"{where}: option code is reserved", file=file, value=code)
    check_keys(raw, OPTION_KEYS, file=file, where=f"{where} option {code!r}")
    return Option(
        code=code,
        labels=_labels(raw, "label", file=file, where=f"{where} option {code!r}"),
        is_reported=bool(raw.get("is_reported", True)),
        is_other=bool(raw.get("is_other", False)),
        is_none=bool(raw.get("is_none", False)),
    )


def _parse_question(entry: dict, section_id: str, file: Path) -> Question:
    qid = require(entry, "id", file=file, where=f"section {section_id!r}", kind=str)
    where = f"question {qid!r}"
    qtype = require(entry, "type", file=file, where=where, kind=str)
    kinds = question_kinds()
    if qtype not in kinds:
        raise InputError(
            f"{where}: unknown type", file=file, value=qtype, expected=" | ".join(kinds)
        )
    check_keys(entry, QUESTION_KEYS | kinds[qtype].keys | _others_keys(kinds), file=file,
               where=where)  # fmt: skip
    options = [_option(raw, file=file, where=where) for raw in entry.get("options") or []]
    codes = [o.code for o in options]
    if len(set(codes)) != len(codes):
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        raise InputError(f"{where}: duplicate option codes", file=file, value=dupes)
    for flag in ("is_other", "is_none"):
        if sum(getattr(o, flag) for o in options) > 1:
            raise InputError(f"{where}: more than one option has {flag}", file=file)
    problem = kinds[qtype].problem(codes, any(o.is_none for o in options))
    if problem:
        raise InputError(f"{where}: {problem[0]}", file=file, value=problem[1])
    return Question(
        id=qid,
        type=qtype,
        section_id=section_id,
        titles=_labels(entry, "title", file=file, where=where),
        wordings=_labels(entry, "wording", file=file, where=where),
        options=tuple(options),
        notes=_labels(entry, "note", file=file, where=where, required=False),
        is_headline=_headline(entry, kinds[qtype], file=file, where=where),
        **_frames(entry, qtype, options, file=file, where=where),
        **_own_fields(entry, kinds[qtype], len(options), file=file, where=where),
        consensus=_consensus(entry, kinds[qtype], codes, file=file, where=where),
    )


def _headline(entry: dict, kind, *, file: Path, where: str) -> bool:
    """Return whether the question may lead the cover; refuse it for a type that cannot."""
    wanted = bool(entry.get("headline", False))
    if wanted and not kind.headline:
        raise InputError(
            f"{where}: a {kind.name} question cannot lead the cover (its share is not one "
            "answer chosen)",
            file=file,
            column="headline",
            value=True,
        )
    return wanted


def _others_keys(kinds: dict) -> frozenset[str]:
    """Return every type's own keys (on another type's question: refused by ``_own_fields``)."""
    return frozenset().union(*(k.keys for k in kinds.values()))


def _own_fields(entry: dict, kind, n_options: int, *, file: Path, where: str) -> dict:
    """Return the fields a type reads from its own codebook keys; refuse another type's keys.

    They are kept in ``Question.extra`` for the type to read (never in the model's fields).
    """
    for other in question_kinds().values():
        used = sorted(key for key in other.keys - kind.keys if entry.get(key) is not None)
        if used:
            verb = "is" if len(other.keys) == 1 else "are"
            raise InputError(
                f"{where}: {' and '.join(sorted(other.keys))} {verb} for {other.name} questions",
                file=file,
                value=used,
            )
    return {"extra": kind.codebook_fields(entry, n_options, file=file, where=where)}


def _consensus(entry: dict, kind, codes: list[str], *, file: Path, where: str):
    """Return a rating statement's declared consensus rule (``consensus:``), or None."""
    raw = entry.get("consensus")
    if raw is None:
        return None
    if not kind.ordered:
        raise InputError(
            f"{where}: consensus is declared on rating statements",
            file=file,
            column="consensus",
            value=kind.name,
        )
    if not isinstance(raw, dict):
        raise InputError(f"{where}: consensus must be a mapping", file=file, value=raw)
    check_keys(raw, CONSENSUS_KEYS, file=file, where=f"{where} consensus")
    points = tuple(str(p) for p in raw.get("points") or sorted(codes, key=int)[-2:])
    if not set(points) <= set(codes):
        raise InputError(
            f"{where}: consensus points must be the scale's points",
            file=file,
            column="consensus.points",
            value=list(points),
            expected=", ".join(codes),
        )
    return Consensus(points=points, **_consensus_rules(raw, codes, file=file, where=where))


def _consensus_rules(raw: dict, codes: list[str], *, file: Path, where: str) -> dict:
    """Return the declared rules (share in %, iqr in scale points), each checked for range."""
    rules = {k: raw.get(k) for k in ("share", "iqr") if raw.get(k) is not None}
    if not rules:
        raise InputError(
            f"{where}: consensus needs a rule: share (%) or iqr (points) or both",
            file=file,
            column="consensus",
        )
    span = int(max(codes, key=int)) - int(min(codes, key=int))
    for key, value in rules.items():
        top = 100 if key == "share" else span
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= top:
            raise InputError(
                f"{where}: consensus {key} out of range",
                file=file,
                column=f"consensus.{key}",
                value=value,
                expected=f"0 to {top}",
            )
    return {k: float(v) for k, v in rules.items()}


def _frames(entry: dict, qtype: str, options: list[Option], *, file: Path, where: str) -> dict:
    """Return the code frames of a question: of its text, or of its "Other" texts."""
    frames = {}
    if entry.get("frame") is not None:
        if not question_kinds()[qtype].open_text:
            raise InputError(
                f"{where}: frame is for text questions (other_frame for “Other”)", file=file
            )
        frames["frame"] = parse_frame(entry["frame"], file=file, where=f"{where} frame")
    if entry.get("other_frame") is not None:
        if not any(o.is_other for o in options):
            raise InputError(f"{where}: other_frame needs an option with is_other", file=file)
        frames["other_frame"] = parse_frame(
            entry["other_frame"], file=file, where=f"{where} other_frame"
        )
    return frames


def load_codebook(data_root: Path, version: int | None = None) -> Codebook:
    """Load and check one codebook version (the latest if None); raise ``InputError`` on defects."""
    if version is None:
        versions = codebook_versions(data_root)
        if not versions:
            raise InputError(
                "no codebook found",
                file=codebook_dir(data_root),
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
        changes=parse_changes(doc.get("changes"), path),
    )


def load_codebooks(data_root: Path) -> dict[int, Codebook]:
    """Return every codebook version under ``data_root``."""
    return {v: load_codebook(data_root, v) for v in codebook_versions(data_root)}
