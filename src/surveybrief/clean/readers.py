"""Read a wave's export as received: CSV, Excel or SPSS, every cell as text (blanks as NA).

The platform that wrote it (``platforms``) says how many rows are headers and what each
column holds. No judgement about answers happens here: "N/A" and "None" stay text, whole
numbers lose a trailing ".0", row numbers are those of the file (the header is row 1), and a
file that is missing, empty, too large, not the one registered, or malformed gives one
``InputError``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveybrief.clean.csv_reader import read_csv_export
from surveybrief.exceptions import InputError
from surveybrief.inputs.digest import sha256_file
from surveybrief.inputs.wave import Wave
from surveybrief.platforms.base import Column, Head, Platform
from surveybrief.platforms.registry import detect_platform, platform_named


@dataclass(frozen=True)
class RawTable:
    """The export as read: text cells (NA for blanks), row numbers, what each column holds."""

    frame: pd.DataFrame
    rows: list[int]
    #: What each column holds, by header, as its platform writes it.
    columns: dict[str, Column]
    platform: Platform
    #: The CSV separator used (None for Excel and SPSS).
    delimiter: str | None = None
    #: The top of the file as the platforms were shown it.
    head: Head | None = None

    def filled(self, header: str) -> int:
        """Return how many cells of a column hold something other than blanks."""
        cells = self.frame[header].dropna().astype(str).str.strip()
        return int((cells != "").sum())


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


def _records_frame(records: list, width: int, *, is_text: bool, path: Path) -> pd.DataFrame:
    """Return records (lists of cells) as a frame of text cells; name a row of another width.

    A CSV row with fewer cells than the header is an error too (a file cut short, or another
    separator), never padded; a spreadsheet row ends at its last filled cell, so it is.
    """
    first_row = 2
    cells = []
    for offset, record in enumerate(records):
        if len(record) != width:
            record = list(record)
            extra = len(record) > width and any(_cell_text(v) is not pd.NA for v in record[width:])
            short = is_text and len(record) < width and any(v.strip() for v in record)
            if extra or short:
                raise InputError(
                    f"row has {len(record)} cells but the header has {width}",
                    file=path,
                    row=first_row + offset,
                    expected="one cell per header (check the separator, or whether the file "
                    "was cut short)",
                )
            record = (record + [""] * width)[:width]
        cells.append(record if is_text else [_cell_text(v) for v in record])
    if not cells:
        return pd.DataFrame(columns=range(width), dtype="string")
    return pd.DataFrame(cells, columns=range(width), dtype="string").replace("", pd.NA)


#: How many rows under the header the platforms see (header rows, and columns' contents).
HEAD_ROWS = 200


def _head(fmt: str, header: list[str], frame: pd.DataFrame, labels: dict[str, str]) -> Head:
    """Return the top of the export (its first row and up to 200 under it) for the platforms."""
    top = frame.head(HEAD_ROWS).astype(object)
    top = top.where(frame.head(HEAD_ROWS).notna(), None)
    rows = tuple(tuple(None if v is None else str(v) for v in r) for r in top.values.tolist())
    return Head(format=fmt, header=tuple(header), rows=rows, variable_labels=labels)


def _read_cells(path: Path, wave: Wave) -> tuple[list[str], pd.DataFrame, dict, str | None]:
    """Return the first row, every later row as text cells, SPSS labels and the CSV separator."""
    labels: dict[str, str] = {}
    delimiter = None
    if wave.export.format in ("csv", "tsv"):
        header, records, delimiter = read_csv_export(path, wave)
    elif wave.export.format == "xlsx":
        header, records = _read_xlsx(path, wave)
    else:
        header, records, labels = _read_sav(path)
    header = ["" if h is None else str(h).strip() for h in header]
    if isinstance(records, pd.DataFrame):  # parsed by Arrow or pandas: text or NA already
        frame = records.reset_index(drop=True)
        frame.columns = range(len(header))
    else:  # CSV cells are text already; Excel and SPSS cells need converting
        is_text = wave.export.format in ("csv", "tsv")
        frame = _records_frame(records, len(header), is_text=is_text, path=path)
    return header, frame, labels, delimiter


def _platform(head: Head, wave: Wave) -> Platform:
    """Return the platform wave.yaml names, or the one whose export this is."""
    if wave.export.platform != "auto":
        return platform_named(wave.export.platform, file=wave.path)
    return detect_platform(head, file=wave.export_path)


def _check_headers(columns: list[Column], path: Path) -> None:
    """Raise when two columns have the same header (or a header is blank), naming them."""
    headers = [c.header for c in columns]
    duplicated = sorted({h for h in headers if headers.count(h) > 1})
    if duplicated:
        raise InputError(
            "duplicate column headers"
            + (" (blank headers)" if "" in duplicated else "")
            + ": "
            + ", ".join(repr(h) for h in duplicated),
            file=path,
            expected="one header per column: rename the repeated ones in the export (or "
            "name the platform that wrote it with export.platform, if it repeats headers: "
            "its repeated headers are then numbered, 'Other', 'Other (2)'; a platform with "
            "several header rows needs export.header_rows)",
        )


def read_export(wave: Wave) -> RawTable:
    """Read the export of ``wave`` as text cells, its columns as its platform writes them."""
    path = _check_file(wave)
    header, frame, labels, delimiter = _read_cells(path, wave)
    head = _head(wave.export.format, header, frame, labels)
    platform = _platform(head, wave)
    header_rows = wave.export.header_rows or platform.header_rows(head)
    columns = platform.columns(head, header_rows)
    first_row = 1 + header_rows  # the header is row 1
    frame = frame.iloc[header_rows - 1 :].reset_index(drop=True)
    empty = [i for i, c in enumerate(columns) if not c.header and frame[i].isna().all()]
    if empty:  # a trailing separator on every line (legacy Qualtrics): nothing is lost
        frame = frame.drop(columns=empty)
        columns = [c for i, c in enumerate(columns) if i not in set(empty)]
    _check_headers(columns, path)
    frame.columns = [c.header for c in columns]
    # Skip rows that are wholly blank (trailing empty lines in spreadsheets).
    keep = frame.notna().any(axis=1).to_numpy() if len(frame) else []
    rows = [first_row + i for i, k in enumerate(keep) if k]
    frame = frame[keep].reset_index(drop=True) if len(frame) else frame
    return RawTable(
        frame=frame,
        rows=rows,
        columns={c.header: c for c in columns},
        platform=platform,
        delimiter=delimiter,
        head=head,
    )
