"""A coding workbook as the analyst returns it (``data/coding/<wave>/<target>.xlsx``).

The workbook's ``coding`` sheet has one row per open answer: the respondent's pseudonym, the
scrubbed answer, the themes the keyword pass suggests, up to three theme codes per coder
(``coder1_1`` .. ``coder2_3``) and optionally the reconciled codes (``final_1`` ..). Reading
checks its shape and every code against the code frame; a problem is one error naming sheet,
row, column and value. Whether the rows match the wave is checked by ``analysis.themes``.
Like ``raw/``, the folder is input: the pipeline reads it and never writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from surveybrief.config import coding_dir
from surveybrief.exceptions import InputError
from surveybrief.inputs.frames import NO_THEME, CodeFrame

SHEET, THEMES_SHEET, ABOUT_SHEET = "coding", "themes", "about"
#: Theme codes a coder may give one answer.
SLOTS = 3
ROLES = ("coder1", "coder2", "final")
CODE_COLUMNS = {role: [f"{role}_{i}" for i in range(1, SLOTS + 1)] for role in ROLES}
HEADER = [
    "respondent",
    "answer",
    "suggested",
    *(c for role in ROLES for c in CODE_COLUMNS[role]),
    "note",
]


def coding_file(data_root: Path, wave_id: str, target_id: str) -> Path:
    """Return where the returned coding workbook of one open question goes."""
    return coding_dir(data_root, wave_id) / f"{target_id}.xlsx"


@dataclass(frozen=True)
class ReturnedCoding:
    """The rows of a returned coding workbook, codes checked against the frame."""

    path: Path
    #: Sheet row of each entry (the header is row 1).
    rows: tuple[int, ...]
    respondents: tuple[str, ...]
    answers: tuple[str, ...]
    #: Per role, per row: the theme codes given (empty when that role coded nothing).
    codes: dict[str, tuple[tuple[str, ...], ...]]

    def has_role(self, role: str) -> bool:
        """Return True if anyone filled the columns of ``role``."""
        return any(self.codes[role])


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def read_coding(path: Path, frame: CodeFrame) -> ReturnedCoding:
    """Read and check a returned coding workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # not a workbook at all (openpyxl raises several kinds)
        raise InputError(f"not a readable .xlsx workbook ({exc})", file=path) from None
    if SHEET not in book.sheetnames:
        raise InputError("the coding workbook has no coding sheet", file=path, expected=SHEET)
    sheet = book[SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    book.close()
    header = [_text(v) for v in rows[0]] if rows else []
    missing = [c for c in HEADER if c not in header]
    if missing:
        raise InputError(
            "the coding sheet lacks columns", file=path, sheet=SHEET, row=1,
            column=", ".join(missing), expected="the header the coding command wrote",
        )  # fmt: skip
    at = {name: header.index(name) for name in HEADER}
    allowed = {*frame.codes, NO_THEME}
    entries = []
    for number, cells in enumerate(rows[1:], start=2):
        cells = list(cells) + [None] * (len(header) - len(cells))
        if not any(_text(v) for v in cells):
            continue  # blank line
        codes = {role: _codes(cells, at, role, allowed, path, number) for role in ROLES}
        entries.append((number, _text(cells[at["respondent"]]), _text(cells[at["answer"]]), codes))
    return ReturnedCoding(
        path=path,
        rows=tuple(e[0] for e in entries),
        respondents=tuple(e[1] for e in entries),
        answers=tuple(e[2] for e in entries),
        codes={role: tuple(e[3][role] for e in entries) for role in ROLES},
    )


def _codes(cells, at: dict, role: str, allowed: set, path: Path, number: int) -> tuple[str, ...]:
    """Return one role's codes of one row, each checked against the frame."""
    given = []
    for column in CODE_COLUMNS[role]:
        value = _text(cells[at[column]])
        if not value:
            continue
        if value not in allowed:
            raise InputError(
                "unknown theme code", file=path, sheet=SHEET, row=number, column=column,
                value=value, expected="one of " + ", ".join(sorted(allowed)),
            )  # fmt: skip
        if value not in given:
            given.append(value)
    if NO_THEME in given and len(given) > 1:
        raise InputError(
            f"{NO_THEME} together with themes", file=path, sheet=SHEET, row=number,
            column=CODE_COLUMNS[role][0], value=", ".join(given),
            expected=f"either {NO_THEME} or theme codes",
        )  # fmt: skip
    return tuple(given)


def returned_coding(data_root: Path, wave_id: str, target) -> ReturnedCoding | None:
    """Return the returned coding workbook of one open question of a wave, if there is one.

    ``target``: the open question (its ``id`` and code ``frame``).
    """
    path = coding_file(data_root, wave_id, target.id)
    return read_coding(path, target.frame) if path.is_file() else None


def returned_codings(
    data_root: Path, waves, only: set[str] | None = None
) -> dict[tuple[str, str], ReturnedCoding]:
    """Return the returned codings of ``waves`` (each with ``wave`` and ``codebook``).

    Keyed by (wave id, open question id); what the themes of each wave, and their trends,
    are computed from (read here, once: analysis reads no file). ``only``: the open questions
    to read (the current codebook's: a workbook of a question no longer asked is not read).
    """
    found = {}
    for data in waves:
        for target in data.codebook.open_targets:
            if target.frame is not None and (only is None or target.id in only):
                coding = returned_coding(Path(data_root), data.wave.id, target)
                if coding is not None:
                    found[(data.wave.id, target.id)] = coding
    return found
