"""Notebook hygiene: thin, parameterised, committed without outputs."""

import ast

import nbformat
import pytest

from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.run.plan import FOR_EACH, read_plan

PLAN = read_plan(NOTEBOOKS_DIR)
NOTEBOOKS = PLAN.paths
PARAMETERS = {"wave", "data_root", "outputs_root"}
#: The analyst's notebook of pickers, outside the pipeline.
EXPLORE = "explore.ipynb"


def test_every_notebook_is_declared_and_chapters_come_from_the_codebook():
    """Driven by pipeline.yaml: a notebook added there (extra/ included) is tested like these."""
    declared = {p.relative_to(NOTEBOOKS_DIR).as_posix() for p in NOTEBOOKS}
    on_disk = {
        p.relative_to(NOTEBOOKS_DIR).as_posix()
        for p in NOTEBOOKS_DIR.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    }
    assert on_disk - {EXPLORE} == declared  # every notebook is declared in pipeline.yaml
    assert EXPLORE not in declared  # the analyst's pickers are not part of the pipeline
    kinds = {step.for_each for step in PLAN.steps}
    assert {"chapter", "open_question"} <= kinds  # one notebook per kind, never per section
    assert [s.place for s in PLAN.steps].count("front") == 1


def test_the_section_notebook_names_no_section_of_one_survey(data_root):
    from surveybrief.inputs.codebook import load_codebook

    source = (NOTEBOOKS_DIR / "10_section.ipynb").read_text(encoding="utf-8")
    source += (NOTEBOOKS_DIR / "70_open.ipynb").read_text(encoding="utf-8")
    codebook = load_codebook(data_root, 1)
    for name in [s.id for s in codebook.sections] + [q.id for q in codebook.questions]:
        assert f'"{name}"' not in source and f"'{name}'" not in source


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
    for_each = PLAN.step(path.stem).for_each
    own = {FOR_EACH[for_each]} if for_each else set()
    shown = PLAN.step(path.stem).place != "none"
    if "extra" in path.relative_to(NOTEBOOKS_DIR).parts:  # an extra may show one language
        assert PARAMETERS | own <= names <= PARAMETERS | own | {"langs"}
    else:  # the product's own notebooks show every language they are in
        assert names == PARAMETERS | own | ({"langs"} if shown else set())
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


def test_the_explore_notebook_is_clean_and_calls_the_package():
    nb = nbformat.read(NOTEBOOKS_DIR / EXPLORE, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = {t.id for node in ast.parse(tagged[0].source).body for t in node.targets}
    assert names == PARAMETERS
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        tree = ast.parse(cell.source)
        assert not [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.ClassDef)]
    assert "explore.pickers(" in "".join(c.source for c in code)
    assert "**Writes** nothing" in nb.cells[0].source


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_pipeline_notebook_ends_with_an_explore_section_kept_out_of_the_briefing(path):
    nb = nbformat.read(path, as_version=4)
    starts = [i for i, c in enumerate(nb.cells) if c.source.startswith("## Explore")]
    assert len(starts) == 1, path.name
    for cell in nb.cells[starts[0] :]:
        assert "remove-from-briefing" in cell.metadata.get("tags", []), path.name
        if cell.cell_type == "code":  # not run by a run: its executed copy shows no rows
            assert "skip-execution" in cell.metadata.get("tags", []), path.name
    assert "explore.wave(" in "".join(c.source for c in nb.cells[starts[0] :])
