from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

from surveybrief.analysis.audit import REPRODUCTION_COLUMNS, audit_wave
from surveybrief.brief.audit_chapter import audit_summary


def run_audit(cleaned, edit=None):
    """Audit the cleaned 2025-06 wave (a copy of its responses, edited if asked)."""
    responses = cleaned.responses.copy()
    if edit:
        edit(responses)
    audit = audit_wave(cleaned.codebook, cleaned.publication, responses, cleaned.wave.n_stated)
    return audit, cleaned.publication, cleaned.codebook


def test_reproduction_table_has_the_design_columns(cleaned_2025):
    audit, _, _ = run_audit(cleaned_2025)
    assert list(audit.reproduction.columns) == REPRODUCTION_COLUMNS
    assert len(audit.reproduction) == 31


def test_figures_impossible_for_the_stated_sample_are_found(cleaned_2025):
    audit, _, _ = run_audit(cleaned_2025)
    impossible = set(audit.unattainable_at_stated["figure_id"])
    # 43.5, 23.5, 23 (any n <= 50) and 66.7, 86.7, 13.3, 33.3, 6.7 (n = 50 exactly)
    assert impossible == {"F16", "F17", "F18", "F24", "F26", "F27", "F29", "F31"}


def test_a_changed_answer_is_reported_as_mismatch(cleaned_2025):
    def edit(responses):
        first = responses.index[responses["relations_state"] == "stable_competitive"][0]
        responses.loc[first, "relations_state"] = "fragile"

    audit, _, _ = run_audit(cleaned_2025, edit)
    status = audit.reproduction.set_index("figure_id")["status"]
    assert status["F01"] == "mismatch" and status["F03"] == "mismatch"


def _prints_as(count: int, base: int, value: str) -> bool:
    """Reference: does count/base print as ``value`` (half up or half even), in decimals."""
    places = Decimal(1).scaleb(Decimal(value).as_tuple().exponent)
    share = Decimal(100 * count) / Decimal(base)
    return any(
        share.quantize(places, rounding=mode) == Decimal(value)
        for mode in (ROUND_HALF_UP, ROUND_HALF_EVEN)
    )


def _bases(value: str, most: int) -> list[int]:
    return [n for n in range(1, most + 1) if any(_prints_as(k, n, value) for k in range(n + 1))]


def test_each_figure_is_possible_alone_only_the_set_is_impossible_below_115(cleaned_2025):
    """The four external_role figures (a multi-select: each is its own share of the base)."""
    audit, _, _ = run_audit(cleaned_2025)
    values = ["43.5", "23.5", "23", "10"]
    alone = {v: _bases(v, 50) for v in values}
    assert all(alone.values())  # each is possible on its own for some base up to 50
    assert 46 in alone["43.5"] and {17, 34} <= set(alone["23.5"])
    together = [n for n in range(1, 200) if all(n in _bases(v, n) for v in values)]
    assert together[0] == 115
    row = audit.questions.set_index("question_id").loc["external_role"]
    assert row["smallest_base_overall"] == together[0]
    assert row["bases_up_to_stated_n"] == "none"
    assert set(audit.impossible_together["figure_id"]) == {"F16", "F17", "F18", "F19"}
    assert audit.impossible_alone.empty


def test_summary_says_exactly_what_is_impossible(cleaned_2025):
    audit, publication, codebook = run_audit(cleaned_2025)
    text = " ".join(audit_summary(audit, publication, codebook))
    assert "28 are reproduced exactly" in text
    assert "each of 43.5%, 23.5%, 23%, 10% is possible on its own" in text
    assert "no single number of respondents up to 50 gives them all at once" in text
    assert "the smallest that does is 115" in text
    assert "impossible for any number" not in text and "out of 50 or fewer gives" not in text


def test_a_figure_impossible_on_its_own_is_said_so(cleaned_2025):
    """33.3% with one decimal: 1/3 of a base; 33.4% is no whole count of any base up to 50."""
    from dataclasses import replace

    publication = cleaned_2025.publication
    figures = [
        replace(f, value=33.4, printed="33.4%") if f.id == "F29" else f for f in publication.figures
    ]
    edited = replace(publication, figures=tuple(figures))
    assert not _bases("33.4", 50)
    audit = audit_wave(
        cleaned_2025.codebook, edited, cleaned_2025.responses, cleaned_2025.wave.n_stated
    )
    assert set(audit.impossible_alone["figure_id"]) == {"F29"}
    text = " ".join(audit_summary(audit, edited, cleaned_2025.codebook))
    assert "Impossible as printed" in text and "33.4%" in text and "even on its own" in text


def test_a_chapter_says_when_its_base_is_the_reconstructions_assumption(cleaned_2025):
    """86.7% and 13.3% are whole counts of 15, 30 and 45: the 45 shown is a choice."""
    from surveybrief.analysis.tabulate import tabulate_question
    from surveybrief.brief.audit_chapter import assumed_base_note

    c = cleaned_2025
    kz = c.codebook.question("kz_moderator")
    note = assumed_base_note(c.publication, kz, tabulate_question(c.responses, kz).base, 50)
    assert "base of 45 is the reconstruction's assumption" in note
    assert "whole counts of 15, 30, 45 respondents alike" in note
    role = c.codebook.question("external_role")  # its figures fit no base up to 50 together
    assert assumed_base_note(c.publication, role, 50, 50) == ""
    single = c.codebook.question("economic_avenues")  # 2% steps: 50 alone fits
    assert assumed_base_note(c.publication, single, 50, 50) == ""


def test_figures_a_tables_bases_cannot_give_are_found_where_the_chapter_says_so():
    from pathlib import Path

    import pandas as pd

    from surveybrief.analysis.audit import figures_not_reproducible
    from surveybrief.inputs.published import Publication, PublishedFigure

    figures = tuple(
        PublishedFigure(f"f{o}", "q", o, v, p, printed, "", "")
        for o, v, p, printed in (
            ("a", 43.5, 1, "43.5%"),
            ("b", 30.0, 0, "30%"),
            ("c", 1.0, 0, "1%"),
        )
    )
    publication = Publication("w", {}, figures, Path("p"))
    table = pd.DataFrame({"option": ["a", "b", "c"], "base": [50, 50, 45]})
    impossible, only_stated = figures_not_reproducible(publication, table, "q", 50)
    assert impossible == [("43.5%", 50), ("1%", 45)]  # 43.5% of 50 is 21.75; 1% of 45 is 0.45
    assert only_stated == []
    table = pd.DataFrame({"option": ["b"], "base": [30]})
    ninth = (PublishedFigure("f", "q", "b", 33.3, 1, "33.3%", "", ""),)  # 10 of 30, not of 50
    found = figures_not_reproducible(Publication("w", {}, ninth, Path("p")), table, "q", 50)
    assert found == ([], [("33.3%", 30)])
    assert figures_not_reproducible(None, table, "q", 50) == ([], [])
