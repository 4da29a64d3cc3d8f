"""The catalogue: a result written once (Parquet and its CSV export), read back exact."""

import numpy as np
import pandas as pd
import pytest

from surveybrief import catalogue


def test_a_result_reads_back_exact_with_nan_for_every_gap(tmp_path):
    out = tmp_path / "2031-06"
    frame = pd.DataFrame(
        {
            "flag": pd.array([True, None], dtype="boolean"),
            "mixed": [True, None],
            "count": pd.array([1, None], dtype="Int64"),
            "whole": pd.array([1, 2], dtype="Int64"),
            "code": pd.array(["01", None], dtype="string"),
            "pct": [1 / 3, np.nan],
        }
    )
    written = catalogue.publish(out, "t", frame)
    assert [p.name for p in written] == ["t.parquet", "t.csv"]
    assert written[0].parent == tmp_path / "results" / "2031-06"  # beside, never inside
    back = catalogue.read(out, "t")
    assert back["code"].tolist()[0] == "01" and back["pct"].tolist()[0] == 1 / 3  # exact
    assert back["whole"].dtype == "int64" and back["count"].dtype == "float64"
    assert all(v is not pd.NA and v is not None for c in back for v in back[c])
    assert catalogue.names(out) == ["t"] and catalogue.has(out, "t")


def test_a_result_no_step_wrote_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="no result 'changes'"):
        catalogue.read(tmp_path / "2031-06", "changes")
