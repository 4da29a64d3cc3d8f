"""Validate the common-format wave against the codebook, with a pandera schema built from it.

All failures of a file are collected at once (lazy validation). Each failing row is reported with
its line in the export file, its column, the offending value and what was expected; open-ended
answers are never echoed. Rows with any failure are set aside, not dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from surveybrief.config import NOT_REPORTED_CODE, ROW_COLUMN
from surveybrief.inputs.codebook import Codebook, Question, multi_column

QUARANTINE_COLUMNS = ["row", "respondent_id", "column", "value", "reason"]


@dataclass(frozen=True)
class ValidationResult:
    """Valid rows, and the rows set aside with one reason per failure."""

    valid: pd.DataFrame
    quarantine: pd.DataFrame

    @property
    def n_invalid_rows(self) -> int:
        """Return how many rows were set aside."""
        return int(self.quarantine["row"].nunique()) if len(self.quarantine) else 0


def allowed_values(codebook: Codebook) -> dict[str, list[str]]:
    """Return, per checked column, the texts a valid export may hold there."""
    allowed: dict[str, list[str]] = {}
    for q in codebook.questions:
        own = q.kind.allowed_cells(q)
        if own is not None:  # a type's own cells (a ranking's ranks)
            allowed.update(own)
        elif q.kind.several:
            for column in q.option_columns:
                allowed[column] = ["0", "1"]
        elif q.kind.one_of_nominal:
            allowed[q.id] = [*q.codes, NOT_REPORTED_CODE]
        elif q.kind.ordered:
            allowed[q.id] = q.codes
    return allowed


def build_schema(codebook: Codebook) -> pa.DataFrameSchema:
    """Return the pandera schema of the common-format wave (text values, codebook codes)."""
    columns = {
        ROW_COLUMN: pa.Column(int),
        "respondent_id": pa.Column("string", pa.Check.str_length(min_value=1), nullable=False),
    }
    allowed = allowed_values(codebook)
    for q in codebook.questions:
        for column in q.columns:
            checks = [pa.Check.isin(allowed[column])] if column in allowed else []
            columns[column] = pa.Column("string", checks, nullable=True)
    return pa.DataFrameSchema(columns, strict=True, ordered=True)


def _expected(column: str, allowed: dict[str, list[str]]) -> str:
    values = allowed.get(column)
    if values is None:
        return "a non-empty value"
    return "one of " + ", ".join(values) + " or blank"


def none_conflicts(frame: pd.DataFrame, codebook: Codebook) -> list[dict]:
    """Return the rows that ticked "None of these" and another option of the same question."""
    problems = []
    for q in codebook.questions:
        none = q.none_option
        if not q.kind.several or none is None:
            continue
        column = multi_column(q.id, none.code)
        others = [c for c in q.option_columns if c != column]
        clash = (frame[column] == "1").fillna(False) & (frame[others] == "1").any(axis=1)
        for i in frame.index[clash.to_numpy(dtype=bool)]:
            ticked = [
                o.code
                for o, c in zip(q.options, q.option_columns, strict=True)
                if c != column and frame.at[i, c] == "1"
            ]
            problems.append(
                {
                    "row": int(frame.at[i, ROW_COLUMN]),
                    "respondent_id": frame.at[i, "respondent_id"],
                    "column": column,
                    "value": "1",
                    "reason": f"ticked “{none.label()}” and other options ({', '.join(ticked)})",
                }
            )
    return problems


def _reported_by_type(problem: dict, owners: dict[str, Question]) -> bool:
    """Whether a cell the schema refuses is one its question's type reports with the answer."""
    owner = owners.get(problem["column"])
    return owner is not None and owner.kind.reports_itself(
        owner, problem["column"], problem["value"]
    )


def validate_wave(frame: pd.DataFrame, codebook: Codebook) -> ValidationResult:
    """Split ``frame`` into valid rows and quarantined failures (row, column, value, reason)."""
    allowed = allowed_values(codebook)
    text_columns = {q.id for q in codebook.questions if q.kind.open_text}
    problems: list[dict] = []
    try:
        build_schema(codebook).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        for case in cases.itertuples(index=False):
            if pd.isna(case.index):
                raise  # a frame-level defect (wrong columns): ingest should have caught it
            row = frame.loc[int(case.index)]
            column = str(case.column)
            value = None if column in text_columns else case.failure_case
            problems.append(
                {
                    "row": int(row[ROW_COLUMN]),
                    "respondent_id": None
                    if pd.isna(row["respondent_id"])
                    else row["respondent_id"],
                    "column": column,
                    "value": None if value is None or pd.isna(value) else str(value),
                    "reason": f"expected {_expected(column, allowed)}",
                }
            )
    owners = {column: q for q in codebook.questions for column in q.columns}
    problems = [p for p in problems if not _reported_by_type(p, owners)]
    problems += none_conflicts(frame, codebook)
    problems += [p for q in codebook.questions for p in q.kind.row_problems(frame, q)]
    quarantine = pd.DataFrame(problems, columns=QUARANTINE_COLUMNS)
    quarantine = quarantine.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    bad_rows = set(quarantine["row"])
    valid = frame[~frame[ROW_COLUMN].isin(bad_rows)].reset_index(drop=True)
    return ValidationResult(valid=valid, quarantine=quarantine)
