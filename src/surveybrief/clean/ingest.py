"""Bring a wave's export into the common format: one row per respondent, codebook columns, codes.

No judgement about answers happens here (that is ``validate``): the export is read as text
(CSV, Excel or SPSS, "N/A" and "None" stay text), its headers and answer labels are mapped to
codebook ids and option codes as ``wave.yaml`` says, and rows the wave excludes on purpose (test
submissions, empty or duplicate responses) are set aside with their reason. Mapping problems
(unmapped headers, unmapped answer labels, a mapping naming unknown ids) raise one
``InputError`` that lists all of them.
"""

from __future__ import annotations

import csv
import io
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from surveybrief.clean.privacy import Scrubber, is_pii_header, load_roster, pseudonyms
from surveybrief.clean.validate import QUARANTINE_COLUMNS
from surveybrief.config import NOT_REPORTED_CODE, ROW_COLUMN
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question, multi_column, other_text_column
from surveybrief.inputs.wave import Wave

TRUE_WORDS = {"1", "true", "yes", "selected", "checked", "x"}
FALSE_WORDS = {"0", "false", "no", "not selected", "unchecked"}
OTHER_PREFIX = re.compile(r"^\s*other\s*(\(please specify\))?\s*[:\-–]\s*", re.IGNORECASE)
MAX_LISTED = 20


def normalise(text: object) -> str:
    """Return text for matching: trimmed, inner spaces collapsed, case-folded, '2.0' as '2'."""
    value = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return re.sub(r"^(-?\d+)\.0+$", r"\1", value)


@dataclass
class RawTable:
    """The export as read: text cells (NA for blanks), row numbers, header labels if any."""

    frame: pd.DataFrame
    rows: list[int]
    header_labels: dict[str, str] = field(default_factory=dict)


# --- reading -------------------------------------------------------------------------------


def _cell_text(value: object) -> object:
    """Return an Excel or SPSS cell as text; whole numbers without '.0'; blanks as NA."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return pd.NA
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return pd.NA if text == "" else text


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


def _read_csv(path: Path, wave: Wave) -> tuple[list[str], list[list[str]] | pd.DataFrame]:
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


def read_export(wave: Wave) -> RawTable:
    """Read the export of ``wave`` as text cells, whatever its format."""
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
    if wave.export.sha256 is not None:
        from surveybrief.inputs.digest import sha256_file

        actual = sha256_file(path)
        if actual != wave.export.sha256:
            raise InputError(
                "export file differs from the one registered in wave.yaml (sha256 mismatch)",
                file=path,
                column="export.sha256",
                value=actual,
                expected=f"{wave.export.sha256} (raw data is immutable; if the new file is "
                "intended, register its sha256)",
            )
    header_labels: dict[str, str] = {}
    if wave.export.format == "csv":
        header, records = _read_csv(path, wave)
    elif wave.export.format == "xlsx":
        header, records = _read_xlsx(path, wave)
    else:
        header, records, header_labels = _read_sav(path)
    header = [str(h).strip() for h in header]
    skip = wave.export.header_rows - 1
    first_row = 2 + skip  # the header is row 1
    records = records[skip:]
    width = len(header)
    frame = None
    if isinstance(records, pd.DataFrame):  # parsed by pandas: regular rows, text or NA
        frame = records.reset_index(drop=True)
        frame.columns = header
        records = []
    is_text = wave.export.format == "csv"  # CSV cells are text already; others need converting
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
    if frame is None:
        frame = (
            pd.DataFrame(cells, columns=header, dtype="string").replace("", pd.NA)
            if cells
            else pd.DataFrame(columns=header, dtype="string")
        )
    # Skip rows that are wholly blank (trailing empty lines in spreadsheets).
    keep = frame.notna().any(axis=1).to_numpy() if len(frame) else []
    rows = [first_row + i for i, k in enumerate(keep) if k]
    frame = frame[keep].reset_index(drop=True) if len(frame) else frame
    duplicated = sorted({h for h in header if header.count(h) > 1})
    if duplicated:
        raise InputError("duplicate column headers", file=path, column=", ".join(duplicated))
    return RawTable(frame=frame, rows=rows, header_labels=header_labels)


# --- mapping -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """What an export column holds: a whole question, or one option of a multi-select."""

    question: Question
    option: str | None = None


def _parse_target(spec: str, codebook: Codebook) -> Target | None:
    qid, _, option = spec.replace("__", "/").partition("/")
    try:
        question = codebook.question(qid.strip())
    except KeyError:
        return None
    option = option.strip() or None
    if option is not None and (question.type != "multi" or option not in question.codes):
        return None
    return Target(question, option)


def plan_columns(raw: RawTable, wave: Wave, codebook: Codebook) -> dict[str, Target | None]:
    """Return, for every export header, its target (None: the id column or a dropped column).

    Raise one ``InputError`` listing every header that maps to nothing and every mapping entry
    that names an unknown question or option.
    """
    spec = wave.export
    by_column = {normalise(c): c for c in codebook.columns}
    by_wording = {}
    for q in codebook.questions:
        for text in q.wordings.values():
            by_wording[normalise(text)] = q
    bad_entries = [
        f"{h!r}: {t!r}"
        for h, t in wave.mapping.columns.items()
        if _parse_target(t, codebook) is None
    ]
    for qid, table in wave.mapping.labels.items():
        try:
            question = codebook.question(qid)
        except KeyError:
            bad_entries.append(f"labels of unknown question {qid!r}")
            continue
        bad_entries += [
            f"{qid}: {label!r} -> unknown option {code!r}"
            for label, code in table.items()
            if code not in question.codes
        ]
    if bad_entries:
        raise InputError(
            f"{len(bad_entries)} mapping entr{'y' if len(bad_entries) == 1 else 'ies'} name "
            "no codebook question or option: " + "; ".join(bad_entries[:MAX_LISTED]),
            file=wave.path,
            column="mapping",
            expected="<question> or <question>/<option>",
        )
    mapping = {normalise(h): t for h, t in wave.mapping.columns.items()}
    dropped = {normalise(h) for h in spec.drop_columns}
    pii = {normalise(h) for h in spec.pii_columns}
    plan: dict[str, Target | None] = {}
    unmapped = []
    for header in raw.frame.columns:
        key = normalise(header)
        if (
            spec.respondent_id is not None and key == normalise(spec.respondent_id)
        ) or key in dropped:
            plan[header] = None
        elif key in mapping:
            plan[header] = _parse_target(mapping[key], codebook)
        elif key in by_column:
            plan[header] = _parse_target(by_column[key], codebook)
        elif key in by_wording:
            plan[header] = Target(by_wording[key])
        elif normalise(raw.header_labels.get(header, "")) in by_wording:
            plan[header] = Target(by_wording[normalise(raw.header_labels[header])])
        elif key in pii or is_pii_header(header):
            plan[header] = None  # personal data: never read further
        else:
            unmapped.append(header)
    if spec.respondent_id is not None and normalise(spec.respondent_id) not in {
        normalise(h) for h in raw.frame.columns
    }:
        raise InputError(
            "no respondent id column",
            file=wave.export_path,
            column=spec.respondent_id,
            expected="the header named by export.respondent_id in wave.yaml (or null)",
        )
    if unmapped:
        raise InputError(
            f"{len(unmapped)} column(s) map to no codebook question: "
            + ", ".join(repr(h) for h in unmapped[:MAX_LISTED]),
            file=wave.export_path,
            expected="codebook ids or question wordings as headers, or entries under "
            "mapping.columns (or export.drop_columns) in wave.yaml",
        )
    targets = [t for t in plan.values() if t is not None]
    seen: dict[tuple, int] = {}
    for t in targets:
        seen[(t.question.id, t.option)] = seen.get((t.question.id, t.option), 0) + 1
    twice = sorted(f"{q}/{o}" if o else q for (q, o), n in seen.items() if n > 1)
    if twice:
        raise InputError(
            "several export columns map to the same question or option",
            file=wave.export_path,
            column=", ".join(twice),
        )
    return plan


def label_lookup(question: Question, wave: Wave) -> dict[str, str]:
    """Return normalised answer text -> option code: codes, labels in every language, mapping."""
    lookup = {}
    for option in question.options:
        lookup[normalise(option.code)] = option.code
        for label in option.labels.values():
            lookup[normalise(label)] = option.code
    for label, code in wave.mapping.labels.get(question.id, {}).items():
        lookup[normalise(label)] = code
    if question.type in ("single", "profile"):
        lookup[NOT_REPORTED_CODE] = NOT_REPORTED_CODE  # reconstructed waves only
    return lookup


def split_labels(cell: str, lookup: dict[str, str], separator: str) -> list[str]:
    """Split a multi-select cell into its labels; labels that contain the separator stay whole.

    At each position the longest known label followed by the separator (or the end) wins;
    otherwise the text up to the next separator is one (unknown) piece.
    """
    pieces, position, text = [], 0, cell.strip()
    sep = separator.strip() or separator
    known = sorted({k for k in lookup}, key=len, reverse=True)
    while position < len(text):
        rest = text[position:]
        match = next(
            (
                k
                for k in known
                if normalise(rest[: len(k)]) == k
                and (len(rest) == len(k) or rest[len(k) :].lstrip().startswith(sep))
            ),
            None,
        )
        if match is not None:
            piece, consumed = rest[: len(match)], len(match)
        else:
            cut = rest.find(sep)
            piece, consumed = (rest, len(rest)) if cut < 0 else (rest[:cut], cut)
        pieces.append(piece.strip())
        position += consumed
        rest = text[position:]
        stripped = rest.lstrip()
        if stripped.startswith(sep):
            position += len(rest) - len(stripped) + len(sep)
        while position < len(text) and text[position] == " ":
            position += 1
    return [p for p in pieces if p]


@dataclass
class _Unmapped:
    """Answer texts no option maps to, by question and header, with the rows they are on."""

    found: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, header: str, value: str, row: int) -> None:
        self.found.setdefault((header, value), []).append(row)

    def raise_if_any(self, wave: Wave) -> None:
        if not self.found:
            return
        listed = [
            f"{header!r}: {value!r} (row{'s' if len(rows) > 1 else ''} "
            f"{', '.join(map(str, rows[:5]))}{', ...' if len(rows) > 5 else ''})"
            for (header, value), rows in list(self.found.items())[:MAX_LISTED]
        ]
        more = len(self.found) - len(listed)
        raise InputError(
            f"{len(self.found)} answer label(s) map to no codebook option: "
            + "; ".join(listed)
            + (f"; and {more} more" if more > 0 else ""),
            file=wave.export_path,
            expected="option labels or codes of the codebook, or entries under mapping.labels "
            "in wave.yaml",
        )


def _is_other_text(piece: str) -> bool:
    return bool(OTHER_PREFIX.match(piece))


def _option_value(value: str, code: str, lookup: dict[str, str]) -> str:
    """Return '1' or '0' for a cell of a one-column-per-option export, else the raw text."""
    key = normalise(value)
    if key in TRUE_WORDS or lookup.get(key) == code:
        return "1"
    if key in FALSE_WORDS:
        return "0"
    return value  # validate sets it aside


class _Distinct:
    """A column's distinct answers, found once; results are mapped per distinct answer.

    The cost grows with the number of distinct answers, not of respondents.
    """

    def __init__(self, values: pd.Series):
        self.codes, uniques = pd.factorize(values)  # NA -> -1
        self.values = [str(u) for u in uniques]

    def map(self, mapping: dict[str, str]) -> pd.Series:
        """Return each cell's ``mapping`` value as text (NA where a cell or a value is missing)."""
        table = pd.array([mapping.get(v) for v in self.values] + [None], dtype="string")
        return pd.Series(table.take(self.codes))  # -1 takes the last entry: NA


def _convert(
    raw: RawTable, plan: dict[str, Target | None], wave: Wave, codebook: Codebook
) -> pd.DataFrame:
    """Return the common-format frame (codes as text) from the raw cells.

    Each distinct answer text is interpreted once and the result mapped onto the column, so the
    cost grows with the number of distinct answers, not of respondents.
    """
    n = len(raw.frame)
    missing = pd.Series(pd.array([pd.NA] * n, dtype="string"))
    out: dict[str, pd.Series] = {c: missing for c in codebook.columns}
    unmapped = _Unmapped()
    rows = np.asarray(raw.rows)
    option_shaped: set[str] = set()

    def note_unmapped(header: str, values: pd.Series, value: str, shown: str) -> None:
        for row in rows[(values == value).fillna(False).to_numpy()]:
            unmapped.add(header, shown, int(row))

    columns = {h: raw.frame[h].reset_index(drop=True) for h, t in plan.items() if t is not None}
    coded = [  # every column but open text: its distinct answers, found in parallel
        h for h, t in plan.items() if t is not None and (t.question.type != "text" or t.option)
    ]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # Arrow frees the GIL
        found = pool.map(lambda h: _Distinct(columns[h]), coded)
        distincts = dict(zip(coded, found, strict=True))
    pending: dict[str, tuple[_Distinct, dict]] = {}  # column -> (distinct answers, mapping)
    for header, target in plan.items():
        if target is None:
            continue
        q = target.question
        lookup = label_lookup(q, wave)
        values = columns[header]
        distinct = distincts.get(header)
        uniques = distinct.values if distinct is not None else []
        if target.option is not None:  # one column per option
            option_shaped.add(q.id)
            mapping = {v: _option_value(v, target.option, lookup) for v in uniques}
            pending[multi_column(q.id, target.option)] = (distinct, mapping)
        elif q.type == "text":
            out[q.id] = values  # verbatim: open answers are never altered here
        elif q.type == "multi":
            chosen_of, other_of = {}, {}
            for value in uniques:
                chosen, texts = set(), []
                for piece in split_labels(value, lookup, wave.export.multi_separator):
                    code = lookup.get(normalise(piece))
                    # Google Forms writes "Other" answers as free text among the labels.
                    if code is None and q.other_option is not None:
                        code = q.other_option.code
                        texts.append(OTHER_PREFIX.sub("", piece))
                    if code is None:
                        note_unmapped(header, values, value, piece)
                        continue
                    chosen.add(code)
                chosen_of[value] = chosen
                if texts:
                    other_of[value] = "; ".join(texts)
            for code in q.codes:
                flags = {v: "1" if code in c else "0" for v, c in chosen_of.items()}
                pending[multi_column(q.id, code)] = (distinct, flags)
            if q.other_option is not None:
                pending[other_text_column(q.id)] = (distinct, other_of)
        else:  # single, profile, rating
            codes, others = {}, {}
            for value in uniques:
                code = lookup.get(normalise(value))
                if code is None and q.other_option is not None and _is_other_text(value):
                    code = q.other_option.code
                    others[value] = OTHER_PREFIX.sub("", value)
                if code is not None:
                    codes[value] = code
                elif q.type == "rating" and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
                    codes[value] = value.strip()  # a number off the scale: validate sets it aside
                else:
                    note_unmapped(header, values, value, value)
            pending[q.id] = (distinct, codes)
            if others:
                pending[other_text_column(q.id)] = (distinct, others)
    unmapped.raise_if_any(wave)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        mapped = pool.map(lambda job: job[0].map(job[1]), pending.values())
        out.update(zip(pending, mapped, strict=True))
    frame = pd.DataFrame(out)
    if wave.export.blank_means_not_selected:
        for qid in option_shaped:
            q = codebook.question(qid)
            block = frame[q.option_columns]
            answered = block.notna().any(axis=1)
            for column in q.option_columns:
                frame.loc[answered & frame[column].isna(), column] = "0"
    return frame


# --- rows set aside on purpose ---------------------------------------------------------------


def _set_aside(frame: pd.DataFrame, mask, reason_of, column: str = "") -> list[dict]:
    return [
        {
            "row": int(frame.at[i, ROW_COLUMN]),
            "respondent_id": frame.at[i, "respondent_id"],
            "column": column,
            "value": None,
            "reason": reason_of(i),
        }
        for i in frame.index[mask]
    ]


@dataclass(frozen=True)
class Ingested:
    """The common-format wave and the rows left out on purpose, with their reasons."""

    frame: pd.DataFrame
    excluded: pd.DataFrame


def ingest(wave: Wave, codebook: Codebook) -> Ingested:
    """Read, map and filter a wave's export into the common format (all text, codes)."""
    raw = read_export(wave)
    plan = plan_columns(raw, wave, codebook)
    frame = _convert(raw, plan, wave, codebook)
    if wave.export.respondent_id is None:
        ids = pd.array([f"row-{r}" for r in raw.rows], dtype="string")
    else:
        header = next(
            h for h in raw.frame.columns if normalise(h) == normalise(wave.export.respondent_id)
        )
        ids = raw.frame[header].str.strip()
    salt = wave.export.pseudonym_salt or wave.id
    ids = pd.array(
        pseudonyms(salt, pd.Series(ids).astype("string").to_numpy(dtype=object, na_value=None)),
        dtype="string",
    )
    frame.insert(0, "respondent_id", ids)
    frame.insert(0, ROW_COLUMN, raw.rows)
    roster = load_roster(wave.raw_dir / wave.export.roster) if wave.export.roster else []
    scrub = Scrubber(roster)
    for q in codebook.questions:
        text_columns = [q.id] if q.type == "text" else []
        if q.other_option is not None:
            text_columns.append(other_text_column(q.id))
        for column in text_columns:
            texts = frame[column]
            scrubbed = {text: scrub(text) for text in texts.dropna().unique()}
            frame[column] = texts.map(scrubbed).astype("string")
    excluded: list[dict] = []
    keep = pd.Series(True, index=frame.index)
    for rule in wave.export.exclude_rows:
        header = next(
            (h for h in raw.frame.columns if normalise(h) == normalise(rule.column)), None
        )
        if header is None:
            raise InputError(
                "exclude_rows names a column the export lacks",
                file=wave.path,
                column=rule.column,
                expected=", ".join(raw.frame.columns[:10]),
            )
        wanted = {normalise(v) for v in rule.values}
        hit = raw.frame[header].map(lambda v, w=wanted: not pd.isna(v) and normalise(v) in w)
        mask = keep & hit.to_numpy()
        excluded += _set_aside(
            frame, mask, lambda _i, r=rule: f"{r.reason} ({r.column})", rule.column
        )
        keep &= ~mask
    answers = frame[codebook.columns].notna().any(axis=1)
    mask = keep & ~answers
    excluded += _set_aside(frame, mask, lambda _i: "no answers (empty or abandoned response)")
    keep &= answers
    ids = frame["respondent_id"]
    dupes = (
        keep
        & ids.notna()
        & ids.where(keep).duplicated(
            keep="last" if wave.export.duplicates == "keep_last" else "first"
        )
    )
    kept_row: dict = {}
    if dupes.any():  # which row was kept, for each duplicated id only
        kept = frame[keep & ~dupes & ids.isin(set(ids[dupes]))]
        kept_row = dict(zip(kept["respondent_id"], kept[ROW_COLUMN], strict=True))
    excluded += _set_aside(
        frame,
        dupes,
        lambda i: (
            f"duplicate respondent_id (kept row {kept_row.get(ids[i])}, "
            f"{wave.export.duplicates.replace('_', ' ')})"
        ),
        "respondent_id",
    )
    keep &= ~dupes
    excluded_frame = pd.DataFrame(excluded, columns=QUARANTINE_COLUMNS)
    return Ingested(frame=frame[keep].reset_index(drop=True), excluded=excluded_frame)
