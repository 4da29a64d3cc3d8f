"""Notebook hygiene: thin, parameterised, committed without outputs."""

import ast

import nbformat
import pytest

from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.run.plan import read_plan

NOTEBOOKS = read_plan(NOTEBOOKS_DIR).paths
PARAMETERS = {"wave", "data_root", "outputs_root"}


def test_the_pipeline_notebooks_are_there():
    names = [p.stem for p in NOTEBOOKS]
    assert names[0] == "00_clean" and names[-2:] == ["90_audit", "99_briefing"]
    assert len([n for n in names if n[:2] not in ("00", "80", "90", "99")]) == 6


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_thin_and_clean(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "surveybrief"
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    params = ast.parse(tagged[0].source)
    names = {t.id for node in params.body for t in node.targets}
    assert names == PARAMETERS
    assert all(isinstance(node.value, ast.Constant) for node in params.body)  # literals only
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        defs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
        assert defs == [], "logic belongs in the package"
    assert nb.cells[0].cell_type == "markdown" and "**Reads**" in nb.cells[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_carries_no_local_paths(path):
    text = path.read_text(encoding="utf-8")
    for marker in ("/work/", "/home/", "/tmp/", "/root/", "C:\\\\", "file://"):
        assert marker not in text, marker
