"""Rating scales: mean and median with 95% intervals, and the top-two-box share.

A rating question's distribution stays in scale order (``tabulate``); this adds what a survey
analyst reports beside it: the mean with a t interval, the median with a distribution-free
interval (order statistics, binomial), and the share choosing one of the two highest points
with its Wilson interval. Scale points are the option codes, read as whole numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveybrief.analysis.stats import wilson_interval
from surveybrief.config import CONFIDENCE
from surveybrief.inputs.codebook import Question

#: Columns of ``tables/<question>_scale.csv``.
SCALE_COLUMNS = ["statistic", "value", "ci_low", "ci_high", "count", "base"]


@dataclass(frozen=True)
class ScaleSummary:
    """Mean, median and top-two-box share of one rating question, with 95% intervals."""

    question: Question
    base: int
    mean: float
    mean_ci: tuple[float, float]
    median: float
    median_ci: tuple[float, float]
    top2_codes: tuple[str, ...]
    top2_count: int
    top2_ci: tuple[float, float]

    @property
    def top2_pct(self) -> float:
        """Return the top-two-box share in percent."""
        return 100 * self.top2_count / self.base

    def frame(self) -> pd.DataFrame:
        """Return the summary as a table (percentages 0-100 for the top-two-box row)."""
        low, high = (100 * v for v in self.top2_ci)
        rows = [
            ("mean", self.mean, *self.mean_ci, None, self.base),
            ("median", self.median, *self.median_ci, None, self.base),
            ("top2_pct", self.top2_pct, low, high, self.top2_count, self.base),
        ]
        frame = pd.DataFrame(rows, columns=SCALE_COLUMNS)
        frame["count"] = frame["count"].astype("Int64")
        return frame


def mean_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return the t interval of the mean (NaN bounds with fewer than two values)."""
    from scipy.stats import t

    n = len(values)
    if n < 2:
        return math.nan, math.nan
    half = t.ppf(0.5 + confidence / 2, n - 1) * values.std(ddof=1) / math.sqrt(n)
    return float(values.mean() - half), float(values.mean() + half)


def median_interval(values: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """Return a distribution-free interval of the median: order statistics j and n - j + 1.

    j is the largest rank with P(B < j) <= (1 - confidence) / 2 for B ~ Binomial(n, 1/2), so the
    interval covers the median with at least the stated confidence (ties make it wider).
    """
    from scipy.stats import binom

    ordered = np.sort(values)
    n = len(ordered)
    j = int(binom.ppf((1 - confidence) / 2, n, 0.5))  # P(B <= j - 1) <= alpha / 2
    if j < 1:
        return float(ordered[0]), float(ordered[-1])
    return float(ordered[j - 1]), float(ordered[n - j])


def summarise_scale(responses: pd.DataFrame, question: Question) -> ScaleSummary | None:
    """Return the scale summary of a rating question, or None when nobody answered it."""
    values = pd.to_numeric(responses[question.id], errors="coerce").dropna().to_numpy(float)
    if len(values) == 0:
        return None
    points = sorted(question.codes, key=int)
    top2 = tuple(points[-2:])
    count = int(np.isin(values, [float(c) for c in top2]).sum())
    return ScaleSummary(
        question=question,
        base=len(values),
        mean=float(values.mean()),
        mean_ci=mean_interval(values),
        median=float(np.median(values)),
        median_ci=median_interval(values),
        top2_codes=top2,
        top2_count=count,
        top2_ci=wilson_interval(count, len(values)),
    )
