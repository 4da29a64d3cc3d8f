"""Consensus of an expert panel, by the rule each rating statement declared in advance.

Delphi reporting (CREDES; Diamond et al. 2014) asks for consensus defined before the answers are
seen: the codebook declares, per rating statement, the scale points that count as agreeing and
the rule (``inputs.questionnaire.Consensus``: at least a share of the panel on those points, an
interquartile range at most so many points, or both). Here, per statement and wave: the share
agreeing with its Wilson interval, the median and the quartiles (linear interpolation between
order statistics, numpy's default, Hyndman and Fan's type 7), and whether each rule holds. The
panel is the population the statement describes, so "reached" is read on the panel as it
answered; the interval says how far that rests on a few experts (``clears_interval``: the rule
holds even at the interval's lower end). Fewer than ``MIN_CELL`` answers are not judged.

Across rounds (``stability``): of the experts linked in both waves (``panel.link_by``), how many
gave the same point again (with its Wilson interval), the change of the interquartile range,
and the Wilcoxon signed-rank test of their paired answers (``analysis.paired``), Holm-adjusted
over the statements.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from surveybrief.analysis.paired import WILCOXON, aligned, signed_rank
from surveybrief.analysis.profile import MIN_CELL
from surveybrief.analysis.stats import holm_adjusted, wilson_interval
from surveybrief.clean.cleaner import PANEL_ID
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.questionnaire import Question

CONSENSUS_COLUMNS = [
    "question_id",
    "wave",
    "round",
    "base",
    "points",
    "agree_count",
    "agree_pct",
    "ci_low",
    "ci_high",
    "rule_share",
    "rule_iqr",
    "median",
    "q1",
    "q3",
    "iqr",
    "share_holds",
    "iqr_holds",
    "is_assessed",
    "is_reached",
    "clears_interval",
]
STABILITY_COLUMNS = [
    "question_id",
    "wave_from",
    "wave_to",
    "n_paired",
    "unchanged",
    "unchanged_pct",
    "ci_low",
    "ci_high",
    "iqr_from",
    "iqr_to",
    "iqr_change",
    "median_change",
    "test",
    "p_value",
    "p_holm",
]


def declared(questions) -> list[Question]:
    """Return the statements that declare a consensus rule, in codebook order."""
    return [q for q in questions if q.consensus is not None]


def ratings(responses: pd.DataFrame, q: Question) -> pd.Series:
    """Return each answer to a rating statement as a number (missing: not answered)."""
    return pd.to_numeric(responses[q.id], errors="coerce")


def quartiles(values: np.ndarray) -> tuple[float, float, float]:
    """Return the first quartile, the median and the third (type 7 interpolation)."""
    q1, median, q3 = np.percentile(values, [25, 50, 75])
    return float(q1), float(median), float(q3)


def statement_row(q: Question, data: CleanedWave) -> dict | None:
    """Return one statement's consensus in one wave, or None when nobody answered it."""
    values = ratings(data.responses, q).dropna().to_numpy(float)
    if len(values) == 0:
        return None
    rule = q.consensus
    count = int(np.isin(values, [float(p) for p in rule.points]).sum())
    low, high = (100 * float(v) for v in wilson_interval(count, len(values)))
    q1, median, q3 = quartiles(values)
    pct, iqr = 100 * count / len(values), q3 - q1
    share_holds = None if rule.share is None else bool(pct >= rule.share)
    iqr_holds = None if rule.iqr is None else bool(iqr <= rule.iqr)
    held = [h for h in (share_holds, iqr_holds) if h is not None]
    assessed = len(values) >= MIN_CELL  # a "consensus" of two or three is none
    return {
        "question_id": q.id, "wave": data.wave.id, "round": data.wave.round,
        "base": len(values), "points": ",".join(rule.points), "agree_count": count,
        "agree_pct": pct, "ci_low": low, "ci_high": high, "rule_share": rule.share,
        "rule_iqr": rule.iqr, "median": median, "q1": q1, "q3": q3, "iqr": iqr,
        "share_holds": share_holds, "iqr_holds": iqr_holds, "is_assessed": assessed,
        "is_reached": assessed and all(held),
        "clears_interval": None if rule.share is None else bool(low >= rule.share),
    }  # fmt: skip


def consensus_table(data: CleanedWave) -> pd.DataFrame:
    """Return the consensus of every statement that declares a rule, in one wave."""
    rows = [statement_row(q, data) for q in declared(data.codebook.questions)]
    return pd.DataFrame([r for r in rows if r], columns=CONSENSUS_COLUMNS)


def panel_ratings(data: CleanedWave, q: Question) -> pd.Series | None:
    """Return each linked expert's rating, indexed by panel pseudonym (None: no panel)."""
    frame = data.responses
    if PANEL_ID not in frame or q.id not in frame or frame[PANEL_ID].isna().all():
        return None
    linked = frame[PANEL_ID].notna()
    return pd.Series(ratings(frame, q)[linked].to_numpy(), index=frame.loc[linked, PANEL_ID])


def stability_row(q: Question, before: CleanedWave, after: CleanedWave) -> dict | None:
    """Return how a statement's answers held between two waves of one linked panel.

    None when either wave links no panel or fewer than two experts answered it in both.
    """
    x, y = panel_ratings(before, q), panel_ratings(after, q)
    if x is None or y is None:
        return None
    x, y, overlap = aligned(x, y)
    if overlap.paired < 2:
        return None
    both = x.notna() & y.notna()
    same = int((x[both] == y[both]).sum())
    low, high = (100 * float(v) for v in wilson_interval(same, overlap.paired))
    median_change, p = signed_rank(x, y)
    iqr_from = _iqr(ratings(before.responses, q))
    iqr_to = _iqr(ratings(after.responses, q))
    return {
        "question_id": q.id, "wave_from": before.wave.id, "wave_to": after.wave.id,
        "n_paired": overlap.paired, "unchanged": same,
        "unchanged_pct": 100 * same / overlap.paired, "ci_low": low, "ci_high": high,
        "iqr_from": iqr_from, "iqr_to": iqr_to, "iqr_change": iqr_to - iqr_from,
        "median_change": median_change, "test": WILCOXON, "p_value": p, "p_holm": float("nan"),
    }  # fmt: skip


def _iqr(values: pd.Series) -> float:
    """Return the interquartile range of a wave's answers (all who answered, type 7)."""
    values = values.dropna().to_numpy(float)
    if len(values) == 0:
        return float("nan")
    q1, _median, q3 = quartiles(values)
    return q3 - q1


def stability_table(current: CleanedWave, earlier: list[CleanedWave]) -> pd.DataFrame:
    """Return each declared statement's stability since the latest earlier wave that asked it.

    An earlier wave counts when its codebook has the statement with the same scale points.
    """
    rows = []
    for q in declared(current.codebook.questions):
        previous = next((d for d in reversed(earlier) if _same_scale(d, q)), None)
        found = stability_row(q, previous, current) if previous is not None else None
        if found:
            rows.append(found)
    table = pd.DataFrame(rows, columns=STABILITY_COLUMNS)
    if not table.empty:  # one family: every statement's test of this chapter
        table["p_holm"] = holm_adjusted(list(table["p_value"]))
    return table


def _same_scale(data: CleanedWave, q: Question) -> bool:
    """Return whether a wave asked statement ``q`` in the same words, on the same points."""
    try:
        asked = data.codebook.question(q.id)
    except KeyError:
        return False
    same = asked.codes == q.codes and asked.wording() == q.wording()
    return asked.kind.ordered and same and q.id in data.responses
