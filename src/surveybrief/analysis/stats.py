"""Statistics fit for small expert panels: Wilson intervals, small-base flags, exact tests."""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from surveybrief.config import CONFIDENCE, SMALL_BASE_N


def z_value(confidence: float = CONFIDENCE) -> float:
    """Return the two-sided standard-normal quantile for ``confidence`` (1.96 for 95%)."""
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence!r}")
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def wilson_interval(count, base, confidence: float = CONFIDENCE):
    """Return the Wilson score interval (low, high) of count/base as proportions in [0, 1].

    Works on scalars and on arrays. Where base is 0 or missing, both bounds are NaN. The Wilson
    interval keeps sensible coverage at the small bases of expert panels, where the normal
    approximation fails (it never leaves [0, 1] and is not degenerate at 0 or n).
    """
    k = np.asarray(count, dtype=float)
    n = np.asarray(base, dtype=float)
    if np.any((k < 0) | (k > n)):
        raise ValueError("count must lie between 0 and base")
    z = z_value(confidence)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        centre = (p + z**2 / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        low = np.where(n > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
        high = np.where(n > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    # Exact at the edges: no rounding error may move the bound away from 0 or 1.
    low = np.where((k == 0) & (n > 0), 0.0, low)
    high = np.where((k == n) & (n > 0), 1.0, high)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def is_small_base(base) -> bool:
    """Return True when ``base`` is below the small-base threshold (or missing)."""
    return base is None or np.isnan(float(base)) or float(base) < SMALL_BASE_N


def margin_at_half(base: int, confidence: float = CONFIDENCE) -> float:
    """Return the widest half-width (percentage points) of a Wilson interval at this base."""
    widths = []
    for count in {base // 2, (base + 1) // 2}:  # the interval is widest at p = 1/2
        low, high = wilson_interval(count, base, confidence)
        widths.append(high - low)
    return 100 * max(widths) / 2


def newcombe_interval(count1, base1, count2, base2, confidence: float = CONFIDENCE):
    """Return the interval (low, high) of p2 - p1, as proportions: Newcombe's hybrid score.

    Method 10 of Newcombe (1998): built from the two Wilson intervals, it keeps its coverage at
    small bases and proportions near 0 or 1, where the Wald interval fails.
    """
    p1, p2 = count1 / base1, count2 / base2
    low1, high1 = wilson_interval(count1, base1, confidence)
    low2, high2 = wilson_interval(count2, base2, confidence)
    diff = p2 - p1
    low = diff - float(np.sqrt((p2 - low2) ** 2 + (high1 - p1) ** 2))
    high = diff + float(np.sqrt((high2 - p2) ** 2 + (p1 - low1) ** 2))
    return low, high


def fisher_exact_p(count1, base1, count2, base2) -> float:
    """Return the two-sided p-value of Fisher's exact test of two proportions (small samples).

    NaN when either base is empty: there is nothing to test (not "no difference", p = 1).
    """
    from scipy.stats import fisher_exact

    if not base1 or not base2:
        return float("nan")
    table = [[count2, base2 - count2], [count1, base1 - count1]]
    return float(fisher_exact(table, alternative="two-sided").pvalue)


def holm_adjusted(p_values) -> list[float]:
    """Return Holm's step-down adjusted p-values, in the order given.

    A table that tests many options or groups at once would show about one "significant"
    difference in twenty by chance alone; Holm's adjustment keeps the chance of any false mark
    in the whole family at 5% (Holm 1979), without assuming the tests are independent.
    """
    p = [float(v) for v in p_values]
    tested = [i for i, v in enumerate(p) if not np.isnan(v)]  # NaN: not tested, stays NaN
    order = sorted(tested, key=lambda i: p[i])
    adjusted = [float("nan")] * len(p)
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (len(tested) - rank) * p[i]))
        adjusted[i] = running
    return adjusted
