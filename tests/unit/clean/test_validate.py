import pandas as pd
import pandera.pandas as pa
import pytest

from surveybrief.clean.ingest import ingest
from surveybrief.clean.validate import build_schema, validate_wave
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave


def test_committed_wave_passes_the_project_schema(data_root):
    codebook = load_codebook(data_root)
    frame = ingest(load_wave(data_root, "2025-06"), codebook).frame
    validated = build_schema(codebook).validate(frame, lazy=True)  # raises on any failure
    pd.testing.assert_frame_equal(validated, frame)
    assert validate_wave(frame, codebook).quarantine.empty


def test_schema_reports_every_failure_at_once(data_root):
    codebook = load_codebook(data_root)
    frame = ingest(load_wave(data_root, "2025-06"), codebook).frame
    frame.loc[0, "kz_moderator"] = "x"
    frame.loc[1, "scenario_2035"] = "y"
    frame.loc[2, "obstacles__water_energy"] = "2"
    with pytest.raises(pa.errors.SchemaErrors) as err:
        build_schema(codebook).validate(frame, lazy=True)
    cases = err.value.failure_cases
    assert sorted(cases["column"]) == ["kz_moderator", "obstacles__water_energy", "scenario_2035"]
    assert pd.Series(cases["failure_case"]).tolist().count("x") == 1
