"""Narrative sentences computed from the tables: change the data and the text changes.

Rules against over-claiming on small expert panels: "a majority" only when the whole 95%
interval lies above 50%; one answer is "clearly ahead" of another only when their intervals do
not overlap; bases under the small-base threshold are called out as indicative.
"""

from __future__ import annotations

from surveybrief.analysis.scales import ScaleSummary
from surveybrief.analysis.tabulate import QuestionTable
from surveybrief.config import NOT_REPORTED_CODE, SMALL_BASE_N


def fmt_pct(value: float) -> str:
    """Return a percentage for prose: whole numbers (finer precision would over-state a panel)."""
    return f"{value:.0f}%"


def fmt_points(value: float) -> str:
    """Return a change in percentage points with its sign, e.g. '+21', '-4', '0'."""
    rounded = round(value)
    return "0" if rounded == 0 else f"{rounded:+d}"


def fmt_share(low: float, high: float) -> str:
    """Return a share for prose, or its range where the source left part of it unknown."""
    return fmt_pct(low) if round(low) == round(high) else f"between {low:.0f}% and {high:.0f}%"


def fmt_p(value: float) -> str:
    """Return a p-value for prose: 'p = 0.041' or 'p < 0.001'."""
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def fmt_ci(low: float, high: float) -> str:
    """Return a 95% interval for prose."""
    return f"95% CI {low:.0f}–{high:.0f}%"


def share_phrase(row) -> str:
    """Return e.g. '56% (28 of 50; 95% CI 42–69%)'."""
    return (
        f"{fmt_pct(row['pct'])} ({int(row['count'])} of {int(row['base'])}; "
        f"{fmt_ci(row['ci_low'], row['ci_high'])})"
    )


def strength(row) -> str:
    """Return how to speak of a share given its interval: never more than the data bear."""
    if row["ci_low"] > 50:
        return "a clear majority"
    if row["pct"] > 50:
        return "more than half, though the interval does not rule out a minority"
    if row["ci_high"] < 50:
        return "a minority"
    if row["pct"] >= 45:
        return "about half"
    return "under half, though the interval reaches 50%"


def count_noun(n: int, noun: str) -> str:
    """Return e.g. '1 question' or '3 questions'."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _lead(top, second) -> str:
    if second is None:
        return ""
    gap = "clearly ahead of" if top["ci_low"] > second["ci_high"] else "ahead of"
    text = f" It comes {gap} “{second['label']}” ({fmt_pct(second['pct'])})"
    if gap == "ahead of":
        text += ", a gap within the uncertainty of a panel this size"
    return text + "."


def describe(result: QuestionTable) -> list[str]:
    """Return the narrative paragraph of one question, as a list of plain-text sentences."""
    q = result.question
    if not result.has_data:
        if q.type == "text":
            return ["No open-ended answers are available for this wave."]
        note = q.note() or "The source gives no figures for this question."
        return [f"No respondent-level answers are available. {note}"]
    if q.type == "text":
        return [f"{result.base} respondents left a comment."]
    rows = result.ranked  # most chosen first, whatever the order the table keeps
    top = rows.iloc[0]
    second = rows.iloc[1] if len(rows) > 1 else None
    if q.type == "multi":
        sentences = [
            f"Asked this question, {result.base} experts could choose several answers. "
            f"“{top['label']}” was chosen most often: {share_phrase(top)}, {strength(top)} of "
            f"respondents.{_lead(top, second)}"
        ]
        others = rows.iloc[1:]
        if len(others) > 1:
            listed = "; ".join(f"“{r['label']}” {fmt_pct(r['pct'])}" for _, r in others.iterrows())
            sentences.append(f"Other answers, in order: {listed}.")
    else:
        sentences = [
            f"Of the {result.base} experts who answered, {share_phrase(top)} chose "
            f"“{top['label']}”: {strength(top)}.{_lead(top, second)}"
        ]
    remainder = result.table[result.table["option"] == NOT_REPORTED_CODE]
    if not remainder.empty:
        r = remainder.iloc[0]
        sentences.append(
            f"The source does not report what the other {int(r['count'])} respondents "
            f"({fmt_pct(r['pct'])}) answered."
        )
    missing = result.unquantified_labels
    if missing:
        bound = (
            f" (each between 0% and {fmt_pct(remainder.iloc[0]['pct'])}: any of the unreported "
            "answers may be theirs)"
            if not remainder.empty
            else ""
        )
        sentences.append(
            "The source also names "
            + ", ".join(f"“{m}”" for m in missing)
            + f" without figures; they are not quantified here{bound}."
        )
    if result.base < SMALL_BASE_N:
        sentences.append(
            f"The base is small (n = {result.base}, under {SMALL_BASE_N}): read these shares as "
            "indicative."
        )
    return sentences


def key_finding(result: QuestionTable) -> str | None:
    """Return a one-sentence key finding for the cover, or None without data."""
    if not result.has_data or result.quantified.empty:
        return None
    top = result.ranked.iloc[0]
    verb = "selected" if result.question.type == "multi" else "chose"
    return (
        f"{result.question.title()}: {fmt_pct(top['pct'])} of experts ({int(top['count'])} "
        f"of {int(top['base'])}; {fmt_ci(top['ci_low'], top['ci_high'])}) {verb} "
        f"“{top['label']}”."
    )


def fmt_number(value: float) -> str:
    """Return a scale value for prose: one decimal, without a trailing '.0' for whole points."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def describe_scale(summary: ScaleSummary) -> list[str]:
    """Return the sentences on a rating scale's mean, median and top-two-box share."""
    q = summary.question
    points = sorted(q.codes, key=int)
    low, high = summary.mean_ci
    mean = f"{summary.mean:.1f}"
    if summary.base >= 2:
        mean += f" (95% CI {low:.1f}–{high:.1f})"
    median_low, median_high = summary.median_ci
    labels = " or ".join(f"“{q.option_label(c)}”" for c in reversed(summary.top2_codes))
    top2 = {"pct": summary.top2_pct, "count": summary.top2_count, "base": summary.base}
    top2["ci_low"], top2["ci_high"] = (100 * v for v in summary.top2_ci)
    return [
        f"On the {points[0]}–{points[-1]} scale, the mean answer is {mean} and the median "
        f"{fmt_number(summary.median)} (95% CI {fmt_number(median_low)}–"
        f"{fmt_number(median_high)}).",
        f"{share_phrase(top2)} chose one of the two highest points, {labels}: {strength(top2)}.",
    ]


def open_answers(question, base: int, n_respondents: int) -> str:
    """Return how many respondents wrote an open answer (their texts are not shown here)."""
    if not base:
        return f"{question.title()}: no open-ended answers are available for this wave."
    return (
        f"{question.title()}: {count_noun(base, 'respondent')} of {n_respondents} wrote an "
        "answer; the answers are not coded or quoted in this briefing."
    )
