"""Synthetic survey waves, in the export shapes platforms produce, for tests and ``make demo``.

Every wave is generated from the codebook with a seed (same seed, same bytes), labelled
SYNTHETIC in its ``wave.yaml`` and title, and comes with the ``wave.yaml`` that maps its export
to the codebook. Shapes:

* ``google_csv``: question wordings as headers, answer labels as values, multi-select as several
  labels in one cell (``"A, B"``), a Timestamp column, free "Other" text;
* ``kobo_csv``: Kobo's meta columns (start, end, deviceid, _uuid, _submission_time, ...),
  ``group/question`` headers, codes, ';' separator, select_multiple as one cell of
  space-separated codes beside one 0/1 column per choice (``group/question/choice``);
* ``qualtrics_csv``: Qualtrics' meta and recipient columns (names, e-mail, IP, location), three
  header rows (Q1/Q2_1 ids, question text with "wording - choice", ImportId), choice columns
  holding the choice text or blank, a "Survey Preview" row; its wave.yaml needs no mapping;
* ``google_xlsx`` / ``kobo_xlsx``: the same as Excel workbooks;
* ``spss_sav``: SPSS file with numeric codes, value labels and variable labels.

``messy=True`` adds what real exports carry: a byte-order mark, Windows line ends, ``;`` as
separator, trailing spaces and case changes in labels, a duplicate submission and an empty row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import yaml

from surveybrief.config import raw_dir
from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.export_shapes import csv_bytes, platform_export, write_sav, xlsx_bytes
from surveybrief.tools.shapes import SHAPES
from surveybrief.tools.synthetic_answers import (
    COMMENTS,
    SyntheticAnswers,
    generate_answers,
    seed_of,
)
from surveybrief.writers import write_bytes_atomic, write_text_atomic

__all__ = ["COMMENTS", "SHAPES", "SyntheticAnswers", "generate_answers", "write_wave"]


def _wave_doc(wave_id, shape, n, seed, codebook, export, mapping) -> dict:
    """Return the wave.yaml of a synthetic wave, labelled SYNTHETIC everywhere it shows."""
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
    return doc


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
    rng = np.random.default_rng(seed_of(seed, "mess"))
    answers = generate_answers(codebook, n, seed, drift).frame
    folder = raw_dir(data_root, wave_id)
    folder.mkdir(parents=True, exist_ok=True)
    frame, export, mapping, extra = platform_export(shape, answers, codebook, messy, rng)
    family = shape.split("_")[0]
    if shape.endswith("_csv"):
        name = "export.csv"
        payload = csv_bytes(
            frame,
            messy and family != "qualtrics",
            extra if family == "qualtrics" else (),
            delimiter=";" if family == "kobo" else ",",  # Kobo's CSV export uses ';'
        )
        write_bytes_atomic(folder / name, payload)
    elif shape.endswith("_xlsx"):
        name = "export.xlsx"
        write_bytes_atomic(folder / name, xlsx_bytes(frame))
    else:
        name = "export.sav"
        mapping = write_sav(folder / name, answers, codebook)
        export.update(respondent_id="RespID")
    export["file"] = name
    export["max_megabytes"] = 2000  # large synthetic waves (the scale benchmark) are expected
    doc = _wave_doc(wave_id, shape, n, seed, codebook, export, mapping)
    header = "# SYNTHETIC wave written by surveybrief.tools.synthetic: no real respondents.\n"
    write_text_atomic(
        folder / "wave.yaml", header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    )
    return folder
