"""``surveybrief init-wave <folder>``: a commented wave.yaml draft from an export and the codebook.

The export is read as the pipeline reads it; the platform is recognised; every header is
matched to the codebook (by id, group path, wording or choice label, exactly) or, failing that,
to its nearest codebook id or wording with a similarity score; answer texts no option label
matches get their nearest label the same way. Every uncertain match is marked, and what cannot
be matched, the platform's own columns and the personal-data columns are listed: never silent.
The draft goes beside the export as ``wave.draft.yaml``; the analyst completes and renames it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
from pathlib import Path

from surveybrief.clean.cells import read_column
from surveybrief.clean.convert import separators, vocabulary
from surveybrief.clean.mapping import HeaderMatcher, id_header, one_reading_per_question
from surveybrief.clean.readers import RawTable, read_export
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question
from surveybrief.inputs.export_spec import EXPORT_FORMATS, ExportSpec, Mapping
from surveybrief.inputs.wave import Wave
from surveybrief.platforms.base import COMMENT, META, normalise

DRAFT_FILE = "wave.draft.yaml"
#: Below this similarity a header or answer is listed as unmatched rather than guessed.
MIN_SCORE = 0.6


def find_export(folder: Path) -> Path:
    """Return the one export file in a wave folder (CSV, Excel or SPSS)."""
    found = sorted(p for p in folder.iterdir() if p.suffix.lstrip(".").lower() in EXPORT_FORMATS)
    if len(found) != 1:
        raise InputError(
            f"found {len(found)} export files",
            file=folder,
            value=[p.name for p in found],
            expected="exactly one .csv, .xlsx or .sav file (or name it with --export)",
        )
    return found[0]


def provisional_wave(export: Path, codebook: Codebook, encoding: str | None = None) -> Wave:
    """Return a Wave that reads ``export`` with every default (nothing known yet)."""
    spec = ExportSpec(file=export.name, format=export.suffix.lstrip(".").lower(), encoding=encoding)
    today = dt.date.today()
    return Wave(
        id=export.parent.name, title="", sponsor="", fieldwork_start=today, fieldwork_end=today,
        population="", sample_description="", n_stated=1, sampling="", mode="", weighting="",
        codebook_version=codebook.version, is_reconstructed=False, is_synthetic=False,
        export=spec, mapping=Mapping(), reconstruction={}, limitations=(),
        max_invalid_share=0.1, path=export.parent / "wave.yaml",
    )  # fmt: skip


def _nearest(text: str, candidates) -> tuple[str | None, float]:
    """Return the target whose text is most like ``text``, and the similarity 0-1.

    ``candidates`` are (target, text) pairs, or a mapping of target to text.
    """
    best, score = None, 0.0
    pairs = candidates.items() if isinstance(candidates, dict) else candidates
    for key, other in pairs:
        ratio = difflib.SequenceMatcher(None, normalise(text), normalise(other)).ratio()
        if ratio > score:
            best, score = key, ratio
    return best, score


def _header_candidates(codebook: Codebook) -> list[tuple[str, str]]:
    """Return (target, text) pairs a header may name.

    Each question by its wording and by its id, each multi-select option by "wording - label"
    and ``id_code``, an "Other" text by ``id_other_text`` and "wording - Other - Text".
    """
    found = []
    for q in codebook.questions:
        found += [(q.id, q.wording()), (q.id, q.id)]
        for code in q.codes if q.kind.several else ():
            found.append((f"{q.id}/{code}", f"{q.wording()} - {q.option_label(code)}"))
            found.append((f"{q.id}/{code}", f"{q.id}_{code}"))
        if q.other_option is not None:
            found.append((f"{q.id}/other_text", f"{q.id}_other_text"))
            found.append((f"{q.id}/other_text", f"{q.wording()} - Other - Text"))
    return found


@dataclasses.dataclass
class Draft:
    """What init-wave found: platform, matches, guesses and everything it could not place."""

    platform: str
    n_rows: int
    platform_name: str = "generic"
    #: The CSV's encoding when it is not UTF-8 (as init-wave was told).
    encoding: str | None = None
    exact: dict[str, str] = dataclasses.field(default_factory=dict)
    guessed: dict[str, tuple[str, float]] = dataclasses.field(default_factory=dict)
    unmatched: list[str] = dataclasses.field(default_factory=list)
    #: Filled cells of each unmatched column (a column holding answers is mapped, not dropped).
    filled: dict[str, int] = dataclasses.field(default_factory=dict)
    meta: list[str] = dataclasses.field(default_factory=list)
    personal: list[str] = dataclasses.field(default_factory=list)
    respondent_id: str | None = None
    labels: dict[str, dict[str, tuple[str, float]]] = dataclasses.field(default_factory=dict)
    unmatched_labels: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    #: Multi-select questions whose cells fit only another separator than the platform's.
    separators: dict[str, str] = dataclasses.field(default_factory=dict)


def _classify_headers(raw: RawTable, wave: Wave, codebook: Codebook, draft: Draft) -> dict:
    """Sort every header into exact, guessed, unmatched, meta and personal; return targets."""
    matcher, targets = HeaderMatcher(raw, wave, codebook), {}
    candidates = _header_candidates(codebook)
    draft.respondent_id = id_header(raw, wave)
    for header, column in raw.columns.items():
        if header == draft.respondent_id:
            continue
        target = matcher.target(header)
        if target:
            part = "other_text" if target.other_text else target.option
            spec = target.question.id + (f"/{part}" if part else "")
            draft.exact[header], targets[header] = spec, target
        elif target is None:
            is_meta = column.kind == META
            (draft.meta if is_meta else draft.personal).append(header)
        elif any(r.part == COMMENT for r in column.readings):
            draft.unmatched.append(header)  # a comment box: map it to a text question or drop it
        else:
            texts = {header, *(n for r in column.readings for n in r.question)}
            key, score = max((_nearest(t, candidates) for t in texts), key=lambda r: r[1])
            if key is not None and score >= MIN_SCORE:
                draft.guessed[header] = (key, score)
            else:
                draft.unmatched.append(header)
    return targets


def _guess_label(draft: Draft, q: Question, piece: str, vocab) -> None:
    """Guess the option of an answer text no label matches; never for joined labels."""
    if vocab.other_text(piece) is not None:
        return  # a typed "Other" text: read as Other
    if vocab.holds_label(piece):
        draft.unmatched_labels.setdefault(q.id, []).append(piece)  # labels joined: no guess
        return
    options = {code: q.option_label(code) for code in q.codes}
    code, score = _nearest(piece, options)
    if code is not None and score >= MIN_SCORE:
        draft.labels.setdefault(q.id, {})[piece] = (code, score)
    else:
        draft.unmatched_labels.setdefault(q.id, []).append(piece)


def _classify_labels(raw: RawTable, targets: dict, wave: Wave, draft: Draft) -> None:
    """Find the answer texts no option matches; guess single labels' option, or list them.

    Several answers in one cell are read as the run reads them; a separator other than the
    platform's that alone fits is noted; a cell that no separator reads is listed, never
    mapped to one option.
    """
    targets = dict(targets)
    one_reading_per_question(targets, raw.platform.one_cell_wins)
    for header, target in targets.items():
        if target is None:
            continue  # a multi-select read from its other columns
        q: Question = target.question
        if target.option is not None or target.other_text or q.kind.open_text:
            continue
        vocab = vocabulary(q, wave, raw.platform)
        values = [str(v) for v in raw.frame[header].dropna().unique()]
        if not q.kind.several:
            for value in values:
                if vocab.code(value) is None:
                    _guess_label(draft, q, value, vocab)
            continue
        _classify_cells(draft, q, values, vocab, separators(wave, raw.platform))


def _classify_cells(draft: Draft, q: Question, values: list[str], vocab, own: tuple) -> None:
    """Read a multi-select's one-cell answers as the run does; list joined cells whole."""
    reading = read_column(values, vocab, own, q.codes)
    if reading.is_inferred:
        draft.separators[q.id] = reading.separator
    for value, cell in reading.failed.items():
        if reading.rival_separators or any(vocab.holds_label(p) for p in cell.unknown):
            draft.unmatched_labels.setdefault(q.id, []).append(value)  # joined: no guess
            continue
        for piece in cell.unknown:
            _guess_label(draft, q, piece, vocab)


def draft_wave(
    folder: Path, codebook: Codebook, export: Path | None = None, encoding: str | None = None
) -> Draft:
    """Read a wave folder's export and match it to the codebook."""
    export = export or find_export(folder)
    wave = provisional_wave(export, codebook, encoding)
    raw = read_export(wave)
    draft = Draft(raw.platform.title, len(raw.frame), raw.platform.name, encoding=encoding)
    targets = _classify_headers(raw, wave, codebook, draft)
    _classify_labels(raw, targets, wave, draft)
    draft.filled = {header: raw.filled(header) for header in draft.unmatched}
    return draft


def quote(text: str) -> str:
    """Return text as a YAML scalar that reads back exactly (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)
