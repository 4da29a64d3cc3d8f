"""The README's extension point: a survey notebook in extra/, one entry in pipeline.yaml."""

from __future__ import annotations

import nbformat
import pytest
import yaml

from surveybrief.config import KERNEL_NAME
from surveybrief.run.pipeline import run_pipeline
from tests.helpers import WAVE, copy_data_root, copy_notebooks

pytestmark = pytest.mark.integration

KEPT = "Kept from exploration: one line of the analyst."


def extra_notebook(path):
    """A notebook as the README describes one: the three run parameters, reads, shows."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": KERNEL_NAME,
        "display_name": KERNEL_NAME,
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    parameters = nbformat.v4.new_code_cell(
        'wave = "latest"\ndata_root = "../../data"\noutputs_root = "../../outputs"'
    )
    parameters.metadata["tags"] = ["parameters"]
    show = nbformat.v4.new_code_cell(
        "from IPython.display import HTML, display\n"
        f"display(HTML('<h1 class=\"chapter\">Extra chapter</h1><p>{KEPT}</p>'))"
    )
    nb.cells = [nbformat.v4.new_markdown_cell("**Reads** nothing."), parameters, show]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def test_an_extra_notebook_declared_in_the_plan_runs_and_joins_every_language(tmp_path):
    data = copy_data_root(tmp_path / "data")
    notebooks = copy_notebooks(
        tmp_path / "notebooks",
        ["00_clean.ipynb", "10_section.ipynb", "90_audit.ipynb", "99_briefing.ipynb"],
    )
    extra_notebook(notebooks / "extra" / "kept.ipynb")
    plan = yaml.safe_load((notebooks / "pipeline.yaml").read_text(encoding="utf-8"))
    plan["steps"].insert(2, {"notebook": "extra/kept.ipynb", "needs": ["00_clean"],
                             "place": "chapter"})  # fmt: skip
    (notebooks / "pipeline.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    manifest = run_pipeline(
        WAVE, data, tmp_path / "outputs", notebooks_dir=notebooks, langs=("en", "ru")
    )
    assert manifest["status"] == "ok"
    assert "kept" in [n["name"] for n in manifest["notebooks"]]
    for lang in ("en", "ru"):
        html = (tmp_path / "outputs" / WAVE / f"briefing.{lang}.html").read_text(encoding="utf-8")
        assert KEPT in html and "Extra chapter" in html
