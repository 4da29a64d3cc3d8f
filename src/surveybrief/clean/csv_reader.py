"""Read a CSV export as text cells: encoding and separator as wave.yaml says (or detected).

UTF-8 files go to Arrow's CSV reader (parallel, straight into text columns); other encodings
are decoded and go there as UTF-8; a file whose rows do not all have the header's width falls
back to the csv module, so that the row at fault can be named.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from surveybrief.exceptions import InputError
from surveybrief.inputs.wave import Wave

#: How much of a file the separator is inferred from (bytes or characters).
SAMPLE = 1_000_000
#: Separators an export's fields may be divided by, tried when wave.yaml says "auto".
DELIMITERS = (",", ";", "\t", "|")


def _even_parse(sample: str, delimiter: str, is_whole: bool) -> int | None:
    """Return the number of fields when every record of ``sample`` has as many, else None.

    A record may run on with blank fields (spreadsheets pad rows); the last record of a sample
    cut from a longer file is not judged.
    """
    try:
        records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    except csv.Error:
        return None
    if not is_whole:
        records = records[:-1]
    records = [r for r in records if any(cell.strip() for cell in r)]
    if not records:
        return None
    width = len(records[0])
    even = all(len(r) == width or (len(r) > width and not any(r[width:])) for r in records)
    return width if even else None


def _sniff_header(first_line: str) -> str:
    """Return the separator found most often outside quotes in the header line (or ",")."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in first_line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def infer_delimiter(text: str, is_whole: bool, path: Path) -> str:
    """Return the separator that splits every record of ``text`` into the same number of fields.

    One separator giving two or more fields wins. When none does (a file of one column, or
    rows of uneven width, which the reader then names), the header line's decides. Two
    separators that both split every record evenly are an error, never a guess.
    """
    widths = {d: _even_parse(text, d, is_whole) for d in DELIMITERS}
    wide = {d: w for d, w in widths.items() if w is not None and w >= 2}
    if len(wide) == 1:
        return next(iter(wide))
    if not wide:  # one column, or rows of uneven width: the header decides, the reader checks
        return _sniff_header(text.split("\n", 1)[0])
    named = {",": "','", ";": "';'", "\t": "tab", "|": "'|'"}
    found = ", ".join(f"{named[d]} ({w} columns)" for d, w in wide.items())
    raise InputError(
        f"the separator is ambiguous: {found} each split every row evenly",
        file=path,
        column="export.delimiter",
        value="auto",
        expected='the separator named in wave.yaml (export.delimiter: "," or ";" or "\\t")',
    )


def _read_csv_fast(source: bytes, delimiter: str, head: str) -> pd.DataFrame | None:
    """Return every record (header included) as text cells, NA for blanks; None if irregular.

    UTF-8 bytes go to Arrow's CSV reader (parallel, and its text needs no conversion for
    pandas). A file whose rows do not all have the header's number of cells returns None:
    the csv module then names the row at fault. ``head`` is the text of the file's start,
    for the number of header cells.
    """
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


def _decode(data: bytes, wave: Wave, encoding: str) -> str:
    """Return the export's text, or say where it is not the encoding wave.yaml names."""
    named = wave.export.encoding or "utf-8"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError(
            f"file is not valid {named} text (byte offset {exc.start})",
            file=wave.export_path,
            column="export.encoding",
            expected=f"encoding {named}, as wave.yaml says"
            if wave.export.encoding
            else "UTF-8 text, or export.encoding in wave.yaml (e.g. cp1251, cp1252; "
            "init-wave --encoding)",
        ) from exc
    except LookupError as exc:
        raise InputError(
            "unknown encoding in wave.yaml",
            file=wave.path,
            column="export.encoding",
            value=wave.export.encoding,
        ) from exc


def read_csv_export(
    path: Path, wave: Wave
) -> tuple[list[str], list[list[str]] | pd.DataFrame, str]:
    """Return the header, the records, and the separator (wave.yaml's, or inferred).

    The records are a frame of text cells when Arrow or pandas parsed them.
    """
    data = path.read_bytes()
    has_utf16_mark = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    encoding = wave.export.encoding or ("utf-16" if has_utf16_mark else "utf-8")
    is_utf16 = encoding.lower().replace("-", "").startswith("utf16")
    if has_utf16_mark and not is_utf16:
        raise InputError(
            "file is UTF-16 text (it starts with a UTF-16 byte-order mark)",
            file=path,
            column="export.encoding",
            value=wave.export.encoding,
            expected="encoding: utf-16 in wave.yaml (or no encoding: the mark says it)",
        )
    if b"\x00" in data[:4096] and not is_utf16:
        raise InputError(
            "file is binary, not CSV text",
            file=path,
            expected=f"a CSV file in {encoding}",
        )
    utf8 = encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig")
    if utf8:
        encoding = "utf-8-sig"  # a byte-order mark is not part of the first header
        # Arrow checks the UTF-8 itself; the whole file is decoded here only if it fails.
        text = data[:SAMPLE].decode(encoding, errors="replace")
        is_whole = len(data) <= SAMPLE
    else:
        text = _decode(data, wave, encoding)
        is_whole = len(text) <= SAMPLE
    if wave.export.delimiter == "auto":
        delimiter = infer_delimiter(text[:SAMPLE], is_whole=is_whole, path=path)
    else:
        delimiter = wave.export.delimiter
    table = _read_csv_fast(data if utf8 else text.encode("utf-8"), delimiter, text)
    if table is not None and len(table):
        header = ["" if pd.isna(h) else str(h) for h in table.iloc[0]]
        return header, table.iloc[1:].reset_index(drop=True), delimiter
    if utf8:
        text = _decode(data, wave, encoding)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(f"cannot parse CSV: {exc}", file=path) from exc
    if not records:
        raise InputError("export file is empty", file=path, expected="a header row and responses")
    return records[0], records[1:], delimiter
