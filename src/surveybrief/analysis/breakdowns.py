"""Breakdowns of a question by a respondent profile (e.g. field of expertise), safely.

Small groups identify people in an expert panel: the groups are those of ``profile.grouping``,
where a group of 1 to 4 respondents is shown only together with others, in one row (a threshold
on groups: within a group of 5 or more, counts are shown as they are, as the question's own
table shows those of all respondents). Where no such row can be made (nothing with respondents
would be left beside it), the table is not published. Significance marks (group against the rest
of the panel, Fisher's exact test; not for the pooled row, which is no group) are given only
where both bases reach the minimum for tests. Their p-values are Holm-adjusted over a family:
one table alone, or, through ``mark_family``, every breakdown of a chapter together. A
comparison that is another one seen from the other side (the second of two groups that make up
the panel, the second of two answers that make up every answer) is not a test of its own: it
takes its pair's mark, reversed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from surveybrief.analysis.disclosure import Protection
from surveybrief.analysis.profile import MIN_CELL as MIN_CELL  # the tables' threshold
from surveybrief.analysis.profile import POOLED, Grouping, grouping
from surveybrief.analysis.stats import fisher_exact_p, holm_adjusted
from surveybrief.config import NOT_REPORTED_CODE, SMALL_BASE_N
from surveybrief.inputs.codebook import Question

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class Breakdown:
    """Counts per group and option, with what is suppressed and the significance marks."""

    question: Question
    profile: Question
    counts: pd.DataFrame  # index: group codes + "all"; columns: option codes
    bases: pd.Series  # respondents per group who answered the question
    suppressed: pd.DataFrame  # same shape as counts, True where hidden
    marks: pd.DataFrame  # "▲", "▼" or ""
    hidden_bases: frozenset[str] = frozenset()  # groups whose size is not shown
    n_tests: int = 0  # comparisons made in this table
    #: Comparisons in the family Holm's adjustment covered (this table, or its chapter's).
    family_tests: int = 0
    #: (group, option, p, higher?) of each comparison made, before adjustment.
    tests: tuple = ()
    #: ((group, option), (group, option)) pairs: a cell whose comparison is its pair's, reversed.
    mirrors: tuple = ()
    #: False when no suppression protects its small cells: the table is not published at all.
    is_safe: bool = True
    #: Options too rare in all to break down (their total is under 5): left out of the table.
    left_out: frozenset[str] = frozenset()
    #: How the profile's groups are shown (``profile`` is its ``profile``: small groups pooled).
    grouping: Grouping | None = None

    @property
    def shown_options(self) -> list[str]:
        """Return the options the table shows (those not left out), in codebook order."""
        return [c for c in self.counts.columns if c not in self.left_out]

    @property
    def is_empty(self) -> bool:
        """Return True if no group has data, or the table cannot be published safely."""
        return self.bases.drop("all").sum() == 0 or not self.is_safe


def _answered_and_counts(responses: pd.DataFrame, question: Question):
    if question.kind.several:
        block = responses[question.option_columns]
        answered = block.notna().any(axis=1)
        counts = pd.DataFrame(
            {
                c: (block[col] == 1).fillna(False)
                for c, col in zip(question.codes, question.option_columns, strict=True)
            }
        )
        return answered, counts.astype(int)
    values = responses[question.id].astype("string")
    answered = values.notna()
    codes = list(question.codes)
    if (values == NOT_REPORTED_CODE).any():
        codes.append(NOT_REPORTED_CODE)
    counts = pd.DataFrame({c: (values == c).fillna(False) for c in codes})
    return answered, counts.astype(int)


def breakdown_counts(
    responses: pd.DataFrame,
    question: Question,
    profile: Question,
    groups: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.Series]:
    """Return the counts of ``question`` per group of ``profile`` (and ``all``), and the bases.

    ``groups``: each respondent's group, when not the profile's column as answered (a
    ``Grouping``'s, whose ``profile`` is then the question passed).
    """
    answered, indicator = _answered_and_counts(responses, question)
    if groups is None:
        groups = responses[profile.id].astype("string")
    rows, bases = {}, {}
    for code in profile.codes:
        member = (groups == code).fillna(False) & answered
        rows[code] = indicator[member].sum()
        bases[code] = int(member.sum())
    rows["all"] = indicator[answered].sum()
    bases["all"] = int(answered.sum())
    return pd.DataFrame(rows).T.astype(int), pd.Series(bases)


def breakdown(
    responses: pd.DataFrame, question: Question, profile: Question, always=frozenset()
) -> Breakdown:
    """Return the breakdown of ``question`` by the groups of ``profile``, as every table shows them.

    Small groups are pooled as in the respondent-profile table (``profile.grouping``); groups
    that table hides are hidden here too, so that no table's shown sizes recompute another's.
    ``always``: groups another wave's table of the same people pools (pooled here too).
    """
    shown = grouping(responses, profile, always)
    profile, groups = shown.profile, shown.groups(responses)
    counts, base_series = breakdown_counts(responses, question, profile, groups)
    bases = base_series.to_dict()
    rows_sum = not question.kind.several
    guarded = _protected(counts, shown)
    hidden, hidden_bases, is_safe = guarded.hidden, guarded.hidden_bases, guarded.is_safe
    cells = _comparisons(counts, bases, hidden, profile, guarded.left_out)
    mirrors = _mirrors(cells, counts, bases, rows_sum, guarded.left_out)
    tests = []  # (group, option, p, higher?) for every comparison that is its own test
    for g, c in (cell for cell in cells if cell not in mirrors):
        rest_base = bases["all"] - bases[g]
        k, rest_k = counts.at[g, c], counts.at["all", c] - counts.at[g, c]
        p = fisher_exact_p(rest_k, rest_base, k, bases[g])
        tests.append((g, c, p, k / bases[g] > rest_k / rest_base))
    table = Breakdown(
        question, profile, counts, base_series, hidden,
        pd.DataFrame("", index=counts.index, columns=counts.columns), hidden_bases, len(tests),
        0, tuple(tests), tuple(mirrors.items()), is_safe, guarded.left_out, shown,
    )  # fmt: skip
    return mark_family([table])[0]  # alone, the table is its own family


def _protected(counts: pd.DataFrame, shown: Grouping) -> Protection:
    """Return what the table hides: nothing where every group it shows has 5 or more members.

    Within a group of 5 or more, counts are shown as they are (a small base is said by the base
    printed beside it). Where the profile's small groups cannot be pooled, every group would
    be hidden: the table is not published.
    """
    hidden = pd.DataFrame(False, index=counts.index, columns=counts.columns)
    if not shown.hidden:
        return Protection(hidden, frozenset(), True)
    hidden.loc[[g for g in counts.index if g != "all"]] = True
    return Protection(hidden, frozenset(shown.hidden & set(counts.index)), False)


def _comparisons(counts, bases, hidden, profile: Question, left_out) -> list[tuple[str, str]]:
    """Return the shown cells of groups that, like the rest of the panel, reach the minimum."""
    return [
        (g, c)
        for g in profile.codes
        if g != POOLED and bases[g] >= SMALL_BASE_N and bases["all"] - bases[g] >= SMALL_BASE_N
        for c in counts.columns
        if not hidden.at[g, c] and c not in left_out
    ]


def _mirrors(cells, counts, bases, rows_sum: bool, left_out) -> dict:
    """Return the compared cells that are another comparison seen from the other side.

    Two groups that make up all who answered: the second against the rest is the first against
    the rest, reversed. Two answers that make up every answer (one per respondent): the second's
    share is what the first leaves.
    """
    mirrors = {}
    groups = list(dict.fromkeys(g for g, _c in cells))
    if len(groups) == 2 and bases[groups[0]] + bases[groups[1]] == bases["all"]:
        first, second = groups
        mirrors |= {(g, c): (first, c) for g, c in cells if g == second and (first, c) in cells}
    shown = [c for c in counts.columns if c not in left_out]
    if rows_sum and len(shown) == 2 and (counts[shown].sum(axis=1) == pd.Series(bases)).all():
        mirrors |= {
            (g, c): (g, shown[0])
            for g, c in cells
            if c == shown[1] and (g, shown[0]) in cells and (g, c) not in mirrors
        }
    return mirrors


def mark_family(tables: list[Breakdown]) -> list[Breakdown]:
    """Mark significant cells of ``tables``, Holm-adjusting all their tests as one family."""
    family = [(i, t) for i, b in enumerate(tables) for t in b.tests]
    adjusted = holm_adjusted([t[2] for _i, t in family])
    marks = [pd.DataFrame("", index=b.counts.index, columns=b.counts.columns) for b in tables]
    for (i, (g, c, _p, higher)), p in zip(family, adjusted, strict=True):
        if p < SIGNIFICANCE:
            marks[i].at[g, c] = "▲" if higher else "▼"
    for i, b in enumerate(tables):
        pairs = dict(b.mirrors)
        for cell in pairs:
            root, flips = cell, 0
            while root in pairs:  # a mirror of a mirror: reversed twice
                root, flips = pairs[root], flips + 1
            mark = marks[i].at[root]
            marks[i].at[cell] = {"▲": "▼", "▼": "▲", "": ""}[mark] if flips % 2 else mark
    found = len(family)
    return [replace(b, marks=m, family_tests=found) for b, m in zip(tables, marks, strict=True)]


def breakdown_frame(b: Breakdown, lang: str = "en") -> pd.DataFrame:
    """Return the breakdown as a table for CSV: group, base, then % per option (blank if hidden)."""
    rows = []
    for g in b.counts.index:
        label = "All respondents" if g == "all" else b.profile.option_label(g, lang)
        base = int(b.bases[g])
        row = {"group": label, "base": None if g in b.hidden_bases else base}
        for c in b.shown_options:
            pct = 100 * b.counts.at[g, c] / base if base else np.nan
            row[b.question.option_label(c, lang)] = None if b.suppressed.at[g, c] else pct
        rows.append(row)
    table = pd.DataFrame(rows)
    table["base"] = table["base"].astype("Int64")
    return table
