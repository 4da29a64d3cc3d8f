"""A change against the reconstructed 2025-06 wave holds at every base its figures allow."""

import dataclasses
from pathlib import Path

import pytest

from surveybrief.analysis.trends import compute_trends
from surveybrief.analysis.uncertain_base import feasible_counts
from surveybrief.brief.trend_text import describe_changes
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.questionnaire import Question
from tests.helpers import responses


@pytest.fixture
def waves(cleaned_2025):
    """The reconstructed wave, and a later one of 60 respondents built from given answers."""
    c = cleaned_2025
    earlier = CleanedWave(c.wave, c.codebook, c.responses, c.publication)

    def later(**columns):
        meta = dataclasses.replace(c.wave, id="2026-06", is_reconstructed=False)
        return CleanedWave(meta, c.codebook, responses(c.codebook, **columns))

    return earlier, later


def test_the_feasible_bases_are_the_audits(waves):
    earlier, _ = waves
    q: Question = earlier.codebook.question("kz_moderator")
    found = feasible_counts(q, earlier, {c: c for c in q.codes})
    assert list(found) == [15, 30, 45]  # 86.7% and 13.3%: multiples of 15
    from surveybrief.analysis.audit import audit_wave

    audit = audit_wave(earlier.codebook, earlier.publication, earlier.responses, 50)
    row = audit.questions.set_index("question_id").loc["kz_moderator"]
    assert row["bases_up_to_stated_n"] == ", ".join(map(str, found))  # the audit's, exactly
    assert [found[b]["leading_moderator"] for b in found] == [13, 26, 39]


def test_a_change_that_rests_on_the_assumed_base_is_not_claimed(waves):
    """39 of 45 (assumed) against 40 of 60: p 0.02 at 45, but the figures also fit 15 and 30."""
    earlier, later = waves
    kz = ["leading_moderator"] * 40 + ["partial_economic"] * 20
    codebooks = {1: earlier.codebook}
    trends = compute_trends(later(kz_moderator=kz), [earlier], codebooks)
    rows = trends.changes[trends.changes["question_id"] == "kz_moderator"]
    assert set(rows["bases_from"]) == {"15, 30, 45"}
    assert not rows["is_testable"].any() and not rows["is_detectable"].any()
    text = " ".join(describe_changes(trends, "kz_moderator"))
    assert "fit 15, 30, 45 respondents, and at 15 no change can be tested" in text
    assumed = compute_trends(
        later(kz_moderator=kz), [dataclasses.replace(earlier, publication=None)], codebooks
    )  # the same comparison resting on the reconstruction's base alone
    assert assumed.changes.set_index("option").at["leading_moderator", "is_detectable"]


def test_a_change_that_holds_at_every_feasible_base_is_claimed_and_says_so(waves):
    earlier, later = waves
    q = earlier.codebook.question("competing_blocs")
    bases = list(feasible_counts(q, earlier, {c: c for c in q.codes}))
    assert bases == [40, 44, 50]  # 50% (EAEU), 30%, 18%: whole counts of these only
    eaeu = [1] * 6 + [0] * 54  # 10% of 60 against 50%
    trends = compute_trends(later(competing_blocs__eaeu=eaeu), [earlier], {1: earlier.codebook})
    row = trends.changes.set_index("option").loc["eaeu"]
    assert row["bases_from"] == "40, 44, 50" and row["is_detectable"]
    text = " ".join(describe_changes(trends, "competing_blocs"))
    assert "holds at every base its published figures allow (40, 44, 50)" in text


def test_the_interval_envelope_is_statsmodels_wilson_at_each_feasible_base():
    from statsmodels.stats.proportion import proportion_confint

    from surveybrief.analysis.uncertain_base import interval_envelope
    from surveybrief.inputs.codebook import Option
    from surveybrief.inputs.published import Publication, PublishedFigure

    q = Question("q", "single", "s", {"en": "Q"}, {"en": "Q?"},
                 (Option("a", {"en": "A"}), Option("b", {"en": "B"})))  # fmt: skip
    figures = tuple(
        PublishedFigure(f"f{o}", "q", o, v, 1, f"{v}%", "", "")
        for o, v in (("a", 86.7), ("b", 13.3))
    )  # 13/15, 26/30, 39/45
    ends = interval_envelope(Publication("w", {}, figures, Path("p")), q, 50)
    lows = [proportion_confint(k, n, method="wilson")[0] for k, n in ((13, 15), (26, 30), (39, 45))]
    highs = [proportion_confint(k, n, method="wilson")[1] for k, n in ((2, 15), (4, 30), (6, 45))]
    assert ends["a"][0] == pytest.approx(100 * min(lows))
    assert ends["b"][1] == pytest.approx(100 * max(highs))
    one = tuple(PublishedFigure("f", "q", "a", 50.0, 0, "50%", "", "") for _ in [0])
    assert (
        interval_envelope(Publication("w", {}, one, Path("p")), q, 3) == {}
    )  # fits 2 only: no envelope
