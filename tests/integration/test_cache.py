"""Incremental runs: reuse only what is provably unchanged; every change invalidates."""

from __future__ import annotations

import shutil

import nbformat
import pandas as pd
import pytest

from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.run import cache, pipeline
from surveybrief.run.pipeline import run_pipeline
from tests.helpers import copy_data_root, register_export

pytestmark = pytest.mark.integration
WAVE = "2025-06"


def statuses(manifest) -> dict[str, str]:
    return {n["name"]: n["status"] for n in manifest["notebooks"]}


def test_each_change_invalidates_what_depends_on_it(tmp_path, monkeypatch):
    data = copy_data_root(tmp_path / "data")
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    out = tmp_path / "outputs"

    def run():
        return statuses(
            run_pipeline(WAVE, data, out, notebooks_dir=notebooks, log=lambda line: None)
        )

    (out / WAVE / "executed").mkdir(parents=True)
    stale = out / WAVE / "executed" / "10_relations.ipynb"  # from a notebook no longer run
    stale.write_text("{}", encoding="utf-8")
    first = run()
    assert set(first.values()) == {"ok"}
    assert not stale.exists()
    html = (out / WAVE / "briefing.html").read_bytes()

    again = run()  # nothing changed: nothing executed, the briefing reused
    assert set(again.values()) == {"reused"}
    assert (out / WAVE / "briefing.html").read_bytes() == html

    nb = nbformat.read(notebooks / "90_audit.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("An analyst's note."))
    nbformat.write(nb, notebooks / "90_audit.ipynb")
    one = run()  # one notebook changed: only it, and the briefing
    assert [k for k, v in one.items() if v != "reused"] == ["90_audit", "briefing (HTML, PDF)"]
    assert "An analyst&#x27;s note." in (out / WAVE / "briefing.html").read_text() or (
        "An analyst's note." in (out / WAVE / "briefing.html").read_text()
    )

    export = data / "raw" / WAVE / "responses.csv"
    frame = pd.read_csv(export, dtype="string", keep_default_na=False)
    frame.loc[0, "kz_moderator"] = "partial_economic"
    frame.to_csv(export, index=False, lineterminator="\n")
    register_export(data, WAVE)
    assert set(run().values()) == {"ok"}  # raw data changed: everything runs again

    real_versions = pipeline.provenance.package_versions
    monkeypatch.setattr(
        pipeline.provenance,
        "package_versions",
        lambda names=None: {**real_versions(names), "pandas": "0.0-other"},
    )
    assert set(run().values()) == {"ok"}  # another package version: everything again
    monkeypatch.undo()

    monkeypatch.setattr(cache, "code_fingerprint", lambda: {"changed.py": "x"})
    assert set(run().values()) == {"ok"}  # the package's code changed: everything again
