"""Exports as the platforms lay them out: Google Forms, KoboToolbox, Qualtrics, Excel, SPSS.

Each takes synthetic answers (option codes) and returns the frame (or file) the platform would
give an analyst, with the wave.yaml ``export`` entry and column mapping that read it back.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from surveybrief.inputs.codebook import Codebook, Question


def _label(q: Question, code: str) -> str:
    return q.option(code).label("en")


def _google_frame(answers: pd.DataFrame, codebook: Codebook, messy: bool, rng) -> pd.DataFrame:
    out = {
        "Timestamp": [f"2026/06/{10 + i % 7:02d} 10:{i % 60:02d}:00" for i in range(len(answers))],
        "Respondent": answers["respondent_id"],
    }
    for q in codebook.questions:
        header = q.wording("en")
        if q.kind.several:
            cells = []
            other = q.other_option.code if q.other_option is not None else None
            for i in range(len(answers)):
                chosen = [
                    str(answers.at[i, f"{q.id}__other_text"]) if c == other else _label(q, c)
                    for c in q.codes
                    if str(answers.at[i, f"{q.id}__{c}"]) == "1"
                ]  # Google Forms writes the typed "Other" text in place of the choice
                if answers[f"{q.id}__{q.codes[0]}"].isna().iloc[i]:
                    cells.append(None)
                else:
                    cells.append(", ".join(chosen) if chosen else None)
            out[header] = cells
        elif q.kind.open_text:
            out[header] = answers[q.id]
        else:
            labels = [None if pd.isna(c) else _label(q, c) for c in answers[q.id]]
            if messy:
                labels = [
                    None
                    if v is None
                    else (
                        v.upper() if rng.random() < 0.1 else (v + "  " if rng.random() < 0.1 else v)
                    )
                    for v in labels
                ]
            out[header] = labels
    return pd.DataFrame(out, dtype="string")


#: KoboToolbox's own columns, as its exports carry them (values are made up, per respondent).
KOBO_META_START = ("start", "end", "today", "deviceid", "username")
KOBO_META_END = (
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status",
    "_submitted_by", "__version__", "_tags", "_index",
)  # fmt: skip
#: Qualtrics' own columns, before the questions, as its CSV exports carry them.
QUALTRICS_META = (
    ("StartDate", "Start Date"), ("EndDate", "End Date"), ("Status", "Response Type"),
    ("IPAddress", "IP Address"), ("Progress", "Progress"),
    ("Duration (in seconds)", "Duration (in seconds)"), ("Finished", "Finished"),
    ("RecordedDate", "Recorded Date"), ("ResponseId", "Response ID"),
    ("RecipientLastName", "Recipient Last Name"), ("RecipientFirstName", "Recipient First Name"),
    ("RecipientEmail", "Recipient Email"), ("ExternalReference", "External Data Reference"),
    ("LocationLatitude", "Location Latitude"), ("LocationLongitude", "Location Longitude"),
    ("DistributionChannel", "Distribution Channel"), ("UserLanguage", "User Language"),
)  # fmt: skip
#: Names in Qualtrics' recipient columns (they must never reach an output).
RECIPIENTS = (("Aliyeva", "Dana"), ("Petrov", "Ivan"), ("Smith", "Jordan"))


def _kobo_meta(answers: pd.DataFrame, names: tuple[str, ...]) -> dict[str, list]:
    n = len(answers)
    values = {
        "start": [f"2026-06-10T10:{i % 60:02d}:00.000+05:00" for i in range(n)],
        "end": [f"2026-06-10T10:{i % 60:02d}:30.000+05:00" for i in range(n)],
        "today": ["2026-06-10"] * n,
        "deviceid": [f"collect:{i:016x}" for i in range(n)],
        "username": ["enumerator1"] * n,
        "_id": [str(1000 + i) for i in range(n)],
        "_uuid": list(answers["respondent_id"]),
        "_submission_time": [f"2026-06-10T11:{i % 60:02d}:00" for i in range(n)],
        "_validation_status": [None] * n,
        "_notes": [None] * n,
        "_status": ["submitted_via_web"] * n,
        "_submitted_by": [None] * n,
        "__version__": ["vT7sPz3"] * n,
        "_tags": [None] * n,
        "_index": [str(i + 1) for i in range(n)],
    }
    return {k: values[k] for k in names}


def _space_separated(block: pd.DataFrame, codes: tuple | list) -> pd.Series:
    """Return Kobo's one-cell select_multiple: the chosen codes joined by spaces (vectorised)."""
    ticked = block.astype("string").eq("1").fillna(False).to_numpy(dtype=bool)
    chosen = np.where(ticked, np.array(codes, dtype=object), "")
    joined = pd.Series([" ".join(filter(None, row)) for row in chosen.tolist()], dtype="string")
    return joined.mask(block.isna().all(axis=1).to_numpy())


def _kobo_frame(answers: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Return an export in Kobo's layout (meta columns, group paths, codes).

    select_multiple comes as one cell of space-separated codes and one 0/1 column per choice
    (``group/question/choice``), as Kobo's default export writes it.
    """
    out = _kobo_meta(answers, KOBO_META_START)
    for q in codebook.questions:
        group = f"group_{q.section_id}"
        if q.kind.several:
            block = answers[[f"{q.id}__{c}" for c in q.codes]]
            out[f"{group}/{q.id}"] = _space_separated(block, q.codes)
            for code in q.codes:
                out[f"{group}/{q.id}/{code}"] = answers[f"{q.id}__{code}"]
            if q.other_option is not None:  # an "or_other" choice's text
                out[f"{group}/{q.id}_other"] = answers[f"{q.id}__other_text"]
        else:
            out[f"{group}/{q.id}"] = answers[q.id]
    out |= _kobo_meta(answers, KOBO_META_END)
    return pd.DataFrame(out, dtype="string")


def _qualtrics_meta(answers: pd.DataFrame) -> dict[str, list]:
    n = len(answers)
    last, first = zip(*(RECIPIENTS[i % len(RECIPIENTS)] for i in range(n)), strict=True)
    return {
        "StartDate": ["2026-06-10 10:00:00"] * n,
        "EndDate": ["2026-06-10 10:12:00"] * n,
        "Status": ["IP Address"] * n,
        "IPAddress": [f"203.0.113.{i % 250}" for i in range(n)],
        "Progress": ["100"] * n,
        "Duration (in seconds)": ["720"] * n,
        "Finished": ["True"] * n,
        "RecordedDate": ["2026-06-10 10:12:01"] * n,
        "ResponseId": list(answers["respondent_id"]),
        "RecipientLastName": list(last),
        "RecipientFirstName": list(first),
        "RecipientEmail": [
            f"{f.lower()}.{la.lower()}@example.org" for la, f in zip(last, first, strict=True)
        ],
        "ExternalReference": [None] * n,
        "LocationLatitude": ["51.1694"] * n,
        "LocationLongitude": ["71.4491"] * n,
        "DistributionChannel": ["email"] * n,
        "UserLanguage": ["EN"] * n,
    }


def _qualtrics_frames(answers: pd.DataFrame, codebook: Codebook):
    """Return an export in Qualtrics' layout, its extra header rows and (no) mapping.

    Its meta and recipient columns, Q1/Q2_1 ids, a second header row of question texts
    ("wording - choice" for a choice column), a third of ImportIds, choice text in the choice
    columns, and a preview row.
    """
    rows = _qualtrics_meta(answers)
    ids = list(rows)
    texts = [label for _, label in QUALTRICS_META]
    imports = [f'{{"ImportId":"{i[0].lower() + i[1:]}"}}' for i in ids]
    for number, q in enumerate(codebook.questions, 1):
        if q.kind.several:
            for k, code in enumerate(q.codes, 1):
                name = f"Q{number}_{k}"
                ids.append(name)
                texts.append(f"{q.wording('en')} - {_label(q, code)}")
                imports.append(f'{{"ImportId":"QID{number}_{k}"}}')
                rows[name] = [
                    None if str(v) != "1" else _label(q, code) for v in answers[f"{q.id}__{code}"]
                ]
                if q.other_option is not None and code == q.other_option.code:
                    ids.append(f"{name}_TEXT")  # the text entry of the Other choice
                    texts.append(f"{q.wording('en')} - {_label(q, code)} - Text")
                    imports.append(f'{{"ImportId":"QID{number}_{k}_TEXT"}}')
                    rows[f"{name}_TEXT"] = list(answers[f"{q.id}__other_text"])
        else:
            name = f"Q{number}"
            ids.append(name)
            texts.append(q.wording("en"))
            imports.append(f'{{"ImportId":"QID{number}"}}')
            rows[name] = (
                list(answers[q.id])
                if q.kind.open_text
                else [None if pd.isna(c) else _label(q, c) for c in answers[q.id]]
            )
    frame = pd.DataFrame(rows, columns=ids, dtype="string")
    preview = frame.iloc[:1].copy()
    preview["ResponseId"] = "R_preview"
    preview["Status"] = "Survey Preview"
    frame = pd.concat([preview, frame], ignore_index=True)
    return frame, [texts, imports], {}


def csv_bytes(frame: pd.DataFrame, messy: bool, extra_header_rows=(), delimiter=",") -> bytes:
    """Return CSV bytes; messy: BOM, ';' separator, Windows line ends (Kobo: ';' always)."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if messy else delimiter, lineterminator="\r\n" if messy else "\n"
    )
    writer.writerow(frame.columns)
    for row in extra_header_rows:
        writer.writerow(row)
    for row in frame.itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else v for v in row])
    return (("\ufeff" if messy else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame) -> bytes:
    """Return the frame as the bytes of an Excel workbook (one sheet)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="Responses")
    return buffer.getvalue()


def write_sav(path: Path, answers: pd.DataFrame, codebook: Codebook) -> dict[str, str]:
    """Write an SPSS file (numeric codes, value and variable labels); return its column mapping."""
    import pyreadstat

    data, labels, value_labels, mapping = {}, [], {}, {}
    data["RespID"] = answers["respondent_id"].astype(object)
    labels.append("Respondent ID")
    for number, q in enumerate(codebook.questions, 1):
        if q.kind.several:
            for k, code in enumerate(q.codes, 1):
                name = f"Q{number}_{k}"
                data[name] = pd.to_numeric(answers[f"{q.id}__{code}"]).astype(float)
                labels.append(f"{q.wording('en')}: {_label(q, code)}")
                value_labels[name] = {0.0: "Not selected", 1.0: "Selected"}
                mapping[name] = f"{q.id}/{code}"
                if q.other_option is not None and code == q.other_option.code:
                    data[f"{name}_TEXT"] = answers[f"{q.id}__other_text"].fillna("").astype(object)
                    labels.append(f"{q.wording('en')}: {_label(q, code)} (text)")
                    mapping[f"{name}_TEXT"] = f"{q.id}/other_text"
        elif q.kind.open_text:
            name = f"Q{number}"
            data[name] = answers[q.id].fillna("").astype(object)
            labels.append(q.wording("en"))
            mapping[name] = q.id
        else:
            name = f"Q{number}"
            index = {c: float(i) for i, c in enumerate(q.codes, 1)}
            data[name] = [np.nan if pd.isna(c) else index[c] for c in answers[q.id]]
            labels.append(q.wording("en"))
            value_labels[name] = {v: _label(q, c) for c, v in index.items()}
            mapping[name] = q.id
    frame = pd.DataFrame(data)
    pyreadstat.write_sav(frame, str(path), column_labels=labels, variable_value_labels=value_labels)
    return mapping


def platform_export(shape: str, answers: pd.DataFrame, codebook: Codebook, messy: bool, rng):
    """Return the export frame as the platform writes it, its wave.yaml ``export`` and mapping.

    Also returns the extra header rows (Qualtrics) that go under the first.
    """
    export: dict = {"respondent_id": None}
    mapping: dict = {}
    extra: tuple = ()
    family = shape.split("_")[0]
    if family == "google":
        frame = _google_frame(answers, codebook, messy, rng)
        if messy:
            frame = pd.concat(
                [
                    frame,
                    frame.iloc[[3]],
                    pd.DataFrame([[pd.NA] * frame.shape[1]], columns=frame.columns),
                ],
                ignore_index=True,
            )
            frame.iloc[-1, 0] = "2026/06/20 12:00:00"  # an empty submission: only a timestamp
        export.update(
            respondent_id="Respondent", drop_columns=["Timestamp"], duplicates="keep_last"
        )
    elif family == "kobo":  # no mapping: meta columns, group paths and ids are understood
        frame = _kobo_frame(answers, codebook)
        export.pop("respondent_id")
    elif family == "qualtrics":  # no mapping: header rows, meta and recipient columns known
        frame, extra, mapping = _qualtrics_frames(answers, codebook)
        export.pop("respondent_id")
        export.update(
            exclude_rows=[
                {"column": "Status", "values": ["Survey Preview"], "reason": "test submission"}
            ]
        )
    else:
        frame = None  # SPSS files are written from the answers directly (write_sav)
    return frame, export, mapping, extra
