"""The coding workbooks analysts code open answers in (``make coding``).

One workbook per open question of a cleaned wave, in ``outputs/coding/<wave>/``: a ``coding``
sheet (pseudonym, scrubbed answer, the keyword pass's suggestion, empty columns for two coders
and the reconciled codes, each a drop-down list of the frame's codes), a ``themes`` sheet (codes,
labels, keywords) and an ``about`` sheet (the steps). Codes already given in a returned
workbook (``data/coding/<wave>/``) are carried over where the answer is unchanged. Every text
cell is stored as text: an answer starting with "=" cannot run as a formula.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from surveybrief.analysis.themes import keyword_pass, open_answers
from surveybrief.clean.processed import load_cleaned_wave
from surveybrief.config import resolve_wave
from surveybrief.inputs.coding import (
    ABOUT_SHEET,
    CODE_COLUMNS,
    HEADER,
    ROLES,
    SHEET,
    THEMES_SHEET,
    coding_file,
    read_coding,
)
from surveybrief.inputs.frames import NO_THEME
from surveybrief.inputs.questionnaire import OpenTarget
from surveybrief.writers import atomic_path

STEPS = [
    "How to code (README, section 'Open answers'):",
    "1. Read each answer in the 'coding' sheet; the 'suggested' column is the keyword pass.",
    "2. Coder 1 gives up to three theme codes in coder1_1..coder1_3 (the drop-down lists the",
    f"   codes of the 'themes' sheet); {NO_THEME} for an answer that fits no theme.",
    "3. Coder 2 codes the same answers independently in coder2_1..coder2_3 (optional).",
    "4. Optionally, after comparing, the agreed codes go in final_1..final_3.",
    "5. Save the workbook as data/coding/<wave>/<question>.xlsx (same file name); the next",
    "   make briefing checks it and reports the themes, the coders' agreement and quotes.",
    "Do not edit the respondent or answer columns: a changed row is refused.",
]


def _text_cell(sheet, row: int, column: int, value: object) -> None:
    cell = sheet.cell(row=row, column=column, value=None if value is None else str(value))
    if value is not None:
        cell.data_type = "s"  # text, never a formula


def _carried(path: Path, target: OpenTarget) -> dict[str, tuple[str, dict]]:
    """Return the codes of an earlier returned workbook: respondent -> (answer, codes by role)."""
    if not path.is_file():
        return {}
    coding = read_coding(path, target.frame)
    return {
        who: (answer, {role: coding.codes[role][i] for role in ROLES})
        for i, (who, answer) in enumerate(zip(coding.respondents, coding.answers, strict=True))
    }


def _themes_sheet(book, target: OpenTarget, langs: list[str]) -> int:
    sheet = book.create_sheet(THEMES_SHEET)
    header = ["code", *(f"label ({lang})" for lang in langs), "keywords"]
    for col, name in enumerate(header, start=1):
        _text_cell(sheet, 1, col, name)
    themes = [*target.frame.themes]
    for row, theme in enumerate(themes, start=2):
        words = "; ".join(w for ws in theme.keywords.values() for w in ws)
        values = [theme.code, *(theme.label(lang) for lang in langs), words]
        for col, value in enumerate(values, start=1):
            _text_cell(sheet, row, col, value)
    _text_cell(sheet, len(themes) + 2, 1, NO_THEME)
    _text_cell(sheet, len(themes) + 2, 2, "Fits no theme of the frame")
    return len(themes) + 2  # the last row of the code list


def write_workbook(target: OpenTarget, answers: pd.Series, path: Path, carried: dict) -> Path:
    """Write one coding workbook atomically."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    for col, name in enumerate(HEADER, start=1):
        _text_cell(sheet, 1, col, name)
    suggested = keyword_pass(answers, target.frame)
    for row, (who, answer) in enumerate(answers.items(), start=2):
        found = ", ".join(c for c in target.frame.codes if suggested.at[who, c])
        values = {"respondent": who, "answer": answer, "suggested": found}
        earlier = carried.get(who)
        if earlier and earlier[0].split() == str(answer).split():
            for role in ROLES:
                values.update(zip(CODE_COLUMNS[role], earlier[1][role], strict=False))
        for col, name in enumerate(HEADER, start=1):
            _text_cell(sheet, row, col, values.get(name))
    langs = sorted(
        {lang for t in target.frame.themes for lang in t.labels}, key=lambda x: (x != "en", x)
    )
    last = _themes_sheet(book, target, langs)
    codes = DataValidation(
        type="list", formula1=f"={THEMES_SHEET}!$A$2:$A${last}", allow_blank=True
    )
    codes.error, codes.errorTitle, codes.showErrorMessage = "Pick a code", "Theme code", True
    sheet.add_data_validation(codes)
    first_col, last_col = HEADER.index("coder1_1") + 1, HEADER.index("final_3") + 1
    letters = [sheet.cell(row=1, column=c).column_letter for c in (first_col, last_col)]
    codes.add(f"{letters[0]}2:{letters[1]}{max(len(answers) + 1, 2)}")
    sheet.column_dimensions["B"].width = 70
    about = book.create_sheet(ABOUT_SHEET)
    for row, line in enumerate([f"Open question: {target.id}", *STEPS], start=1):
        _text_cell(about, row, 1, line)
    with atomic_path(path, suffix=".xlsx") as tmp:
        book.save(tmp)
    return path


def write_coding_workbooks(data_root: Path, wave: str, run_dir: Path, folder: Path) -> list[Path]:
    """Write into ``folder`` a coding workbook per open question with a frame and answers.

    ``run_dir``: the output folder of a run that cleaned the wave (``run_clean_all``).
    """
    wave_id = resolve_wave(Path(data_root), wave)
    cleaned = load_cleaned_wave(Path(data_root), run_dir, wave_id)
    written = []
    for target in cleaned.codebook.open_targets:
        if target.frame is None:
            continue
        answers = open_answers(cleaned.responses, target)
        if answers.empty:
            continue  # nothing to code (e.g. a reconstruction of closed questions only)
        carried = _carried(coding_file(data_root, wave_id, target.id), target)
        written.append(write_workbook(target, answers, folder / f"{target.id}.xlsx", carried))
    return written
