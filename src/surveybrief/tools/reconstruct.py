"""Rebuild respondent-level data from published percentages (a reconstruction, not microdata).

The 2025-06 wave exists only as percentages in a press article. This module turns them into one
row per respondent so that the pipeline can run on it, and is explicit about every choice:

* Respondents: ``n_stated`` rows (the stated sample), ids R001, R002, ...
* Base per question: the largest base not above ``n_stated`` at which every published figure of
  the question is attainable as a whole count at its printed precision (jointly: single-choice
  counts add up to at most the base, exactly the base when the figures sum to 100%). Where no
  such base exists, the stated sample is used and the nearest whole counts stand in; the audit
  then reports those figures as unattainable.
* Who answered: the respondents first in one fixed hash order (so bases are nested, as when
  later questions lose respondents). Who chose what: a per-question hash order. Hence relations
  *between* questions in the reconstruction carry no information.
* Single-choice answers the source does not report are coded ``not_reported`` (answered, content
  unknown); options named without figures and questions without figures stay missing.

Everything is a pure function of the codebook, the published figures and a seed: regenerating
gives identical bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveybrief.analysis.granularity import is_exhaustive, joint_counts, nearest_counts
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question, multi_column
from surveybrief.inputs.published import Publication


@dataclass(frozen=True)
class QuestionPlan:
    """How one question was reconstructed: its base, its counts and whether they are exact."""

    question_id: str
    base: int
    counts: dict[str, int]
    is_exact: bool
    is_exhaustive: bool


def _hash_order(keys: list[str], salt: str) -> list[str]:
    return sorted(keys, key=lambda k: hashlib.sha256(f"{salt}:{k}".encode()).hexdigest())


def plan_question(question: Question, publication: Publication, n_stated: int) -> QuestionPlan:
    """Choose the base and the whole counts of one question from its published figures."""
    figures = [f.figure for f in publication.for_question(question.id)]
    if not figures:
        return QuestionPlan(question.id, 0, {}, True, False)
    if question.kind.ranked:  # published top-t shares do not say who ranked what where
        raise InputError(
            "a ranking cannot be rebuilt from published shares: they do not say who ranked "
            "which option at which place",
            column=question.id,
            value=question.type,
            expected="no published figures for a ranking question",
        )
    is_single = question.kind.one_of_nominal
    exhaustive = is_single and is_exhaustive(figures)
    for base in range(n_stated, 0, -1):
        counts = joint_counts(figures, base, is_single=is_single, exhaustive=exhaustive)
        if counts is not None:
            return QuestionPlan(question.id, base, counts, True, exhaustive)
    counts = nearest_counts(figures, n_stated, exhaustive=exhaustive)
    return QuestionPlan(question.id, n_stated, counts, False, exhaustive)


def reconstruct_wave(
    codebook: Codebook, publication: Publication, n_stated: int, seed: str
) -> tuple[pd.DataFrame, list[QuestionPlan]]:
    """Return the reconstructed export (one row per respondent) and the plan behind it."""
    width = max(3, len(str(n_stated)))
    ids = [f"R{i:0{width}d}" for i in range(1, n_stated + 1)]
    row_of = {rid: i for i, rid in enumerate(ids)}
    answer_order = _hash_order(ids, f"{seed}:answered")
    columns: dict[str, list] = {"respondent_id": ids}
    plans = []
    for question in codebook.questions:
        plan = plan_question(question, publication, n_stated)
        plans.append(plan)
        answered = answer_order[: plan.base]
        if question.kind.several:
            for option in question.options:
                col = [None] * n_stated
                if option.code in plan.counts:
                    chosen = set(
                        _hash_order(answered, f"{seed}:{question.id}:{option.code}")[
                            : plan.counts[option.code]
                        ]
                    )
                    for rid in answered:
                        col[row_of[rid]] = "1" if rid in chosen else "0"
                columns[multi_column(question.id, option.code)] = col
            continue
        col = [None] * n_stated
        order = _hash_order(answered, f"{seed}:{question.id}")
        position = 0
        for code in question.codes:
            for rid in order[position : position + plan.counts.get(code, 0)]:
                col[row_of[rid]] = code
            position += plan.counts.get(code, 0)
        for rid in order[position:]:
            col[row_of[rid]] = NOT_REPORTED_CODE
        columns[question.id] = col
    return pd.DataFrame(columns, dtype="string"), plans


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """Serialise the export deterministically: UTF-8, LF line ends, blanks for missing."""
    from surveybrief.writers import to_csv_text

    return to_csv_text(frame).encode("utf-8")


def write_reconstruction(frame: pd.DataFrame, path: Path, *, force: bool = False) -> None:
    """Write the reconstructed export; refuses to overwrite raw data unless ``force``."""
    from surveybrief.writers import write_bytes_atomic

    path = Path(path)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; raw data is immutable (use --force to rebuild)")
    write_bytes_atomic(path, to_csv_bytes(frame))
