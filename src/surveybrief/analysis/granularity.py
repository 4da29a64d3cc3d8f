"""Which percentages can come from whole counts of a given base (the GRIM idea, for percentages).

A percentage printed with ``d`` decimals is attainable for base n when some whole count k in
0..n gives a percentage 100*k/n that prints as it (Brown and Heathers' granularity test,
applied to percentages). Printing is decided exactly, with fractions, under the stated rounding
convention (half up or half to even) or, when the source does not say, under either: the edge
of the rounding band is attainable only where a convention really rounds it to the value.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import floor

from surveybrief.inputs.published import Figure

#: Rounding conventions: half up (12.5 -> 13), half to even (12.5 -> 12), or either (unknown).
HALF_UP, HALF_EVEN, EITHER = "half_up", "half_even", "either"
CONVENTIONS = (HALF_UP, HALF_EVEN, EITHER)


def _band(value: float, precision: int) -> tuple[Fraction, Fraction]:
    """Return the closed band of exact values that could print as ``value`` (any convention)."""
    if precision < 0:
        raise ValueError(f"precision must be >= 0, got {precision}")
    v = Fraction(str(value))
    half = Fraction(1, 2 * 10**precision)
    return v - half, v + half


def _round(x: Fraction, convention: str) -> int:
    """Return ``x`` rounded to a whole number under ``convention`` (half up or half to even)."""
    whole = floor(x)
    rest = x - whole
    if rest != Fraction(1, 2):
        return whole + (rest > Fraction(1, 2))
    return whole + 1 if convention == HALF_UP or whole % 2 else whole


def prints_as(exact: Fraction, value: float, precision: int, convention: str = EITHER) -> bool:
    """Return True if the exact percentage ``exact`` prints as ``value`` at ``precision``.

    Decided by exact integer arithmetic: the value printed is the rounding of exact * 10^d.
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown rounding convention {convention!r}")
    scale = 10**precision
    target = Fraction(str(value)) * scale
    if target.denominator != 1:
        return False  # more decimals than printed: no rounding gives it
    conventions = (HALF_UP, HALF_EVEN) if convention == EITHER else (convention,)
    return any(_round(Fraction(exact) * scale, c) == target for c in conventions)


@lru_cache(maxsize=4096)
def _scaled(value: float, precision: int) -> int | None:
    """Return the printed value times 10^precision as a whole number (None if it has more)."""
    if precision < 0:
        raise ValueError(f"precision must be >= 0, got {precision}")
    target = Fraction(str(value)) * 10**precision
    return target.numerator if target.denominator == 1 else None


def _count_range(v: int, m: int, base: int, convention: str) -> tuple[int, int]:
    """Return the k (unclipped) with k*m/base rounding to v: integers only, no fractions.

    Half up: (2v-1)n <= 2km < (2v+1)n. Half to even: the same band open at both ends, and an
    end included when v is even (a tie rounds to the even neighbour).
    """
    low, high, step = (2 * v - 1) * base, (2 * v + 1) * base, 2 * m  # compared with 2km
    if convention == HALF_UP:
        return -(-low // step), -(-high // step) - 1
    k_low, k_high = low // step + 1, -(-high // step) - 1
    if v % 2 == 0:  # a tie at either end rounds to the even v
        k_low -= low % step == 0
        k_high += high % step == 0
    return k_low, k_high


def attainable_counts(value: float, precision: int, base: int, convention: str = EITHER) -> range:
    """Return the whole counts k (0..base) whose percentage 100k/base prints as ``value``.

    Rounding is monotone, so the counts form one interval (when the convention is unknown,
    the union of the two conventions' intervals, which overlap).
    """
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown rounding convention {convention!r}")
    v = _scaled(value, precision)
    if base <= 0 or v is None:
        return range(0)
    both = (HALF_UP, HALF_EVEN) if convention == EITHER else (convention,)
    found = [
        r for r in (_count_range(v, 100 * 10**precision, base, c) for c in both) if r[0] <= r[1]
    ]
    if not found:
        return range(0)
    k_low, k_high = max(0, min(lo for lo, _ in found)), min(base, max(hi for _, hi in found))
    return range(k_low, k_high + 1) if k_low <= k_high else range(0)


def is_attainable(value: float, precision: int, base: int, convention: str = EITHER) -> bool:
    """Return True if ``value`` (printed with ``precision`` decimals) can be k/base for whole k."""
    return len(attainable_counts(value, precision, base, convention)) > 0


def rounds_to(pct: float, value: float, precision: int, convention: str = EITHER) -> bool:
    """Return True if the percentage ``pct`` prints as ``value`` at ``precision``.

    Prefer :func:`count_rounds_to` where the count and base are known: a float percentage
    is only close to the exact one.
    """
    return prints_as(Fraction(pct).limit_denominator(10**9), value, precision, convention)


def count_rounds_to(
    count: int, base: int, value: float, precision: int, convention: str = EITHER
) -> bool:
    """Return True if count/base, as a percentage, prints as ``value`` (exactly decided)."""
    return base > 0 and prints_as(Fraction(100 * count, base), value, precision, convention)


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
    return list(_joint_bases(figures, max_base, is_single=is_single, exhaustive=exhaustive))


def _joint_bases(figures, max_base: int, *, is_single: bool, exhaustive: bool) -> dict:
    """Return {base: counts} for each base 1..max_base where ``joint_counts`` finds counts."""
    found = {}
    for n in range(1, max_base + 1):
        counts = joint_counts(figures, n, is_single=is_single, exhaustive=exhaustive)
        if counts is not None:
            found[n] = counts
    return found


def whole_count_bases(figures: list[Figure], max_base: int, *, is_single: bool) -> dict[int, dict]:
    """Return each base 1..max_base at which a question's figures are whole counts together.

    With the counts (by option) there. Single-choice figures that add up to 100% must fill the
    base (``is_exhaustive``). What the audit, the reconstruction's notes and the comparison
    against a wave whose bases are not known all start from.
    """
    exhaustive = is_single and is_exhaustive(figures)
    return _joint_bases(figures, max_base, is_single=is_single, exhaustive=exhaustive)
