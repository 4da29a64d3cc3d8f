"""Audit of the published figures: are they attainable as whole counts, and reproduced.

For every published percentage: is it attainable as k/n at its printed precision for the base
the data give its question (and for the stated sample), and does the computed figure print the
same? Status per figure: ``match`` (computed prints as published), ``mismatch`` (attainable but
the computed figure differs, or no computed figure) or ``unattainable`` (no whole count of the
base gives it). Differences are reported, never hidden.

What is impossible is said exactly: a figure alone (no whole count of any base up to the stated
sample gives it), or a question's figures together (each possible alone, no single base up to
the stated sample gives them all; the smallest base that does is searched up to
``MAX_SEARCH_BASE``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from surveybrief.analysis.granularity import (
    attainable_counts,
    count_rounds_to,
    is_attainable,
    is_exhaustive,
    whole_count_bases,
)
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.published import Publication

REPRODUCTION_COLUMNS = [
    "figure_id",
    "question_id",
    "option",
    "published_pct",
    "computed_pct",
    "base",
    "status",
]
#: How far the search for the smallest base that fits a question's figures goes.
MAX_SEARCH_BASE = 1000


@dataclass(frozen=True)
class Audit:
    """The reproduction table, per-figure detail and per-question granularity."""

    reproduction: pd.DataFrame
    detail: pd.DataFrame
    questions: pd.DataFrame
    n_stated: int

    def count(self, status: str) -> int:
        """Return how many figures have ``status``."""
        return int((self.reproduction["status"] == status).sum())

    @property
    def unattainable_at_stated(self) -> pd.DataFrame:
        """Return the figures no whole count of the stated sample can give."""
        return self.detail[~self.detail["is_attainable_at_stated_n"]]

    @property
    def impossible_alone(self) -> pd.DataFrame:
        """Return the figures no whole count of any base up to the stated sample gives."""
        return self.detail[~self.detail["is_attainable_alone_up_to_stated_n"]]

    @property
    def impossible_together(self) -> pd.DataFrame:
        """Return the figures each possible alone whose question's figures are not, together."""
        d = self.detail
        return d[d["is_attainable_alone_up_to_stated_n"] & ~d["question_fits_up_to_stated_n"]]


def _status(value: float, precision: int, count: int | None, base: int | None) -> str:
    """Return match, mismatch or unattainable, decided exactly from the count and base."""
    if base is None or base <= 0:
        return "mismatch"
    if not is_attainable(value, precision, base):
        return "unattainable"
    if count is not None and count_rounds_to(count, base, value, precision):
        return "match"
    return "mismatch"


def _reproduction_row(fig, table: pd.DataFrame) -> dict:
    """Return one figure's row of the reproduction table (DESIGN columns)."""
    row = table.loc[fig.option] if fig.option in table.index else None
    has_value = row is not None and not pd.isna(row["pct"])
    computed = float(row["pct"]) if has_value else None
    base = int(row["base"]) if has_value else None
    count = int(row["count"]) if has_value else None
    return {
        "figure_id": fig.id,
        "question_id": fig.question_id,
        "option": fig.option,
        "published_pct": fig.value,
        "computed_pct": round(computed, 4) if computed is not None else None,
        "base": base,
        "status": _status(fig.value, fig.precision, count, base),
    }


def _detail_row(fig, base: int | None, n_stated: int, question_fits: bool) -> dict:
    """Return one figure's attainability at its base, at the stated sample, and alone.

    Alone: at any base up to the stated sample; ``question_fits``: its question's figures
    together fit some base up to it.
    """
    counts = attainable_counts(fig.value, fig.precision, n_stated)
    alone = any(is_attainable(fig.value, fig.precision, n) for n in range(1, n_stated + 1))
    return {
        "figure_id": fig.id,
        "printed": fig.printed,
        "question_id": fig.question_id,
        "option": fig.option,
        "precision": fig.precision,
        "base": base,
        "is_attainable_at_base": bool(base) and is_attainable(fig.value, fig.precision, base),
        "is_attainable_at_stated_n": len(counts) > 0,
        "counts_at_stated_n": "/".join(str(k) for k in counts) or "none",
        "is_attainable_alone_up_to_stated_n": alone,
        "question_fits_up_to_stated_n": question_fits,
        "quote": fig.quote,
    }


def _question_row(codebook: Codebook, publication: Publication, qid: str, n_stated: int) -> dict:
    """Return the bases at which all of a question's published figures are possible."""
    question = codebook.question(qid)
    figures = [f.figure for f in publication.for_question(qid)]
    is_single = question.kind.one_of_nominal
    exhaustive = is_single and is_exhaustive(figures)
    fits = list(whole_count_bases(figures, MAX_SEARCH_BASE, is_single=is_single))
    within = [n for n in fits if n <= n_stated]
    return {
        "question_id": qid,
        "n_figures": len(figures),
        "published_sum": round(sum(f.value for f in figures), 4),
        "is_exhaustive": exhaustive,
        "bases_up_to_stated_n": ", ".join(map(str, within)) or "none",
        "largest_base_up_to_stated_n": max(within) if within else None,
        "smallest_base_overall": min(fits) if fits else None,
    }


def audit_wave(
    codebook: Codebook, publication: Publication, responses: pd.DataFrame, n_stated: int
) -> Audit:
    """Compare every published figure with the figure computed from ``responses``."""
    tables: dict[str, pd.DataFrame] = {}
    questions = [
        _question_row(codebook, publication, qid, n_stated)
        for qid in dict.fromkeys(f.question_id for f in publication.figures)
    ]
    fits = {q["question_id"]: q["largest_base_up_to_stated_n"] is not None for q in questions}
    rows, detail = [], []
    for fig in publication.figures:
        if fig.question_id not in tables:
            question = codebook.question(fig.question_id)
            tables[fig.question_id] = tabulate_question(responses, question).table.set_index(
                "option"
            )
        row = _reproduction_row(fig, tables[fig.question_id])
        rows.append(row)
        detail.append(_detail_row(fig, row["base"], n_stated, fits[fig.question_id]))
    return Audit(
        reproduction=pd.DataFrame(rows, columns=REPRODUCTION_COLUMNS),
        detail=pd.DataFrame(detail),
        questions=pd.DataFrame(questions),
        n_stated=n_stated,
    )


def figures_not_reproducible(
    publication: Publication | None, table: pd.DataFrame, question_id: str, n_stated: int
) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    """Return a question's published figures that its table's bases cannot give, as printed.

    ``table``: the question's table (option, base). First the figures no whole count of their
    base gives, then those impossible only at the stated sample (fewer answered the question
    than took part): each with its base. Computed here so the chapters only say it.
    """
    impossible, only_stated = [], []
    if publication is None:
        return impossible, only_stated
    table = table.set_index("option")
    for fig in publication.for_question(question_id):
        if fig.option not in table.index or pd.isna(table.loc[fig.option, "base"]):
            continue
        base = int(table.loc[fig.option, "base"])
        if not is_attainable(fig.value, fig.precision, base):
            impossible.append((fig.printed, base))
        elif not is_attainable(fig.value, fig.precision, n_stated):
            only_stated.append((fig.printed, base))
    return impossible, only_stated
