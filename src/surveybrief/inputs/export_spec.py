"""The ``export`` and ``mapping`` parts of a wave.yaml: the export's file, shape and mapping.

Where the export is, how to read it, which rows to leave out, and how its headers and answer
labels map to the codebook (see the README, "Adding a wave").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.exceptions import InputError
from surveybrief.inputs.yamlio import check_keys, require

#: Export formats; a TSV is read as a CSV (its separator a tab, as inferred).
EXPORT_FORMATS = ("csv", "tsv", "xlsx", "sav")
DUPLICATE_POLICIES = ("keep_first", "keep_last")
EXPORT_KEYS = frozenset(
    [
        "file",
        "platform",
        "format",
        "encoding",
        "delimiter",
        "sheet",
        "header_rows",
        "respondent_id",
        "drop_columns",
        "exclude_rows",
        "duplicates",
        "multi_separator",
        "blank_means_not_selected",
        "missing_codes",
        "pii_columns",
        "roster",
        "pseudonym_salt",
        "sha256",
        "max_megabytes",
    ]
)
EXCLUDE_KEYS = frozenset({"column", "values", "reason"})
MAPPING_KEYS = frozenset({"columns", "labels"})


@dataclass(frozen=True)
class RowFilter:
    """Rows to leave out on purpose (test submissions, previews): a column and its values."""

    column: str
    values: tuple[str, ...]
    reason: str = "excluded by wave.yaml"


@dataclass(frozen=True)
class ExportSpec:
    """Where the export file is and its shape (see the README, "Adding a wave")."""

    file: str
    #: The platform that wrote the export ("auto": recognised from its columns).
    platform: str = "auto"
    format: str = "csv"
    #: Text encoding of a CSV (None: UTF-8, or UTF-16 when the file starts with its mark).
    encoding: str | None = None
    #: CSV field separator; "auto" picks among , ; and tab from the header line.
    delimiter: str = "auto"
    #: Excel sheet name (default: the first sheet).
    sheet: str | None = None
    #: Header rows: the first holds the column names, the others are skipped (Qualtrics: 3).
    #: None: 3 when the file's third row holds Qualtrics' ImportId cells, else 1.
    header_rows: int | None = None
    #: Header of the respondent id column; None numbers the rows; "auto" takes respondent_id or
    #: the platform's own id column when there is one (else numbers the rows).
    respondent_id: str | None = "auto"
    drop_columns: tuple[str, ...] = ()
    exclude_rows: tuple[RowFilter, ...] = ()
    duplicates: str = "keep_first"
    #: Separator of several labels in one cell (None: the platform's own, e.g. Microsoft
    #: Forms ";"). Another separator is taken only where it alone fits every cell (reported).
    multi_separator: str | None = None
    #: One-column-per-option exports where a blank cell means "not selected" (Qualtrics).
    #: None: decided per question, true where its option columns hold no explicit "not
    #: selected" value (platforms that write the choice when ticked and nothing otherwise).
    blank_means_not_selected: bool | None = None
    #: Values that mean "no answer" and what they mean, e.g. {"-99": "seen, not answered",
    #: "-77": "not shown"}: such a cell is blank (the respondent is out of the question's base)
    #: and counted in the clean report. None: the platform's own (Qualtrics: -99, its code for
    #: "seen but unanswered"); {} turns them off.
    missing_codes: dict[str, str] | None = None
    #: Further columns holding personal data, dropped at ingest (names, e-mail, phone are
    #: recognised by their headers anyway).
    pii_columns: tuple[str, ...] = ()
    #: Optional CSV (a 'name' column, optionally 'email') of the wave's respondents, whose
    #: names are scrubbed from open-ended answers.
    roster: str | None = None
    #: Salt of the respondent pseudonyms (default: the wave id).
    pseudonym_salt: str | None = None
    #: sha256 of the export as received; a file that no longer matches stops the run.
    sha256: str | None = None
    #: Largest export accepted, in MB (a larger file is refused before it is read).
    max_megabytes: float = 100.0


@dataclass(frozen=True)
class Mapping:
    """How the export's headers and answer labels map to codebook ids and option codes."""

    #: header in the export -> "<question>" or "<question>/<option>"
    columns: dict[str, str] = field(default_factory=dict)
    #: question id -> {answer text in the export -> option code}
    labels: dict[str, dict[str, str]] = field(default_factory=dict)


def _inside(folder: Path, name: str, *, file: Path, key: str) -> str:
    """Return ``name`` if it is a file inside ``folder``: no '..', no absolute path, no link out."""
    candidate = Path(name)
    target = (folder / candidate).resolve()
    if (
        candidate.is_absolute()
        or ".." in candidate.parts
        or not target.is_relative_to(folder.resolve())
    ):
        raise InputError(
            "path leaves the wave's folder",
            file=file,
            column=key,
            value=name,
            expected="a file name inside data/raw/<wave>/",
        )
    return name


def one_of(value: object, allowed: tuple[str, ...], *, file: Path, column: str) -> str:
    """Return ``value`` as text if it is one of ``allowed``; otherwise raise naming the key."""
    text = str(value)
    if text not in allowed:
        raise InputError(
            f"unknown {column} in wave.yaml",
            file=file,
            column=column,
            value=text,
            expected=" | ".join(allowed),
        )
    return text


def _row_filters(export: dict, path: Path) -> tuple[RowFilter, ...]:
    """Return the checked ``export.exclude_rows`` entries (rows to leave out on purpose)."""
    filters = []
    for i, raw in enumerate(export.get("exclude_rows") or [], 1):
        where = f"export.exclude_rows[{i}]"
        if isinstance(raw, dict):
            check_keys(raw, EXCLUDE_KEYS, file=path, where=where)
        column = require(raw, "column", file=path, where=where)
        values = require(raw, "values", file=path, where=where, kind=list)
        reason = str(raw.get("reason", "excluded by wave.yaml"))
        filters.append(RowFilter(str(column), tuple(str(v) for v in values), reason))
    return tuple(filters)


def parse_export_spec(export: dict, fmt: str, path: Path) -> ExportSpec:
    """Return the checked ``export`` entry of a wave.yaml."""
    check_keys(export, EXPORT_KEYS, file=path, where="export")
    duplicates = one_of(
        export.get("duplicates", "keep_first"),
        DUPLICATE_POLICIES,
        file=path,
        column="export.duplicates",
    )
    header_rows = export.get("header_rows")
    if header_rows is not None and (not isinstance(header_rows, int) or header_rows < 1):
        raise InputError(
            "header_rows must be a whole number >= 1",
            file=path,
            column="export.header_rows",
            value=header_rows,
        )
    respondent_id = export.get("respondent_id", "auto")
    folder = path.parent
    roster = export.get("roster")
    return ExportSpec(
        platform=str(export.get("platform", "auto")),
        file=_inside(
            folder,
            str(require(export, "file", file=path, where="export")),
            file=path,
            key="export.file",
        ),
        format=fmt,
        encoding=None if export.get("encoding") is None else str(export["encoding"]),
        delimiter=str(export.get("delimiter", "auto")),
        sheet=None if export.get("sheet") is None else str(export["sheet"]),
        header_rows=header_rows,
        respondent_id=None if respondent_id is None else str(respondent_id),
        drop_columns=tuple(str(c) for c in export.get("drop_columns") or ()),
        exclude_rows=_row_filters(export, path),
        duplicates=duplicates,
        multi_separator=None
        if export.get("multi_separator") is None
        else str(export["multi_separator"]),
        blank_means_not_selected=None
        if export.get("blank_means_not_selected") is None
        else bool(export["blank_means_not_selected"]),
        missing_codes=_missing_codes(export, path),
        pii_columns=tuple(str(c) for c in export.get("pii_columns") or ()),
        roster=None
        if roster is None
        else _inside(folder, str(roster), file=path, key="export.roster"),
        pseudonym_salt=None
        if export.get("pseudonym_salt") is None
        else str(export["pseudonym_salt"]),
        sha256=None if export.get("sha256") is None else str(export["sha256"]).lower(),
        max_megabytes=float(export.get("max_megabytes", 100.0)),
    )


def _missing_codes(export: dict, path: Path) -> dict[str, str] | None:
    """Return wave.yaml's missing codes (value -> meaning), checked; None when not given."""
    codes = export.get("missing_codes")
    if codes is None:
        return None
    if not isinstance(codes, dict) or not all(str(v).strip() for v in codes.values()):
        raise InputError(
            "missing_codes must map each value to what it means",
            file=path,
            column="export.missing_codes",
            value=codes,
            expected='e.g. {"-99": "seen, not answered", "-77": "not shown"}',
        )
    return {str(k).strip(): str(v).strip() for k, v in codes.items()}


def parse_mapping(raw: dict, path: Path) -> Mapping:
    """Return the checked ``mapping`` entry of a wave.yaml."""
    if not isinstance(raw, dict):
        raise InputError("mapping must be a mapping", file=path, column="mapping")
    check_keys(raw, MAPPING_KEYS, file=path, where="mapping")
    columns = raw.get("columns") or {}
    labels = raw.get("labels") or {}
    if not isinstance(columns, dict) or not isinstance(labels, dict):
        raise InputError("mapping.columns and mapping.labels must be mappings", file=path)
    for qid, table in labels.items():
        if not isinstance(table, dict):
            raise InputError(
                "mapping.labels entries must map answer text to codes",
                file=path,
                column=f"mapping.labels.{qid}",
            )
    return Mapping(
        columns={str(k): str(v) for k, v in columns.items()},
        labels={str(q): {str(k): str(v) for k, v in t.items()} for q, t in labels.items()},
    )
