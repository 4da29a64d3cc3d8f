"""Parameters and paths: nothing leaves the data root, parameters arrive unchanged."""

from __future__ import annotations

import ast
import os

import pytest
import yaml
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook

from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.exceptions import InputError
from surveybrief.inputs.wave import load_wave

WAVE = "2025-06"


@pytest.mark.parametrize("wave", ["../2025-06", "/etc", "2025-06/../../x", "2025-6", ""])
def test_wave_ids_that_leave_the_data_root_are_refused(data_root, wave):
    with pytest.raises(InputError, match="invalid wave id"):
        load_wave(data_root, wave)


@pytest.mark.parametrize("name", ["../../codebook/v1.yaml", "/etc/passwd", "sub/../../x.csv"])
def test_export_file_outside_the_wave_folder_is_refused(data_copy, name):
    path = data_copy / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["export"]["file"] = name
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="path leaves the wave's folder"):
        load_wave(data_copy, WAVE)


def test_export_file_that_is_a_link_out_is_refused(data_copy, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("respondent_id\nR1\n")
    link = data_copy / "raw" / WAVE / "linked.csv"
    os.symlink(outside, link)
    path = data_copy / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["export"]["file"] = "linked.csv"
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="path leaves the wave's folder"):
        load_wave(data_copy, WAVE)


def test_wave_folder_that_is_a_link_out_is_refused(data_copy, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (data_copy / "raw" / WAVE).rename(elsewhere)
    os.symlink(elsewhere, data_copy / "raw" / WAVE)
    with pytest.raises(InputError, match="link that leaves the data root"):
        load_wave(data_copy, WAVE)


def test_string_parameters_with_quotes_and_newlines_arrive_unchanged():
    nb = load_notebook_node(str(NOTEBOOKS_DIR / "10_section.ipynb"))  # as papermill loads it
    value = "a \"quoted\" 'path'\nwith a newline\\and backslash"
    injected = parameterize_notebook(nb, {"data_root": value, "wave": "2025-06"})
    cell = next(c for c in injected.cells if "injected-parameters" in c.metadata.get("tags", []))
    assigned = {
        node.targets[0].id: ast.literal_eval(node.value) for node in ast.parse(cell.source).body
    }
    assert assigned == {"data_root": value, "wave": "2025-06"}


@pytest.mark.parametrize(
    ("edit", "where"),
    [
        (lambda d: d.update(limitation=["typo"]), "wave.yaml"),
        (lambda d: d["export"].update(headerrows=3), "export"),
        (lambda d: d["sample"].update(n=50), "sample"),
        (lambda d: d.update(mapping={"column": {}}), "mapping"),
    ],
)
def test_unknown_wave_yaml_keys_are_refused_with_the_known_ones(data_copy, edit, where):
    path = data_copy / "raw" / WAVE / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="unknown key") as err:
        load_wave(data_copy, WAVE)
    assert f"column '{where}'" in str(err.value) and "expected one of" in str(err.value)
