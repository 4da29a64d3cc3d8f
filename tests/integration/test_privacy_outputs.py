"""No output of a run names a respondent: HTML, PDF text, CSV, notebooks (failed ones too)."""

from __future__ import annotations

import shutil

import nbformat
import pandas as pd
import pytest
from pypdf import PdfReader

from surveybrief.clean.privacy import load_roster
from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.exceptions import NotebookError
from surveybrief.run.pipeline import run_pipeline
from tests.helpers import FIXTURES, data_root_with_codebook

pytestmark = pytest.mark.integration
WAVE = "2026-06"


def output_texts(root):
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        if path.suffix == ".pdf":
            yield path, " ".join(p.extract_text() for p in PdfReader(path).pages)
        elif path.suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            yield (
                path,
                " ".join(
                    str(v)
                    for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True)
                    for v in row
                ),
            )
        elif path.suffix == ".parquet":
            yield path, pd.read_parquet(path).to_csv()
        elif path.suffix in (".png",):
            continue
        else:
            yield path, path.read_bytes().decode("utf-8", errors="replace")


def test_no_output_names_a_respondent(tmp_path):
    data = data_root_with_codebook(tmp_path / "data", add_other=True)
    shutil.copytree(FIXTURES / "google_forms_messy", data / "raw" / WAVE)
    outputs = tmp_path / "outputs"
    run_pipeline(WAVE, data, outputs, log=lambda line: None)
    other = outputs / WAVE / "tables" / "economic_avenues__other_text_themes.csv"
    assert other.is_file()  # the "Other" texts got their own open-answers chapter
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    nb = nbformat.read(notebooks / "10_section.ipynb", as_version=4)
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "display(chapter.responses)\nraise RuntimeError(chapter.responses.to_string())"
        )
    )
    nbformat.write(nb, notebooks / "10_section.ipynb")
    with pytest.raises(NotebookError) as err:
        run_pipeline(WAVE, data, outputs, notebooks_dir=notebooks, log=lambda line: None)
    roster = load_roster(data / "raw" / WAVE / "roster.csv")
    names = [entry for entry in roster if "@" not in entry]
    secrets = [*roster, *(part for name in names for part in name.split())]
    secrets += ["test@institute.kz", "701 234 5678", "example.org/cv"]
    checked = 0
    for path, text in output_texts(outputs):  # the failed build, its processed data included
        checked += 1
        lowered = text.lower()
        for secret in secrets:
            assert secret.lower() not in lowered, f"{secret!r} in {path}"
    assert checked >= 20
    assert err.value.executed_path.is_relative_to(outputs)
    failed = err.value.executed_path.read_text(encoding="utf-8")
    assert "RuntimeError" in failed  # the failed notebook was kept, and checked above
