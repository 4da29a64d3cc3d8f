from pathlib import Path

import pytest

from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.question_kind import question_kinds


def test_project_codebook_has_the_six_sections_of_the_article(data_root):
    codebook = load_codebook(data_root)
    assert [s.id for s in codebook.chapters] == [
        "relations",
        "economic",
        "external",
        "humanitarian",
        "kazakhstan",
        "outlook",
    ]
    assert {q.type for q in codebook.questions} == set(question_kinds()) - {"ranking"}


def test_items_without_figures_are_in_the_codebook(data_root):
    codebook = load_codebook(data_root)
    assert codebook.question("prospects_10y").type == "rating"
    assert codebook.question("comments").type == "text"
    assert codebook.question("expert_field").type == "profile"
    unreported = {o.code for o in codebook.question("competing_blocs").options if not o.is_reported}
    assert unreported == {"sco", "cis", "bri", "eu"}
    tools = codebook.question("humanitarian_tools")
    assert {o.code for o in tools.options if not o.is_reported} == {
        "cultural_calendar",
        "regional_festivals",
        "youth_leadership",
    }


def test_labels_are_keyed_by_language_with_english_fallback(data_root):
    q = load_codebook(data_root).question("kz_moderator")
    option = q.option("leading_moderator")
    assert option.label("kk") == "Иә, саяси ерік пен өзара сенім болған жағдайда"
    assert option.label("de") == option.label("en")  # no German: the English label


def write_codebook(root: Path, body: str) -> Path:
    (root / "codebook").mkdir(parents=True)
    (root / "codebook" / "v1.yaml").write_text(body, encoding="utf-8")
    return root


#: A codebook with one section; a test appends its questions.
ONE_SECTION = """
version: 1
title: {en: T}
sections:
  - id: s
    number: 1
    title: {en: S}
    questions:
"""


def test_unknown_question_type_names_file_and_value(tmp_path):
    root = write_codebook(
        tmp_path,
        ONE_SECTION
        + """      - {id: q, type: matrix, title: {en: Q}, wording: {en: W}}
""",
    )
    with pytest.raises(InputError) as err:
        load_codebook(root)
    assert "v1.yaml" in str(err.value) and "'matrix'" in str(err.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    root = write_codebook(tmp_path, "version: 1\nsections: [\n")
    with pytest.raises(InputError, match="row 3"):
        load_codebook(root)


def test_duplicate_option_codes_are_refused(tmp_path):
    root = write_codebook(
        tmp_path,
        ONE_SECTION
        + """      - id: q
        type: single
        title: {en: Q}
        wording: {en: W}
        options: [{code: a, label: {en: A}}, {code: a, label: {en: B}}]
""",
    )
    with pytest.raises(InputError, match="duplicate option codes"):
        load_codebook(root)


RATING = """      - id: r
        type: {type}
        title: {{en: R}}
        wording: {{en: W}}
        options: [{{code: "1", label: {{en: A}}}}, {{code: "2", label: {{en: B}}}},
                  {{code: "3", label: {{en: C}}}}, {{code: "4", label: {{en: D}}}}]
        consensus: {consensus}
"""


def _rating(tmp_path, consensus: str, qtype: str = "rating"):
    root = write_codebook(tmp_path, ONE_SECTION + RATING.format(type=qtype, consensus=consensus))
    return load_codebook(root).question("r")


def test_a_rating_statement_declares_its_consensus_rule(tmp_path):
    rule = _rating(tmp_path, "{share: 75, iqr: 1}").consensus
    assert (rule.points, rule.share, rule.iqr) == (("3", "4"), 75.0, 1.0)  # the top two points


@pytest.mark.parametrize(
    ("consensus", "qtype", "says"),
    [
        ("{share: 75}", "single", "consensus is declared on rating statements"),
        ("{points: ['4', '9'], share: 75}", "rating", "consensus points must be the scale's"),
        ("{points: [4]}", "rating", "consensus needs a rule"),
        ("{share: 120}", "rating", "consensus share out of range"),
        ("{iqr: 4}", "rating", "consensus iqr out of range"),  # the scale spans 3 points
        ("{share: true}", "rating", "consensus share out of range"),
        ("{share: 75, agree: 4}", "rating", "unknown key agree"),
        ("75", "rating", "consensus must be a mapping"),
    ],
)
def test_a_consensus_rule_that_cannot_be_read_is_refused_by_name(tmp_path, consensus, qtype, says):
    with pytest.raises(InputError, match=says) as err:
        _rating(tmp_path, consensus, qtype)
    assert "v1.yaml" in str(err.value) and "'r'" in str(err.value)
