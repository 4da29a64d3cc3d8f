"""Synthetic survey waves, in the export shapes platforms produce, for tests and ``make demo``.

Every wave is generated from the codebook with a seed (same seed, same bytes), labelled
SYNTHETIC in its ``wave.yaml`` and title, and comes with the ``wave.yaml`` that maps its export
to the codebook. Shapes:

* ``google_csv``: question wordings as headers, answer labels as values, multi-select as several
  labels in one cell (``"A, B"``), a Timestamp column, free "Other" text;
* ``kobo_csv``: one 0/1 column per multi-select option, ``group/question`` headers, codes;
* ``qualtrics_csv``: three header rows (ids, question text, ImportId), option columns holding the
  label or blank, a Status column whose "Survey Preview" rows are test submissions;
* ``google_xlsx`` / ``kobo_xlsx``: the same as Excel workbooks;
* ``spss_sav``: SPSS file with numeric codes, value labels and variable labels.

``messy=True`` adds what real exports carry: a byte-order mark, Windows line ends, ``;`` as
separator, trailing spaces and case changes in labels, a duplicate submission and an empty row.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from surveybrief.inputs.codebook import Codebook, Question
from surveybrief.writers import write_bytes_atomic, write_text_atomic

SHAPES = ("google_csv", "kobo_csv", "qualtrics_csv", "google_xlsx", "kobo_xlsx", "spss_sav")
COMMENTS = [
    "Integration needs patience, trust and money.",
    "Водные споры решаются только вместе.",
    "Қазақстан өңірлік интеграцияда маңызды рөл атқара алады.",
    'Transport first; "soft" issues later.',
    "N/A",
    "None",
]


@dataclass(frozen=True)
class SyntheticAnswers:
    """Respondent-level answers as option codes (the truth the export encodes)."""

    frame: pd.DataFrame  # respondent_id, then codebook columns (codes, 0/1, text)


def _seed(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def generate_answers(codebook: Codebook, n: int, seed: int, drift: float = 0.0) -> SyntheticAnswers:
    """Return ``n`` synthetic respondents; ``drift`` moves every distribution (for trends).

    About 8% of respondents stop half-way (later questions missing), as in real panels.
    """
    rng = np.random.default_rng(seed)
    ids = [f"S{seed % 1000:03d}-{i:05d}" for i in range(1, n + 1)]
    data: dict[str, object] = {"respondent_id": ids}
    questions = [q for q in codebook.questions]
    stop_at = np.where(rng.random(n) < 0.08, rng.integers(1, len(questions), n), len(questions))
    for position, q in enumerate(questions):
        q_rng = np.random.default_rng(_seed(seed, q.id))
        base_rng = np.random.default_rng(_seed("shape", q.id))  # same shape in every wave
        answered = stop_at > position
        if q.type == "multi":
            probs = np.clip(
                base_rng.uniform(0.1, 0.7, len(q.options))
                + drift * base_rng.normal(0, 1, len(q.options)),
                0.02,
                0.95,
            )
            for option, p in zip(q.options, probs, strict=True):
                chosen = q_rng.random(n) < p
                column = np.where(answered, np.where(chosen, "1", "0"), None)
                data[f"{q.id}__{option.code}"] = column
            continue
        if q.type == "text":
            picks = q_rng.integers(0, len(COMMENTS), n)
            leave = q_rng.random(n) < 0.5
            data[q.id] = [
                COMMENTS[k] if a and not lv else None
                for k, a, lv in zip(picks, answered, leave, strict=True)
            ]
            continue
        weights = base_rng.dirichlet(np.ones(len(q.options)) * 2)
        weights = np.clip(weights + drift * base_rng.normal(0, 1, len(weights)), 0.01, None)
        weights = weights / weights.sum()
        codes = q_rng.choice(q.codes, size=n, p=weights)
        data[q.id] = [c if a else None for c, a in zip(codes, answered, strict=True)]
    for q in questions:
        if q.other_option is not None:
            data[f"{q.id}__other_text"] = [None] * n
    return SyntheticAnswers(pd.DataFrame(data, dtype="string"))


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


def _csv_bytes(frame: pd.DataFrame, messy: bool, extra_header_rows=()) -> bytes:
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


def _xlsx_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        frame.to_excel(writer, index=False, sheet_name="Responses")
    return buffer.getvalue()


def _sav(path: Path, answers: pd.DataFrame, codebook: Codebook) -> dict[str, str]:
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


def write_wave(
    codebook: Codebook,
    data_root: Path,
    wave_id: str,
    *,
    n: int,
    seed: int,
    shape: str,
    messy: bool = False,
    drift: float = 0.0,
) -> Path:
    """Write a synthetic wave (export + wave.yaml) under ``data_root/raw/<wave_id>``."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}; one of {', '.join(SHAPES)}")
    rng = np.random.default_rng(_seed(seed, "mess"))
    answers = generate_answers(codebook, n, seed, drift).frame
    folder = Path(data_root) / "raw" / wave_id
    folder.mkdir(parents=True, exist_ok=True)
    export: dict = {"respondent_id": None}
    mapping: dict = {}
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
    if shape.endswith("_csv"):
        name = "export.csv"
        payload = _csv_bytes(
            frame, messy and family != "qualtrics", extra if family == "qualtrics" else ()
        )
        write_bytes_atomic(folder / name, payload)
    elif shape.endswith("_xlsx"):
        name = "export.xlsx"
        write_bytes_atomic(folder / name, _xlsx_bytes(frame))
    else:
        name = "export.sav"
        mapping = _sav(folder / name, answers, codebook)
        export.update(respondent_id="RespID")
    export["file"] = name
    export["max_megabytes"] = 2000  # large synthetic waves (the scale benchmark) are expected
    year, month = wave_id.split("-")
    doc = {
        "wave": wave_id,
        "title": f"SYNTHETIC test wave {wave_id} ({shape})",
        "sponsor": "Synthetic data generator (surveybrief.tools.synthetic), not a survey",
        "fieldwork": {"start": f"{year}-{month}-09", "end": f"{year}-{month}-16"},
        "population": "None: SYNTHETIC respondents generated for testing.",
        "sample": {
            "description": f"{n} synthetic respondents (seed {seed}).",
            "n_stated": n,
            "method": "Random generation; no real respondents.",
        },
        "mode": f"Synthetic export in the {shape} shape.",
        "weighting": "none",
        "codebook_version": codebook.version,
        "is_synthetic": True,
        "limitations": ["SYNTHETIC data: the numbers describe nothing real."],
        "max_invalid_share": 0.1,
        "export": export,
        "mapping": {"columns": mapping} if mapping else {},
    }
    header = "# SYNTHETIC wave written by surveybrief.tools.synthetic: no real respondents.\n"
    write_text_atomic(
        folder / "wave.yaml", header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    )
    return folder
