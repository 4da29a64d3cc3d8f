"""Read a CSV export as text cells: encoding and separator as wave.yaml says (or detected).

UTF-8 files go to Arrow's CSV reader (parallel, straight into text columns); other encodings,
decoded, to pandas' C parser; a file whose rows do not all have the header's width falls back to
the csv module, so that the row at fault can be named.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from surveybrief.exceptions import InputError
from surveybrief.inputs.wave import Wave


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: 0 for d in (",", ";", "\t")}
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_fast(source: bytes | str, delimiter: str, head: str) -> pd.DataFrame | None:
    """Return every record (header included) as text cells, NA for blanks; None if irregular.

    UTF-8 bytes go to Arrow's CSV reader (parallel, and its text needs no conversion for
    pandas); other encodings, already decoded, to pandas' C parser. A file whose rows do not all
    have the header's number of cells returns None: the csv module then names the row at fault.
    ``head`` is the text of the file's start, for the number of header cells.
    """
    if isinstance(source, bytes):
        import pyarrow as pa
        import pyarrow.csv as pa_csv

        try:
            width = len(next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)))
        except (StopIteration, csv.Error):
            return None
        try:
            table = pa_csv.read_csv(
                io.BytesIO(source),
                read_options=pa_csv.ReadOptions(autogenerate_column_names=True),
                parse_options=pa_csv.ParseOptions(
                    delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
                ),
                convert_options=pa_csv.ConvertOptions(
                    column_types={f"f{i}": pa.large_string() for i in range(width)},
                    null_values=[""],
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except pa.ArrowInvalid:
            return None
        if table.num_columns != width or any(t != pa.large_string() for t in table.schema.types):
            return None
        frame = table.to_pandas(types_mapper={pa.large_string(): pd.StringDtype()}.get)
        frame.columns = range(width)
        return frame
    try:
        return pd.read_csv(
            io.StringIO(source, newline=""),
            sep=delimiter,
            header=None,
            dtype="string",
            na_values=[""],
            keep_default_na=False,
            skip_blank_lines=False,
            engine="c",
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError):
        return None


def _decode(data: bytes, wave: Wave, encoding: str) -> str:
    """Return the export's text, or say where it is not the encoding wave.yaml names."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"file is not valid {wave.export.encoding} text (byte offset {exc.start})",
            file=wave.export_path,
            expected=f"encoding {wave.export.encoding}, as wave.yaml says",
        ) from exc
    except LookupError as exc:
        raise InputError(
            "unknown encoding in wave.yaml",
            file=wave.path,
            column="export.encoding",
            value=wave.export.encoding,
        ) from exc


def read_csv_export(path: Path, wave: Wave) -> tuple[list[str], list[list[str]] | pd.DataFrame]:
    """Return the header and the records (a frame of text cells when pandas could parse it)."""
    data = path.read_bytes()
    is_utf16 = wave.export.encoding.lower().replace("-", "").startswith("utf16")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") and not is_utf16:
        raise InputError(
            "file is UTF-16 text (it starts with a UTF-16 byte-order mark)",
            file=path,
            column="export.encoding",
            value=wave.export.encoding,
            expected="encoding: utf-16 in wave.yaml",
        )
    if b"\x00" in data[:4096] and not is_utf16:
        raise InputError(
            "file is binary, not CSV text",
            file=path,
            expected=f"a CSV file in {wave.export.encoding}",
        )
    encoding = wave.export.encoding
    utf8 = encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")
    if utf8:
        encoding = "utf-8-sig"  # a byte-order mark is not part of the first header
        # Arrow checks the UTF-8 itself; the whole file is decoded here only if it fails.
        text = data[:1_000_000].decode(encoding, errors="replace")
    else:
        text = _decode(data, wave, encoding)
    first_line = text.split("\n", 1)[0]
    delimiter = (
        _sniff_delimiter(first_line) if wave.export.delimiter == "auto" else wave.export.delimiter
    )
    table = _read_csv_fast(data if utf8 else text, delimiter, text)
    if table is not None and len(table):
        header = ["" if pd.isna(h) else str(h) for h in table.iloc[0]]
        return header, table.iloc[1:].reset_index(drop=True)
    if utf8:
        text = _decode(data, wave, encoding)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"cannot parse CSV: {exc}", file=path) from exc
    if not records:
        raise InputError("export file is empty", file=path, expected="a header row and responses")
    return records[0], records[1:]
