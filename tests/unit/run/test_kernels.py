"""What a warm kernel imports before the notebooks run (no kernel started here)."""

from __future__ import annotations

import sys

import nbformat

from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.run.kernels import notebook_imports, warmup_code
from surveybrief.run.plan import read_plan


def write_notebook(path, *sources: str):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(s) for s in sources]
    nbformat.write(nb, path)
    return path


def test_imports_are_read_from_every_code_cell(tmp_path):
    a = write_notebook(
        tmp_path / "a.ipynb",
        "import pandas as pd\nfrom surveybrief.brief.section import open_section",
        "%matplotlib inline\nimport numpy, os.path",
    )
    b = write_notebook(
        tmp_path / "b.ipynb",
        "from . import sibling\nfrom .x import y",  # relative: no module to warm up
        "def broken(:\n    import not_read",  # a syntax error is left to the notebook's run
        "if False:\n    import json",
    )
    assert notebook_imports([a, b]) == [
        "json",
        "numpy",
        "os.path",
        "pandas",
        "surveybrief.brief.section",
    ]


def test_the_project_notebooks_warm_up_the_package_modules_they_call():
    modules = notebook_imports(read_plan(NOTEBOOKS_DIR).paths)
    assert {
        "surveybrief.brief.clean_step",
        "surveybrief.brief.section",
        "surveybrief.brief.front",
    } <= set(modules)


def test_warmup_imports_binds_no_names_and_survives_a_missing_module():
    sys.modules.pop("tabnanny", None)
    namespace: dict = {}
    exec(warmup_code(["tabnanny", "no_such_module_here"]), namespace)
    assert set(namespace) == {"__builtins__"}
    assert "tabnanny" in sys.modules
