"""The trends chapter's sentences, computed from the change table (``analysis.trends``).

Every number comes from a row of the table; a share the source left partly unknown is said as
a range, and a change is said at its least favourable end.
"""

from __future__ import annotations

import pandas as pd

from surveybrief.analysis.trends import Trends
from surveybrief.brief.narrative import fmt_p, fmt_points, fmt_share, n_options
from surveybrief.config import SMALL_BASE_N

#: How a reconstructed wave is named wherever it is compared.
RECONSTRUCTED = "reconstructed from published percentages, not respondent-level data"


def describe_changes(trends: Trends, qid: str) -> list[str]:
    """Return the narrative of one question's latest change, computed from the change table."""
    sentences = _change_sentences(trends, qid)
    rows = trends.changes[trends.changes["question_id"] == qid]
    if not rows.empty and rows["from_reconstructed"].astype(bool).any():
        sentences.append(f"The {rows['wave_from'].iloc[0]} shares are {RECONSTRUCTED}.")
    return sentences


def _change_sentences(trends: Trends, qid: str) -> list[str]:
    rows = trends.changes[trends.changes["question_id"] == qid]
    if rows.empty:
        return ["No earlier wave asked this question in a comparable form."]
    first = rows.iloc[0]
    span = f"Between {first['wave_from']} and {first['wave_to']}"
    if not rows["is_testable"].all():
        return [
            f"{span}, bases under {SMALL_BASE_N} (n = {first['base_from']} and "
            f"{first['base_to']}) allow no test of change; shares are shown as they are."
        ]
    found = rows[rows["is_detectable"]]
    sentences = [change_sentence(span, r) for _, r in _largest_first(found).iterrows()]
    if found.empty:
        sentences.append(_no_change_sentence(span, rows))
    elif len(rows) > len(found):
        others = n_options(len(rows) - len(found))
        sentences.append(f"No change is detectable for the other {others}.")
    return sentences + _bounds_sentences(rows)


def _largest_first(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.reindex(rows["change_pp"].abs().sort_values(ascending=False).index)


def change_sentence(span: str, r: pd.Series) -> str:
    """Return the sentence of one detectable change (at its least favourable end if bounded)."""
    verb = "rose" if r["change_pp"] > 0 else "fell"
    before = fmt_share(r["pct_from_low"], r["pct_from_high"])
    after = fmt_share(r["pct_to_low"], r["pct_to_high"])
    size = fmt_points(r["change_pp"])
    if r["is_bounded"]:
        size = f"at least {size} points however the unreported answers fell; at that end"
    else:
        size += " points;"
    return (
        f"{span}, “{r['label']}” {verb} from {before} to {after} ({size} 95% CI "
        f"{fmt_points(r['ci_low_pp'])} to {fmt_points(r['ci_high_pp'])}; Fisher's exact test, "
        f"Holm-adjusted {fmt_p(r['p_holm'])})."
    )


def _no_change_sentence(span: str, rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    lead = (
        f"{span}, no change is detectable at this sample size (n = {first['base_from']} and "
        f"{first['base_to']})."
    )
    shifts = _largest_first(rows[rows["change_pp"].notna()])
    if shifts.empty:
        return lead
    largest = shifts.iloc[0]
    return (
        f"{lead} The largest shift, “{largest['label']}” ({fmt_points(largest['change_pp'])} "
        f"points), has a 95% interval from {fmt_points(largest['ci_low_pp'])} to "
        f"{fmt_points(largest['ci_high_pp'])} points, which includes no change."
    )


def _bounds_sentences(rows: pd.DataFrame) -> list[str]:
    """Say which shares are ranges because the source left answers unreported."""
    bounded = rows[rows["is_bounded"].astype(bool)]
    if bounded.empty:
        return []
    parts = [
        f"“{r['label']}” {fmt_share(r['pct_from_low'], r['pct_from_high'])} in "
        f"{r['wave_from']} and {fmt_share(r['pct_to_low'], r['pct_to_high'])} in {r['wave_to']} "
        f"(a change of {fmt_points(r['change_low_pp'])} to {fmt_points(r['change_high_pp'])} "
        "points)"
        for _, r in bounded.iterrows()
    ]
    return [
        "Where the source left answers unreported, a share is a range (the unreported answers "
        "may or may not have gone to the option), and a change is claimed only if it holds at "
        f"the least favourable end: {'; '.join(parts)}."
    ]
