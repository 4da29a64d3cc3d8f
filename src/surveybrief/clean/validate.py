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
from surveybrief.inputs.codebook import MULTI_SEP, Codebook, multi_column
from surveybrief.inputs.question_types.ranking import rank_problem

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
        if q.kind.several:
            for column in q.option_columns:
                allowed[column] = ["0", "1"]
        elif q.kind.ranked:
            for column in q.option_columns:
                allowed[column] = [str(r) for r in range(q.positions + 1)]
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


def ranking_problems(frame: pd.DataFrame, codebook: Codebook) -> list[dict]:
    """Return the rows whose ranks are no ranking (a rank twice, a place skipped, none given).

    Cells that are not ranks at all (an option placed twice: "1 and 2") are reported here
    too, with the places; other non-ranks by the schema.
    """
    problems = []
    for q in (q for q in codebook.questions if q.kind.ranked):
        block = frame[q.option_columns]
        for i in block.index[block.notna().any(axis=1).to_numpy(dtype=bool)]:
            cells = [str(v) for v in block.loc[i] if not pd.isna(v)]
            placed = [c for c in cells if " and " in c]
            ranks = [int(c) for c in cells if c.isdigit()]
            if len(ranks) < len(cells) and not placed:
                continue  # another non-rank: the schema reports it
            reason = (
                f"one option placed at ranks {placed[0]}"
                if placed
                else rank_problem(ranks, q.positions)
            )
            if reason:
                problems.append(
                    {
                        "row": int(frame.at[i, ROW_COLUMN]),
                        "respondent_id": frame.at[i, "respondent_id"],
                        "column": q.id,
                        "value": ", ".join(
                            f"{c.rpartition(MULTI_SEP)[2]}={v}"
                            for c, v in block.loc[i].items()
                            if not pd.isna(v) and v != "0"
                        ),
                        "reason": f"not a ranking: {reason}",
                    }
                )
    return problems


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
    placed_twice = {  # an option placed twice ("1 and 2"): the ranking's problem says so
        c for q in codebook.questions if q.kind.ranked for c in q.option_columns
    }
    problems = [
        p for p in problems if not (p["column"] in placed_twice and " and " in (p["value"] or ""))
    ]
    problems += none_conflicts(frame, codebook) + ranking_problems(frame, codebook)
    quarantine = pd.DataFrame(problems, columns=QUARANTINE_COLUMNS)
    quarantine = quarantine.sort_values(["row", "column"], kind="stable").reset_index(drop=True)
    bad_rows = set(quarantine["row"])
    valid = frame[~frame[ROW_COLUMN].isin(bad_rows)].reset_index(drop=True)
    return ValidationResult(valid=valid, quarantine=quarantine)
