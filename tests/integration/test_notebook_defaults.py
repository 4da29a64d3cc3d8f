"""Each notebook runs top to bottom with its own defaults, as an analyst runs it in JupyterLab."""

from __future__ import annotations

import shutil

import nbformat
import papermill
import pytest

from surveybrief.config import KERNEL_NAME, NOTEBOOKS_DIR
from surveybrief.run.plan import read_plan
from tests.helpers import copy_data_root

pytestmark = pytest.mark.integration


def test_notebooks_run_with_their_defaults_in_a_checkout_layout(tmp_path):
    copy_data_root(tmp_path / "data")
    shutil.copytree(NOTEBOOKS_DIR, tmp_path / "notebooks")
    for path in read_plan(tmp_path / "notebooks").paths:
        out = tmp_path / "executed" / path.name
        out.parent.mkdir(exist_ok=True)
        papermill.execute_notebook(
            str(path), str(out), kernel_name=KERNEL_NAME, cwd=str(path.parent), progress_bar=False
        )
        nb = nbformat.read(out, as_version=4)
        assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    run_dir = tmp_path / "outputs" / "2025-06"  # a notebook run by hand writes where it says
    assert (tmp_path / "outputs" / "processed" / "2025-06" / "responses.parquet").is_file()
    assert not (run_dir / "processed").exists()  # not inside what people share
    assert not (tmp_path / "data" / "processed").exists()
    assert (tmp_path / "outputs" / "2025-06" / "tables" / "reproduction.csv").is_file()
