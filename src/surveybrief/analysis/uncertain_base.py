"""A change against a wave whose bases are not known holds at every base its figures allow.

A wave rebuilt from published percentages (or a source that says "more than 50") does not give
the base of a question: the reconstruction assumes one (the largest up to the stated sample at
which every published figure of the question is a whole count). A claim must not rest on that
assumption. So a change from such a wave is tested at every base up to the stated sample at
which the question's published figures are jointly whole counts (the audit's feasible bases):
its p-value is the largest, its interval spans all of them, and it is testable only if every
such base reaches the minimum. The bases it was tested at are recorded (``bases_from``).
"""

from __future__ import annotations

import pandas as pd

from surveybrief.analysis.bounds import Share, bounded_change
from surveybrief.analysis.granularity import whole_count_bases
from surveybrief.analysis.stats import wilson_interval
from surveybrief.clean.processed import CleanedWave
from surveybrief.config import SMALL_BASE_N
from surveybrief.inputs.codebook import Question
from surveybrief.inputs.published import Publication


def feasible_counts(q: Question, data: CleanedWave, code_map: dict[str, str]) -> dict[int, dict]:
    """Return, per feasible base up to the stated sample, each option's count (current codes).

    Empty unless the wave is reconstructed and its source publishes figures for ``q``.
    """
    if not data.wave.is_reconstructed:
        return {}
    asked = data.codebook.question(q.id)  # its type as that wave asked it
    bases = _whole_count_bases(data.publication, asked, data.wave.n_stated)
    return {n: {code_map.get(o, o): k for o, k in c.items()} for n, c in bases.items()}


def _share_at(option: str, base: int, counts: dict, q: Question, unknown: bool) -> Share | None:
    """Return an option's share at ``base``: its figure's count, or what the figures leave."""
    if option in counts:
        return Share(counts[option], 0, base)
    if unknown and q.kind.one_of_nominal:
        return Share(0, max(0, base - sum(counts.values())), base)
    return None


def hold_at_every_base(row: dict, q: Question, bases: dict[int, dict], after: Share) -> dict:
    """Return the change ``row`` tested at every feasible base of the earlier wave.

    ``bases``: ``feasible_counts`` of the earlier wave (empty: the row is returned as it is).
    """
    if not bases:
        return row
    tests = []
    for base, counts in bases.items():
        share = _share_at(row["option"], base, counts, q, bool(row["is_bounded"]))
        if share is not None:
            tests.append((base, bounded_change(share, after)))
    if not tests:
        return row
    p_values = [c.p_value for _b, c in tests]
    return row | {
        "bases_from": ", ".join(str(b) for b, _c in tests),
        "p_value": float("nan") if any(pd.isna(p) for p in p_values) else max(p_values),
        "ci_low_pp": min(c.ci_low for _b, c in tests),
        "ci_high_pp": max(c.ci_high for _b, c in tests),
        "excludes_zero": all(c.excludes_zero for _b, c in tests),
        "is_testable": row["is_testable"] and min(b for b, _c in tests) >= SMALL_BASE_N,
    }


def interval_envelope(
    publication: Publication | None,
    question: Question,
    n_stated: int,
    together: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, tuple[float, float]]:
    """Return each option's 95% interval (in %) widened over every base its figures allow.

    Empty where the question's published figures fit one base up to the stated sample, or
    none: the interval at the reconstruction's base is then the only one. The chapter's words
    ("a clear majority", "clearly ahead") are decided on these ends, so they hold at every base
    the reconstruction could have assumed, not only at the one it did. ``together``: shares of
    several options added up (a scale's top two points), by a name of their own.
    """
    bases = _whole_count_bases(publication, question, n_stated)
    if len(bases) < 2:
        return {}
    ends: dict[str, tuple[float, float]] = {}
    for base, counts in bases.items():
        sums = {
            name: sum(counts[c] for c in codes)
            for name, codes in (together or {}).items()
            if all(c in counts for c in codes)
        }
        for option, count in (counts | sums).items():
            low, high = wilson_interval(count, base)
            was = ends.get(option, (100.0, 0.0))
            ends[option] = (min(was[0], 100 * float(low)), max(was[1], 100 * float(high)))
    return ends


def _whole_count_bases(
    publication: Publication | None, question: Question, n_stated: int
) -> dict[int, dict]:
    """Return, per base up to the stated sample that fits a question's figures, their counts."""
    figures = [f.figure for f in publication.for_question(question.id)] if publication else []
    single = question.kind.one_of_nominal
    return whole_count_bases(figures, n_stated, is_single=single) if figures else {}


def feasible_bases(publication: Publication | None, question: Question, n_stated: int) -> list[int]:
    """Return the bases up to the stated sample at which a question's figures are whole counts."""
    return list(_whole_count_bases(publication, question, n_stated))
