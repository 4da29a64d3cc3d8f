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


def kept_notebook(path, line: str) -> None:
    """A survey's notebook keeping one finding: the README's one line, after open_kept."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": KERNEL_NAME,
                                 "language": "python"}  # fmt: skip
    nb.metadata["language_info"] = {"name": "python"}
    parameters = nbformat.v4.new_code_cell(
        'wave = "latest"\ndata_root = "../../data"\noutputs_root = "../../outputs"\nlangs = "en"'
    )
    parameters.metadata["tags"] = ["parameters"]
    reads = nbformat.v4.new_markdown_cell("**Reads** the cleaned wave.")
    reads.metadata["tags"] = ["remove-from-briefing"]
    nb.cells = [
        reads,
        parameters,
        nbformat.v4.new_code_cell("from surveybrief.brief.kept import open_kept\n\n"
                                  "kept = open_kept(wave, data_root, outputs_root, langs)"),
        nbformat.v4.new_code_cell(line),
    ]  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)


def in_russian_too(path) -> None:
    """Give a SYNTHETIC wave.yaml's reader texts a Russian text too (the same words, marked)."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))

    def both(text):
        return {"en": text, "ru": f"(ru) {text}"}

    for key in ("title", "sponsor", "population", "mode", "weighting"):
        doc[key] = both(doc[key])
    doc["sample"]["description"] = both(doc["sample"]["description"])
    doc["sample"]["method"] = both(doc["sample"]["method"])
    doc["limitations"] = [both(t) for t in doc["limitations"]]
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_a_kept_crosstab_is_one_line_shown_in_every_language_and_checked(tmp_path):
    import shutil

    import pandas as pd

    from surveybrief.config import DATA_DIR
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.tools.synthetic import write_wave

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR / "codebook", data / "codebook")
    write_wave(load_codebook(data, 1), data, "2027-06", n=80, seed=2, shape="kobo_csv")
    in_russian_too(data / "raw" / "2027-06" / "wave.yaml")
    names = ["00_clean.ipynb", "10_section.ipynb", "99_briefing.ipynb"]
    notebooks = copy_notebooks(tmp_path / "notebooks", names)
    kept_notebook(notebooks / "extra" / "kept.ipynb",
                  'kept.crosstab("prospects_10y", by="expert_field")')  # fmt: skip
    plan = yaml.safe_load((notebooks / "pipeline.yaml").read_text(encoding="utf-8"))
    plan["steps"].insert(2, {"notebook": "extra/kept.ipynb", "needs": ["00_clean"],
                             "place": "chapter"})  # fmt: skip
    (notebooks / "pipeline.yaml").write_text(yaml.safe_dump(plan), encoding="utf-8")
    manifest = run_pipeline("2027-06", data, tmp_path / "outputs", notebooks_dir=notebooks,
                            langs=("en", "ru"))  # fmt: skip
    assert manifest["status"] == "ok"
    out = tmp_path / "outputs" / "2027-06"
    table = pd.read_csv(out / "tables" / "breakdown_prospects_10y_by_expert_field.csv")
    assert "All respondents" in set(table["group"])  # published, so the check attacked it
    assert manifest["publication_check"]["breakdowns"] >= 1
    codebook = load_codebook(data, 1)
    for lang in ("en", "ru"):
        html = (out / f"briefing.{lang}.html").read_text(encoding="utf-8")
        title = codebook.question("prospects_10y").title(lang)
        assert html.count(title) >= 2  # its chapter, and the kept heat map and table
        assert "kept_prospects_10y_by_expert_field" not in html  # inline, no file link
