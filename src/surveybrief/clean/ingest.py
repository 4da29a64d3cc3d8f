"""Bring a wave's export into the common format: one row per respondent, codebook columns, codes.

Outline: read the export (``readers``) / map headers and answers to the codebook (``mapping``,
``convert``) / pseudonymise respondent ids and scrub open answers (``privacy``) / set aside rows
the wave excludes on purpose (test submissions, empty or duplicate responses), each with its
reason. No judgement about answers happens here; that is ``validate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from surveybrief.clean.convert import convert
from surveybrief.clean.mapping import id_header, normalise, plan_columns
from surveybrief.clean.panel_key import panel_ids
from surveybrief.clean.privacy import Scrubber, is_name_header, load_roster, pseudonyms
from surveybrief.clean.readers import RawTable, read_export
from surveybrief.clean.skips import blank_missing_codes, missing_codes, skip_without_none
from surveybrief.clean.validate import QUARANTINE_COLUMNS
from surveybrief.config import ROW_COLUMN
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, other_text_column
from surveybrief.inputs.wave import Wave


def _set_aside(frame: pd.DataFrame, mask, reason_of, column: str = "") -> list[dict]:
    return [
        {
            "row": int(frame.at[i, ROW_COLUMN]),
            "respondent_id": frame.at[i, "respondent_id"],
            "column": column,
            "value": None,
            "reason": reason_of(i),
        }
        for i in frame.index[mask]
    ]


@dataclass(frozen=True)
class Ingested:
    """The common-format wave and the rows left out on purpose, with their reasons."""

    frame: pd.DataFrame
    excluded: pd.DataFrame
    #: Answers read as "skipped" from missing codes or an unticked "None of these" box.
    skipped: pd.DataFrame
    #: What was decided reading the export (a separator inferred, say), each with why.
    decisions: list[dict]
    #: The platform that wrote the export, and the CSV separator (None for Excel, SPSS).
    platform: str = "generic"
    delimiter: str | None = None
    #: Each row's panel id (``clean.panel_key``), by export row; None: the wave links no panel.
    panel_ids: pd.Series | None = None


def _panel_ids(raw: RawTable, wave: Wave, key: bytes | None) -> pd.Series | None:
    """Return each row's panel id from the column ``panel.link_by`` names, by export row."""
    if not wave.panel_link or key is None:
        return None
    header = _header(raw, wave.panel_link)
    if header is None:
        raise InputError(
            "the panel's link column is not in the export",
            file=wave.export_path, column=wave.panel_link,
            expected="panel.link_by naming a column of the export (an e-mail, a token, a "
            "contact id)",
        )  # fmt: skip
    values = raw.frame[header].astype("string").to_numpy(dtype=object, na_value=None)
    return pd.Series(panel_ids(key, values), index=raw.rows, dtype="string")


def panel_contacts(wave: Wave, key: bytes) -> dict[str, str]:
    """Return each panel member's identifier (``panel.link_by``) by panel id, as exported.

    For the private feedback sheets' mail merge only (``run.feedback``): never written into
    processed data, the catalogue or anything published.
    """
    raw = read_export(wave)
    ids = _panel_ids(raw, wave, key)
    values = raw.frame[_header(raw, wave.panel_link)].astype("string").str.strip()
    return {i: str(v) for i, v in zip(ids, values, strict=True) if i is not None and pd.notna(v)}


def _header(raw: RawTable, name: str) -> str | None:
    """Return the export's header that matches ``name`` (case and spaces ignored)."""
    return next((h for h in raw.frame.columns if normalise(h) == normalise(name)), None)


def _pseudonymous_ids(raw: RawTable, wave: Wave) -> pd.array:
    """Return each row's respondent pseudonym (from the id column, or the row number)."""
    header = id_header(raw, wave)
    if header is None:
        ids = pd.array([f"row-{r}" for r in raw.rows], dtype="string")
    else:
        ids = raw.frame[header].str.strip()
        rounded = ids.str.fullmatch(r"\d+([.,]\d+)?[eE]\+\d+").fillna(False)
        if rounded.any():
            first = int(rounded.to_numpy().argmax())
            raise InputError(
                "respondent ids were rounded by a spreadsheet (several respondents may now "
                "share one)",
                file=wave.export_path,
                row=raw.rows[first],
                column=header,
                value=ids.iloc[first],
                expected="the export as downloaded, or export.respondent_id: null in wave.yaml "
                "to number the rows instead",
            )
    salt = wave.export.pseudonym_salt or wave.id
    raw_ids = pd.Series(ids).astype("string").to_numpy(dtype=object, na_value=None)
    return pd.array(pseudonyms(salt, raw_ids), dtype="string")


def export_names(raw: RawTable) -> list[str]:
    """Return the names in the export's name columns (recipients, participants, submitters).

    Each name, and each row's names joined (first and last name), scrub open answers.
    """
    columns = [h for h, c in raw.columns.items() if c.holds_names or is_name_header(h)]
    if not columns:
        return []
    cells = raw.frame[columns].astype("string")
    names = {str(v).strip() for c in columns for v in cells[c].dropna().unique()}
    joined: set[str] = set()
    if len(columns) > 1:  # first and last name in columns of their own: each row's full name
        full = cells[columns[0]].str.cat(cells[columns[1:]], sep=" ", na_rep="")
        joined = {str(v).strip() for v in full.unique()}
    return sorted(n for n in names | joined if n)


def _scrub_open_text(frame: pd.DataFrame, raw: RawTable, wave: Wave, codebook: Codebook) -> None:
    """Remove e-mails, phones, URLs and the names of roster and export from every open answer."""
    roster = load_roster(wave.raw_dir / wave.export.roster) if wave.export.roster else []
    scrub = Scrubber(roster + export_names(raw))
    for q in codebook.questions:
        columns = [q.id] if q.kind.open_text else []
        if q.other_option is not None:
            columns.append(other_text_column(q.id))
        for column in columns:
            texts = frame[column]
            scrubbed = {text: scrub(text) for text in texts.dropna().unique()}
            frame[column] = texts.map(scrubbed).astype("string")


def _excluded_by_rules(frame, raw: RawTable, wave: Wave, keep: pd.Series, plan) -> list[dict]:
    """Set aside the rows wave.yaml's ``exclude_rows`` names, and the platform's own.

    The platform marks previews, tests and rejected submissions, where it has the column and
    the column is its own (not read as a codebook question of the same name).
    """
    excluded = []
    own = [
        r
        for r in raw.platform.row_rules
        if (h := _header(raw, r.column)) is not None and plan.get(h) is None
    ]
    for rule in (*wave.export.exclude_rows, *own):
        header = _header(raw, rule.column)
        if header is None:
            raise InputError(
                "exclude_rows names a column the export lacks",
                file=wave.path,
                column=rule.column,
                expected=", ".join(raw.frame.columns[:10]),
            )
        wanted = {normalise(v) for v in rule.values}
        hit = raw.frame[header].map(lambda v, w=wanted: not pd.isna(v) and normalise(v) in w)
        mask = keep & hit.to_numpy()
        excluded += _set_aside(
            frame, mask, lambda _i, r=rule: f"{r.reason} ({r.column})", rule.column
        )
        keep &= ~mask
    return excluded


def _duplicates(frame: pd.DataFrame, wave: Wave, keep: pd.Series) -> tuple[pd.Series, list]:
    """Return the duplicate submissions of a respondent (by pseudonym) and their reasons."""
    ids = frame["respondent_id"]
    policy = wave.export.duplicates
    dupes = (
        keep
        & ids.notna()
        & ids.where(keep).duplicated(keep="last" if policy == "keep_last" else "first")
    )
    kept_row: dict = {}
    if dupes.any():  # which row was kept, for each duplicated id only
        kept = frame[keep & ~dupes & ids.isin(set(ids[dupes]))]
        kept_row = dict(zip(kept["respondent_id"], kept[ROW_COLUMN], strict=True))
    _check_duplicates_agree(frame, dupes, keep, wave)
    reasons = _set_aside(
        frame,
        dupes,
        lambda i: (
            f"duplicate respondent_id (kept row {kept_row.get(ids[i])}, {policy.replace('_', ' ')})"
        ),
        "respondent_id",
    )
    return dupes, reasons


def _check_duplicates_agree(frame: pd.DataFrame, dupes, keep, wave: Wave) -> None:
    """Stop when many rows share an id with another row yet answer otherwise.

    A respondent who submitted twice is one person; more differing rows under one id than
    ``max_invalid_share`` allows are more likely different people whose ids collided (ids
    rounded by a spreadsheet, exports of several forms pasted together).
    """
    if not dupes.any():
        return
    answers = [c for c in frame.columns if c not in (ROW_COLUMN, "respondent_id")]
    shown = frame[keep].astype("string").fillna("")
    distinct = shown.drop_duplicates(["respondent_id", *answers])
    differing = int(distinct["respondent_id"].duplicated().sum())
    if differing > wave.max_invalid_share * int(keep.sum()):
        repeated = distinct.loc[distinct["respondent_id"].duplicated(keep=False), ROW_COLUMN]
        raise InputError(
            f"{differing} rows share a respondent id with another row but answer otherwise, "
            f"more than max_invalid_share {wave.max_invalid_share:.0%} (rows "
            + ", ".join(map(str, sorted(map(int, repeated))[:8]))
            + "): different respondents under one id?",
            file=wave.export_path,
            column="respondent id",
            expected="one id per respondent (the export as downloaded; several forms' exports "
            "as waves of their own), or export.respondent_id: null to number the rows",
        )


def ingest(wave: Wave, codebook: Codebook, key: bytes | None = None) -> Ingested:
    """Read, map and filter a wave's export into the common format (all text, codes).

    ``key``: the panel key, for a wave that links its experts across waves.
    """
    raw = read_export(wave)
    plan = plan_columns(raw, wave, codebook)
    raw, skipped = blank_missing_codes(raw, plan, missing_codes(raw, wave))
    frame, decisions = convert(raw, plan, wave, codebook)
    skipped = pd.concat([skipped, skip_without_none(frame, codebook, raw.rows)], ignore_index=True)
    frame.insert(0, "respondent_id", _pseudonymous_ids(raw, wave))
    frame.insert(0, ROW_COLUMN, raw.rows)
    _scrub_open_text(frame, raw, wave, codebook)
    keep = pd.Series(True, index=frame.index)
    excluded = _excluded_by_rules(frame, raw, wave, keep, plan)
    answers = frame[codebook.columns].notna().any(axis=1)
    excluded += _set_aside(
        frame, keep & ~answers, lambda _i: "no answers (empty or abandoned response)"
    )
    keep &= answers
    dupes, reasons = _duplicates(frame, wave, keep)
    excluded += reasons
    keep &= ~dupes
    excluded_frame = pd.DataFrame(excluded, columns=QUARANTINE_COLUMNS)
    return Ingested(
        frame=frame[keep].reset_index(drop=True),
        excluded=excluded_frame,
        skipped=skipped,
        decisions=decisions,
        platform=raw.platform.name,
        delimiter=raw.delimiter,
        panel_ids=_panel_ids(raw, wave, key),
    )
