"""tools.synthetic_answers: what SYNTHETIC answers cover, and what they refuse."""

from __future__ import annotations

import pytest

from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.tools.synthetic_answers import generate_answers
from tests.helpers import FIXTURES


def test_a_ranking_question_is_refused_not_written_wrong():
    """No SYNTHETIC export shape writes a ranking yet: the error names the question."""
    with pytest.raises(InputError, match="do not cover ranking questions") as caught:
        generate_answers(load_codebook(FIXTURES / "ranking_survey", 1), 5, 1)
    assert "'priorities'" in str(caught.value)


def test_the_other_institutes_answers_are_generated_as_before():
    answers = generate_answers(load_codebook(FIXTURES / "energy_survey", 1), 40, 3).frame
    assert len(answers) == 40 and answers["respondent_id"].is_unique
