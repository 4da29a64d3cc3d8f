"""Hostile and broken exports: one clear message each, never a traceback from a library."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import FIXTURES, data_root_with_codebook

WAVE = "2026-06"


@pytest.fixture
def root(tmp_path):
    root = data_root_with_codebook(tmp_path, add_other=True)
    shutil.copytree(FIXTURES / "google_forms_messy", root / "raw" / WAVE)
    return root


def export(root):
    return root / "raw" / WAVE / "export.csv"


def set_export(root, **changes):
    path = root / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["export"].update(changes)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def clean(root):
    return clean_wave(load_wave(root, WAVE), load_codebook(root))


def test_header_only(root):
    text = export(root).read_bytes().decode("utf-8")
    export(root).write_bytes(text.split("\r\n")[0].encode("utf-8") + b"\r\n")
    with pytest.raises(InputError, match="header but no responses"):
        clean(root)


def test_utf16_export_is_read_by_its_byte_order_mark_unless_named_otherwise(root):
    text = export(root).read_bytes().decode("utf-8-sig")
    export(root).write_bytes(text.encode("utf-16"))  # with its byte-order mark
    set_export(root, encoding=None)
    assert len(clean(root).responses) == 4
    set_export(root, encoding="utf-8")
    with pytest.raises(InputError, match="UTF-16"):
        clean(root)
    set_export(root, encoding="utf-16")
    assert len(clean(root).responses) == 4


def test_cp1251_export_read_with_its_encoding(root):
    text = export(root).read_bytes().decode("utf-8-sig").replace("Қазақстан — көпір.", "Казахстан")
    export(root).write_bytes(text.encode("cp1251"))
    set_export(root, encoding="cp1251")
    comments = clean(root).responses["comments"].dropna().tolist()
    assert any("Changed my mind" in c for c in comments)


def test_mixed_line_ends(root):
    text = export(root).read_bytes().decode("utf-8")
    lines = text.split("\r\n")
    mixed = "\r\n".join(lines[:3]) + "\n" + "\n".join(lines[3:])
    export(root).write_bytes(mixed.encode("utf-8"))
    assert len(clean(root).responses) == 4


def test_a_200_mb_file_is_refused_before_reading(root):
    import os

    os.truncate(export(root), 200_000_000)  # sparse: 200 MB on paper, nothing to read
    with pytest.raises(InputError, match="export file is 200 MB, over the limit of 100 MB"):
        clean(root)


def test_file_over_the_size_limit_is_refused_before_reading(root):
    set_export(root, max_megabytes=0.001)
    with pytest.raises(InputError, match=r"over the limit of 0\.001 MB"):
        clean(root)


def test_row_with_more_cells_than_headers(root):
    text = export(root).read_bytes().decode("utf-8")
    export(root).write_bytes(text.replace(";N/A", ";N/A;extra;cells").encode("utf-8"))
    with pytest.raises(InputError) as err:
        clean(root)
    assert "row 8" in str(err.value) and "check the separator" in str(err.value)


def write_xlsx(root, cell_value):
    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Respondent", "Can Kazakhstan act as a leading moderator of regional integration?"]
    )
    sheet.append(["r1", "Yes, given political will and mutual trust"])
    sheet.append(["r2", cell_value])
    book.save(root / "raw" / WAVE / "export.xlsx")
    set_export(
        root,
        file="export.xlsx",
        format="xlsx",
        respondent_id="Respondent",
        drop_columns=[],
        exclude_rows=[],
        roster=None,
    )


def test_xlsx_formula_cell_is_refused_with_its_address(root):
    write_xlsx(root, '=HYPERLINK("http://x","click")')
    with pytest.raises(InputError) as err:
        clean(root)
    assert "cell B3" in str(err.value) and "formula" in str(err.value)


def test_not_a_workbook(root):
    (root / "raw" / WAVE / "export.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    set_export(root, file="export.xlsx", format="xlsx")
    with pytest.raises(InputError, match="cannot open as an Excel workbook"):
        clean(root)


def test_not_an_spss_file(root):
    (root / "raw" / WAVE / "export.sav").write_bytes(b"$FL2 garbage")
    set_export(root, file="export.sav", format="sav")
    with pytest.raises(InputError, match="cannot read as an SPSS"):
        clean(root)


def test_xlsx_error_cell_is_refused_with_its_address(root):
    write_xlsx(root, "placeholder")
    from openpyxl import load_workbook

    path = root / "raw" / WAVE / "export.xlsx"
    book = load_workbook(path)
    cell = book.active["B3"]
    cell.value = "#DIV/0!"
    cell.data_type = "e"
    book.save(path)
    with pytest.raises(InputError) as err:
        clean(root)
    assert "cell B3" in str(err.value) and "error value" in str(err.value)


CELL = st.text(max_size=30).filter(lambda t: "\x00" not in t)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.tuples(CELL, CELL, CELL), min_size=1, max_size=8))
def test_arbitrary_cells_give_data_or_one_clear_error(tmp_path_factory, cells):
    root = data_root_with_codebook(tmp_path_factory.mktemp("h"), add_other=True)
    shutil.copytree(FIXTURES / "google_forms_messy", root / "raw" / WAVE)
    rows = [
        [
            "Email Address",
            "How would you describe relations among the Central Asian states today?",
            "Any further comments on regional integration?",
        ],
        *map(list, cells),
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    export(root).write_text(buffer.getvalue(), encoding="utf-8")
    set_export(root, drop_columns=[], exclude_rows=[], roster=None, duplicates="keep_first")
    try:
        result = clean(root)
    except InputError as err:
        assert str(err).startswith("file ")
        return
    assert len(result.responses) + len(result.quarantine) >= 1
