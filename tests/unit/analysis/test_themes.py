"""Coding round trip: workbook written, coded by two coders, read back, checked, tabulated."""

from __future__ import annotations

import pandas as pd
import pytest
from openpyxl import load_workbook

from surveybrief.analysis.themes import (
    AUTOMATIC,
    ONE_CODER,
    TWO_CODERS,
    code_themes,
    open_answers,
)
from surveybrief.brief.coding_book import write_workbook
from surveybrief.clean.skips import is_comment
from surveybrief.config import DATA_DIR
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.coding import HEADER, SHEET, read_coding

TARGET = load_codebook(DATA_DIR, 1).open_target("comments")
TEXTS = [
    "Water and energy first.",
    "Транспортные коридоры и торговля.",
    "Саяси сенім керек.",
    "=1+1 is how trade works",
    "N/A",
    None,
]


@pytest.fixture
def answers():
    responses = pd.DataFrame(
        {
            "respondent_id": pd.array([f"P{i}" for i in range(len(TEXTS))], "string"),
            "comments": pd.array(TEXTS, "string"),
        }
    )
    return open_answers(responses, TARGET)


def fill(path, codes: dict[str, dict[str, list[str]]], edit=None):
    """Give codes per respondent and role in a written workbook; return its path."""
    book = load_workbook(path)
    sheet = book[SHEET]
    for row in range(2, sheet.max_row + 1):
        who = sheet.cell(row, 1).value
        for role, given in codes.get(who, {}).items():
            for i, code in enumerate(given, start=1):
                sheet.cell(row, HEADER.index(f"{role}_{i}") + 1, code)
    if edit:
        edit(sheet)
    book.save(path)
    return path


def test_non_answers_are_not_comments(answers):
    assert list(answers.index) == ["P0", "P1", "P2", "P3"]
    assert not is_comment("  n/a ") and not is_comment("Нет.") and is_comment("No, never")


def test_the_workbook_is_text_with_code_lists(answers, tmp_path):
    path = write_workbook(TARGET, answers, tmp_path / "comments.xlsx", {})
    book = load_workbook(path)
    sheet = book[SHEET]
    assert [c.value for c in sheet[1]] == HEADER
    formula = next(c for c in sheet["B"] if c.value == "=1+1 is how trade works")
    assert formula.data_type == "s"  # stored as text: nothing can run
    lists = sheet.data_validations.dataValidation
    assert lists and lists[0].formula1 == "=themes!$A$2:$A$8"
    assert sheet.cell(2, 3).value == "water_energy"  # the keyword pass's suggestion
    assert [r[0].value for r in book["themes"].iter_rows(min_row=2)][-1] == "no_theme"


def test_two_coders_give_themes_and_agreement(answers, tmp_path):
    path = write_workbook(TARGET, answers, tmp_path / "comments.xlsx", {})
    fill(
        path,
        {
            "P0": {"coder1": ["water_energy"], "coder2": ["water_energy"]},
            "P1": {"coder1": ["transport_trade"], "coder2": ["transport_trade", "institutions"]},
            "P2": {"coder1": ["trust_politics"], "coder2": ["trust_politics"]},
            "P3": {"coder1": ["no_theme"], "coder2": ["transport_trade"]},
        },
    )
    coding = code_themes(TARGET, answers, read_coding(path, TARGET.frame))
    assert coding.status == TWO_CODERS
    assert (
        coding.themes.loc["P1", "transport_trade"] and not coding.themes.loc["P1", "institutions"]
    )
    assert not coding.themes.loc["P3"].any()  # only one coder saw a theme: none counted
    table = coding.table().table.set_index("option")
    assert table.at["no_theme", "count"] == 1 and set(table["base"]) == {4}
    pooled = coding.agreement.set_index("theme").loc["all"]
    assert pooled["pct_agreement"] == pytest.approx(100 * 22 / 24)


def test_one_coder_and_no_workbook(answers, tmp_path):
    path = write_workbook(TARGET, answers, tmp_path / "comments.xlsx", {})
    codes = {w: {"coder1": ["no_theme"]} for w in answers.index}
    coding = code_themes(TARGET, answers, read_coding(fill(path, codes), TARGET.frame))
    assert coding.status == ONE_CODER and coding.agreement is None
    assert code_themes(TARGET, answers, None).status == AUTOMATIC


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.cell(3, HEADER.index("coder1_2") + 1, "wter"), "row 3, column 'coder1_2'"),
        (lambda s: s.cell(4, 2, "Something else"), "answer no longer matches"),
        (lambda s: s.delete_rows(5), "1 answer\\(s\\) missing from the coding workbook"),
        (lambda s: s.cell(2, 1, "P99"), "respondent has no open answer"),
        (lambda s: setattr(s.cell(3, HEADER.index("coder1_1") + 1), "value", None), "not coded"),
    ],
    ids=["unknown-code", "changed-answer", "missing-row", "unknown-respondent", "uncoded"],
)
def test_a_returned_workbook_that_does_not_fit_is_one_clear_error(answers, tmp_path, edit, message):
    path = write_workbook(TARGET, answers, tmp_path / "comments.xlsx", {})
    fill(path, {w: {"coder1": ["no_theme"]} for w in answers.index}, edit)
    with pytest.raises(InputError, match=message) as error:
        code_themes(TARGET, answers, read_coding(path, TARGET.frame))
    assert "sheet 'coding'" in str(error.value) and "comments.xlsx" in str(error.value)


def test_codes_carry_over_where_the_answer_is_unchanged(answers, tmp_path):
    first = write_workbook(TARGET, answers, tmp_path / "first.xlsx", {})
    fill(first, {"P0": {"coder1": ["water_energy"]}, "P1": {"coder1": ["institutions"]}})
    returned = read_coding(first, TARGET.frame)
    carried = {
        w: (a, {r: returned.codes[r][i] for r in returned.codes})
        for i, (w, a) in enumerate(zip(returned.respondents, returned.answers, strict=True))
    }
    changed = answers.copy()
    changed["P1"] = "A different answer now."
    second = load_workbook(write_workbook(TARGET, changed, tmp_path / "second.xlsx", carried))
    column = HEADER.index("coder1_1") + 1
    assert second[SHEET].cell(2, column).value == "water_energy"
    assert second[SHEET].cell(3, column).value is None  # answer changed: code again


def test_other_texts_with_a_frame_are_an_open_question_of_their_own(tmp_path):
    from tests.helpers import data_root_with_codebook

    codebook = load_codebook(data_root_with_codebook(tmp_path, add_other=True))
    target = codebook.open_target("economic_avenues__other_text")
    from surveybrief.brief.narrative import open_title

    title = "Most realistic avenues of economic integration: “Other” answers"
    assert target.is_other and open_title(target) == title
    assert [t.id for t in codebook.open_targets] == ["economic_avenues__other_text", "comments"]
    responses = pd.DataFrame(
        {
            "respondent_id": pd.array(["P1", "P2"], "string"),
            "economic_avenues__other_text": pd.array(["a water-sharing treaty", None], "string"),
        }
    )
    coding = code_themes(target, open_answers(responses, target), None)
    assert coding.base == 1 and bool(coding.themes.loc["P1", "water_treaty"])
