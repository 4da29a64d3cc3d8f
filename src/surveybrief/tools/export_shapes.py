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
        if q.type == "multi":
            cells = []
            for i in range(len(answers)):
                chosen = [
                    _label(q, c) for c in q.codes if str(answers.at[i, f"{q.id}__{c}"]) == "1"
                ]
                if answers[f"{q.id}__{q.codes[0]}"].isna().iloc[i]:
                    cells.append(None)
                else:
                    cells.append(", ".join(chosen) if chosen else None)
            out[header] = cells
        elif q.type == "text":
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


def _kobo_frame(answers: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    out = {"_uuid": answers["respondent_id"], "start": "2026-06-10T10:00:00"}
    for q in codebook.questions:
        if q.type == "multi":
            for code in q.codes:
                out[f"{q.section_id}/{q.id}/{code}"] = answers[f"{q.id}__{code}"]
        else:
            out[f"{q.section_id}/{q.id}"] = answers[q.id]
    return pd.DataFrame(out, dtype="string")


def _qualtrics_frames(answers: pd.DataFrame, codebook: Codebook):
    ids, texts, rows = ["ResponseId", "Status"], ["Response ID", "Response Type"], {}
    rows["ResponseId"] = list(answers["respondent_id"])
    rows["Status"] = ["IP Address"] * len(answers)
    mapping = {}
    for number, q in enumerate(codebook.questions, 1):
        if q.type == "multi":
            for k, code in enumerate(q.codes, 1):
                name = f"Q{number}_{k}"
                ids.append(name)
                texts.append(f"{q.wording('en')} - {_label(q, code)}")
                rows[name] = [
                    None if str(v) != "1" else _label(q, code) for v in answers[f"{q.id}__{code}"]
                ]
                mapping[name] = f"{q.id}/{code}"
        else:
            name = f"Q{number}"
            ids.append(name)
            texts.append(q.wording("en"))
            rows[name] = (
                list(answers[q.id])
                if q.type == "text"
                else [None if pd.isna(c) else _label(q, c) for c in answers[q.id]]
            )
            mapping[name] = q.id
    frame = pd.DataFrame(rows, columns=ids, dtype="string")
    preview = frame.iloc[:1].copy()
    preview["ResponseId"] = "R_preview"
    preview["Status"] = "Survey Preview"
    frame = pd.concat([preview, frame], ignore_index=True)
    header_rows = [texts, [f'{{"ImportId":"{i}"}}' for i in ids]]
    return frame, header_rows, mapping


def csv_bytes(frame: pd.DataFrame, messy: bool, extra_header_rows=()) -> bytes:
    """Return CSV bytes; messy: BOM, ';' separator, Windows line ends."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if messy else ",", lineterminator="\r\n" if messy else "\n"
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
        if q.type == "multi":
            for k, code in enumerate(q.codes, 1):
                name = f"Q{number}_{k}"
                data[name] = pd.to_numeric(answers[f"{q.id}__{code}"]).astype(float)
                labels.append(f"{q.wording('en')}: {_label(q, code)}")
                value_labels[name] = {0.0: "Not selected", 1.0: "Selected"}
                mapping[name] = f"{q.id}/{code}"
        elif q.type == "text":
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
    elif family == "kobo":
        frame = _kobo_frame(answers, codebook)
        export.update(respondent_id="_uuid", drop_columns=["start"])
        mapping = {c: c.split("/", 1)[1] for c in frame.columns if "/" in c}
    elif family == "qualtrics":
        frame, extra, mapping = _qualtrics_frames(answers, codebook)
        export.update(
            respondent_id="ResponseId",
            header_rows=3,
            blank_means_not_selected=True,
            drop_columns=["Status"],
            exclude_rows=[
                {"column": "Status", "values": ["Survey Preview"], "reason": "test submission"}
            ],
        )
    else:
        frame = None  # SPSS files are written from the answers directly (write_sav)
    return frame, export, mapping, extra
