"""The run's catalogue of results: each written once, typed, by the step that computes it.

A step (a chapter, the trends, the audit, the open answers, the cleaning's profile tables)
writes each of its result tables once, through ``publish``: as Parquet into the catalogue, which
later steps and the documents read (``read``), and as its export ``tables/<name>.csv`` for people.
Published files are never read back as inputs: the workbook ``tables.xlsx`` is written from the
catalogue too, and only the publication check, whose job it is, reads what is published.

The catalogue lives beside the published folder, in the run's build (like the processed data:
``outputs/_builds/<wave>/<run>/results/<wave>/``), so it is cached and verified with the step
that wrote it (every file goes through ``surveybrief.writers``) and is never shared by mistake.
Kedro's DataCatalog is the model: a name per result, one place, one format.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from surveybrief.config import tables_dir
from surveybrief.writers import write_csv_atomic, write_parquet_atomic

if TYPE_CHECKING:
    import pandas as pd

#: The folder of a build that holds the catalogue (beside the wave's published folder).
RESULTS = "results"


def results_dir(output_dir: Path) -> Path:
    """Return the catalogue of a wave's run: beside its published folder, never inside."""
    output_dir = Path(output_dir).resolve()
    return output_dir.parent / RESULTS / output_dir.name


def result_path(output_dir: Path, name: str) -> Path:
    """Return where result ``name`` is kept (Parquet)."""
    return results_dir(output_dir) / f"{name}.parquet"


def publish(output_dir: Path, name: str, frame: pd.DataFrame) -> list[Path]:
    """Write result ``name`` once: typed into the catalogue, and its export tables/<name>.csv."""
    return [
        write_parquet_atomic(result_path(output_dir, name), frame),
        write_csv_atomic(tables_dir(output_dir) / f"{name}.csv", frame),
    ]


def has(output_dir: Path, name: str) -> bool:
    """Return whether an earlier step of the run wrote result ``name``."""
    return result_path(output_dir, name).is_file()


def names(output_dir: Path) -> list[str]:
    """Return the names of every result of the run, sorted."""
    return sorted(p.stem for p in results_dir(output_dir).glob("*.parquet"))


def read(output_dir: Path, name: str) -> pd.DataFrame:
    """Return result ``name`` as its step wrote it, with plain NumPy missing values.

    Values are exact (no text round trip); nullable columns come back as the readers of the
    earlier CSV tables knew them (a count with a gap as float with NaN, text as objects), so a
    missing value is ``NaN`` everywhere, never ``pd.NA``.
    """
    import numpy as np
    import pandas as pd

    path = result_path(output_dir, name)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no result {name!r} (the step that writes it has not run)")
    frame = pd.read_parquet(path)
    for column in frame.columns:
        values, dtype = frame[column], frame[column].dtype
        gaps = values.isna().any()
        if pd.api.types.is_bool_dtype(dtype) and not gaps:
            frame[column] = values.astype(bool)
        elif pd.api.types.is_integer_dtype(dtype) and not gaps:
            frame[column] = values.astype("int64")
        elif pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            frame[column] = values.astype("float64")
        elif isinstance(dtype, pd.api.extensions.ExtensionDtype) or dtype is np.dtype(object):
            frame[column] = values.astype(object).where(values.notna(), float("nan"))
    return frame
