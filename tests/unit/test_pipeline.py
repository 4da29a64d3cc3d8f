import json
from pathlib import Path

import nbformat
import pytest

from surveybrief.brief.report import assemble, to_html
from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.exceptions import InputError
from surveybrief.run.pipeline import briefing_order, check_parameters, discover_notebooks


def test_briefing_order_is_front_chapters_audit():
    names = [Path(f"{n}.ipynb") for n in ("00_clean", "10_a", "20_b", "90_audit", "99_briefing")]
    assert [p.stem for p in briefing_order(names)] == ["99_briefing", "10_a", "20_b", "90_audit"]


def test_unknown_parameters_are_refused():
    with pytest.raises(InputError, match="colour"):
        check_parameters(discover_notebooks(NOTEBOOKS_DIR)[:1], {"wave": "2025-06", "colour": 1})


def test_assembled_html_hides_code_and_analyst_cells(tmp_path):
    nb = nbformat.v4.new_notebook()
    header = nbformat.v4.new_markdown_cell("# Analyst header")
    header.metadata["tags"] = ["remove-from-briefing"]
    cell = nbformat.v4.new_code_cell("secret_code = 1\nprint('log line')")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="log line"),
        nbformat.v4.new_output("display_data", data={"text/html": "<p>Shown</p>"}),
    ]
    nb.cells = [header, nbformat.v4.new_markdown_cell("## Kept heading"), cell]
    path = tmp_path / "10_x.ipynb"
    nbformat.write(nb, path)
    html = to_html(assemble([path], "<p>Appendix</p>", "T"), "T")
    assert "Shown" in html and "Kept heading" in html and "Appendix" in html
    for hidden in ("secret_code", "log line", "Analyst header", "In&nbsp;[", "<script"):
        assert hidden not in html
    json.dumps(html)  # plain text
