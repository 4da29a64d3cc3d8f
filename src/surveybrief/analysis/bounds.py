"""Shares the source leaves partly unknown: bounds, and changes claimed only at the worst end.

A wave rebuilt from published percentages holds answers the source does not report (coded
``not_reported``). An option the source does not report, or that the wave's questionnaire did
not list, may have received any number of them: its share lies between k/n and (k+u)/n, with k
the answers known to be that option and u the unreported ones. A change between two waves is
then an interval of changes; it is claimed only if it holds at the least favourable end, and it
is tested there (Newcombe interval, Fisher's exact test), never at a convenient point.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveybrief.analysis.stats import fisher_exact_p, newcombe_interval, wilson_interval


@dataclass(frozen=True)
class Share:
    """An option's share in one wave: ``count`` known answers plus up to ``unknown`` more."""

    count: int
    unknown: int
    base: int

    @property
    def is_bounded(self) -> bool:
        """Return True when part of the share is unknown."""
        return self.unknown > 0

    @property
    def low(self) -> float:
        """Return the smallest share the data allow, in percent."""
        return 100 * self.count / self.base

    @property
    def high(self) -> float:
        """Return the largest share the data allow, in percent."""
        return 100 * (self.count + self.unknown) / self.base

    def interval(self) -> tuple[float, float]:
        """Return a 95% interval around the whole range: Wilson at the low end and the high end."""
        low, _ = wilson_interval(self.count, self.base)
        _, high = wilson_interval(self.count + self.unknown, self.base)
        return 100 * float(low), 100 * float(high)


@dataclass(frozen=True)
class Change:
    """The change of one option between two waves, as far as the data allow."""

    low: float
    high: float
    #: The change at the least favourable end (NaN when the range includes no change).
    worst: float
    ci_low: float
    ci_high: float
    p_value: float

    @property
    def excludes_zero(self) -> bool:
        """Return True when even the least favourable end shows a change."""
        return self.ci_low > 0 or self.ci_high < 0


def worst_end(before: Share, after: Share) -> tuple[int, int] | None:
    """Return the (before, after) counts least favourable to a change, or None if none holds.

    A rise must hold with the earlier share at its highest and the later at its lowest; a fall
    the other way round. When the range of changes includes zero, no change can be claimed.
    """
    rise = after.low / 100 - (before.count + before.unknown) / before.base
    fall = (after.count + after.unknown) / after.base - before.low / 100
    if not (before.is_bounded or after.is_bounded):
        return before.count, after.count
    if rise > 0:
        return before.count + before.unknown, after.count
    if fall < 0:
        return before.count, after.count + after.unknown
    return None


def bounded_change(before: Share, after: Share) -> Change:
    """Return the range of changes in points and the test at its least favourable end."""
    low = after.low - before.high
    high = after.high - before.low
    end = worst_end(before, after)
    if end is None:
        nan = float("nan")
        return Change(low, high, nan, nan, nan, nan)
    k1, k2 = end
    ci_low, ci_high = newcombe_interval(k1, before.base, k2, after.base)
    return Change(
        low=low,
        high=high,
        worst=100 * (k2 / after.base - k1 / before.base),
        ci_low=100 * ci_low,
        ci_high=100 * ci_high,
        p_value=fisher_exact_p(k1, before.base, k2, after.base),
    )
