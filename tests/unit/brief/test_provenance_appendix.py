"""The provenance appendix names each input by what it is, never by a file of the project."""

from surveybrief.brief.i18n import language
from surveybrief.brief.provenance_appendix import input_role, provenance_html


def test_each_input_is_named_by_what_it_is_in_every_language():
    assert input_role("raw/2025-06/responses.csv", "2026-06") == (
        "Answers of wave 2025-06 (the survey's export, csv)"
    )  # an earlier wave's export is that wave's
    assert input_role("raw/2026-06/wave.yaml", "2026-06") == "Description of wave 2026-06"
    assert input_role("raw/2026-06/wave.draft.yaml", "2026-06").startswith("Draft description")
    assert input_role("raw/2026-06/notes.md", "2026-06") == "Other file of wave 2026-06"
    assert input_role("codebook/v2.yaml", "2026-06") == "Questionnaire, version 2"
    assert input_role("coding/2026-06/comments.xlsx", "2026-06") == (
        "Coding of the open answers to comments, wave 2026-06"
    )
    with language("ru"):
        assert input_role("codebook/v2.yaml", "2026-06") == "Анкета, версия 2"


def test_the_appendix_shows_no_path_and_counts_the_steps():
    manifest = {
        "wave": "2026-06", "started_at": "2026-07-01T10:00:00+00:00",
        "git": {"commit": "abc", "is_dirty": False},
        "inputs": {"raw/2026-06/export.csv": "1" * 64, "codebook/v1.yaml": "2" * 64},
        "key_packages": {"pandas": "2.2"}, "kernels": [],
        "notebooks": [{"name": "00_clean", "status": "ok", "seconds": 1.0},
                      {"name": "10_section-a", "status": "reused", "seconds": 0.0}],
    }  # fmt: skip
    html = provenance_html(manifest, "B")
    assert "raw/" not in html and ".csv" not in html and "00_clean" not in html
    assert "1 computed, 1 reused unchanged from an earlier run; 1.0 s" in html
