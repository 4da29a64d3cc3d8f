"""Which percentages can come from whole counts of a given base (the GRIM idea, for percentages).

A percentage printed with ``d`` decimals stands for any value within half a unit of the last
printed digit. It is attainable for base n when some whole count k in 0..n gives 100*k/n inside
that band (Brown and Heathers' granularity test, applied to percentages). Exact fractions keep
the boundaries exact; both band edges are accepted, so either rounding convention passes.
"""

from __future__ import annotations

from fractions import Fraction
from math import ceil, floor

from surveybrief.inputs.published import Figure


def _band(value: float, precision: int) -> tuple[Fraction, Fraction]:
    if precision < 0:
        raise ValueError(f"precision must be >= 0, got {precision}")
    v = Fraction(str(value))
    half = Fraction(1, 2 * 10**precision)
    return v - half, v + half


def attainable_counts(value: float, precision: int, base: int) -> range:
    """Return the whole counts k (0..base) whose percentage 100k/base prints as ``value``."""
    if base <= 0:
        return range(0)
    low, high = _band(value, precision)
    k_low = max(0, ceil(low * base / 100))
    k_high = min(base, floor(high * base / 100))
    return range(k_low, k_high + 1) if k_low <= k_high else range(0)


def is_attainable(value: float, precision: int, base: int) -> bool:
    """Return True if ``value`` (printed with ``precision`` decimals) can be k/base for whole k."""
    return len(attainable_counts(value, precision, base)) > 0


def rounds_to(pct: float, value: float, precision: int) -> bool:
    """Return True if the exact percentage ``pct`` prints as ``value`` at ``precision``."""
    low, high = _band(value, precision)
    p = Fraction(pct).limit_denominator(10**9)
    return low <= p <= high


def is_exhaustive(figures: list[Figure]) -> bool:
    """Return True if single-choice figures add up to 100% within their rounding bands."""
    if not figures:
        return False
    low = sum(_band(f.value, f.precision)[0] for f in figures)
    high = sum(_band(f.value, f.precision)[1] for f in figures)
    return low <= 100 <= high


def joint_counts(
    figures: list[Figure], base: int, *, is_single: bool, exhaustive: bool
) -> dict[str, int] | None:
    """Return whole counts reproducing every figure at ``base``, or None if none exist.

    Multi-select figures are independent. Single-choice counts must not add up to more than the
    base, and must add up to exactly the base when the figures are exhaustive (sum to 100%).
    Among the feasible counts, each is the one nearest to value * base / 100.
    """
    ranges = {f.option: attainable_counts(f.value, f.precision, base) for f in figures}
    if any(len(r) == 0 for r in ranges.values()):
        return None
    targets = {f.option: Fraction(str(f.value)) * base / 100 for f in figures}
    counts = {o: min(r, key=lambda k, t=targets[o]: (abs(k - t), k)) for o, r in ranges.items()}
    if not is_single:
        return counts
    total_low = sum(r.start for r in ranges.values())
    total_high = sum(r.stop - 1 for r in ranges.values())
    if exhaustive and not total_low <= base <= total_high:
        return None
    if not exhaustive and total_low > base:
        return None
    goal_low, goal_high = (base, base) if exhaustive else (0, base)
    # Move one unit at a time on the option whose move costs least distance to its target.
    while sum(counts.values()) > goal_high:
        options = [o for o in counts if counts[o] - 1 in ranges[o]]
        o = min(
            options, key=lambda o: (counts[o] - 1 - targets[o]) ** 2 - (counts[o] - targets[o]) ** 2
        )
        counts[o] -= 1
    while sum(counts.values()) < goal_low:
        options = [o for o in counts if counts[o] + 1 in ranges[o]]
        o = min(
            options, key=lambda o: (counts[o] + 1 - targets[o]) ** 2 - (counts[o] - targets[o]) ** 2
        )
        counts[o] += 1
    return counts


def nearest_counts(figures: list[Figure], base: int, *, exhaustive: bool) -> dict[str, int]:
    """Return the whole counts nearest to each figure at ``base`` (largest remainder if exhaustive).

    Used where no whole counts reproduce the figures: the closest honest approximation.
    """
    targets = {f.option: Fraction(str(f.value)) * base / 100 for f in figures}
    if not exhaustive:
        return {o: min(base, max(0, round(t))) for o, t in targets.items()}
    counts = {o: floor(t) for o, t in targets.items()}
    remainder = base - sum(counts.values())
    by_fraction = sorted(targets, key=lambda o: (-(targets[o] - counts[o]), list(targets).index(o)))
    for o in by_fraction[: max(0, remainder)]:
        counts[o] += 1
    return counts


def feasible_bases(
    figures: list[Figure], max_base: int, *, is_single: bool, exhaustive: bool
) -> list[int]:
    """Return every base 1..max_base at which all ``figures`` are jointly attainable."""
    return [
        n
        for n in range(1, max_base + 1)
        if joint_counts(figures, n, is_single=is_single, exhaustive=exhaustive) is not None
    ]
