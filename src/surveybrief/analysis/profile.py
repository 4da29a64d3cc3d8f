"""The respondent profile: how many experts fall in each group of a profile question, safely.

A group of 1 to 4 respondents would identify its members in an expert panel, so no table shows
one as itself. Such groups are shown together, as one row "Other groups together" (global
recoding, the first step of statistical disclosure control in tau-ARGUS and sdcMicro), with as
many more groups, smallest first, as it takes for each member's size to keep a range of at least
``MIN_CELL`` values to a reader who knows the total and every size shown, and to stay more than
one value to a reader who also knows this rule and which pooled groups are the small ones
(``rule_aware_ranges``; conservative: such a reader is granted more than the tables say).
Every table of the wave (Who answered, each breakdown, the explore views) shows the profile so
grouped, so no table recomputes what another pools. Only where nothing is left to show beside
the pooled row are the groups hidden instead. Respondents who did not answer the profile
question form a group of their own (pooled like any group of 1-4).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from surveybrief.inputs.codebook import Option, Question
from surveybrief.text import N_

#: The fewest respondents a group shown as itself may have.
MIN_CELL = 5
#: Columns of ``tables/profile_<question>.csv`` (count and pct blank where not shown).
PROFILE_COLUMNS = ["option", "label", "count", "pct", "is_suppressed", "is_pooled"]
NOT_ANSWERED = "not_answered"
#: The code of the row that shows the groups too small to show alone, together.
POOLED = "other_groups"
POOLED_LABEL = N_("Other groups together")
NOT_ANSWERED_LABEL = N_("Not answered")


def hide_groups(
    sizes: dict[str, int],
    total: int,
    always: frozenset[str] = frozenset(),
    rule_aware: bool = True,
) -> set:
    """Return the groups whose size is not shown, given the total that is shown.

    Groups of 1-4 are hidden, and so are ``always`` (hidden elsewhere, e.g. in the profile
    table). The hidden groups together hold ``total`` minus the shown sizes, so each could be
    any size from 1 to that sum less one per other hidden group: more groups are hidden,
    smallest first, until that range spans at least ``MIN_CELL`` values for each, and until a
    reader who also knows this rule cannot pin any of their sizes (``rule_aware_ranges``;
    ``rule_aware=False`` is the rule before, kept for ``make bench`` to compare).
    """
    hidden = {g for g, n in sizes.items() if 0 < n < MIN_CELL or g in always}
    while hidden:
        together = total - sum(n for g, n in sizes.items() if g not in hidden)
        if (
            len([g for g in hidden if sizes[g] > 0]) >= 2
            and together - len(hidden) >= MIN_CELL
            and not (rule_aware and pinned_groups(sizes, hidden))
        ):
            break
        shown = [g for g in sizes if g not in hidden and sizes[g] > 0]
        if not shown:
            break
        hidden.add(min(shown, key=lambda g: (sizes[g], list(sizes).index(g))))
    return hidden


def rule_aware_ranges(sizes: dict[str, int], hidden) -> dict[str, tuple[int, int]]:
    """Return the sizes each hidden group may have, to a reader who knows the hiding rule.

    That reader sees the shown sizes and so the hidden groups' total; knows a group hidden
    for being small has 1 to ``MIN_CELL`` - 1 members, and one hidden beside it (smallest
    first) at least ``MIN_CELL`` and at most the smallest size still shown. We grant the reader
    which is which (more than the tables say), so the ranges are the narrowest a reader can
    get from the sums; a sum over boxes reaches every integer between its bounds.
    """
    members = [g for g in hidden if sizes.get(g, 0) > 0]
    together = sum(sizes[g] for g in members)
    cap = min((n for g, n in sizes.items() if g not in hidden and n > 0), default=together)
    bounds = {  # a group hidden elsewhere (``always``) may be larger than the smallest shown
        g: (1, MIN_CELL - 1) if sizes[g] < MIN_CELL else (MIN_CELL, max(cap, sizes[g]))
        for g in members
    }
    low, high = sum(b[0] for b in bounds.values()), sum(b[1] for b in bounds.values())
    return {
        g: (max(lo, together - (high - hi)), min(hi, together - (low - lo)))
        for g, (lo, hi) in bounds.items()
    }


def pinned_groups(sizes: dict[str, int], hidden) -> list[str]:
    """Return the hidden groups of 1-4 whose size a reader who knows the rule can tell exactly."""
    ranges = rule_aware_ranges(sizes, hidden)
    return [g for g, (lo, hi) in ranges.items() if sizes[g] < MIN_CELL and lo >= hi]


@dataclass(frozen=True)
class Grouping:
    """A profile question as every table shows it: its groups, small ones pooled."""

    source: Question  # the codebook's question
    profile: Question  # the groups shown as themselves, then ``POOLED`` when some are pooled
    #: Codes shown together in the ``POOLED`` row (``NOT_ANSWERED`` when 1-4 did not answer).
    pooled: tuple[str, ...] = ()
    #: Groups hidden whole: only where pooling would leave nothing shown beside the pool.
    hidden: frozenset[str] = frozenset()

    @property
    def not_shown(self) -> frozenset[str]:
        """Return the groups (and ``NOT_ANSWERED``) no table shows as themselves."""
        return self.hidden | frozenset(self.pooled)

    def groups(self, responses: pd.DataFrame) -> pd.Series:
        """Return each respondent's group as the tables show it (NA: not answered, not pooled)."""
        values = responses[self.source.id].astype("string")
        if not self.pooled:
            return values
        pooled = values.isin([c for c in self.pooled if c != NOT_ANSWERED]).fillna(False)
        if NOT_ANSWERED in self.pooled:
            pooled |= values.isna()
        return values.mask(pooled, POOLED)

    def member_labels(self, lang: str = "en") -> list[str]:
        """Return the labels of the pooled groups (``NOT_ANSWERED`` untranslated: see brief)."""
        return [
            NOT_ANSWERED_LABEL if c == NOT_ANSWERED else self.source.option_label(c, lang)
            for c in self.pooled
        ]


def group_sizes(responses: pd.DataFrame, question: Question) -> dict[str, int]:
    """Return each group's size, ``NOT_ANSWERED`` last (the truth the tables protect)."""
    values = responses[question.id].astype("string")
    counts = {code: int((values == code).sum()) for code in question.codes}
    counts[NOT_ANSWERED] = int(values.isna().sum())
    return counts


def grouping(
    responses: pd.DataFrame, question: Question, always: frozenset[str] = frozenset()
) -> Grouping:
    """Return how the tables show ``question``'s groups: which are pooled, which hidden.

    The groups ``hide_groups`` would hide (1-4 respondents, and as few more as it takes) are
    pooled; if nothing with respondents would be left beside the pool, they are hidden instead.
    ``always``: groups another table of the same people does not show (pooled here too).
    """
    sizes = group_sizes(responses, question)
    hidden = hide_groups(sizes, sum(sizes.values()), always)
    left = [g for g, n in sizes.items() if g not in hidden and n > 0]
    if not hidden or not left:
        return Grouping(question, question, hidden=frozenset(hidden))
    pooled = tuple(g for g in sizes if g in hidden)
    options = tuple(o for o in question.options if o.code not in pooled)
    found = Grouping(question, question, pooled)
    label = f"{POOLED_LABEL}: {', '.join(found.member_labels())}"  # English: tables are data
    shown = replace(question, options=(*options, Option(POOLED, {"en": label})))
    return replace(found, profile=shown)


def profile_hidden(responses: pd.DataFrame, question: Question) -> frozenset[str]:
    """Return the groups (and ``not_answered``) that no table shows as themselves."""
    return grouping(responses, question).not_shown


def profile_table(responses: pd.DataFrame, question: Question) -> pd.DataFrame:
    """Return the group sizes of a profile question (% of all respondents), as tables show them.

    One row per group (``not_answered`` too when some did not answer), then the pooled row; a
    group pooled or hidden has no count (``is_pooled`` says which: the pooled row counts it).
    """
    sizes, found = group_sizes(responses, question), grouping(responses, question)
    pool = sum(sizes[c] for c in found.pooled)
    total, rows = len(responses), []
    for code, n in [*sizes.items(), (POOLED, pool)]:
        if (code == NOT_ANSWERED and n == 0) or (code == POOLED and not found.pooled):
            continue
        shown = code not in found.not_shown
        rows.append(
            {
                "option": code,
                "label": _label(found, code),
                "count": n if shown else None,
                "pct": 100 * n / total if shown and total else None,
                "is_suppressed": not shown,
                "is_pooled": code in found.pooled,
            }
        )
    table = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    table["count"] = table["count"].astype("Int64")
    return table


def _label(found: Grouping, code: str) -> str:
    """Return a row's English label (the pooled row names its groups: tables are data)."""
    if code == NOT_ANSWERED:
        return NOT_ANSWERED_LABEL
    return (found.profile if code == POOLED else found.source).option_label(code)
