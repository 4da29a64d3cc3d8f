"""The wave.yaml draft written beside the export: every key to fill, every guess marked."""

from __future__ import annotations

from pathlib import Path

from surveybrief.clean.draft import DRAFT_FILE, Draft, draft_wave, find_export, quote
from surveybrief.inputs.codebook import Codebook
from surveybrief.writers import write_text_atomic


def _head(draft: Draft, wave_id: str, codebook: Codebook) -> list[str]:
    return [
        f"# DRAFT written by `surveybrief init-wave` from {_source(draft)} ({draft.n_rows} rows).",
        "# Fill every TODO, check every UNCERTAIN line, then rename this file to wave.yaml.",
        "# The README's 'wave.yaml reference' explains each key.",
        f"wave: {quote(wave_id)}",
        'title: "TODO: the briefing\'s title"',
        'sponsor: "TODO: who commissioned the survey"',
        "fieldwork: {start: TODO-YYYY-MM-DD, end: TODO-YYYY-MM-DD}",
        'population: "TODO: whom the survey describes"',
        "sample:",
        '  description: "TODO: how the sample came about"',
        f"  n_stated: {draft.n_rows}  # TODO: the sample size the sponsor states (rows read here)",
        '  method: "TODO: how respondents were selected"',
        f'mode: "TODO: e.g. online questionnaire ({draft.platform})"',
        'weighting: "TODO: the weighting applied, or none"',
        f"codebook_version: {codebook.version}",
    ]


def _source(draft: Draft) -> str:
    if draft.platform_name == "generic":
        return "an export no known platform wrote"
    return f"a {draft.platform} export"


def _export(draft: Draft, export_name: str) -> list[str]:
    lines = ["export:", f"  file: {quote(export_name)}"]
    if draft.encoding:
        lines.append(f"  encoding: {quote(draft.encoding)}")
    if draft.platform_name != "generic":
        lines.append(f"  platform: {draft.platform_name}  # recognised from its columns")
    else:
        lines.append("  # no platform recognised: headers must be codebook ids or wordings")
    for qid, separator in sorted(draft.separators.items()):
        lines.append(
            f"  # {qid}: several answers per cell are separated by {quote(separator)}, not as "
            "the platform writes them; the run reads them so and reports it"
        )
    if draft.respondent_id is None:
        lines.append("  # no respondent id column found: rows are numbered (respondent_id: auto)")
    else:
        lines.append(f"  # respondent id (found): {quote(draft.respondent_id)}")
    lines.append(f"  # {len(draft.meta)} platform column(s) dropped unread: " + _names(draft.meta))
    lines.append(
        f"  # {len(draft.personal)} personal-data column(s) dropped unread: "
        + _names(draft.personal)
    )
    return lines + _unmatched(draft)


def _unmatched(draft: Draft) -> list[str]:
    """Say which columns matched nothing; offer to drop only those that hold no answers."""
    answered = [h for h in draft.unmatched if draft.filled.get(h)]
    empty = [h for h in draft.unmatched if not draft.filled.get(h)]
    lines = []
    if answered:
        lines.append("  # NOT MATCHED, holding answers: map them below (mapping.columns); left")
        lines.append("  # out, their answers count nowhere (the run records it as a decision):")
        lines += [f"  #   {quote(h)}: {draft.filled[h]} filled cell(s)" for h in answered]
    if empty:
        lines.append("  # NOT MATCHED, empty: map them below, or drop them by un-commenting this")
        lines.append("  # line (the run refuses unmatched columns):")
        lines.append("  # drop_columns: [" + ", ".join(quote(h) for h in empty) + "]")
    return lines


def _names(headers: list[str]) -> str:
    return ", ".join(headers) if headers else "none"


def _mapping(draft: Draft) -> list[str]:
    lines = ["mapping:"]
    lines.append(f"  # {len(draft.exact)} column(s) matched exactly need no entry.")
    lines.append("  columns:" + ("" if draft.guessed else " {}"))
    for header, (target, score) in sorted(draft.guessed.items()):
        lines.append(f"    {quote(header)}: {quote(target)}  # UNCERTAIN (similarity {score:.2f})")
    lines.append("  labels:" + ("" if draft.labels else " {}"))
    for qid, table in sorted(draft.labels.items()):
        lines.append(f"    {qid}:")
        for text, (code, score) in sorted(table.items()):
            lines.append(f"      {quote(text)}: {code}  # UNCERTAIN (similarity {score:.2f})")
    for qid, texts in sorted(draft.unmatched_labels.items()):
        lines.append(f"  # NOT MATCHED answers of {qid}: " + "; ".join(quote(t) for t in texts))
    return lines


def draft_text(draft: Draft, wave_id: str, export_name: str, codebook: Codebook) -> str:
    """Return the commented draft of a wave.yaml."""
    lines = _head(draft, wave_id, codebook) + _export(draft, export_name) + _mapping(draft)
    return "\n".join(lines) + "\n"


def write_draft(
    folder: Path, codebook: Codebook, export: Path | None = None, encoding: str | None = None
) -> Path:
    """Write ``wave.draft.yaml`` beside the export (never over a wave.yaml); return its path."""
    export = export or find_export(folder)
    draft = draft_wave(folder, codebook, export, encoding)
    target = folder / DRAFT_FILE
    write_text_atomic(target, draft_text(draft, folder.name, export.name, codebook))
    return target
