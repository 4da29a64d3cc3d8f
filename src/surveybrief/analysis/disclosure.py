"""Disclosure audit of a breakdown: can a reader recompute a hidden cell from what is shown.

A breakdown shows, for every group, its base and each option's count (its percentage of a shown
base is the count), and an "All respondents" row; the profile table shows group sizes. A reader
who solves all of that as integer constraints learns, for every hidden cell, the range of
counts it can still hold. That range is computed here with an integer program (scipy's
``milp``): respondents whose profile is missing form a hidden group of their own, hidden cells
may be anything from 0, single-choice rows add up to their base. ``protect`` hides further cells,
smallest first in the pinned cell's row or column, until every hidden cell or group size of 1-4
respondents keeps a range of at least ``MIN_RANGE`` values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: A hidden count of 1-4 must keep a range at least this wide (max - min).
MIN_RANGE = 5
MISSING = "_missing"


class _Model:
    """The reader's integer program: one variable per unknown count or base."""

    def __init__(self, counts, bases, hidden, hidden_bases, rows_sum, profile_sizes) -> None:
        self.groups = [g for g in counts.index if g != "all"]
        self.options = list(counts.columns)
        self.total = int(bases["all"])
        rows = [*self.groups, MISSING]
        truth = counts.loc[self.groups].copy()
        truth.loc[MISSING] = counts.loc["all"] - counts.loc[self.groups].sum()
        base_truth = {g: int(bases[g]) for g in self.groups}
        base_truth[MISSING] = self.total - sum(base_truth.values())
        self.index: dict[tuple, int] = {}
        self.known: dict[tuple, int] = {}
        self.truth: dict[tuple, int] = {}
        for g in rows:
            for c in self.options:
                is_hidden = g == MISSING or bool(hidden.at[g, c])
                self._add((g, c), int(truth.at[g, c]), is_hidden)
            self._add((g, "base"), base_truth[g], g == MISSING or g in hidden_bases)
        for c in self.options:
            self._add(("all", c), int(counts.at["all", c]), bool(hidden.at["all", c]))
        self._add(("all", "base"), self.total, "all" in hidden_bases)
        self.rows, self.rows_sum, self.profile = rows, rows_sum, profile_sizes or {}

    def _add(self, key: tuple, value: int, is_hidden: bool) -> None:
        self.truth[key] = value
        if is_hidden:
            self.index[key] = len(self.index)
        else:
            self.known[key] = value

    def _term(self, key: tuple, row: np.ndarray, sign: float) -> float:
        """Add ``key`` to a constraint row; return its value if known (moves to the bound)."""
        if key in self.index:
            row[self.index[key]] += sign
            return 0.0
        return sign * self.known[key]

    def constraints(self):
        """Return (A, lower, upper) of every equation and inequality the reader knows."""
        lines = []

        def equal(plus: list, minus: list, upper_only: bool = False) -> None:
            row = np.zeros(len(self.index))
            const = sum(self._term(k, row, 1.0) for k in plus)
            const += sum(self._term(k, row, -1.0) for k in minus)
            lines.append((row, -np.inf if upper_only else -const, -const))

        for c in self.options:  # column totals
            equal([(g, c) for g in self.rows], [("all", c)])
        equal([(g, "base") for g in self.rows], [("all", "base")])
        for g in self.rows:
            if self.rows_sum:
                equal([(g, c) for c in self.options], [(g, "base")])
            else:
                for c in self.options:
                    equal([(g, c)], [(g, "base")], upper_only=True)
            if g in self.profile:
                equal([(g, "base")], [], upper_only=True)
                row, low, high = lines[-1]
                lines[-1] = (row, low, high + self.profile[g])
        return (
            np.array([r for r, _, _ in lines]),
            np.array([lo for _, lo, _ in lines]),
            np.array([hi for _, _, hi in lines]),
        )


def feasible_ranges(
    counts: pd.DataFrame,
    bases: pd.Series,
    hidden: pd.DataFrame,
    hidden_bases: frozenset[str] | set[str],
    rows_sum_to_base: bool,
    profile_sizes: dict[str, int] | None = None,
) -> dict[tuple, tuple[int, int, int]]:
    """Return, per hidden cell or base, (true value, least and most a reader can deduce)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    model = _Model(counts, bases, hidden, hidden_bases, rows_sum_to_base, profile_sizes)
    size = len(model.index)
    if size == 0:
        return {}
    a, low, high = model.constraints()
    constraint = LinearConstraint(a, low, high)
    bounds = Bounds(np.zeros(size), np.full(size, model.total))
    ranges = {}
    for key, i in model.index.items():
        if key[0] in (MISSING, "all"):
            continue
        goal = np.zeros(size)
        goal[i] = 1.0
        ends = []
        for sign in (1.0, -1.0):
            found = milp(
                sign * goal, constraints=constraint, bounds=bounds, integrality=np.ones(size)
            )
            ends.append(round(found.x[i]) if found.success else model.truth[key])
        ranges[key] = (model.truth[key], min(ends), max(ends))
    return ranges


def pinned(ranges: dict[tuple, tuple[int, int, int]]) -> list[tuple]:
    """Return the hidden cells and bases of 1-4 whose range is narrower than ``MIN_RANGE``."""
    return [k for k, (v, lo, hi) in ranges.items() if 0 < v < MIN_RANGE and hi - lo < MIN_RANGE]


def _next_to_hide(
    key: tuple, counts: pd.DataFrame, hidden: pd.DataFrame, groups: list
) -> tuple | None:
    """Return the next cell to hide for a pinned one (None when nothing is left).

    The smallest shown cell in its row or column, else its column's total (All respondents).
    """
    group, option = key
    cells = [(group, c) for c in counts.columns]
    if option != "base":
        cells += [(g, option) for g in groups]
    shown = [cell for cell in cells if not hidden.at[cell]]
    if shown:
        return min(shown, key=lambda cell: (counts.at[cell], str(cell)))
    totals = [("all", c) for c in ([option] if option != "base" else counts.columns)]
    shown = [cell for cell in totals if not hidden.at[cell]]
    return shown[0] if shown else None


def protect(
    counts: pd.DataFrame,
    bases: pd.Series,
    hidden: pd.DataFrame,
    hidden_bases: frozenset[str],
    rows_sum_to_base: bool,
    profile_sizes: dict[str, int] | None = None,
) -> tuple[pd.DataFrame, frozenset[str], bool]:
    """Hide more cells until no hidden count of 1-4 can be narrowed below ``MIN_RANGE``.

    Returns the cells and bases to hide and whether that protects them; when nothing more can
    be hidden and a count is still pinned (a table of very few respondents), it does not, and
    the table must not be published.
    """
    hidden, hidden_bases = hidden.copy(), set(hidden_bases)
    groups = [g for g in counts.index if g != "all"]
    args = (counts, bases, hidden, hidden_bases, rows_sum_to_base, profile_sizes)
    for _ in range(counts.size + len(groups) + 1):
        found = pinned(feasible_ranges(*args))
        if not found:
            return hidden, frozenset(hidden_bases), True
        cell = _next_to_hide(found[0], counts, hidden, groups)
        if cell is None:
            return hidden, frozenset(hidden_bases), False
        hidden.at[cell] = True
    return hidden, frozenset(hidden_bases), not pinned(feasible_ranges(*args))
