"""Audit of the published figures: are they attainable as whole counts, and reproduced.

For every published percentage: is it attainable as k/n at its printed precision for the base
the data give its question (and for the stated sample), and does the computed figure print the
same? Status per figure: ``match`` (computed prints as published), ``mismatch`` (attainable but
the computed figure differs, or no computed figure) or ``unattainable`` (no whole count of the
base gives it). Differences are reported, never hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from surveybrief.analysis.granularity import (
    attainable_counts,
    feasible_bases,
    is_attainable,
    is_exhaustive,
    rounds_to,
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


def _status(value: float, precision: int, computed: float | None, base: int | None) -> str:
    if base is None or base <= 0:
        return "mismatch"
    if not is_attainable(value, precision, base):
        return "unattainable"
    if computed is not None and rounds_to(computed, value, precision):
        return "match"
    return "mismatch"


def audit_wave(
    codebook: Codebook, publication: Publication, responses: pd.DataFrame, n_stated: int
) -> Audit:
    """Compare every published figure with the figure computed from ``responses``."""
    tables = {}
    rows, detail = [], []
    for fig in publication.figures:
        if fig.question_id not in tables:
            tables[fig.question_id] = tabulate_question(
                responses, codebook.question(fig.question_id)
            ).table.set_index("option")
        table = tables[fig.question_id]
        row = table.loc[fig.option] if fig.option in table.index else None
        has_value = row is not None and not pd.isna(row["pct"])
        computed = float(row["pct"]) if has_value else None
        base = int(row["base"]) if has_value else None
        rows.append(
            {
                "figure_id": fig.id,
                "question_id": fig.question_id,
                "option": fig.option,
                "published_pct": fig.value,
                "computed_pct": round(computed, 4) if computed is not None else None,
                "base": base,
                "status": _status(fig.value, fig.precision, computed, base),
            }
        )
        counts = attainable_counts(fig.value, fig.precision, n_stated)
        detail.append(
            {
                "figure_id": fig.id,
                "printed": fig.printed,
                "question_id": fig.question_id,
                "option": fig.option,
                "precision": fig.precision,
                "base": base,
                "is_attainable_at_base": bool(base)
                and is_attainable(fig.value, fig.precision, base),
                "is_attainable_at_stated_n": len(counts) > 0,
                "counts_at_stated_n": "/".join(str(k) for k in counts) or "none",
                "quote": fig.quote,
            }
        )
    questions = []
    for qid in dict.fromkeys(f.question_id for f in publication.figures):
        question = codebook.question(qid)
        figures = [f.figure for f in publication.for_question(qid)]
        is_single = question.type in ("single", "profile")
        exhaustive = is_single and is_exhaustive(figures)
        fits = feasible_bases(figures, MAX_SEARCH_BASE, is_single=is_single, exhaustive=exhaustive)
        within = [n for n in fits if n <= n_stated]
        questions.append(
            {
                "question_id": qid,
                "n_figures": len(figures),
                "published_sum": round(sum(f.value for f in figures), 4),
                "is_exhaustive": exhaustive,
                "bases_up_to_stated_n": ", ".join(map(str, within)) or "none",
                "largest_base_up_to_stated_n": max(within) if within else None,
                "smallest_base_overall": min(fits) if fits else None,
            }
        )
    return Audit(
        reproduction=pd.DataFrame(rows, columns=REPRODUCTION_COLUMNS),
        detail=pd.DataFrame(detail),
        questions=pd.DataFrame(questions),
        n_stated=n_stated,
    )


def audit_summary(audit: Audit, publication: Publication, codebook: Codebook) -> list[str]:
    """Return the audit's findings in plain sentences, computed from the audit tables."""
    total = len(audit.reproduction)
    sentences = [
        f"Of the {total} percentages published, {audit.count('match')} are reproduced exactly, "
        f"{audit.count('mismatch')} differ from the computed figure and "
        f"{audit.count('unattainable')} cannot be obtained from whole counts of any base up to "
        f"the stated sample of {audit.n_stated}."
    ]
    printed = {f.id: f.printed for f in publication.figures}
    unattainable = audit.reproduction[audit.reproduction["status"] == "unattainable"]
    for qid, group in unattainable.groupby("question_id", sort=False):
        q = audit.questions.set_index("question_id").loc[qid]
        values = ", ".join(printed[f] for f in group["figure_id"])
        smallest = q["smallest_base_overall"]
        need = (
            f"; together the question's figures need at least {int(smallest)} respondents"
            if not pd.isna(smallest)
            else ""
        )
        title = codebook.question(qid).title()
        sentences.append(
            f"Unattainable ({title}): {values} — no whole number of respondents out of "
            f"{audit.n_stated} or fewer gives these percentages as printed{need}. They may "
            "come from weighting, averaging or a transcription error; the article does not say."
        )
    stated = audit.unattainable_at_stated
    only_stated = stated[stated["is_attainable_at_base"]]
    if not only_stated.empty:
        by_q = []
        fits = audit.questions.set_index("question_id")["bases_up_to_stated_n"]
        for qid, group in only_stated.groupby("question_id", sort=False):
            title = codebook.question(qid).title()
            by_q.append(
                f"{', '.join(group['printed'])} ({title}: possible with {fits[qid]} answers)"
            )
        sentences.append(
            f"A further {len(only_stated)} figures are impossible for exactly {audit.n_stated} "
            f"respondents but possible for fewer: " + "; ".join(by_q) + ". This implies that "
            "fewer experts answered these questions than took part; the article gives no bases. "
            "The reconstruction uses the largest of these bases."
        )
    return sentences


def question_audit_notes(
    publication: Publication | None, result_table: pd.DataFrame, question_id: str, n_stated: int
) -> list[str]:
    """Return plain sentences on a question's published figures that whole counts cannot give.

    Shown next to the question's chart so a reader meets the problem where the number is.
    """
    if publication is None:
        return []
    table = result_table.set_index("option")
    impossible, only_stated = [], []
    for fig in publication.for_question(question_id):
        if fig.option not in table.index or pd.isna(table.loc[fig.option, "base"]):
            continue
        base = int(table.loc[fig.option, "base"])
        if not is_attainable(fig.value, fig.precision, base):
            impossible.append((fig.printed, base))
        elif not is_attainable(fig.value, fig.precision, n_stated):
            only_stated.append((fig.printed, base))
    notes = []
    if impossible:
        printed = ", ".join(p for p, _ in impossible)
        base = impossible[0][1]
        notes.append(
            f"Audit: the published {printed} cannot be whole counts of {base} respondents, the "
            "base here; the shares shown are the nearest whole counts. See Appendix A."
        )
    if only_stated:
        printed = ", ".join(p for p, _ in only_stated)
        base = only_stated[0][1]
        notes.append(
            f"Audit: the published {printed} is impossible for exactly {n_stated} respondents "
            f"but possible for {base}: fewer experts answered this question than took part. "
            "See Appendix A."
        )
    return notes
