"""The trends chapter's sentences, computed from the change table (``analysis.trends``).

Every number comes from a row of the table; a share the source left partly unknown is said as
a range, and a change is said at its least favourable end.
"""

from __future__ import annotations

import pandas as pd

from surveybrief.analysis.paired import MCNEMAR, PARTIAL_Z, STUART_MAXWELL, WILCOXON
from surveybrief.analysis.trends import INDEPENDENT_TEST, Trends, detectable_changes
from surveybrief.brief.i18n import N_, _, current
from surveybrief.brief.narrative import (
    fmt_p,
    fmt_points,
    fmt_scale,
    fmt_share,
    n_options,
    question_title,
)
from surveybrief.config import SMALL_BASE_N

#: How a change tested on a panel's pairs names its test (``analysis.paired``).
PANEL_TESTS = {
    MCNEMAR: N_("McNemar's exact test on the experts who answered both waves"),
    PARTIAL_Z: N_(
        "partially overlapping samples z-test (Derrick et al.), the experts who answered both "
        "waves paired"
    ),
}
#: How a reconstructed wave is named wherever it is compared.
RECONSTRUCTED = N_("reconstructed from published percentages, not respondent-level data")


def _label(trends: Trends, r: pd.Series) -> str:
    """Return an option's label in the current language."""
    return trends.question(str(r["question_id"])).option_label(str(r["option"]), current())


def describe_changes(trends: Trends, qid: str) -> list[str]:
    """Return the narrative of one question's latest change, computed from the change table."""
    sentences = _change_sentences(trends, qid)
    rows = trends.changes[trends.changes["question_id"] == qid]
    if not rows.empty and rows["from_reconstructed"].astype(bool).any():
        sentences.append(
            _("The {wave} shares are {reconstructed}.").format(
                wave=rows["wave_from"].iloc[0], reconstructed=_(RECONSTRUCTED)
            )
        )
    return sentences


def _change_sentences(trends: Trends, qid: str) -> list[str]:
    rows = trends.changes[trends.changes["question_id"] == qid]
    rows = rows[rows["same_test_as"].fillna("").astype(str).eq("")]  # one test, one sentence
    if rows.empty:
        return [_("No earlier wave asked this question in a comparable form.")]
    first = rows.iloc[0]
    waves = {"start": first["wave_from"], "end": first["wave_to"]}
    bases = {"n_from": first["base_from"], "n_to": first["base_to"]}
    unknown = _unknown_base(rows)
    smallest = int(unknown.split(", ")[0]) if unknown else 0
    if unknown and smallest < SMALL_BASE_N and first["base_to"] >= SMALL_BASE_N:
        return [
            _(
                "The {start} base of this question is not known: its published figures fit "
                "{bases} respondents, and at {smallest} no change can be tested; no change since "
                "{start} is claimed."
            ).format(**waves, bases=unknown, smallest=smallest)
        ]
    if not rows["is_testable"].all():
        return [
            _(
                "Between {start} and {end}, bases under {minimum} (n = {n_from} and {n_to}) "
                "allow no test of change; shares are shown as they are."
            ).format(**waves, **bases, minimum=SMALL_BASE_N)
        ]
    found = rows[rows["is_detectable"]]
    sentences = [change_sentence(trends, r) for _i, r in _largest_first(found).iterrows()]
    if unknown and not found.empty:
        sentences.append(
            _(
                "The {start} base of this question is not known: each change above holds at "
                "every base its published figures allow ({bases})."
            ).format(**waves, bases=unknown)
        )
    if found.empty:
        sentences.append(_no_change_sentence(trends, rows))
    elif len(rows) > len(found):
        others = n_options(len(rows) - len(found))
        sentences.append(_("No change is detectable for the other {others}.").format(others=others))
    return sentences + _bounds_sentences(trends, rows)


def _unknown_base(rows: pd.DataFrame) -> str:
    """Return the earlier wave's feasible bases when its base is not known (else '')."""
    return next((b for b in rows["bases_from"].fillna("").astype(str) if b), "")


def _largest_first(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.reindex(rows["change_pp"].abs().sort_values(ascending=False).index)


def _figures(r: pd.Series) -> dict[str, str]:
    """Return a change row's shares, change and interval as the sentences print them."""
    return {
        "before": fmt_share(r["pct_from_low"], r["pct_from_high"]),
        "after": fmt_share(r["pct_to_low"], r["pct_to_high"]),
        "points": fmt_points(r["change_pp"]),
        "low": fmt_points(r["ci_low_pp"]),
        "high": fmt_points(r["ci_high_pp"]),
    }


def change_sentence(trends: Trends, r: pd.Series) -> str:
    """Return the sentence of one detectable change (at its least favourable end if bounded)."""
    values = _figures(r) | {
        "start": r["wave_from"],
        "end": r["wave_to"],
        "label": _label(trends, r),
        "p": fmt_p(r["p_holm"]),
    }
    rose = r["change_pp"] > 0
    test = str(r.get("test") or INDEPENDENT_TEST)
    if test != INDEPENDENT_TEST:  # tested on the panel's pairs (never a bounded share)
        text = (
            _(
                "Between {start} and {end}, “{label}” rose from {before} to {after} ({points} "
                "points; 95% CI {low} to {high}; {test}, Holm-adjusted {p})."
            )
            if rose
            else _(
                "Between {start} and {end}, “{label}” fell from {before} to {after} ({points} "
                "points; 95% CI {low} to {high}; {test}, Holm-adjusted {p})."
            )
        )
        return text.format(**values, test=_(PANEL_TESTS[test]))
    if r["is_bounded"]:
        text = (
            _(
                "Between {start} and {end}, “{label}” rose from {before} to {after} (at least "
                "{points} points however the unreported answers fell; at that end 95% CI {low} "
                "to {high}; Fisher's exact test, Holm-adjusted {p})."
            )
            if rose
            else _(
                "Between {start} and {end}, “{label}” fell from {before} to {after} (at least "
                "{points} points however the unreported answers fell; at that end 95% CI {low} "
                "to {high}; Fisher's exact test, Holm-adjusted {p})."
            )
        )
    else:
        text = (
            _(
                "Between {start} and {end}, “{label}” rose from {before} to {after} ({points} "
                "points; 95% CI {low} to {high}; Fisher's exact test, Holm-adjusted {p})."
            )
            if rose
            else _(
                "Between {start} and {end}, “{label}” fell from {before} to {after} ({points} "
                "points; 95% CI {low} to {high}; Fisher's exact test, Holm-adjusted {p})."
            )
        )
    return text.format(**values)


def _no_change_sentence(trends: Trends, rows: pd.DataFrame) -> str:
    first = rows.iloc[0]
    lead = _(
        "Between {start} and {end}, no change is detectable at this sample size (n = {n_from} "
        "and {n_to})."
    ).format(
        start=first["wave_from"], end=first["wave_to"], n_from=first["base_from"],
        n_to=first["base_to"],
    )  # fmt: skip
    shifts = _largest_first(rows[rows["change_pp"].notna()])
    if shifts.empty:
        return lead
    largest = shifts.iloc[0]
    return (
        lead
        + " "
        + _(
            "The largest shift, “{label}” ({points} points), has a 95% interval from {low} to "
            "{high} points, which includes no change."
        ).format(
            label=_label(trends, largest),
            points=fmt_points(largest["change_pp"]),
            low=fmt_points(largest["ci_low_pp"]),
            high=fmt_points(largest["ci_high_pp"]),
        )
    )


def _bounds_sentences(trends: Trends, rows: pd.DataFrame) -> list[str]:
    """Say which shares are ranges because the source left answers unreported."""
    bounded = rows[rows["is_bounded"].astype(bool)]
    if bounded.empty:
        return []
    parts = [
        _(
            "“{label}” {before} in {start} and {after} in {end} (a change of {low} to {high} "
            "points)"
        ).format(
            label=_label(trends, r),
            before=fmt_share(r["pct_from_low"], r["pct_from_high"]),
            start=r["wave_from"],
            after=fmt_share(r["pct_to_low"], r["pct_to_high"]),
            end=r["wave_to"],
            low=fmt_points(r["change_low_pp"]),
            high=fmt_points(r["change_high_pp"]),
        )
        for _i, r in bounded.iterrows()
    ]
    return [
        _(
            "Where the source left answers unreported, a share is a range (the unreported "
            "answers may or may not have gone to the option), and a change is claimed only if it "
            "holds at the least favourable end: {ranges}."
        ).format(ranges="; ".join(parts))
    ]


def trend_findings(codebook, tested: pd.DataFrame, most: int) -> list[str]:
    """Return the cover's bullets on change: the largest detectable ones, or that there is none."""
    found = detectable_changes(tested).head(most)
    if found.empty:
        if len(tested):
            return [
                _("Trends: no change since {wave} is detectable at this sample size.").format(
                    wave=tested["wave_from"].iloc[0]
                )
            ]
        return [_("Trends: no change since the previous wave is detectable at this sample size.")]
    return [_trend_finding(codebook, r) for _i, r in found.iterrows()]


def _trend_finding(codebook, r: pd.Series) -> str:
    """Return one detectable change as a cover bullet."""
    qid, lang = str(r["question_id"]), current()
    question = codebook.themes_or_question(qid)
    since = r["wave_from"]
    if str(r.get("from_reconstructed", False)) == "True":
        since = _("{wave} (reconstructed from published percentages)").format(wave=since)
    values = _figures(r) | {
        "since": since,
        "label": question.option_label(str(r["option"]), lang),
        "title": question_title(codebook, question),
    }
    rose, bounded = r["change_pp"] > 0, str(r["is_bounded"]) == "True"
    messages = {
        (True, False): _(
            "Change since {since}: “{label}” ({title}) rose from {before} to {after} "
            "({points} points; 95% CI {low} to {high})."
        ),
        (False, False): _(
            "Change since {since}: “{label}” ({title}) fell from {before} to {after} "
            "({points} points; 95% CI {low} to {high})."
        ),
        (True, True): _(
            "Change since {since}: “{label}” ({title}) rose from {before} to {after} (at "
            "least {points} points, however the unreported answers fell; 95% CI {low} to "
            "{high})."
        ),
        (False, True): _(
            "Change since {since}: “{label}” ({title}) fell from {before} to {after} (at "
            "least {points} points, however the unreported answers fell; 95% CI {low} to "
            "{high})."
        ),
    }
    return messages[(rose, bounded)].format(**values)


def question_test_sentence(trends: Trends, qid: str) -> str | None:
    """Return what a question's whole-question test on the panel's pairs found, if it ran.

    One family of its own (Holm-adjusted over the chapter's whole-question tests); a test with
    fewer pairs than the minimum is said not to be made.
    """
    tests = trends.question_tests
    rows = tests[tests["question_id"] == qid] if not tests.empty else tests
    if rows.empty:
        return None
    r = rows.iloc[0]
    n = int(r["n_paired"])
    if not r["is_testable"]:
        return _(
            "Only {n} experts answered both waves: too few (under {minimum}) to test the "
            "question as a whole on their pairs."
        ).format(n=n, minimum=SMALL_BASE_N)
    said = {"n": n, "p": fmt_p(r["p_holm"])}
    if r["test"] == STUART_MAXWELL:
        text = (
            _("Taken as a whole, the answers of the {n} experts who answered both waves moved "
              "(Stuart-Maxwell test of marginal homogeneity on their pairs, Holm-adjusted {p}).")
            if r["is_detectable"]
            else _("Taken as a whole, the answers of the {n} experts who answered both waves did "
                   "not move detectably (Stuart-Maxwell test of marginal homogeneity on their "
                   "pairs, Holm-adjusted {p}).")
        )  # fmt: skip
        return text.format(**said)
    if r["test"] == WILCOXON:
        text = (
            _("On the scale, the {n} experts who answered both waves moved: {up} up and {down} "
              "down, the rest kept their point (median change {median}; Wilcoxon signed-rank "
              "test on their pairs, Holm-adjusted {p}).")
            if r["is_detectable"]
            else _("On the scale, the {n} experts who answered both waves did not move "
                   "detectably: {up} up and {down} down, the rest kept their point (median "
                   "change {median}; Wilcoxon signed-rank test on their pairs, Holm-adjusted "
                   "{p}).")
        )  # fmt: skip
        moved = {"up": int(r["up"]), "down": int(r["down"])}
        return text.format(**said, **moved, median=fmt_scale(r["estimate"], signed=True))
    return _overlapping_t_sentence(r, said)


def _overlapping_t_sentence(r: pd.Series, said: dict) -> str:
    """Return a rating's change of the mean by the partially overlapping t-test."""
    text = (
        _("On the scale, the mean moved by {change} points (95% CI {low} to {high}; partially "
          "overlapping samples t-test (Derrick et al.) on {n} pairs and {single} single "
          "answers, Holm-adjusted {p}).")
        if r["is_detectable"]
        else _("On the scale, the mean did not move detectably: {change} points (95% CI {low} "
               "to {high}; partially overlapping samples t-test (Derrick et al.) on {n} pairs "
               "and {single} single answers, Holm-adjusted {p}).")
    )  # fmt: skip
    return text.format(
        **said,
        change=fmt_scale(r["estimate"], signed=True),
        low=fmt_scale(r["ci_low"], signed=True),
        high=fmt_scale(r["ci_high"], signed=True),
        single=int(r["only_from"] + r["only_to"]),
    )
