"""Writing an export's rows as a platform's file: CSV dialects, Excel workbooks, dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from surveybrief.writers import write_bytes_atomic

Row = list[object]


def write_csv(
    path: Path,
    rows: list[Row],
    *,
    delimiter: str = ",",
    quote_all: bool = False,
    line_end: str = "\r\n",
    bom: bool = False,
    encoding: str = "utf-8",
    bare_none: bool = False,
) -> Path:
    """Write ``rows`` as a platform writes its CSV (None as an empty field).

    ``bare_none`` writes None unquoted even when every other field is quoted (LimeSurvey's
    NULL beside its quoted ``""``).
    """
    buffer = io.StringIO()
    quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end, quoting=quoting)
    marker = "\x00NULL\x00"
    for row in rows:
        writer.writerow([_text(v) if v is not None else (marker if bare_none else "") for v in row])
    text = buffer.getvalue().replace(f'"{marker}"', "").replace(marker, "")
    payload = text.encode(encoding)
    if bom:
        payload = ("\ufeff".encode(encoding) if encoding != "utf-16" else b"") + payload
    write_bytes_atomic(path, payload)
    return path


def _text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def write_xlsx(path: Path, rows: list[Row], sheet: str = "Sheet1") -> Path:
    """Write ``rows`` to one sheet (datetimes as date cells, numbers as numbers)."""
    from openpyxl import Workbook

    book = Workbook()
    table = book.active
    table.title = sheet
    for row in rows:
        table.append([None if v is None else v for v in row])
    buffer = io.BytesIO()
    book.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())
    return path


def us_time(moment: dt.datetime, seconds: bool = True) -> str:
    """Return ``06/10/2026 10:12:33 AM`` (SurveyMonkey, Google Sheets in the US)."""
    return moment.strftime("%m/%d/%Y %I:%M:%S %p" if seconds else "%m/%d/%Y %I:%M %p")


def number_or_text(value: str | None) -> object:
    """Return a whole number as int (an Excel number cell), anything else unchanged."""
    if value is not None and value.lstrip("-").isdigit():
        return int(value)
    return value
