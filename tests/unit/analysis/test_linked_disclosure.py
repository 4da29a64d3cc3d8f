"""What one wave publishes, read together: no hidden count of 1-4 can be recovered from it.

A reader holds every table at once: the question's own table (every option's count and its
base), the "Who answered" table (the group sizes it shows), the breakdowns and the trends.
The attacker here is built from the tables as published (``breakdown_frame``, the question's
table, ``profile_table``), not from the breakdown's own bookkeeping.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveybrief.analysis.breakdowns import breakdown, breakdown_counts, breakdown_frame
from surveybrief.analysis.disclosure import MIN_RANGE, MISSING, feasible_ranges
from surveybrief.analysis.profile import (
    POOLED,
    group_sizes,
    pinned_groups,
    profile_hidden,
    profile_table,
)
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.analysis.trends import _profile_shares, series_rows
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.codebook import Option, Question

GROUPS = ("a", "b", "c", "d", "e", "f")
PROFILE = Question("field", "profile", "s", {"en": "Field"}, {"en": "Field?"},
                   tuple(Option(g, {"en": g.upper()}) for g in GROUPS))  # fmt: skip
SINGLE = Question("q", "single", "s", {"en": "Q"}, {"en": "Q?"},
                  tuple(Option(c, {"en": f"Option {c}"}) for c in "xyzw"))  # fmt: skip
MULTI = Question("m", "multi", "s", {"en": "M"}, {"en": "M?"},
                 tuple(Option(c, {"en": f"Choice {c}"}) for c in ("p", "r", "t")))  # fmt: skip


def _profile_exposed(responses: pd.DataFrame) -> list[tuple]:
    """Return the group sizes of 1-4 "Who answered" shows, or lets a reader narrow below 5."""
    table = profile_table(responses, PROFILE).set_index("option")
    shown = table[~table["is_suppressed"]]
    found = [("shown", g, int(n)) for g, n in shown["count"].items() if 0 < n < MIN_RANGE]
    members = table.index[table["is_pooled"]]
    if len(members):  # each pooled group has 1 to P - (k - 1) members, as far as a reader knows
        pool = int(table.at[POOLED, "count"])
        found += [("pooled", g, pool) for g in members if pool - len(members) < MIN_RANGE]
        sizes = group_sizes(responses, PROFILE)  # and to a reader who knows the pooling rule
        found += [("told", g, sizes[g]) for g in pinned_groups(sizes, set(members))]
    return found


def published_attack(responses: pd.DataFrame, q: Question) -> list[tuple]:
    """Return what a reader pins from the published tables: a hidden count or size of 1-4."""
    b = breakdown(responses, q, PROFILE)
    found = _profile_exposed(responses)
    if b.is_empty:
        return found
    table = breakdown_frame(b).set_index("group")
    labels = {b.profile.option_label(g): g for g in b.profile.codes} | {"All respondents": "all"}
    assert set(table.index) <= set(labels)  # no pooled group as a row of its own
    groups = b.grouping.groups(responses)
    members = groups.value_counts()
    found += [("row", g, int(members[g])) for g in table.index.map(labels)
              if g != "all" and 0 < members.get(g, 0) < MIN_RANGE]  # fmt: skip
    truth, bases = breakdown_counts(responses, q, b.profile, groups)
    hidden = pd.DataFrame(True, index=truth.index, columns=truth.columns)
    shown_options = {q.option_label(c): c for c in q.codes}
    for label, row in table.iterrows():
        for column, value in row.drop("base").items():
            if pd.notna(value):
                hidden.at[labels[label], shown_options[column]] = False
    own = tabulate_question(responses, q).table.set_index("option")
    assert (own.loc[q.codes, "count"].astype(int) == truth.loc["all", q.codes]).all()
    hidden.loc["all"] = False  # printed by the question's own table
    hidden_bases = {labels[g] for g, base in table["base"].items() if pd.isna(base)} - {"all"}
    sizes = profile_table(responses, PROFILE).set_index("option")
    shown = sizes[~sizes["is_suppressed"]]
    known = {(MISSING if o == "not_answered" else o): int(n) for o, n in shown["count"].items()}
    left_out = set(q.codes) - set(shown_options[c] for c in table.columns if c != "base")
    asked = {
        k
        for k in [(g, c) for g in [*truth.index, MISSING] for c in [*q.codes, "base"]]
        if k[0] != "all"
    }  # fmt: skip  (the respondents with no profile too)
    ranges = feasible_ranges(truth, bases, hidden, hidden_bases, q.type != "multi", known, asked)
    return found + [
        (k, v, lo, hi)
        for k, (v, lo, hi) in ranges.items()
        if 0 < v < MIN_RANGE
        and hi - lo < MIN_RANGE
        and k[1] not in left_out
        and (k[0] != MISSING or 0 < groups.isna().sum() < MIN_RANGE)
    ]


def panel(sizes: list[int], seed: int, skip: float = 0.05) -> pd.DataFrame:
    """Return a SYNTHETIC wave: groups of the given sizes, skewed answers, some skipped."""
    rng = np.random.default_rng(seed)
    field = [g for g, n in zip(GROUPS, sizes, strict=False) for _ in range(n)]
    n = len(field)
    frame = {"respondent_id": [f"r{i}" for i in range(n)], "field": field}
    single = rng.choice(["x", "y", "z", "w"], size=n, p=[0.5, 0.3, 0.15, 0.05])
    frame["q"] = [None if rng.random() < skip else s for s in single]
    for c, p in zip(("p", "r", "t"), (0.6, 0.3, 0.1), strict=True):
        frame[f"m__{c}"] = [int(rng.random() < p) for _ in range(n)]
    out = pd.DataFrame(frame).astype({"field": "string", "q": "string"})
    for c in ("p", "r", "t"):
        out[f"m__{c}"] = out[f"m__{c}"].astype("Int8")
    return out


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sizes=st.lists(st.integers(1, 40), min_size=2, max_size=6),
    seed=st.integers(0, 10_000),
)
def test_no_hidden_count_is_recoverable_from_all_a_wave_publishes(sizes, seed):
    responses = panel(sizes, seed)
    for q in (SINGLE, MULTI):
        assert published_attack(responses, q) == []


def test_a_hidden_group_with_base_0_shows_no_base():
    """Profile a=30, b=1 (skipped the question), c=3, d=2, e=10: b's base is not shown as 0."""
    responses = panel([30, 1, 3, 2, 10], seed=3, skip=0.0)
    responses.loc[responses["field"] == "b", "q"] = None
    b = breakdown(responses, SINGLE, PROFILE)
    table = breakdown_frame(b).set_index("group")
    assert profile_hidden(responses, PROFILE) & set(GROUPS) == {"b", "c", "d", "e"}
    assert not {"B", "C", "D", "E"} & set(table.index)  # pooled: 16, no row of their own
    assert table.at["Other groups together: B, C, D, E", "base"] == 15  # b skipped it
    assert published_attack(responses, SINGLE) == []


def test_the_188_expert_table_hides_nothing_its_groups_are_all_31_or_more():
    counts = [[7, 12, 8, 4], [12, 9, 8, 13], [10, 4, 14, 9], [8, 16, 9, 13], [11, 5, 9, 7]]
    rows = [(g, c) for g, row in zip(GROUPS, counts, strict=False)
            for c, n in zip(("x", "y", "z", "w"), row, strict=True) for _ in range(n)]  # fmt: skip
    responses = pd.DataFrame({"field": [g for g, _ in rows], "q": [c for _, c in rows]},
                             dtype="string")  # fmt: skip
    b = breakdown(responses, SINGLE, PROFILE)
    hidden = {(g, c) for g in GROUPS[:5] for c in SINGLE.codes if b.suppressed.at[g, c]}
    assert hidden == set()  # the 4s are counts of groups of 31 and 37: not a small group
    assert not b.suppressed.loc["all"].any()


def test_a_profile_questions_trend_leaves_out_the_groups_its_wave_hides():
    responses = panel([20, 2, 4, 17], seed=5)  # b (2), c (4), and d, which would reveal them

    class Wave:
        id = "2031-06"

    class Codebook:
        @staticmethod
        def question(qid):
            return PROFILE

    data = CleanedWave(Wave, Codebook, responses)
    shares = _profile_shares(PROFILE, data, {c: c for c in PROFILE.codes})
    assert profile_hidden(responses, PROFILE) & set(GROUPS) == {"b", "c", "d"}
    assert set(shares) == {"a", "e", "f"}  # e and f: no one, shown as 0
    assert all(s.base == len(responses) for s in shares.values())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sizes=st.lists(st.integers(5, 40), min_size=2, max_size=4), seed=st.integers(0, 10_000),
       missing=st.integers(1, 4))  # fmt: skip
def test_respondents_who_gave_no_profile_are_protected_as_a_small_group(sizes, seed, missing):
    """1-4 respondents with no profile: never shown, their answers never pinned (review find)."""
    responses = panel(sizes, seed)
    responses.loc[responses.index[:missing], "field"] = None
    for q in (SINGLE, MULTI):
        assert published_attack(responses, q) == []


#: The earlier wave's codebook named the profile's groups otherwise (renamed since).
OLD_PROFILE = Question("field", "profile", "s", {"en": "Field"}, {"en": "Field?"},
                       tuple(Option(f"old_{g}", {"en": g.upper()}) for g in GROUPS))  # fmt: skip


def _wave(wave_id: str, responses: pd.DataFrame, profile: Question = PROFILE) -> CleanedWave:
    codebook = SimpleNamespace(question={"field": profile, "q": SINGLE, "m": MULTI}.get)
    return CleanedWave(SimpleNamespace(id=wave_id, is_reconstructed=False), codebook, responses)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    first=st.lists(st.integers(0, 30), min_size=2, max_size=6).filter(any),
    second=st.lists(st.integers(0, 30), min_size=2, max_size=6).filter(any),
    seed=st.integers(0, 10_000),
)
def test_two_waves_trends_print_no_number_their_waves_own_tables_do_not(first, second, seed):
    """Differencing two waves' figures recovers nothing: the trends add no figure of their own.

    Each wave's trend rows (profile shares, and a question's counts and bases) are numbers that
    wave's own "Who answered" table or the question's own table already prints, under the codes
    that wave used (the earlier one named its groups otherwise), so a reader of both waves and
    the trends holds two publications each proven safe, nothing linking them.
    """
    earlier = panel(first, seed)
    earlier["field"] = ("old_" + earlier["field"]).astype("string")
    renamed = {f"old_{g}": g for g in GROUPS}
    waves = [(earlier, OLD_PROFILE, renamed), (panel(second, seed + 1), PROFILE, None)]
    for i, (responses, profile, code_map) in enumerate(waves):
        data = _wave(f"203{i}-06", responses, profile)
        code_map = code_map or {c: c for c in PROFILE.codes}
        printed = profile_table(responses, profile).set_index("option")
        shown = printed.loc[~printed["is_suppressed"], "count"]
        back = {new: old for old, new in code_map.items()}
        rows = series_rows(PROFILE, data, code_map)
        assert {back[r["option"]] for r in rows} == set(shown.index) - {"not_answered", POOLED}
        for row in rows:
            assert row["count"] == shown[back[row["option"]]] and row["base"] == len(responses)
        for q in (SINGLE, MULTI):
            own = tabulate_question(responses, q).table.set_index("option")
            for row in series_rows(q, data, {c: c for c in q.codes}):
                assert (row["count"], row["base"]) == tuple(
                    own.loc[row["option"], ["count", "base"]]
                )
