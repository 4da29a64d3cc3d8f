"""``make feedback``: a Delphi round's feedback sheets, one per panel member, kept private.

A Delphi round is a wave (``delphi: true``, ``round: N``) whose experts are linked
(``panel.link_by``). For the next round each member gets a sheet with the panel's answers to
every rating statement and their own (``brief.feedback_sheet``), named by their panel
pseudonym, plus one ``mail_merge.csv`` (pseudonym, the contact the export links them by, the
sheet's file, and per statement their answer, the panel's median and, where declared, whether
consensus was reached) to send them. The contact is the export's own identifier: so the folder
is private, outside ``outputs/`` and the briefing, readable by its owner only (0700 / 0600),
and replaced whole (a failed write leaves the previous sheets).

``make briefing`` writes it after publishing a Delphi round; ``make feedback WAVE=...`` writes
it alone, from the wave's export (cleaned in memory, nothing else written).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from surveybrief.analysis.consensus import consensus_table
from surveybrief.brief.consensus_chapter import rule_text, verdict
from surveybrief.brief.feedback_sheet import distribution, sheet_html, sheet_title, statement_html
from surveybrief.brief.i18n import _, language
from surveybrief.clean.cleaner import PANEL_ID, clean_wave
from surveybrief.clean.ingest import panel_contacts
from surveybrief.clean.panel_key import KEY_ENV, existing_key, key_file, panel_key
from surveybrief.clean.processed import CleanedWave
from surveybrief.config import PRIVATE_DIR, list_waves
from surveybrief.exceptions import FeedbackError, InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.run.lock import RunLock
from surveybrief.run.manifest import published_panel_keys
from surveybrief.writers import neutralise_formulas, to_csv_text

MAIL_MERGE = "mail_merge.csv"
#: Beside the sheets when some respondents gave no link: how many have no sheet.
UNLINKED = "unlinked.txt"


def feedback_dir(private_root: Path, wave_id: str) -> Path:
    """Return the private folder of a round's feedback sheets."""
    return Path(private_root) / "feedback" / wave_id


def check_private(private_root: Path, outputs_root: Path | None) -> None:
    """Refuse a private folder (or its feedback folder), links followed, inside the outputs."""
    if outputs_root is None:
        return
    outputs = Path(outputs_root).resolve()
    places = [Path(private_root).resolve(), (Path(private_root) / "feedback").resolve()]
    for private in (p for p in places if p == outputs or outputs in p.parents):
        raise InputError(
            "feedback sheets hold each expert's own answers and contact: they are never "
            "written into the outputs folder",
            file=private, expected=f"a private folder outside {outputs} (default {PRIVATE_DIR})",
        )  # fmt: skip


def _member_row(member: str, contact: str, answers: pd.Series, summary: dict) -> dict:
    """Return one member's mail-merge row: their answers beside the panel's figures."""
    row = {"panel_id": member, "contact": contact, "sheet": f"{member}.html"}
    for qid, facts in summary.items():
        own = answers.get(qid)
        row[f"{qid}_own"] = "" if own is None or pd.isna(own) else str(int(own))
        row |= {f"{qid}_{k}": v for k, v in facts.items()}
    return row


def _summary(data: CleanedWave, consensus: pd.DataFrame, statements) -> dict:
    """Return per statement the panel's median and, where declared, its consensus."""
    by_q = consensus.set_index("question_id") if not consensus.empty else pd.DataFrame()
    found = {}
    for q in statements:
        values = pd.to_numeric(data.responses[q.id], errors="coerce").dropna()
        facts = {"panel_median": float(values.median()) if len(values) else ""}
        if q.id in by_q.index:
            facts["consensus"] = verdict(by_q.loc[q.id])
        found[q.id] = facts
    return found


def render_sheets(data: CleanedWave, contacts: dict[str, str], lang: str) -> dict[str, str]:
    """Return every file of the round's feedback by name: one sheet per member, the CSV."""
    statements = answered_statements(data)
    consensus = consensus_table(data)
    rules = {r["question_id"]: r for _i, r in consensus.iterrows()}
    shares = {q.id: distribution(data.responses, q) for q in statements}
    linked = data.responses[data.responses[PANEL_ID].notna()]
    files, rows = {}, []
    with language(lang):
        summary = _summary(data, consensus, statements)
        title = sheet_title(data.codebook, data.wave)
        for _i, answers in linked.iterrows():
            member = str(answers[PANEL_ID])
            parts = [
                statement_html(q, shares[q.id], answers.get(q.id), _consensus_line(rules.get(q.id)))
                for q in statements
            ]
            files[f"{member}.html"] = sheet_html(
                data.codebook, data.wave, member, parts, lang, title
            )
            rows.append(_member_row(member, contacts.get(member, ""), answers, summary))
    files[MAIL_MERGE] = to_csv_text(neutralise_formulas(pd.DataFrame(rows)))
    unlinked = int(data.responses[PANEL_ID].isna().sum())
    if unlinked:  # said beside the sheets: nobody is left out unseen
        files[UNLINKED] = (
            f"{unlinked} respondent(s) of wave {data.wave.id} gave no {data.wave.panel_link}: "
            "they have no feedback sheet.\n"
        )
    return files


def answered_statements(data: CleanedWave) -> list:
    """Return the rating statements the round's experts answered; refuse a round without any."""
    found = [
        q
        for q in data.codebook.questions
        if q.kind.ordered and q.id in data.responses and data.responses[q.id].notna().any()
    ]
    if not found:
        raise InputError(
            "a Delphi round feeds back its rating statements, and this round's experts "
            "answered none",
            file=data.wave.path, column="delphi", value=True,
            expected="rating statements in the codebook, answered in the export",
        )  # fmt: skip
    return found


def _consensus_line(row) -> str:
    """Return a statement's declared rule and whether the panel reached it, for the sheet."""
    if row is None:
        return ""
    return _("Consensus rule, declared before the round: {rule}. This round: {verdict}.").format(
        rule=rule_text(row), verdict=verdict(row)
    )


def write_private(folder: Path, files: dict[str, str], outputs_root: Path | None = None) -> Path:
    """Replace ``folder`` whole with ``files`` (owner-only); a failure keeps the old one.

    Refused where the folder, followed through any link, lies under ``outputs_root``, or is
    itself a link. Left-overs of an earlier write that was killed are removed first; callers
    hold the wave's run lock.
    """
    folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    check_private(folder.parent, outputs_root)
    if folder.is_symlink():
        raise InputError("the feedback folder is a link: refused", file=folder,
                         expected="a plain folder under the private folder")  # fmt: skip
    for left in folder.parent.glob(f".{folder.name}-*"):
        shutil.rmtree(left, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, text in files.items():
            path = staging / name
            path.write_text(text, encoding="utf-8")
            path.chmod(0o600)
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder


def _swap(staging: Path, folder: Path) -> None:
    """Put ``staging`` in the place of ``folder``; put the old one back if that fails."""
    old = folder.with_name(f".{folder.name}-old") if folder.exists() else None
    if old is not None:
        os.replace(folder, old)
    try:
        os.replace(staging, folder)
    except BaseException:
        if old is not None:
            os.replace(old, folder)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def publish_feedback(wave_id: str, files: dict[str, str], private_root: Path, outputs_root: Path):
    """Write a published round's sheets; on failure remove the previous ones and say so."""
    folder = feedback_dir(private_root, wave_id)
    try:
        return write_private(folder, files, outputs_root)
    except OSError as exc:
        if not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        raise FeedbackError(wave_id, exc, folder) from exc


def write_feedback(
    data: CleanedWave, private_root: Path, lang: str, outputs_root: Path | None = None
) -> Path:
    """Write a Delphi round's feedback sheets and mail-merge table into the private folder."""
    wave = data.wave
    if not wave.delphi:
        raise InputError(
            "feedback sheets are for Delphi rounds", file=wave.path, column="delphi",
            value=wave.delphi, expected="delphi: true and round: N in wave.yaml",
        )  # fmt: skip
    check_private(private_root, outputs_root)
    contacts = panel_contacts(wave, _key(wave))
    files = render_sheets(data, contacts, lang)
    return write_private(feedback_dir(private_root, wave.id), files, outputs_root)


def run_feedback(data_root: Path, out: Path, wave_id: str, lang: str) -> dict[str, str]:
    """Return a Delphi round's feedback files from a run's own cleaned data (before publishing).

    Rendered while the run can still fail whole; written (``write_private``) once published.
    """
    from surveybrief.clean.processed import load_cleaned_wave

    data = load_cleaned_wave(data_root, out, wave_id)
    return render_sheets(data, panel_contacts(data.wave, _key(data.wave)), lang)


def _key(wave, outputs_root: Path | None = None, data_root: Path | None = None) -> bytes:
    """Return the panel key the round was linked with; never make one here.

    With ``outputs_root``, the key must be the one this round and the waves before it were
    published with (their manifests' fingerprints): another key would name other sheets.
    """
    if existing_key() is None:
        raise InputError(
            f"wave {wave.id} links its panel, but there is no panel key to link it with",
            file=key_file(), expected=f"the key restored there or set in {KEY_ENV} (make "
            "briefing makes one on a panel's first wave)",
        )  # fmt: skip
    if outputs_root is None or data_root is None:
        return existing_key()
    waves = [w for w in list_waves(data_root) if w <= wave.id]
    return panel_key(wave.id, published_panel_keys(Path(outputs_root), waves))


def feedback_alone(
    data_root: Path, wave_id: str, private_root: Path, lang: str | None = None,
    outputs_root: Path | None = None,
) -> Path:  # fmt: skip
    """``make feedback``: clean the round in memory and write its feedback (nothing else)."""
    check_private(private_root, outputs_root)
    wave = load_wave(data_root, wave_id)
    codebook = load_codebook(data_root, wave.codebook_version)
    key = _key(wave, outputs_root, data_root) if wave.panel_link else None
    responses = clean_wave(wave, codebook, key).responses
    data = CleanedWave(wave=wave, codebook=codebook, responses=responses)
    if outputs_root is None:
        return write_feedback(data, private_root, lang or wave.languages[0])
    with RunLock(Path(outputs_root), wave_id, wait=False, log=print):  # not beside a briefing
        return write_feedback(data, private_root, lang or wave.languages[0], outputs_root)
