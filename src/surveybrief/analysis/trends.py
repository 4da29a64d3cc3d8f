"""Wave-on-wave trends: every comparable question across all waves, and the latest change.

Outline: load every wave up to the current one (processed by 00_clean, each with its own
codebook version) / tabulate each comparable question per wave, with option codes mapped to the
current codebook / for the current wave against the previous comparable one: change in points,
Newcombe hybrid score 95% interval, Fisher's exact test, Holm-adjusted over every test of the
trends chapter (one family: all questions and open-answer themes); a change is "detectable" only
when both bases reach the minimum, the interval excludes zero and the adjusted p < 0.05. A
question with two answers that make up every answer is one test: the second answer's change is
the first one's, mirrored (``same_test_as``). Where the source left answers unreported, shares
are bounds and a change is tested at its least favourable end (``analysis.bounds``); waves whose
answers cover different ground are not compared (``analysis.coverage``). Where two waves share
experts (a panel linked by ``panel.link_by``), a change is tested on the pairs instead
(``analysis.paired``: McNemar, or the partially overlapping z-test), and says so (``test``).
Results are data frames; ``brief.trend_chapter`` shows them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from surveybrief.analysis.attrition import attrition_breakdowns
from surveybrief.analysis.bounds import Share, bounded_change
from surveybrief.analysis.breakdowns import Breakdown
from surveybrief.analysis.coverage import coverage_reason, unreported_count
from surveybrief.analysis.paired import (
    INDEPENDENT,
    PAIRED,
    PARTIAL_T,
    STUART_MAXWELL,
    WILCOXON,
    aligned,
    binary_change,
    partial_overlap_t,
    signed_rank,
    stuart_maxwell,
)
from surveybrief.analysis.profile import profile_table
from surveybrief.analysis.stats import holm_adjusted
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.analysis.uncertain_base import feasible_counts, hold_at_every_base
from surveybrief.clean.cleaner import PANEL_ID
from surveybrief.clean.processed import CleanedWave
from surveybrief.config import SMALL_BASE_N
from surveybrief.inputs.codebook import Codebook, Question, compare_versions
from surveybrief.inputs.questionnaire import multi_column

SIGNIFICANCE = 0.05
SERIES_COLUMNS = [
    "question_id",
    "option",
    "label",
    "wave",
    "count",
    "unknown",
    "base",
    "pct",
    "pct_low",
    "pct_high",
    "ci_low",
    "ci_high",
    "is_reconstructed",
]
CHANGE_COLUMNS = [
    "question_id",
    "option",
    "label",
    "wave_from",
    "wave_to",
    "pct_from",
    "pct_to",
    "base_from",
    "base_to",
    "change_pp",
    "ci_low_pp",
    "ci_high_pp",
    "p_value",
    "p_holm",
    "is_testable",
    "excludes_zero",
    "same_test_as",
    "bases_from",
    "is_detectable",
    "from_reconstructed",
    "is_bounded",
    "pct_from_low",
    "pct_from_high",
    "pct_to_low",
    "pct_to_high",
    "change_low_pp",
    "change_high_pp",
    "test",
    "n_paired",
]
#: The test of a change between samples that share no respondent (or are not linked).
INDEPENDENT_TEST = "newcombe_fisher"
#: A question's whole change on a panel (``question_test``): one row per question tested.
QUESTION_TEST_COLUMNS = [
    "question_id",
    "wave_from",
    "wave_to",
    "test",
    "n_paired",
    "only_from",
    "only_to",
    "statistic",
    "df",
    "estimate",
    "ci_low",
    "ci_high",
    "up",
    "down",
    "p_value",
    "p_holm",
    "is_testable",
    "is_detectable",
]


@dataclass
class Trends:
    """The series of every comparable question and the changes into the current wave."""

    current: CleanedWave
    earlier: list[CleanedWave]
    series: pd.DataFrame
    changes: pd.DataFrame
    not_compared: dict[str, str] = field(default_factory=dict)
    codebooks: dict[int, Codebook] = field(default_factory=dict)
    #: Questions compared that are not the codebook's (the themes of open answers), by id.
    extra: dict[str, Question] = field(default_factory=dict)
    #: The panel between the previous wave and this one (``panel_flow``); empty: not linked.
    panel: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Each question's whole change on the panel's pairs (``question_test``); empty: none.
    question_tests: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: Who of the previous wave's panel answered again, by each profile (``analysis.attrition``).
    attrition: list[Breakdown] = field(default_factory=list)

    def question(self, question_id: str) -> Question:
        """Return a compared question: the current codebook's, or the themes of open answers."""
        if question_id in self.extra:
            return self.extra[question_id]
        return self.current.codebook.question(question_id)

    def detectable(self) -> pd.DataFrame:
        """Return detectable changes, largest first."""
        return detectable_changes(self.changes)


def detectable_changes(changes: pd.DataFrame) -> pd.DataFrame:
    """Return the detectable rows of a change table, largest change first (one per test)."""
    own = changes["same_test_as"].fillna("").astype(str).eq("")
    found = changes[changes["is_detectable"].astype(bool) & own]
    return found.reindex(found["change_pp"].abs().sort_values(ascending=False).index)


def _table(data: CleanedWave, qid: str) -> pd.DataFrame:
    return tabulate_question(data.responses, data.codebook.question(qid)).table.set_index("option")


def _shares(
    q: Question, data: CleanedWave, code_map: dict[str, str], table: pd.DataFrame | None = None
) -> dict[str, Share]:
    """Return one wave's share of each option of ``q`` (current codes), bounded where unknown.

    An option without a figure in a wave whose answers the source partly left unreported may
    hold any of those answers: between 0 and u of them.
    """
    if q.kind.profile and table is None:
        return _profile_shares(q, data, code_map)
    table = _table(data, q.id) if table is None else table
    unknown = unreported_count(data, q.id)
    known = {new: old for old, new in code_map.items()}
    base = int(table["base"].dropna().iloc[0]) if table["base"].notna().any() else 0
    shares = {}
    for code in q.codes:
        old = known.get(code)
        if old in table.index and pd.notna(table.at[old, "count"]):
            shares[code] = Share(int(table.at[old, "count"]), 0, int(table.at[old, "base"]))
        elif unknown and base:
            shares[code] = Share(0, unknown, base)
    return shares


def _profile_shares(q: Question, data: CleanedWave, code_map: dict[str, str]) -> dict[str, Share]:
    """Return a profile question's shares as the wave's "Who answered" table shows them.

    Groups as a share of all the wave's respondents, and only the groups that table shows:
    a group it hides (1-4 respondents, or one that would reveal such a group) is hidden here
    too, so that no wave's trend recomputes what its own publication hid.
    """
    table = profile_table(data.responses, data.codebook.question(q.id)).set_index("option")
    known = {new: old for old, new in code_map.items()}
    total = len(data.responses)
    shares = {}
    for code in q.codes:
        old = known.get(code)
        if old in table.index and not table.at[old, "is_suppressed"]:
            shares[code] = Share(int(table.at[old, "count"]), 0, total)
    return shares


def series_rows(
    q: Question, data: CleanedWave, code_map: dict[str, str], table: pd.DataFrame | None = None
) -> list[dict]:
    """Return one wave's shares of question ``q``, under the current codebook's codes.

    ``table`` (indexed by option) is the wave's table when it is not one of the codebook's
    questions (the themes of open answers).
    """
    rows = []
    for code, share in _shares(q, data, code_map, table).items():
        ci_low, ci_high = share.interval()
        rows.append(
            {
                "question_id": q.id,
                "option": code,
                "label": q.option_label(code),
                "wave": data.wave.id,
                "count": share.count,
                "unknown": share.unknown,
                "base": share.base,
                "pct": float("nan") if share.is_bounded else share.low,
                "pct_low": share.low,
                "pct_high": share.high,
                "ci_low": ci_low,
                "ci_high": ci_high,
                "is_reconstructed": data.wave.is_reconstructed,
            }
        )
    return rows


def question_series(
    q: Question, current: CleanedWave, earlier: list[CleanedWave], codebooks: dict[int, Codebook]
) -> tuple[list[dict], str | None, str | None]:
    """Return a question's rows per wave, the previous comparable wave, and why not compared."""
    rows, previous, reason = [], None, None
    for data in earlier:
        comp = compare_versions(codebooks, data.codebook.version, current.codebook.version, q.id)
        why = (
            comp.reason
            if not comp.is_comparable
            else coverage_reason(q, data, current, comp.code_map)
        )
        if not comp.is_comparable or why:
            reason = reason or why
            continue
        rows += series_rows(q, data, comp.code_map)
        previous = data.wave.id
    rows += series_rows(q, current, {c: c for c in q.codes})
    return rows, previous, reason


def _share(row: pd.Series) -> Share:
    return Share(int(row["count"]), int(row["unknown"]), int(row["base"]))


def _change_row(q: Question, code: str, before: pd.Series, after: pd.Series) -> dict:
    """Return the change of one option between two waves, tested at its least favourable end."""
    change = bounded_change(_share(before), _share(after))
    bounded = bool(before["unknown"] or after["unknown"])
    return {
        "question_id": q.id,
        "option": code,
        "label": q.option_label(code),
        "wave_from": before["wave"],
        "wave_to": after["wave"],
        "pct_from": before["pct"],
        "pct_to": after["pct"],
        "base_from": int(before["base"]),
        "base_to": int(after["base"]),
        "change_pp": change.worst,
        "ci_low_pp": change.ci_low,
        "ci_high_pp": change.ci_high,
        "p_value": change.p_value,
        "is_testable": min(before["base"], after["base"]) >= SMALL_BASE_N,
        "excludes_zero": change.excludes_zero,
        "from_reconstructed": bool(before["is_reconstructed"]),
        "is_bounded": bounded,
        "pct_from_low": before["pct_low"],
        "pct_from_high": before["pct_high"],
        "pct_to_low": after["pct_low"],
        "pct_to_high": after["pct_high"],
        "change_low_pp": change.low,
        "change_high_pp": change.high,
        "bases_from": "",
        "test": INDEPENDENT_TEST,
        "n_paired": 0,
    }


def question_changes(
    q: Question, rows: list[dict], previous: str, current: str, bases: dict | None = None
) -> list[dict]:
    """Return the tested change of every option of ``q`` from wave ``previous`` to ``current``.

    ``bases``: the earlier wave's feasible bases when its bases are not known
    (``uncertain_base``): each change must hold at all of them. Not yet decided: ``decide``
    adjusts the whole chapter's tests together.
    """
    frame = pd.DataFrame(rows)
    changes = []
    for code in q.codes:
        before = frame[(frame["option"] == code) & (frame["wave"] == previous)]
        after = frame[(frame["option"] == code) & (frame["wave"] == current)]
        if not before.empty and not after.empty:
            row = _change_row(q, code, before.iloc[0], after.iloc[0])
            changes.append(hold_at_every_base(row, q, bases or {}, _share(after.iloc[0])))
    return _mirrored(q, changes)


def _mirrored(q: Question, changes: list[dict]) -> list[dict]:
    """Mark the second of two answers that make up every answer as the first one's test."""
    for r in changes:
        r["same_test_as"] = ""
    whole = [
        r
        for r in changes
        if not r["is_bounded"] and pd.notna(r["pct_from"]) and pd.notna(r["pct_to"])
    ]
    if q.kind.one_of_nominal and len(changes) == 2 and len(whole) == 2:
        first, second = changes
        if all(abs(first[k] + second[k] - 100) < 1e-6 for k in ("pct_from", "pct_to")):
            second["same_test_as"] = first["option"]
    return changes


def option_answers(data: CleanedWave, q: Question, code: str) -> pd.Series | None:
    """Return each panel member's 0/1 choice of option ``code`` (its own wave's code).

    Indexed by panel id; missing where they did not answer the question. None when the wave
    links no panel.
    """
    frame = data.responses
    if PANEL_ID not in frame or frame[PANEL_ID].isna().all():
        return None
    if q.kind.per_option:
        answered = frame[q.option_columns].notna().any(axis=1)
        column = multi_column(q.id, code)
        chose = frame[column].fillna(0) if column in frame else pd.Series(0, index=frame.index)
    else:
        answered = frame[q.id].notna()
        chose = frame[q.id].astype("string").eq(code).fillna(False)
    values = chose.astype(float).where(answered)
    linked = frame[PANEL_ID].notna()
    return pd.Series(values[linked].to_numpy(), index=frame.loc[linked, PANEL_ID].to_numpy())


def paired_change(
    row: dict, q: Question, before: CleanedWave, after: CleanedWave, code_map: dict[str, str]
) -> dict:
    """Return a change row tested on the panel where the two waves share experts.

    McNemar's exact test with Newcombe's paired interval when everyone answered both; the
    partially overlapping samples z-test (Derrick et al.) when some did; the independent test
    (``row`` as it is) when the waves link no panel or share fewer than two experts, and for a
    share left partly unknown. The estimate is the same difference of shares either way.
    """
    if row["is_bounded"] or before.wave.is_reconstructed or q.kind.profile:
        return row  # a profile's shares are of all respondents, hidden groups and all
    old = {new: old for old, new in code_map.items()}.get(row["option"], row["option"])
    x, y = option_answers(before, q, old), option_answers(after, q, row["option"])
    if x is None or y is None:
        return row
    found = binary_change(x, y)
    if found is None:
        return row
    return row | {
        "ci_low_pp": found.ci_low, "ci_high_pp": found.ci_high, "p_value": found.p_value,
        "excludes_zero": found.ci_low > 0 or found.ci_high < 0,
        "test": found.test, "n_paired": found.overlap.paired,
    }  # fmt: skip


def panel_answers(data: CleanedWave, q: Question) -> pd.Series | None:
    """Return each linked expert's answer to a one-answer question, by panel id (None: none)."""
    frame = data.responses
    if PANEL_ID not in frame or q.id not in frame or frame[PANEL_ID].isna().all():
        return None
    linked = frame[PANEL_ID].notna()
    values = frame.loc[linked, q.id].astype("string").astype(object).where(lambda v: v.notna())
    return pd.Series(values.to_numpy(), index=frame.loc[linked, PANEL_ID].to_numpy())


def question_test(
    q: Question, before: CleanedWave, after: CleanedWave, code_map: dict[str, str]
) -> dict | None:
    """Return a question's whole change on a panel's pairs, or None where none applies.

    A single-choice question: Stuart-Maxwell's test of marginal homogeneity on the experts who
    answered both waves. A rating: the Wilcoxon signed-rank test when every expert answered
    both, else Derrick et al.'s partially overlapping t-test (every answer, the pairs'
    correlation) with its interval of the change of the mean. Not for profiles, reconstructed
    waves or waves that share fewer than two experts. Tested only from ``SMALL_BASE_N`` pairs.
    """
    kind = q.kind
    if before.wave.is_reconstructed or kind.profile or not (kind.one_of_nominal or kind.ordered):
        return None
    x, y = panel_answers(before, q), panel_answers(after, q)
    if x is None or y is None:
        return None
    x, y, overlap = aligned(x.map(lambda c: code_map.get(c, c) if pd.notna(c) else c), y)
    if overlap.design == INDEPENDENT:
        return None
    row = dict.fromkeys(QUESTION_TEST_COLUMNS, float("nan")) | {
        "question_id": q.id, "wave_from": before.wave.id, "wave_to": after.wave.id,
        "n_paired": overlap.paired, "only_from": overlap.only_before,
        "only_to": overlap.only_after, "is_testable": overlap.paired >= SMALL_BASE_N,
    }  # fmt: skip
    if kind.ordered:
        return row | _rating_test(x.astype(float), y.astype(float), overlap.design)
    both = x.notna() & y.notna()
    table = pd.crosstab(x[both], y[both]).reindex(index=q.codes, columns=q.codes, fill_value=0)
    chi2, df, p = stuart_maxwell(table.to_numpy())
    return row | {"test": STUART_MAXWELL, "statistic": chi2, "df": df, "p_value": p}


def _rating_test(x: pd.Series, y: pd.Series, design: str) -> dict:
    """Return a rating's paired test: signed-rank (all paired) or partially overlapping t."""
    if design == PAIRED:
        median, p = signed_rank(x, y)
        moved = (y - x).dropna()
        return {"test": WILCOXON, "estimate": median, "p_value": p,
                "up": int((moved > 0).sum()), "down": int((moved < 0).sum())}  # fmt: skip
    diff, t, df, p, half = partial_overlap_t(x, y)  # earlier minus later
    return {"test": PARTIAL_T, "statistic": t, "df": df, "estimate": -diff,
            "ci_low": -diff - half, "ci_high": -diff + half, "p_value": p}  # fmt: skip


def decide_questions(tests: pd.DataFrame) -> pd.DataFrame:
    """Holm-adjust the whole-question tests as one family of their own, and decide each."""
    tests = tests.copy()
    testable = tests.index[tests["is_testable"].astype(bool)]
    tests["p_holm"] = float("nan")
    if len(testable):
        tests.loc[testable, "p_holm"] = holm_adjusted(list(tests.loc[testable, "p_value"]))
    tests["is_detectable"] = tests["is_testable"].astype(bool) & (tests["p_holm"] < SIGNIFICANCE)
    return tests


def panel_flow(before: CleanedWave, after: CleanedWave) -> pd.DataFrame:
    """Return who of a linked panel answered both waves, only the earlier (left), or joined.

    Empty when either wave links no panel. Counts of experts, no attribute of any: the
    profile of those who left against those who stayed is for the chapter to show under the
    disclosure rule.
    """
    frames = (before.responses, after.responses)
    if any(PANEL_ID not in f or f[PANEL_ID].isna().all() for f in frames):
        return pd.DataFrame()
    earlier, later = (set(f[PANEL_ID].dropna()) for f in frames)
    row = {
        "wave_from": before.wave.id, "wave_to": after.wave.id, "panel_from": len(earlier),
        "panel_to": len(later), "both": len(earlier & later), "left": len(earlier - later),
        "joined": len(later - earlier),
        "unlinked_to": int(after.responses[PANEL_ID].isna().sum()),
    }  # fmt: skip
    return pd.DataFrame([row])


def latest_change(
    q: Question, rows: list[dict], data: CleanedWave, current: CleanedWave, codebooks
) -> tuple[list[dict], dict | None]:
    """Return ``q``'s tested change per option from wave ``data``, and its whole-question test.

    Each change must hold at every base the earlier wave may have had (``uncertain_base``);
    on a linked panel it is tested on the pairs (``paired_change``, ``question_test``).
    """
    comp = compare_versions(codebooks, data.codebook.version, current.codebook.version, q.id)
    bases = feasible_counts(q, data, comp.code_map)
    found = question_changes(q, rows, data.wave.id, current.wave.id, bases)
    changes = [paired_change(row, q, data, current, comp.code_map) for row in found]
    return changes, question_test(q, data, current, comp.code_map)


def compute_trends(
    current: CleanedWave, earlier: list[CleanedWave], codebooks: dict[int, Codebook]
) -> Trends:
    """Tabulate comparable questions over all waves and test the latest change of each."""
    series, changes, not_compared, tests = [], [], {}, []
    for q in current.codebook.questions:
        if not q.kind.trended or _table(current, q.id)["count"].isna().all():
            continue
        rows, previous, reason = question_series(q, current, earlier, codebooks)
        series += rows
        if reason is not None:
            not_compared[q.id] = reason
        if previous is not None:
            found, whole = latest_change(q, rows, next(d for d in earlier if d.wave.id == previous),
                                         current, codebooks)  # fmt: skip
            changes += found
            tests += [whole] if whole else []
    return Trends(
        current=current,
        earlier=earlier,
        series=pd.DataFrame(series, columns=SERIES_COLUMNS),
        changes=decide(pd.DataFrame(changes, columns=CHANGE_COLUMNS)),
        not_compared=not_compared,
        codebooks=codebooks,
        panel=panel_flow(earlier[-1], current) if earlier else pd.DataFrame(),
        question_tests=decide_questions(pd.DataFrame(tests, columns=QUESTION_TEST_COLUMNS)),
        attrition=attrition_breakdowns(earlier[-1], current) if earlier else [],
    )


def decide(changes: pd.DataFrame) -> pd.DataFrame:
    """Holm-adjust every test of the change table as one family, and decide detectability.

    The trends chapter is one family: with 46 tests, two or three "changes" would pass
    p < 0.05 by chance alone. A bounded option whose range includes no change was looked at
    too: it stays in the family (as p = 1), so that leaving it out cannot make the others easier
    to pass. A mirrored answer (``same_test_as``) is not a test of its own: it takes its pair's.
    """
    changes = changes.copy()
    own = changes["same_test_as"].fillna("").eq("")
    testable = changes.index[changes["is_testable"].astype(bool) & own]
    bounded = changes["is_bounded"].astype(bool)
    family = [1.0 if bounded[i] and pd.isna(changes.at[i, "p_value"]) else changes.at[i, "p_value"]
              for i in testable]  # fmt: skip
    changes["p_holm"] = float("nan")
    changes.loc[testable, "p_holm"] = holm_adjusted(family) if family else []
    changes.loc[changes["p_value"].isna(), "p_holm"] = float("nan")
    for i in changes.index[~own]:
        pair = changes[(changes["question_id"] == changes.at[i, "question_id"])
                       & (changes["option"] == changes.at[i, "same_test_as"])]  # fmt: skip
        changes.at[i, "p_holm"] = pair["p_holm"].iloc[0]
    changes["is_detectable"] = (
        changes["is_testable"].astype(bool)
        & changes["excludes_zero"].astype(bool)
        & (changes["p_holm"] < SIGNIFICANCE)
    )
    return changes
