"""Inputs read once: a file changed, added or removed during a run stops it before publishing."""

import os
import shutil

import pytest

from surveybrief.exceptions import InputError
from surveybrief.run.inputs import Inputs
from tests.helpers import WAVE


def test_inputs_unchanged_pass_and_any_change_is_named(data_copy):
    inputs = Inputs.take(data_copy, WAVE)
    assert f"raw/{WAVE}/wave.yaml" in inputs.hashes
    inputs.check_unchanged()
    export = data_copy / "raw" / WAVE / "responses.csv"
    swapped = export.with_name("swap.tmp")
    shutil.copy2(export, swapped)
    os.replace(swapped, export)  # the same bytes, but another file: read from which?
    with pytest.raises(InputError) as err:
        inputs.check_unchanged()
    assert "responses.csv" in str(err.value) and "nothing was published" in str(err.value)


def test_an_input_added_during_the_run_is_a_change(data_copy):
    inputs = Inputs.take(data_copy, WAVE)
    (data_copy / "codebook" / "v9.yaml").write_text("x: 1\n", encoding="utf-8")
    assert inputs.changed() == ["codebook/v9.yaml"]
