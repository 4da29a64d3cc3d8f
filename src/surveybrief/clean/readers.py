"""Read a wave's export as received: CSV, Excel or SPSS, every cell as text (blanks as NA).

No judgement about answers happens here: "N/A" and "None" stay text, whole numbers lose a
trailing ".0", row numbers are those of the file (the header is row 1), and a file that is
missing, empty, too large, not the one registered, or malformed gives one ``InputError``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from surveybrief.clean.csv_reader import read_csv_export
from surveybrief.exceptions import InputError
from surveybrief.inputs.digest import sha256_file
from surveybrief.inputs.wave import Wave


@dataclass
class RawTable:
    """The export as read: text cells (NA for blanks), row numbers, header labels if any."""

    frame: pd.DataFrame
    rows: list[int]
    header_labels: dict[str, str] = field(default_factory=dict)


def _cell_text(value: object) -> object:
    """Return an Excel or SPSS cell as text; whole numbers without '.0'; blanks as NA."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return pd.NA
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return pd.NA if text == "" else text


def _read_xlsx(path: Path, wave: Wave) -> tuple[list[str], list[list[object]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(
            f"cannot open as an Excel workbook ({type(exc).__name__})",
            file=path,
            expected="an .xlsx file",
        ) from exc
    try:
        sheet = book[wave.export.sheet] if wave.export.sheet else book.worksheets[0]
    except KeyError as exc:
        raise InputError(
            "sheet not found",
            file=path,
            column="export.sheet",
            value=wave.export.sheet,
            expected=", ".join(book.sheetnames),
        ) from exc
    rows = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            kind = getattr(cell, "data_type", "n")
            if kind in ("f", "e"):
                what = "a formula" if kind == "f" else "an error value"
                book.close()
                raise InputError(
                    f"cell {cell.coordinate} of sheet {sheet.title!r} holds {what}",
                    file=path,
                    row=cell.row,
                    value=str(cell.value)[:40],
                    expected="values only (export or paste the sheet as values)",
                )
            values.append(cell.value)
        rows.append(values)
    book.close()
    if not rows:
        raise InputError("export file is empty", file=path, expected="a header row and responses")
    return [str(h) if h is not None else "" for h in rows[0]], rows[1:]


def _read_sav(path: Path) -> tuple[list[str], list[list[object]], dict[str, str]]:
    import pyreadstat

    try:
        frame, meta = pyreadstat.read_sav(str(path), apply_value_formats=True)
    except Exception as exc:  # pyreadstat raises ReadstatError and others on a bad file
        raise InputError(
            f"cannot read as an SPSS .sav file ({type(exc).__name__})",
            file=path,
            expected="an SPSS .sav file",
        ) from exc
    labels = {k: v for k, v in meta.column_names_to_labels.items() if v}
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    return list(frame.columns), rows, labels


def _check_file(wave: Wave) -> Path:
    """Return the export's path: it exists, is neither empty nor too large, and is registered."""
    path = wave.export_path
    if not path.is_file():
        raise InputError("export file not found", file=path, expected="the file named in wave.yaml")
    size = path.stat().st_size
    if size == 0:
        raise InputError("export file is empty", file=path, expected="a header row and responses")
    if size > wave.export.max_megabytes * 1_000_000:
        raise InputError(
            f"export file is {size / 1_000_000:.0f} MB, over the limit of "
            f"{wave.export.max_megabytes:g} MB",
            file=path,
            expected="a smaller file, or a higher export.max_megabytes in wave.yaml",
        )
    if wave.export.sha256 is not None and (actual := sha256_file(path)) != wave.export.sha256:
        raise InputError(
            "export file differs from the one registered in wave.yaml (sha256 mismatch)",
            file=path,
            column="export.sha256",
            value=actual,
            expected=f"{wave.export.sha256} (raw data is immutable; if the new file is "
            "intended, register its sha256)",
        )
    return path


def _records_frame(records: list, header: list[str], *, is_text: bool, path: Path, first_row: int):
    """Return records (lists of cells) as a frame of text cells; name a row that is too wide."""
    width = len(header)
    cells = []
    for offset, record in enumerate(records):
        if len(record) != width:
            record = list(record)
            if len(record) > width and any(_cell_text(v) is not pd.NA for v in record[width:]):
                raise InputError(
                    f"row has {len(record)} cells but the header has {width}",
                    file=path,
                    row=first_row + offset,
                    expected="one cell per header (check the separator)",
                )
            record = (record + [""] * width)[:width]
        cells.append(record if is_text else [_cell_text(v) for v in record])
    if not cells:
        return pd.DataFrame(columns=header, dtype="string")
    return pd.DataFrame(cells, columns=header, dtype="string").replace("", pd.NA)


def _header_rows(records, wave: Wave) -> int:
    """Return the header rows: as wave.yaml says, or 3 for a Qualtrics export, else 1."""
    if wave.export.header_rows is not None:
        return wave.export.header_rows
    if len(records) < 2:
        return 1
    third = list(records.iloc[1]) if isinstance(records, pd.DataFrame) else list(records[1])
    is_qualtrics = any(str(v).startswith('{"ImportId"') for v in third if v is not None)
    return 3 if is_qualtrics else 1


def _labels_row(records, header: list[str]) -> dict[str, str]:
    """Return the texts of the row under the header, by header (blank cells left out)."""
    first = list(records.iloc[0]) if isinstance(records, pd.DataFrame) else list(records[0])
    texts = [_cell_text(v) for v in first]
    return {h: str(t).strip() for h, t in zip(header, texts, strict=False) if t is not pd.NA}


def read_export(wave: Wave) -> RawTable:
    """Read the export of ``wave`` as text cells, whatever its format."""
    path = _check_file(wave)
    header_labels: dict[str, str] = {}
    if wave.export.format == "csv":
        header, records = read_csv_export(path, wave)
    elif wave.export.format == "xlsx":
        header, records = _read_xlsx(path, wave)
    else:
        header, records, header_labels = _read_sav(path)
    header = [str(h).strip() for h in header]
    skip = _header_rows(records, wave) - 1
    first_row = 2 + skip  # the header is row 1
    if skip and not header_labels:  # Qualtrics: the second header row holds the question texts
        header_labels = _labels_row(records, header)
    records = records[skip:]
    if isinstance(records, pd.DataFrame):  # parsed by Arrow or pandas: regular rows, text or NA
        frame = records.reset_index(drop=True)
        frame.columns = header
    else:  # CSV cells are text already; Excel and SPSS cells need converting
        is_text = wave.export.format == "csv"
        frame = _records_frame(records, header, is_text=is_text, path=path, first_row=first_row)
    # Skip rows that are wholly blank (trailing empty lines in spreadsheets).
    keep = frame.notna().any(axis=1).to_numpy() if len(frame) else []
    rows = [first_row + i for i, k in enumerate(keep) if k]
    frame = frame[keep].reset_index(drop=True) if len(frame) else frame
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise InputError("duplicate column headers", file=path, column=", ".join(duplicated))
    return RawTable(frame=frame, rows=rows, header_labels=header_labels)
