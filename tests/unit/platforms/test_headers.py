"""What each platform's headers say: own, personal and id columns, questions, options, texts."""

from __future__ import annotations

import pytest

from surveybrief.platforms import base
from surveybrief.platforms.base import (
    ANSWER,
    CHOICE_OR_OTHER,
    COMMENT,
    IDENTIFIER,
    META,
    OPTION,
    OTHER_TEXT,
    PERSONAL,
    WHOLE,
)
from surveybrief.platforms.registry import platforms


def columns(platform: str, *rows: list) -> list[base.Column]:
    """Return the columns a platform reads from header rows (and data rows under them)."""
    header, *under = rows
    head = base.Head("csv", tuple(header), tuple(tuple(r) for r in under))
    adapter = platforms()[platform]
    return adapter.columns(head, adapter.header_rows(head))


def parts(column: base.Column) -> list[tuple]:
    return [(r.part, r.question, r.option) for r in column.readings]


def test_limesurvey_headings_in_every_headings_setting():
    found = columns(
        "limesurvey",
        ["id. Response ID", "submitdate. Date submitted", "token. Access code",
         "BARR[SQ001]. Which barriers? [Lack of financing]", "BARR[other]. Which barriers? [Other]",
         "PRIO[comment]", "Which barriers? [Regulation]", "PRIO", "PRIOTime", "LeisureTime",
         "attribute_3", "firstname"],
    )  # fmt: skip
    kinds = [c.kind for c in found]
    assert kinds == [IDENTIFIER, META, PERSONAL, *[ANSWER] * 5, META, ANSWER, PERSONAL, PERSONAL]
    assert parts(found[3]) == [
        (OPTION, ("BARR", "Which barriers?"), ("SQ001", "Lack of financing"))
    ]
    assert parts(found[4])[0][:2] == (OTHER_TEXT, ("BARR", "Which barriers?"))
    assert parts(found[5])[0][0] == COMMENT
    assert parts(found[6]) == [
        (WHOLE, ("Which barriers? [Regulation]",), ()),
        (OPTION, ("Which barriers?",), ("Regulation",)),
    ]
    assert found[-1].holds_names


def test_surveymonkey_two_rows_with_both_shapes_of_other():
    found = columns(
        "surveymonkey",
        ["Respondent ID", "Collector ID", "Start Date", "IP Address", "First Name", "language",
         "Which plan?", "", "Which features?", "", "", "", "Comments?"],
        [None, None, None, None, None, None, "Response", "Other (please specify)", "Reports",
         "API", "Other (please specify)", "Other (please specify)", "Open-Ended Response"],
    )  # fmt: skip
    assert [c.kind for c in found[:6]] == [IDENTIFIER, META, META, PERSONAL, PERSONAL, PERSONAL]
    assert found[4].holds_names
    assert parts(found[6]) == [(WHOLE, ("Which plan?",), ())]
    # the typed text, unless the codebook has a real choice labelled so ("Other governments")
    assert parts(found[7]) == [(CHOICE_OR_OTHER, ("Which plan?",), ("Other (please specify)",))]
    assert parts(found[8])[0] == (OPTION, ("Which features?",), ("Reports",))
    assert parts(found[10])[0] == (
        OPTION,
        ("Which features?",),
        ("Other (please specify)", "other"),
    )
    assert parts(found[11])[0][0] == CHOICE_OR_OTHER
    assert found[11].header == "Which features? - Other (please specify) (2)"
    assert parts(found[12]) == [(WHOLE, ("Comments?",), ())]


def test_qualtrics_reads_tags_labels_and_import_ids():
    found = columns(
        "qualtrics",
        ["StartDate", "ResponseId", "IPAddress", "Q1", "Q1_4_TEXT", "Q2_1", "FL_5_DO"],
        ["Anfangsdatum", "Antwort-ID", "IP-Adresse", "Travel? - Selected Choice",
         "Travel? - Other - Text", "Barriers? - Selected Choice - Cost", "Display Order"],
        ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"ipAddress"}',
         '{"ImportId":"QID1"}', '{"ImportId":"QID1_4_TEXT"}',
         '{"ImportId":"QID2","choiceId":"1"}', '{"ImportId":"FL_5_DO"}'],
    )  # fmt: skip
    assert [c.kind for c in found] == [META, IDENTIFIER, PERSONAL, ANSWER, ANSWER, ANSWER, META]
    assert parts(found[3]) == [(WHOLE, ("Q1", "Travel?"), ())]
    assert parts(found[4]) == [(OTHER_TEXT, ("Travel?",), ("Other",))]
    assert parts(found[5])[0] == (OPTION, ("Barriers?",), ("Cost",))


def test_a_legacy_qualtrics_export_has_two_header_rows():
    head = base.Head("csv", ("V1", "V2", "Q1"), (("ResponseID", "ResponseSet", "Travel?"),))
    assert platforms()["qualtrics"].detect(head)
    assert platforms()["qualtrics"].header_rows(head) == 2


def test_odk_central_group_paths_split_choices_and_locations():
    found = columns(
        "odk_central",
        ["SubmissionDate", "sec1-priority", "sec1-priority_other", "sec1-barriers/fin",
         "home-Latitude", "meta-instanceID", "KEY", "SubmitterName", "DeviceID"],
    )  # fmt: skip
    kinds = [c.kind for c in found]
    assert kinds == [META, ANSWER, ANSWER, ANSWER, PERSONAL, META, IDENTIFIER, PERSONAL, PERSONAL]
    assert ("sec1/priority", "priority") in [r.question for r in found[1].readings]
    assert parts(found[2])[0] == (OTHER_TEXT, ("sec1/priority", "priority"), ())
    assert parts(found[3]) == [(OPTION, ("sec1/barriers", "barriers"), ("fin",))]


def test_kobo_hxl_row_locations_and_the_labels_other_text():
    found = columns(
        "kobotoolbox",
        ["start", "deviceid", "Which priority?", "Specify other.", "Which barriers?",
         "Which barriers?/Lack of financing", "Specify other.", "grp/_home_latitude", "_uuid"],
        ["", "", "#priority", "", "#barriers", "", "", "", ""],
    )  # fmt: skip
    assert platforms()["kobotoolbox"].header_rows(base.Head("csv", ("a",), (("#tag",),))) == 2
    assert [c.kind for c in found][:2] == [META, PERSONAL]
    assert parts(found[3]) == [(OTHER_TEXT, ("Which priority?",), ())]
    assert parts(found[6]) == [(OTHER_TEXT, ("Which barriers?",), ())]
    assert found[6].header == "Specify other. (2)"
    assert found[7].kind == PERSONAL and found[8].kind == IDENTIFIER


def test_surveycto_choice_columns_beside_their_field_are_not_read():
    found = columns(
        "surveycto",
        ["SubmissionDate", "deviceid", "barriers", "barriers_1", "barriers__96", "barriers_fin",
         "barriers_other", "income_1", "KEY", "formdef_version"],
        ["d", "x", "1 fin", "1", "0", "1", "Tariffs", "0", "k", "v"],
        ["d", "x", "-96", "0", "1", "0", "", "1", "k", "v"],
    )  # fmt: skip
    assert [c.kind for c in found] == [
        META, PERSONAL, ANSWER, META, META, META, ANSWER, ANSWER, IDENTIFIER, META
    ]  # fmt: skip
    assert parts(found[6])[0] == (OTHER_TEXT, ("barriers",), ())
    assert parts(found[7]) == [(WHOLE, ("income_1",), ())]  # no field "income" beside it


def test_microsoft_forms_quiz_columns_and_names():
    found = columns(
        "microsoft_forms",
        ["ID", "Start time", "Completion time", "Email", "Name", "Total points",
         "Points - Which priority?", "Which priority?"],
    )  # fmt: skip
    assert [c.kind for c in found] == [
        IDENTIFIER, META, META, PERSONAL, PERSONAL, META, META, ANSWER
    ]  # fmt: skip
    assert found[4].holds_names


@pytest.mark.parametrize("first", ["Timestamp", "Marca temporal", "Отметка времени"])
def test_google_forms_is_recognised_by_its_first_column_in_any_language(first):
    head = base.Head("csv", (first, "Username", "Q"), ())
    assert platforms()["google_forms"].detect(head)
    assert [c.kind for c in columns("google_forms", [first, "Username", "Q"])] == [
        META, PERSONAL, ANSWER
    ]  # fmt: skip
