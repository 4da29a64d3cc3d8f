"""``make bench``, disclosure: three rules on generated expert panels, side by side, attacked.

SYNTHETIC waves (20-120 respondents, 2-6 profile groups, some of 1-4; single-choice and
multi-select questions with skewed answers) are broken down by their profile, and each
breakdown protected by three rules:

* ``naive``: groups under 5 hidden (with the groups that keep their sizes open), nothing more;
* ``greedy``: an earlier rule of this project, a cell rule (every count of 1-4 hidden, in any
  group), with partners hidden smallest-first row by row and column by column, the "All
  respondents" cell hidden when nothing else is left, whole tables withheld when a pinned cell
  cannot be fixed — kept here as the baseline it is measured against;
* ``least_cost``: the rule before pooling (``disclosure.suppress`` + ``disclosure.protect``): a
  threshold on groups, the small ones hidden with least-cost secondary suppression;
* ``pooled``: the product's rule (``profile.grouping``): the groups ``naive`` hides are shown
  together as one row, "Other groups together", and nothing is hidden; a table is withheld
  only where nothing would be shown beside that row.

Each is attacked with the reader's integer program over the union of what the wave publishes:
the question's own table prints every "All respondents" count (a hidden one there is known),
the profile table the shown group sizes. Reported per rule: the share of the cells of groups
of 5 or more that are hidden (of all such groups, and of those shown: a group of 5 or more
hidden whole beside a smaller one counts in the first only), of tables withheld, of options
left out, and the hidden counts of 1-4 an attacker recovers (any hidden count of 1-4).

For ``pooled``: the cells of groups of 5 or more shown only inside the pooled row are counted
apart (``..._pooled_pct``); the recovered figure counts pooled groups whose size a reader
narrows below 5 values; ``pooled_counts_narrowed`` counts the counts of 1-4 of a pooled group
that a reader narrows below 5 values from the pooled row — not protected, as the pool (5 or
more) is the group shown and the group is the unit of protection; it is the ``naive`` rule's
recovered figure, the same knowledge. ``tables_withheld_with_two_groups_...`` leaves out the
tables of a profile with a single group of 5 or more: the total less that group's size is the
rest, so no rule shows a group there (``least_cost`` publishes them with every group hidden,
``pooled`` withholds them).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from surveybrief.analysis.breakdowns import MIN_CELL
from surveybrief.analysis.disclosure import (
    MIN_RANGE,
    MISSING,
    feasible_ranges,
    protect,
    replayed_sizes,
    suppress,
)
from surveybrief.analysis.profile import hide_groups, pinned_groups


def panel_tables(seed: int) -> list[tuple[pd.DataFrame, pd.Series, bool, dict]]:
    """Return one SYNTHETIC wave's breakdowns: (counts with "all", bases, single?, sizes)."""
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(20, 121)), int(rng.integers(2, 7))
    weights = rng.dirichlet(np.full(k, 0.8))
    group = rng.choice(k, size=n, p=weights)
    sizes = {f"g{g}": int((group == g).sum()) for g in range(k)}
    tables = []
    for q in range(5):
        options = int(rng.integers(3, 7))
        probs = rng.dirichlet(np.full(options, 1.2))
        single = q < 3
        rows = []
        for g in range(k):
            members = int((group == g).sum())
            if single:
                rows.append(rng.multinomial(members, probs))
            else:
                rows.append(rng.binomial(members, np.minimum(probs * 2, 0.9)))
        counts = pd.DataFrame(rows, index=list(sizes), columns=[f"o{j}" for j in range(options)])
        counts.loc["all"] = counts.sum()
        bases = pd.Series(sizes | {"all": n}) if not single else counts.sum(axis=1)
        tables.append((counts, bases.astype(int), single, sizes))
    return tables


def _naive(counts, bases, single, sizes, cells: bool = False):
    groups = [g for g in counts.index if g != "all"]
    hidden = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    hidden_bases = hide_groups(sizes, int(bases["all"]), rule_aware=False)  # as it was
    for g in hidden_bases:
        hidden.loc[g] = True
    if cells:
        hidden.loc[groups] |= (counts.loc[groups] > 0) & (counts.loc[groups] < MIN_CELL)
    return hidden, frozenset(hidden_bases), True, frozenset()


def _least_cost(counts, bases, single, sizes):
    hidden, hidden_bases = suppress(
        counts, bases, single, frozenset(hide_groups(sizes, sum(sizes.values()), rule_aware=False))
    )
    guarded = protect(counts, bases, hidden, hidden_bases, single, _shown(sizes, hidden_bases))
    return guarded.hidden, guarded.hidden_bases, guarded.is_safe, guarded.left_out


def _shown(sizes: dict, hidden_bases) -> dict:
    return {g: n for g, n in sizes.items() if g not in hidden_bases} | {MISSING: 0}


def _greedy(counts, bases, single, sizes):
    """Return the earlier rule's hiding: greedy partners, then more (All cells too)."""
    groups = [g for g in counts.index if g != "all"]
    hidden, hidden_bases = _naive(counts, bases, single, sizes, cells=True)[:2]
    hidden_bases = set(hidden_bases)
    if hidden_bases and not [g for g in groups if g not in hidden_bases and bases[g] > 0]:
        hidden_bases.add("all")
    changed = True
    while changed:
        changed = False
        for g in [*groups, "all"] if single else []:
            free = [c for c in counts.columns if not hidden.at[g, c]]
            if hidden.loc[g].sum() == 1 and free:
                hidden.at[g, min(free, key=lambda c: counts.at[g, c])] = changed = True
        for c in counts.columns:
            if hidden.loc[groups, c].sum() == 1:
                free = [g for g in groups if not hidden.at[g, c] and bases[g] > 0]
                cell = (min(free, key=lambda g: counts.at[g, c]), c) if free else ("all", c)
                changed = changed or bool(free)
                hidden.at[cell] = True
    return _greedy_protect(counts, bases, hidden, frozenset(hidden_bases), single, sizes)


def _greedy_protect(counts, bases, hidden, hidden_bases, single, sizes):
    groups = [g for g in counts.index if g != "all"]
    shown = _shown(sizes, hidden_bases)
    for _ in range(counts.size + len(groups) + 1):
        ranges = feasible_ranges(counts, bases, hidden, hidden_bases, single, shown)
        found = [
            k for k, (v, lo, hi) in ranges.items() if 0 < v < MIN_RANGE and hi - lo < MIN_RANGE
        ]
        if not found:
            return hidden, hidden_bases, True, frozenset()
        group, option = found[0]
        cells = [(group, c) for c in counts.columns] + (
            [(g, option) for g in groups] if option != "base" else []
        )
        free = [cell for cell in cells if not hidden.at[cell]]
        if not free:
            totals = [("all", option)] if option != "base" else []
            free = [cell for cell in totals if not hidden.at[cell]]
            if not free:
                return hidden, hidden_bases, False, frozenset()
        hidden.at[min(free, key=lambda cell: (counts.at[cell], str(cell)))] = True
    return hidden, hidden_bases, False, frozenset()


def _pooled(counts, bases, single, sizes, rule_aware: bool = True):
    """Return the pooled groups' rows (shown together, none alone); withheld if nothing else."""
    members = hide_groups(sizes, sum(sizes.values()), rule_aware=rule_aware)
    left = [g for g, n in sizes.items() if g not in members and n > 0]
    hidden = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    for g in members:
        hidden.loc[g] = True
    return hidden, frozenset(members), not members or bool(left), frozenset()


def _pooled_before(counts, bases, single, sizes):
    """Return the pooling of the session before: open to a reader of the sums only."""
    return _pooled(counts, bases, single, sizes, rule_aware=False)


def _sizes_narrowed(sizes: dict, members) -> int:
    """Return the pooled groups whose size a reader narrows below 5 values (1 to P - k + 1)."""
    together = sum(sizes[g] for g in members)
    return sum(1 for g in members if together - len(members) < MIN_RANGE)


RULES = {
    "naive": _naive,
    "greedy": _greedy,
    "least_cost": _least_cost,
    "pooled_sums_only": _pooled_before,
    "pooled": _pooled,
}
#: Rules whose ``hidden_bases`` are pooled groups: shown together in one row, not hidden.
POOLING_RULES = {"pooled", "pooled_sums_only"}

#: The cell rule (counts of 1-4 hidden in every group) the greedy baseline protects.
CELL_RULES = {"greedy"}


def _recovered(counts, bases, hidden, hidden_bases, single, sizes, left_out) -> int:
    """Return the hidden counts of 1-4 the reader pins, knowing the question's own totals."""
    known = hidden.copy()
    known.loc["all"] = False  # the question's own table prints every total
    bases_hidden = set(hidden_bases) - {"all"}
    ranges = feasible_ranges(
        counts, bases, known, bases_hidden, single, _shown(sizes, bases_hidden)
    )
    return sum(
        1
        for (g, c), (v, lo, hi) in ranges.items()
        if 0 < v < MIN_RANGE and hi - lo < MIN_RANGE and c not in left_out
    )


def _pct(part: int, whole: int) -> float:
    return round(100 * part / max(whole, 1), 1)


def _score(rule: str, tables) -> dict:
    seen = {"cells": 0, "hidden": 0, "pooled": 0, "shown_cells": 0, "shown_hidden": 0}
    withheld = left = recovered = options = narrowed = lone = told = 0
    pooling = rule in POOLING_RULES
    start = time.perf_counter()
    for counts, bases, single, sizes in tables:
        hidden, hidden_bases, safe, left_out = RULES[rule](counts, bases, single, sizes)
        options += len(counts.columns)
        if not safe:
            withheld += 1
            lone += sum(n >= MIN_CELL for n in sizes.values()) <= 1  # no rule could show a group
            continue
        left += len(left_out)
        _count_cells(seen, counts, hidden, hidden_bases, left_out, sizes, pooling)
        found = _recovered(counts, bases, hidden, hidden_bases, single, sizes, left_out)
        if pooling:  # nothing is hidden; the pooled groups' sizes are what a reader may narrow
            narrowed += found
            found = _sizes_narrowed(sizes, hidden_bases)
            told += len(pinned_groups(sizes, hidden_bases))
        recovered += found
    scores = {
        "tables": len(tables),
        "cells_of_groups_of_5_or_more_hidden_pct": _pct(seen["hidden"], seen["cells"]),
        "cells_of_shown_groups_of_5_or_more_hidden_pct": _pct(
            seen["shown_hidden"], seen["shown_cells"]
        ),
        "cells_of_groups_of_5_or_more_pooled_pct": _pct(seen["pooled"], seen["cells"]),
        "tables_withheld_pct": round(100 * withheld / len(tables), 1),
        "tables_withheld_with_two_groups_of_5_or_more_pct": round(
            100 * (withheld - lone) / len(tables), 1
        ),
        "options_left_out_pct": round(100 * left / max(options, 1), 1),
        "recoverable_hidden_counts": recovered,
        "seconds": round(time.perf_counter() - start, 1),
    }
    pooled = {"pooled_counts_narrowed": narrowed, "pooled_sizes_told_to_a_rule_aware_reader": told}
    return scores | (pooled if pooling else {})


def _count_cells(seen, counts, hidden, hidden_bases, left_out, sizes, pooling: bool) -> None:
    """Add a table's cells of groups of 5 or more: hidden, pooled, of groups shown alone."""
    for g in (g for g, n in sizes.items() if n >= MIN_CELL):
        for c in counts.columns:
            is_pooled = pooling and g in hidden_bases
            is_hidden = not is_pooled and (
                bool(hidden.at[g, c]) or c in left_out or g in hidden_bases
            )
            seen["cells"] += 1
            seen["hidden"] += is_hidden
            seen["pooled"] += is_pooled
            if g not in hidden_bases:  # a group shown, not one hidden beside a smaller one
                seen["shown_cells"] += 1
                seen["shown_hidden"] += is_hidden


def disclosure_targets(m: dict) -> dict:
    """Return the disclosure targets: nothing recoverable, little hidden, almost none withheld."""
    if "disclosure" not in m:
        return {}
    new = m["disclosure"]["pooled"]
    told = m.get("disclosure_rule_aware", {}).get("pooled", {}).get("told", 0)
    targets = {
        "disclosure_nothing_recoverable": {
            "value": new["recoverable_hidden_counts"],
            "holds": new["recoverable_hidden_counts"] == 0,
        },
        "disclosure_no_pooled_size_told_to_a_reader_who_knows_the_rule": {
            "value": new["pooled_sizes_told_to_a_rule_aware_reader"] + told,
            "holds": new["pooled_sizes_told_to_a_rule_aware_reader"] + told == 0,
        },
        "disclosure_at_most_1pct_tables_withheld": {
            "value": new["tables_withheld_pct"],
            "holds": new["tables_withheld_pct"] <= 1,
        },
        "disclosure_at_most_1pct_tables_withheld_where_two_groups_have_5_or_more": {
            "value": new["tables_withheld_with_two_groups_of_5_or_more_pct"],
            "holds": new["tables_withheld_with_two_groups_of_5_or_more_pct"] <= 1,
        },
        "disclosure_at_most_10pct_cells_of_groups_of_5_or_more_hidden": {
            "value": new["cells_of_groups_of_5_or_more_hidden_pct"],
            "holds": new["cells_of_groups_of_5_or_more_hidden_pct"] <= 10,
        },
        "disclosure_at_most_10pct_cells_of_shown_groups_of_5_or_more_hidden": {
            "value": new["cells_of_shown_groups_of_5_or_more_hidden_pct"],
            "holds": new["cells_of_shown_groups_of_5_or_more_hidden_pct"] <= 10,
        },
    }
    check = m.get("publication_check")
    if check:
        share = check["seconds"] / check["run_seconds"]
        targets["publication_check_at_most_10pct_of_a_cold_run"] = {
            "value": round(share, 3),
            "holds": share <= 0.10,
        }
    return targets


def disclosure_bench(waves: int = 40) -> dict:
    """Return each rule's figures on ``waves`` generated panels (5 breakdowns each)."""
    tables = [t for seed in range(waves) for t in panel_tables(seed)]
    return {rule: _score(rule, tables) for rule in RULES}


def rule_aware_bench(profiles: int = 500) -> dict:
    """Return, per pooling rule, what it costs and tells a reader who replays it, on many profiles.

    Sizes only (no table, no integer program), so many more profiles than ``disclosure_bench``.
    The reader replays the rule over every split of the pooled total (``replayed_sizes``); a
    pooled group of 1-4 left a single size is told. ``approximated``: profiles with too many
    splits to try, judged by ``pinned_groups`` (a reader granted which groups are small).
    """
    found = {}
    for name, aware in (("pooled_sums_only", False), ("pooled", True)):
        row = {"profiles": profiles, "withheld": 0, "groups_of_5_or_more_pooled": 0, "told": 0}
        row["approximated"] = 0

        def rule(found_sizes, aware=aware):
            return hide_groups(found_sizes, sum(found_sizes.values()), rule_aware=aware)

        for seed in range(profiles):
            sizes = panel_tables(seed)[0][3]
            pooled = rule(sizes)
            if pooled and not [g for g, n in sizes.items() if g not in pooled and n > 0]:
                row["withheld"] += 1
                continue
            row["groups_of_5_or_more_pooled"] += sum(sizes[g] >= MIN_CELL for g in pooled)
            row["told"] += _told(sizes, pooled, rule, row)
        found[name] = row
    return found


def _told(sizes: dict, pooled: set, rule, row: dict) -> int:
    """Return the pooled groups of 1-4 a reader replaying ``rule`` pins to one size."""
    if not pooled:
        return 0
    seen = replayed_sizes(sizes, pooled, rule)
    if seen is None:
        row["approximated"] += 1
        return len(pinned_groups(sizes, pooled))
    return sum(1 for g, values in seen.items() if sizes[g] < MIN_CELL and len(values) == 1)
