"""Fixtures of the brief layer's tests: what the section and audit notebooks write."""

import shutil

import pytest

from surveybrief.brief.audit_chapter import open_audit
from surveybrief.brief.section import open_section
from tests.helpers import WAVE


@pytest.fixture
def outputs(cleaned_root, cleaned_outputs, cleaned_2025, tmp_path):
    """Outputs of the section and audit steps for the cleaned 2025-06 wave."""
    shutil.copytree(cleaned_outputs / "processed", tmp_path / "processed")
    for section in cleaned_2025.codebook.chapters:
        open_section(section.id, WAVE, cleaned_root, tmp_path)
    open_audit(WAVE, cleaned_root, tmp_path)
    return tmp_path
