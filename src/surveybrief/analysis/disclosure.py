"""Disclosure control of a breakdown by hiding: the least hidden, proven by an integer program.

The product shows a profile's small groups pooled (``profile.grouping``), so its breakdowns hide
no cell; this module is the reader's integer program that the publication check solves over
what a run publishes (``feasible_ranges``), and the hiding rules ``make bench`` measures the
pooling against (``suppress``, ``protect``: the rule before pooling).

A breakdown shows, for every group, its base and each option's count (its percentage of a shown
base is the count), beside what the rest of the wave publishes: the question's own table (the
"All respondents" count of every option, and the question's base), the profile table (the
group sizes it shows) and the trends (the same counts again). A reader who solves all of that
as integer constraints learns, for every hidden cell, the range of counts it can still hold;
``feasible_ranges`` computes it with scipy's ``milp`` (respondents whose profile is missing
form a hidden group of their own, hidden cells may be anything from 0, single-choice rows add
up to their base), and checks each end it finds (a solver may stop short of the true end).

``protect`` chooses what to hide besides the hidden groups (those of 1-4 respondents, and
those hidden to protect them: the sensitive units are groups, not cells): the set of further
group cells of least cost (fewest cells, then the smallest) under which every hidden group's
count of 1-4 can move by at least ``MIN_RANGE`` while every published total holds — the
optimal cell suppression of Fischetti and Salazar that tau-ARGUS and sdcTable implement, as
one mixed-integer program over the table (``_master``). The "All respondents" row is never
hidden: the question's own table prints it. An option chosen by so few in all that no hiding
protects a hidden group's count of it (its total is under ``MIN_RANGE``) is not broken down:
its column is left out of the table, so the table shows nothing about it beyond that total.
The result is proven with the reader's integer program (every hidden count of 1-4, a
further one too, must keep its range); a table that no hiding protects is not published.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveybrief.analysis import profile
from surveybrief.analysis.profile import hide_groups

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


def _extreme(i: int, sign: float, model: _Model, system: tuple, bounds) -> int | None:
    """Return the least (sign 1) or most (sign -1) value of variable ``i`` a reader can reach.

    The solver's answer is used only when its solution checks out: whole numbers within the
    bounds that satisfy every constraint exactly. Otherwise (a solver's tolerance once let
    HiGHS call a point "optimal" that was not) the true value stands for that end, which
    can only narrow the range: a cell is then hidden with more, never shown with less.
    """
    from scipy.optimize import LinearConstraint, milp

    a, low, high = system
    size = a.shape[1]
    goal = np.zeros(size)
    goal[i] = sign
    found = milp(
        goal,
        constraints=LinearConstraint(a, low, high),
        bounds=bounds,
        integrality=np.ones(size),
        options={"mip_rel_gap": 0.0},
    )
    if not found.success:
        return None
    x = np.round(found.x)
    values = a @ x
    holds = (
        np.all(x >= bounds.lb)
        and np.all(x <= bounds.ub)
        and np.all(values >= low - 1e-9)
        and np.all(values <= high + 1e-9)
    )
    return int(x[i]) if holds else None


def feasible_ranges(
    counts: pd.DataFrame,
    bases: pd.Series,
    hidden: pd.DataFrame,
    hidden_bases: frozenset[str] | set[str],
    rows_sum_to_base: bool,
    profile_sizes: dict[str, int] | None = None,
    only: set[tuple] | None = None,
) -> dict[tuple, tuple[int, int, int]]:
    """Return, per hidden group cell or base, (true value, least and most a reader can deduce).

    ``only``: the cells to ask about (default: every hidden one).
    """
    from scipy.optimize import Bounds

    model = _Model(counts, bases, hidden, hidden_bases, rows_sum_to_base, profile_sizes)
    size = len(model.index)
    if size == 0:
        return {}
    system = model.constraints()
    bounds = Bounds(np.zeros(size), np.full(size, model.total))
    ranges = {}
    for key, i in model.index.items():
        asked = key in only if only is not None else key[0] != MISSING
        if key[0] == "all" or not asked:
            continue
        ends = [_extreme(i, sign, model, system, bounds) for sign in (1.0, -1.0)]
        ends = [model.truth[key] if e is None else e for e in ends]
        ranges[key] = (model.truth[key], min(ends), max(ends))
    return ranges


def pinned(
    ranges: dict[tuple, tuple[int, int, int]], left_out: frozenset[str] = frozenset()
) -> list[tuple]:
    """Return the hidden cells and bases of 1-4 whose range is narrower than ``MIN_RANGE``.

    Cells of options left out of the table (``left_out``) are not judged: the table shows
    nothing of them.
    """
    return [
        k
        for k, (v, lo, hi) in ranges.items()
        if 0 < v < MIN_RANGE and hi - lo < MIN_RANGE and k[1] not in left_out
    ]


@dataclass(frozen=True)
class Protection:
    """What a breakdown hides, whether that protects it, and the options left out of it."""

    hidden: pd.DataFrame
    hidden_bases: frozenset[str]
    is_safe: bool
    left_out: frozenset[str] = frozenset()


#: The most size vectors ``replayed_sizes`` tries before it gives up (returns None).
REPLAY_LIMIT = 200_000


def _vectors(total: int, parts: int, cap: int):
    """Yield every way to write ``total`` as ``parts`` sizes of 1 to ``cap`` (in order)."""
    if parts == 1:
        if 1 <= total <= cap:
            yield (total,)
        return
    for first in range(max(1, total - cap * (parts - 1)), min(cap, total - parts + 1) + 1):
        for rest in _vectors(total - first, parts - 1, cap):
            yield (first, *rest)


def replayed_sizes(sizes: dict[str, int], pooled, rule=None) -> dict[str, set[int]] | None:
    """Return every size each pooled group may have, to a reader who replays the pooling rule.

    The reader sees the shown sizes, the pooled groups' names and their total; they try every
    split of that total over the pooled groups (a partner is never larger than a group still
    shown) and keep those for which ``rule`` (``profile.hide_groups``, looked up when called)
    pools exactly these groups. None when there are more than ``REPLAY_LIMIT`` splits to try.
    """
    rule = rule or (lambda found: profile.hide_groups(found, sum(found.values())))
    members = sorted(g for g in pooled if sizes.get(g, 0) > 0)
    together = sum(sizes[g] for g in members)
    cap = min((n for g, n in sizes.items() if g not in pooled and n > 0), default=together)
    seen: dict[str, set[int]] = {g: set() for g in members}
    for tried, split in enumerate(_vectors(together, len(members), max(cap, MIN_RANGE - 1))):
        if tried >= REPLAY_LIMIT:
            return None
        if rule(sizes | dict(zip(members, split, strict=True))) == set(pooled):
            for g, n in zip(members, split, strict=True):
                seen[g].add(n)
    return seen


def sensitive_rows(counts: pd.DataFrame, bases: pd.Series, hidden_bases) -> dict[str, pd.Series]:
    """Return the counts a reader must not pin, by row.

    The hidden groups', and those of the respondents who gave no profile when they are 1-4
    (a small group too, never shown).
    """
    groups = [g for g in counts.index if g != "all"]
    rows = {g: counts.loc[g] for g in groups if g in hidden_bases}
    size = int(bases["all"]) - sum(int(bases[g]) for g in groups)
    if 0 < size < MIN_RANGE:
        rows[MISSING] = counts.loc["all"] - counts.loc[groups].sum()
    return rows


def _too_rare(counts: pd.DataFrame, bases: pd.Series, hidden_bases) -> set[str]:
    """Return the options whose total is under ``MIN_RANGE`` and that a hidden group chose.

    The total is published, so no cell of the option can range wider than it.
    """
    rows = sensitive_rows(counts, bases, hidden_bases).values()
    return {
        c
        for c in counts.columns
        if counts.at["all", c] < MIN_RANGE and any(0 < row[c] < MIN_RANGE for row in rows)
    }


def protect(
    counts: pd.DataFrame,
    bases: pd.Series,
    hidden: pd.DataFrame,
    hidden_bases: frozenset[str],
    rows_sum_to_base: bool,
    profile_sizes: dict[str, int] | None = None,
) -> Protection:
    """Return the least hiding under which no hidden count of 1-4 ranges below ``MIN_RANGE``.

    ``hidden`` holds the cells that must be hidden (the hidden groups' rows);
    further group cells are chosen by ``_master`` and the result proven by the reader's
    integer program. Options that no hiding protects are left out of the table; a table left
    with no option is not safe (not published).
    """
    groups = [g for g in counts.index if g != "all"]
    hidden = hidden.copy()
    hidden.loc["all"] = False  # the question's own table prints the totals
    left_out = _too_rare(counts, bases, hidden_bases)
    for _ in range(len(counts.columns) + 1):
        for c in left_out:
            hidden.loc[groups, c] = True
        chosen = _master(
            counts, bases, hidden, hidden_bases, rows_sum_to_base, profile_sizes,
            left_out=frozenset(left_out),
        )  # fmt: skip
        if chosen is None:
            left_out |= _unprotectable(counts, bases, hidden, hidden_bases, rows_sum_to_base,
                                       profile_sizes, left_out)  # fmt: skip
            if left_out >= set(counts.columns):
                return Protection(hidden, frozenset(hidden_bases), False, frozenset(left_out))
            continue
        return _proven(counts, bases, chosen, hidden_bases, rows_sum_to_base, profile_sizes,
                       frozenset(left_out))  # fmt: skip
    return Protection(hidden, frozenset(hidden_bases), False, frozenset(left_out))


def _proven(counts, bases, hidden, hidden_bases, rows_sum, profile_sizes, left_out) -> Protection:
    """Prove the hiding with the reader's integer program; hide more where it still pins."""
    groups = [g for g in counts.index if g != "all"]
    args = (counts, bases, hidden, hidden_bases, rows_sum, profile_sizes)
    for _ in range(counts.size + 1):
        small = _small_hidden(counts, bases, hidden, hidden_bases, left_out)
        found = pinned(feasible_ranges(*args, only=small), left_out)
        if not found:
            return Protection(hidden, frozenset(hidden_bases), True, left_out)
        cell = _next_to_hide(found[0], counts, hidden, groups)
        if cell is None:
            return Protection(hidden, frozenset(hidden_bases), False, left_out)
        hidden.at[cell] = True
    return Protection(hidden, frozenset(hidden_bases), False, left_out)


def _small_hidden(counts, bases, hidden, hidden_bases, left_out) -> set[tuple]:
    """Return the hidden counts and group sizes of 1-4 (those a reader must not pin).

    Every hidden count of 1-4, not only the hidden groups': a count hidden to protect another
    is kept from being pinned too, so what a reader sees hidden is never a disguised value.
    """
    groups = [g for g in counts.index if g != "all"]
    cells = {
        (g, c)
        for g in groups
        for c in counts.columns
        if c not in left_out and hidden.at[g, c] and 0 < counts.at[g, c] < MIN_RANGE
    }
    missing = sensitive_rows(counts, bases, hidden_bases).get(MISSING)
    if missing is not None:  # respondents with no profile, 1-4 of them: never shown
        cells |= {(MISSING, c) for c in counts.columns if c not in left_out and 0 < missing[c]
                  < MIN_RANGE} | {(MISSING, "base")}  # fmt: skip
    return cells | {(g, "base") for g in hidden_bases if 0 < bases.get(g, 0) < MIN_RANGE}


def _next_to_hide(key: tuple, counts: pd.DataFrame, hidden: pd.DataFrame, groups: list):
    """Return the smallest shown group cell in a pinned cell's row or column (None if none)."""
    group, option = key
    cells = [(group, c) for c in counts.columns] if group in groups else []
    if option != "base":
        cells += [(g, option) for g in groups]
    shown = [cell for cell in cells if not hidden.at[cell]]
    return min(shown, key=lambda cell: (counts.at[cell], str(cell))) if shown else None


def _unprotectable(counts, bases, hidden, hidden_bases, rows_sum, sizes, left_out) -> set[str]:
    """Return the options of the hidden groups' small counts that no hiding can protect alone."""
    found = {
        c
        for g, row in sensitive_rows(counts, bases, hidden_bases).items()
        for c in counts.columns
        if c not in left_out
        and 0 < row[c] < MIN_RANGE
        and _master(counts, bases, hidden, hidden_bases, rows_sum, sizes, {(g, c)}, left_out)
        is None
    }
    return found or set(counts.columns) - set(left_out)


def _master(
    counts, bases, hidden, hidden_bases, rows_sum, sizes, judge=None, left_out=frozenset()
) -> pd.DataFrame | None:
    """Return the least-cost hiding that lets every small hidden count move ``MIN_RANGE``.

    One mixed-integer program: a binary per group cell (hide it or not; the cells that must
    be hidden fixed), and for each small hidden count two adjustments of every count — one
    raising it, one lowering it, together by ``MIN_RANGE`` — that keep every published total
    and move only hidden counts (Fischetti and Salazar's model). Cost: one per cell hidden,
    and a little more for a larger one. None when no hiding protects them (``judge``: only
    these cells are asked for).
    """
    from scipy.optimize import Bounds, LinearConstraint, milp

    everything = pd.DataFrame(True, index=counts.index, columns=counts.columns)
    everything.loc["all"] = False
    groups = [g for g in counts.index if g != "all"]
    model = _Model(counts, bases, everything, set(groups) | set(hidden_bases), rows_sum, sizes)
    keys = list(model.index)
    truth = np.array([model.truth[k] for k in keys], dtype=float)
    must = np.array([_must_hide(k, hidden, hidden_bases) for k in keys])
    free = np.array([k[1] != "base" and not m for k, m in zip(keys, must, strict=True)])
    sensitive = set(sensitive_rows(counts, bases, hidden_bases))
    judged = [
        i
        for i, k in enumerate(keys)
        if k[0] in sensitive
        and k[1] not in left_out
        and 0 < truth[i] < MIN_RANGE
        and (not judge or k in judge)
    ]
    matrix, low, high = _adjustments(model, truth, judged)
    n = len(keys)
    cost = np.zeros(matrix.shape[1])
    cost[:n] = 1 + truth / (model.total + 1)
    lower = np.full(matrix.shape[1], -np.inf)
    upper = np.full(matrix.shape[1], np.inf)
    lower[:n], upper[:n] = must.astype(float), (must | free).astype(float)
    for k in range(len(judged)):
        lower[n + k * (2 * n + 2) + 2 * n : n + (k + 1) * (2 * n + 2)] = 0.0  # u, w >= 0
    integrality = np.zeros(matrix.shape[1])
    integrality[:n] = 1
    found = milp(cost, constraints=LinearConstraint(matrix, low, high),
                 bounds=Bounds(lower, upper), integrality=integrality)  # fmt: skip
    if not found.success:
        return None
    chosen = hidden.copy()
    for i, key in enumerate(keys):
        if key[0] in groups and key[1] != "base" and found.x[i] > 0.5:
            chosen.at[key] = True
    return chosen


def _must_hide(key: tuple, hidden: pd.DataFrame, hidden_bases) -> bool:
    """Return True for a count the table must hide: missing-profile counts, hidden groups'."""
    group, option = key
    if group == MISSING or group in hidden_bases:
        return True
    return option != "base" and bool(hidden.at[group, option])


def _adjustments(model: _Model, truth: np.ndarray, judged: list[int]):
    """Return the constraint matrix and bounds of ``_master`` (a sparse matrix)."""
    from scipy.sparse import coo_matrix

    a, low, high = model.constraints()
    a_rows, a_cols = np.nonzero(a)
    n, m = len(truth), a.shape[0]
    slack_low, slack_high = low - a @ truth, high - a @ truth
    rows, cols, vals, lo, hi = [], [], [], [], []
    line = 0
    for k, p in enumerate(judged):
        start = n + k * (2 * n + 2)
        for d in range(2):
            off = start + d * n
            rows += list(line + a_rows)
            cols += list(off + a_cols)
            vals += list(a[a_rows, a_cols])
            lo += list(slack_low)
            hi += list(slack_high)
            line += m
            for i in range(n):  # a count moves only when hidden, and never below 0
                rows += [line, line, line + 1, line + 1]
                cols += [off + i, i, off + i, i]
                vals += [1.0, truth[i], 1.0, -float(model.total)]
                lo += [0.0, -np.inf]
                hi += [np.inf, 0.0]
                line += 2
        u, w = start + 2 * n, start + 2 * n + 1
        rows += [line, line, line + 1, line + 1, line + 2, line + 2]
        cols += [start + p, u, start + n + p, w, u, w]
        vals += [1.0, -1.0, 1.0, 1.0, 1.0, 1.0]
        lo += [0.0, 0.0, float(MIN_RANGE)]
        hi += [0.0, 0.0, np.inf]
        line += 3
    width = n + len(judged) * (2 * n + 2)
    if not judged:  # nothing to protect: one empty row keeps the program well formed
        return coo_matrix((1, width)).tocsr(), np.zeros(1), np.zeros(1)
    matrix = coo_matrix((vals, (rows, cols)), shape=(line, width)).tocsr()
    return matrix, np.array(lo), np.array(hi)


def _primary(
    counts: pd.DataFrame, bases: pd.Series, groups: list, always: frozenset[str] = frozenset()
) -> tuple[pd.DataFrame, set]:
    """Return the groups whose size is hidden, and their cells (whole rows)."""
    hidden = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    sizes = {g: int(bases[g]) for g in groups}  # the rule before pooling, kept for the bench
    hidden_bases = hide_groups(sizes, int(bases["all"]), always, rule_aware=False)
    for g in hidden_bases:
        hidden.loc[g, :] = True
    return hidden, hidden_bases


def suppress(
    counts: pd.DataFrame,
    bases: pd.Series,
    rows_sum_to_base: bool,
    always: frozenset[str] = frozenset(),
) -> tuple[pd.DataFrame, frozenset[str]]:
    """Return the cells a breakdown must hide (the hidden groups' rows) and those groups.

    ``counts`` has one row per group plus an ``all`` row of column totals; what else to hide
    so that no hidden cell can be recomputed is ``disclosure.protect``'s choice.
    """
    groups = [g for g in counts.index if g != "all"]
    hidden, hidden_bases = _primary(counts, bases, groups, always)
    hidden.loc["all"] = False  # the question's own table prints the totals
    return hidden, frozenset(hidden_bases - {"all"})
