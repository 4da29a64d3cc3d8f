import pandas as pd

from surveybrief.analysis.audit import REPRODUCTION_COLUMNS, audit_wave
from surveybrief.brief.audit import audit_summary


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


def test_summary_says_which_figures_are_unattainable(cleaned_2025):
    audit, publication, codebook = run_audit(cleaned_2025)
    text = " ".join(audit_summary(audit, publication, codebook))
    assert "28 are reproduced exactly" in text
    assert "43.5%, 23.5%, 23%" in text
    assert "at least 115 respondents" in text
    assert pd.notna(
        audit.questions.set_index("question_id").loc["external_role", "smallest_base_overall"]
    )
