"""Changes between two waves that share respondents: paired where paired, never assumed apart.

An expert panel is asked again: when the same experts answer both waves, their answers are
not independent samples, and Newcombe's interval for independent proportions with Fisher's test
(``analysis.trends``) is the wrong tool. Here, per kind of answer and overlap:

- every respondent in both waves (a full panel): McNemar's test per option (exact binomial
  on the discordant pairs at any size here, as statsmodels' ``mcnemar(exact=True)``) with
  Newcombe's square-and-add interval for paired proportions (1998, method 10, the correlation
  corrected as in Fagerland, Lydersen & Laake's ``contingencytables``); Stuart-Maxwell's test
  of marginal homogeneity for a single-choice question's whole table; the Wilcoxon signed-rank
  test for a rating (scipy, exact at small n);
- some respondents in both, some in one only (partially overlapping samples): Derrick et al.'s
  z-test for proportions (2015) and t-test for means (2017), which use the pairs' correlation
  and every unpaired answer, with their intervals;
- no respondent in both: the independent tests of ``analysis.trends`` (not here).

``overlap`` says which applies; each result names its test, so the briefing can say which was
used and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from surveybrief.analysis.stats import wilson_interval
from surveybrief.config import CONFIDENCE

#: The tests, by what the overlap allows.
MCNEMAR, PARTIAL_Z, PARTIAL_T, WILCOXON, STUART_MAXWELL = (
    "mcnemar_exact",
    "partially_overlapping_z",
    "partially_overlapping_t",
    "wilcoxon_signed_rank",
    "stuart_maxwell",
)
#: What the overlap of two waves is: all paired, partly paired, or none shared.
PAIRED, PARTIAL, INDEPENDENT = "paired", "partially overlapping", "independent"


@dataclass(frozen=True)
class Overlap:
    """Who answered a question in both waves, and who in one only (by panel pseudonym)."""

    paired: int
    only_before: int
    only_after: int

    @property
    def design(self) -> str:
        """Return PAIRED (everyone in both), PARTIAL, or INDEPENDENT (fewer than two pairs)."""
        if self.paired < 2:
            return INDEPENDENT
        if self.only_before == 0 and self.only_after == 0:
            return PAIRED
        return PARTIAL


@dataclass(frozen=True)
class Change:
    """A change from the earlier wave to the later, with its interval and the test that gave it."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    test: str
    overlap: Overlap


def aligned(before: pd.Series, after: pd.Series) -> tuple[pd.Series, pd.Series, Overlap]:
    """Return two waves' answers on one index of panel pseudonyms, and their overlap.

    A missing value is a respondent who did not answer in that wave (or was not in it).
    """
    index = before.index.union(after.index)
    x, y = before.reindex(index), after.reindex(index)
    both = x.notna() & y.notna()
    found = Overlap(int(both.sum()), int((x.notna() & y.isna()).sum()),
                    int((x.isna() & y.notna()).sum()))  # fmt: skip
    return x, y, found


def paired_counts(x: pd.Series, y: pd.Series) -> tuple[int, int, int, int]:
    """Return the paired 2x2 table of two 0/1 answers: (1,1), (1,0), (0,1), (0,0)."""
    both = x.notna() & y.notna()
    a, b = x[both].astype(int), y[both].astype(int)
    return (int(((a == 1) & (b == 1)).sum()), int(((a == 1) & (b == 0)).sum()),
            int(((a == 0) & (b == 1)).sum()), int(((a == 0) & (b == 0)).sum()))  # fmt: skip


def newcombe_paired(a: int, b: int, c: int, d: int) -> tuple[float, float, float]:
    """Return the paired difference p1 - p2 and Newcombe's square-and-add interval (method 10).

    ``a`` (yes, yes), ``b`` (yes, no), ``c`` (no, yes), ``d`` (no, no); p1 = (a + b) / n,
    p2 = (a + c) / n. The Wilson intervals of both margins are combined with the pairs'
    correlation, corrected towards zero as Newcombe (1998) does.
    """
    n = a + b + c + d
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = (float(v) for v in wilson_interval(a + b, n))
    l2, u2 = (float(v) for v in wilson_interval(a + c, n))
    margins = (a + b) * (c + d) * (a + c) * (b + d)
    cross = a * d - b * c
    corrected = cross - n / 2 if cross > n / 2 else min(cross, 0)  # 0 up to n / 2
    psi = corrected / math.sqrt(margins) if margins else 0.0
    low = (p1 - l1) ** 2 + (u2 - p2) ** 2 - 2 * psi * (p1 - l1) * (u2 - p2)
    high = (p2 - l2) ** 2 + (u1 - p1) ** 2 - 2 * psi * (p2 - l2) * (u1 - p1)
    return p1 - p2, p1 - p2 - math.sqrt(max(low, 0.0)), p1 - p2 + math.sqrt(max(high, 0.0))


def mcnemar_exact(b: int, c: int) -> float:
    """Return McNemar's exact two-sided p-value: the discordant pairs against a fair coin."""
    if b + c == 0:
        return 1.0
    return float(min(1.0, 2 * stats.binom.cdf(min(b, c), b + c, 0.5)))


def partial_overlap_z(x: pd.Series, y: pd.Series) -> tuple[float, float, float, float]:
    """Return Derrick et al.'s (2015) z-test for proportions with partially overlapping samples.

    ``x`` and ``y`` are 0/1 answers of the two waves on one index (missing: not in that wave).
    Returns (p1 - p2, z, two-sided p, half-width of the interval): the pooled proportion's
    variance, less the covariance the pairs' correlation carries.
    """
    both = x.notna() & y.notna()
    n1, n2, n12 = int(x.notna().sum()), int(y.notna().sum()), int(both.sum())
    p1, p2 = float(x.mean()), float(y.mean())
    pooled = (x.sum() + y.sum()) / (n1 + n2)
    r = _correlation(x[both], y[both])
    w = pooled * (1 - pooled)
    noise = math.sqrt(max(w / n1 + w / n2 - 2 * r * w * n12 / (n1 * n2), 0.0))
    if noise == 0:
        return p1 - p2, 0.0, 1.0, 0.0
    z = (p1 - p2) / noise
    return p1 - p2, z, float(2 * stats.norm.sf(abs(z))), float(_critical(stats.norm) * noise)


def partial_overlap_t(
    x: pd.Series, y: pd.Series, equal_var: bool = False
) -> tuple[float, float, float, float, float]:
    """Return Derrick et al.'s (2017) t-test for means with partially overlapping samples.

    Returns (mean1 - mean2, t, degrees of freedom, two-sided p, half-width of the interval);
    ``equal_var`` pools the variances, else a Welch-type approximation of the freedom. With no
    spread in either wave the means are exact: p is 1 when they are equal, 0 when not.
    """
    both = x.notna() & y.notna()
    a, b = x.dropna().astype(float), y.dropna().astype(float)
    n1, n2, n12 = len(a), len(b), int(both.sum())
    u1, u2 = n1 - n12, n2 - n12
    r = _correlation(x[both], y[both])
    v1, v2 = float(a.var(ddof=1)), float(b.var(ddof=1))
    estimate = float(a.mean() - b.mean())
    if v1 == 0 and v2 == 0:  # every answer one point in each wave: the means are exact
        return estimate, 0.0, float("nan"), 1.0 if estimate == 0 else 0.0, 0.0
    if equal_var:
        pooled = math.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2))
        noise = pooled * math.sqrt(max(1 / n1 + 1 / n2 - 2 * r * n12 / (n1 * n2), 0.0))
        df = (n12 - 1) + (u1 + u2 + n12 - 1) / (u1 + u2 + 2 * n12) * (u1 + u2)
    else:
        cov = 2 * r * n12 * math.sqrt(v1 * v2) / (n1 * n2)
        noise = math.sqrt(max(v1 / n1 + v2 / n2 - cov, 0.0))
        welch = (v1 / n1 + v2 / n2) ** 2 / ((v1 / n1) ** 2 / (n1 - 1) + (v2 / n2) ** 2 / (n2 - 1))
        df = (n12 - 1) + (welch - n12 + 1) / (u1 + u2 + 2 * n12) * (u1 + u2)
    t = estimate / noise if noise else 0.0
    p = float(2 * stats.t.sf(abs(t), df)) if noise else 1.0
    return estimate, t, df, p, float(_critical(stats.t, df) * noise)


def stuart_maxwell(table: np.ndarray) -> tuple[float, int, float]:
    """Return Stuart-Maxwell's test of marginal homogeneity of a square paired table.

    ``table[i, j]``: respondents with answer i in the earlier wave and j in the later. Returns
    (chi-square, degrees of freedom, p); categories nobody chose in either wave are dropped, and
    the freedom is the rank of the covariance: a category whose experts all stayed in it (no
    change in or out) adds none.
    """
    table = np.asarray(table, dtype=float)
    used = (table.sum(axis=0) + table.sum(axis=1)) > 0
    table = table[np.ix_(used, used)]
    k = table.shape[0]
    if k < 2:
        return 0.0, 0, 1.0
    d = (table.sum(axis=1) - table.sum(axis=0))[: k - 1]
    s = -(table + table.T)[: k - 1, : k - 1]
    np.fill_diagonal(s, (table.sum(axis=1) + table.sum(axis=0) - 2 * np.diag(table))[: k - 1])
    df = int(np.linalg.matrix_rank(s))  # a category nobody left or joined adds no freedom
    if df == 0:
        return 0.0, 0, 1.0
    chi2 = float(d @ np.linalg.pinv(s) @ d) if df < k - 1 else float(d @ np.linalg.solve(s, d))
    return chi2, df, float(stats.chi2.sf(chi2, df))


def signed_rank(x: pd.Series, y: pd.Series) -> tuple[float, float]:
    """Return the median paired change (later minus earlier) and Wilcoxon's signed-rank p.

    Zero changes are split between the ranks (``zsplit``), so an unchanged expert counts.
    """
    both = x.notna() & y.notna()
    change = y[both].astype(float) - x[both].astype(float)
    if (change == 0).all():
        return 0.0, 1.0
    result = stats.wilcoxon(change, zero_method="zsplit")
    return float(change.median()), float(result.pvalue)


def binary_change(before: pd.Series, after: pd.Series) -> Change | None:
    """Return one option's change in percentage points, paired or partly paired; None if apart.

    ``before``/``after``: 0/1 per panel pseudonym (missing: did not answer in that wave).
    """
    x, y, found = aligned(before, after)
    if found.design == INDEPENDENT:
        return None
    if found.design == PAIRED:
        a, b, c, d = paired_counts(x, y)
        diff, low, high = newcombe_paired(a, b, c, d)  # p1 - p2: earlier minus later
        return Change(-100 * diff, -100 * high, -100 * low, mcnemar_exact(b, c), MCNEMAR, found)
    diff, _z, p, half = partial_overlap_z(x, y)
    return Change(-100 * diff, -100 * (diff + half), -100 * (diff - half), p, PARTIAL_Z, found)


def _correlation(x: pd.Series, y: pd.Series) -> float:
    """Return the pairs' Pearson correlation (0 when either has no spread)."""
    a, b = x.astype(float), y.astype(float)
    if len(a) < 2 or a.std() == 0 or b.std() == 0:
        return 0.0
    return float(np.corrcoef(a, b)[0, 1])


def _critical(distribution, *args) -> float:
    """Return the two-sided critical value at the briefing's confidence level."""
    return float(distribution.ppf(1 - (1 - CONFIDENCE) / 2, *args))
