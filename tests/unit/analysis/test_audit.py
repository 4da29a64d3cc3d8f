import pandas as pd

from surveybrief.analysis.audit import REPRODUCTION_COLUMNS, audit_wave
from surveybrief.brief.audit import audit_summary
from surveybrief.clean.cleaner import clean_wave
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.published import load_published
from surveybrief.inputs.wave import load_wave


def run_audit(data_root, edit=None):
    codebook = load_codebook(data_root)
    wave = load_wave(data_root, "2025-06")
    publication = load_published(data_root, "2025-06", codebook)
    responses = clean_wave(wave, codebook).responses
    if edit:
        edit(responses)
    return audit_wave(codebook, publication, responses, wave.n_stated), publication, codebook


def test_reproduction_table_has_the_design_columns(data_root):
    audit, _, _ = run_audit(data_root)
    assert list(audit.reproduction.columns) == REPRODUCTION_COLUMNS
    assert len(audit.reproduction) == 31


def test_figures_impossible_for_the_stated_sample_are_found(data_root):
    audit, _, _ = run_audit(data_root)
    impossible = set(audit.unattainable_at_stated["figure_id"])
    # 43.5, 23.5, 23 (any n <= 50) and 66.7, 86.7, 13.3, 33.3, 6.7 (n = 50 exactly)
    assert impossible == {"F16", "F17", "F18", "F24", "F26", "F27", "F29", "F31"}


def test_a_changed_answer_is_reported_as_mismatch(data_root):
    def edit(responses):
        first = responses.index[responses["relations_state"] == "stable_competitive"][0]
        responses.loc[first, "relations_state"] = "fragile"

    audit, _, _ = run_audit(data_root, edit)
    status = audit.reproduction.set_index("figure_id")["status"]
    assert status["F01"] == "mismatch" and status["F03"] == "mismatch"


def test_summary_says_which_figures_are_unattainable(data_root):
    audit, publication, codebook = run_audit(data_root)
    text = " ".join(audit_summary(audit, publication, codebook))
    assert "28 are reproduced exactly" in text
    assert "43.5%, 23.5%, 23%" in text
    assert "at least 115 respondents" in text
    assert pd.notna(
        audit.questions.set_index("question_id").loc["external_role", "smallest_base_overall"]
    )
