"""inputs.question_kind: the registered question types and the traits the layers ask."""

import pytest

from surveybrief.exceptions import InputError
from surveybrief.inputs.question_kind import question_kinds


def test_the_six_types_are_registered_with_their_traits():
    kinds = question_kinds()
    assert tuple(kinds) == ("single", "multi", "rating", "text", "profile", "ranking")
    assert [k for k, v in kinds.items() if v.several] == ["multi"]
    assert [k for k, v in kinds.items() if v.per_option] == ["multi", "ranking"]
    assert [k for k, v in kinds.items() if v.one_of_nominal] == ["single", "profile"]
    assert [k for k, v in kinds.items() if not v.tabulated] == ["text"]
    assert [k for k, v in kinds.items() if not v.trended] == ["text", "ranking"]
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
        ("ranking", ["a", "b"], False, "a ranking question ranks three options or more"),
        ("ranking", ["a", "b", "c"], False, None),
    ],
)
def test_each_type_checks_its_own_options(kind, codes, none, said):
    problem = question_kinds()[kind].problem(codes, none)
    assert (problem is None) if said is None else said in problem[0]


def test_an_unknown_type_is_an_error_naming_the_registered_ones(tmp_path):
    from tests.helpers import data_root_with_codebook

    root = data_root_with_codebook(tmp_path)
    book = root / "codebook" / "v1.yaml"
    book.write_text(book.read_text().replace("type: single", "type: matrix", 1))
    from surveybrief.inputs.codebook import load_codebook

    with pytest.raises(InputError, match="unknown type") as caught:
        load_codebook(root, 1)
    assert "single | multi | rating | text | profile | ranking" in str(caught.value)


@pytest.mark.parametrize(
    ("places", "said"),
    [
        ({"ranks": 6}, "ranks exceeds the options"),
        ({"ranks": 0}, "ranks is a whole number from 2"),
        ({"ranks": 1}, "ranks is a whole number from 2"),
        ({"top": 1}, "top is a whole number from 2"),
        ({"top": 4}, "top counts the first places ranked"),
        ({"ranks": 2, "top": 3}, "top counts the first places ranked"),
        ({"ranks": 5, "top": 5}, "top counts the first places ranked"),
    ],
)
def test_a_ranking_asks_places_its_options_can_fill(tmp_path, places, said):
    import shutil

    import yaml

    from surveybrief.inputs.codebook import load_codebook
    from tests.helpers import FIXTURES

    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "ranking_survey" / "codebook", root / "codebook")
    book = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(book.read_text(encoding="utf-8"))
    question = doc["sections"][0]["questions"][0]
    question.pop("top")
    question.update(places)
    book.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match=said):
        load_codebook(root, 1)


def test_ranks_and_top_belong_to_ranking_questions_only(tmp_path):
    from tests.helpers import data_root_with_codebook

    root = data_root_with_codebook(tmp_path)
    book = root / "codebook" / "v1.yaml"
    book.write_text(book.read_text().replace("type: single", "type: single\n        top: 2", 1))
    from surveybrief.inputs.codebook import load_codebook

    with pytest.raises(InputError, match="ranks and top are for ranking questions"):
        load_codebook(root, 1)


def test_a_ranking_cannot_lead_the_cover(tmp_path):
    """Its table's share is of the top places, not one answer chosen: refused as headline."""
    from surveybrief.inputs.codebook import load_codebook
    from tests.helpers import ranking_codebook_edited

    root = ranking_codebook_edited(
        tmp_path, "type: ranking", "type: ranking\n        headline: true"
    )
    with pytest.raises(InputError, match="a ranking question cannot lead the cover"):
        load_codebook(root, 1)
