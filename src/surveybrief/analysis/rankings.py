"""Ranking questions: each option's mean rank and share ranked first, with 95% intervals.

Beside a ranking's table (the share placing each option in the top t, ``tabulate``), a
survey analyst reports where each option stands on average and how often it came first.
Ranks are those respondents gave (1 the first). An option a respondent left unranked stands
somewhere below the last place they filled, m; it counts at the mean of the places left,
(m + 1 + n) / 2, the usual convention for partial rankings (someone who ranked all n leaves
none). The mean rank has a t interval, kept within 1 to n; the share ranked first a Wilson
interval; the base is who ranked any option.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveybrief.analysis.scales import mean_interval
from surveybrief.analysis.stats import wilson_interval
from surveybrief.inputs.codebook import Question

#: Columns of ``tables/<question>_ranks.csv``.
RANK_COLUMNS = [
    "option", "mean_rank", "mean_low", "mean_high", "first_count", "base", "first_pct",
    "first_low", "first_high",
]  # fmt: skip


@dataclass(frozen=True)
class RankSummary:
    """Each option's mean rank and share ranked first, of one ranking question."""

    question: Question
    base: int
    #: One row per option, in codebook order (``RANK_COLUMNS``).
    rows: pd.DataFrame
    #: The most places a respondent filled while leaving some option unranked (None: everyone
    #: ranked every option), for the narrative's example of the convention.
    filled: int | None = None

    @property
    def unranked_at(self) -> float | None:
        """Return where an unranked option counts for one who filled ``filled`` places."""
        if self.filled is None:
            return None
        return (self.filled + 1 + len(self.question.options)) / 2

    def frame(self) -> pd.DataFrame:
        """Return the summary as a table, lowest mean rank (the most preferred) first."""
        order = np.argsort(self.rows["mean_rank"].to_numpy(dtype=float), kind="stable")
        return self.rows.iloc[order].reset_index(drop=True)


def summarise_ranking(responses: pd.DataFrame, question: Question) -> RankSummary | None:
    """Return the mean ranks and first places of a ranking question, or None if none answered."""
    block = responses[question.option_columns].astype("Float64")
    block = block[block.notna().any(axis=1)]
    base = len(block)
    if not base:
        return None
    n = len(question.options)
    filled = (block.fillna(0) > 0).sum(axis=1).to_numpy(dtype=float)
    unranked = (filled + 1 + n) / 2  # each respondent's mean of the places they left
    rows = []
    for option, column in zip(question.options, question.option_columns, strict=True):
        ranks = block[column].fillna(0).to_numpy(dtype=float)
        places = np.where(ranks > 0, ranks, unranked)
        first = int((ranks == 1).sum())
        low, high = wilson_interval(first, base)
        mean_low, mean_high = (float(np.clip(v, 1, n)) for v in mean_interval(places))
        rows.append(
            (option.code, float(places.mean()), mean_low, mean_high, first, base,
             100 * first / base, 100 * low, 100 * high)
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=RANK_COLUMNS)
    frame["first_count"] = frame["first_count"].astype("Int64")
    frame["base"] = frame["base"].astype("Int64")
    partial = filled[filled < n]
    return RankSummary(question, base, frame, int(partial.max()) if len(partial) else None)
