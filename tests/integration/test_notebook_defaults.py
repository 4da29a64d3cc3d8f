"""Each notebook runs top to bottom with its own defaults, as an analyst runs it in JupyterLab."""

from __future__ import annotations

import json
import shutil

import nbformat
import papermill
import pytest

from surveybrief.config import KERNEL_NAME, NOTEBOOKS_DIR
from surveybrief.run.plan import read_plan
from tests.helpers import copy_data_root

pytestmark = pytest.mark.integration


def test_notebooks_run_with_their_defaults_in_a_checkout_layout(tmp_path, monkeypatch):
    copy_data_root(tmp_path / "data")
    shutil.copytree(NOTEBOOKS_DIR, tmp_path / "notebooks")
    monkeypatch.setenv("SURVEYBRIEF_WRITE", "1")  # asked: each reads what the last wrote
    for path in read_plan(tmp_path / "notebooks").paths:
        out = tmp_path / "executed" / path.name
        out.parent.mkdir(exist_ok=True)
        papermill.execute_notebook(
            str(path), str(out), kernel_name=KERNEL_NAME, cwd=str(path.parent), progress_bar=False
        )
        nb = nbformat.read(out, as_version=4)
        assert not [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
        start = [i for i, c in enumerate(nb.cells) if c.source.startswith("## Explore")]
        assert start, path.name  # every pipeline notebook ends with an Explore section
        assert not [c.outputs for c in nb.cells[start[0] :] if c.get("outputs")], path.name
    run_dir = tmp_path / "outputs" / "2025-06"  # a notebook run by hand writes where it says
    assert (tmp_path / "outputs" / "processed" / "2025-06" / "responses.parquet").is_file()
    assert not (run_dir / "processed").exists()  # not inside what people share
    assert not (tmp_path / "data" / "processed").exists()
    assert (tmp_path / "outputs" / "2025-06" / "tables" / "reproduction.csv").is_file()


def test_a_notebook_run_by_hand_writes_nothing_unless_asked(tmp_path, monkeypatch):
    copy_data_root(tmp_path / "data")
    shutil.copytree(NOTEBOOKS_DIR, tmp_path / "notebooks")
    monkeypatch.delenv("SURVEYBRIEF_WRITE", raising=False)
    out = tmp_path / "executed.ipynb"
    papermill.execute_notebook(
        str(tmp_path / "notebooks" / "00_clean.ipynb"), str(out), kernel_name=KERNEL_NAME,
        cwd=str(tmp_path / "notebooks"), progress_bar=False,
    )  # fmt: skip
    assert not (tmp_path / "outputs").exists()  # shown, not written
    said = json.dumps([c.get("outputs", []) for c in nbformat.read(out, as_version=4).cells])
    assert "writes no file" in said and said.count("writes no file") == 1  # said once


def test_the_explore_notebook_runs_with_its_defaults_and_writes_nothing(tmp_path):
    copy_data_root(tmp_path / "data")
    shutil.copytree(NOTEBOOKS_DIR, tmp_path / "notebooks")
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    out = tmp_path / "explore.executed.ipynb"
    papermill.execute_notebook(
        str(tmp_path / "notebooks" / "explore.ipynb"), str(out), kernel_name=KERNEL_NAME,
        cwd=str(tmp_path / "notebooks"), progress_bar=False,
    )  # fmt: skip
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p != out)
    assert after == [p for p in before if p != out.relative_to(tmp_path)]
    said = json.dumps([c.get("outputs", []) for c in nbformat.read(out, as_version=4).cells])
    assert "application/vnd.jupyter.widget-view+json" in said  # the pickers were drawn
    assert "Traceback" not in said
