"""inputs.question_types: the registered question types and the traits the layers ask."""

import pytest

from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import QUESTION_TYPES
from surveybrief.inputs.question_types.question_kind import question_kinds


def test_the_five_types_are_registered_with_their_traits():
    kinds = question_kinds()
    assert tuple(kinds) == QUESTION_TYPES == ("single", "multi", "rating", "text", "profile")
    assert [k for k, v in kinds.items() if v.several] == ["multi"]
    assert [k for k, v in kinds.items() if v.one_of_nominal] == ["single", "profile"]
    assert [k for k, v in kinds.items() if not v.tabulated] == ["text"]
    assert [k for k, v in kinds.items() if v.broken_down] == ["single", "multi"]
    assert [k for k, v in kinds.items() if v.groups] == ["single", "rating", "profile"]


@pytest.mark.parametrize(
    ("kind", "codes", "none", "said"),
    [
        ("single", [], False, "a single question needs options"),
        ("single", ["a", "b"], True, "is_none marks the “None of these” box"),
        ("rating", ["1", "two"], False, "rating codes must be integers"),
        ("multi", ["a", "none"], True, None),
        ("text", [], False, None),
    ],
)
def test_each_type_checks_its_own_options(kind, codes, none, said):
    problem = question_kinds()[kind].problem(codes, none)
    assert (problem is None) if said is None else said in problem[0]


def test_an_unknown_type_is_an_error_naming_the_registered_ones(tmp_path):
    from tests.helpers import data_root_with_codebook

    root = data_root_with_codebook(tmp_path)
    book = root / "codebook" / "v1.yaml"
    book.write_text(book.read_text().replace("type: single", "type: ranking", 1))
    from surveybrief.inputs.codebook import load_codebook

    with pytest.raises(InputError, match="unknown type") as caught:
        load_codebook(root, 1)
    assert "single | multi | rating | text | profile" in str(caught.value)
