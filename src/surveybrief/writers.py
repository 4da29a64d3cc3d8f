"""Write outputs atomically: to a temporary file beside the target, then rename into place.

A reader (or a killed run) never sees a half-written file: either the old one or the new one.
Every file written here is also listed where ``record_products`` says: a run's workers set
that per notebook, so the run knows each step's products and its cache can verify them.

A published result (``outputs/<wave>``, a link to a run's whole build) is never changed in
place: a notebook run by hand shows its results and writes nothing there, and says so once.
Nor does it write anywhere else unless asked (``SURVEYBRIEF_WRITE=1`` in its environment):
exploring in JupyterLab leaves the files as they were.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

#: The file listing what this process writes, one absolute path a line (empty: not listed).
_PRODUCTS_LOG: list[Path] = []


def record_products(log: Path | None) -> None:
    """List every file written from now on in ``log`` (None: stop listing)."""
    _PRODUCTS_LOG[:] = [Path(log)] if log else []


def _recorded(target: Path) -> None:
    """List ``target`` in the products log, if one is set."""
    if _PRODUCTS_LOG:
        with open(_PRODUCTS_LOG[0], "a", encoding="utf-8") as log:
            log.write(f"{Path(target).resolve()}\n")


class PublishedResultWarning(UserWarning):
    """A notebook run by hand did not write into a run's results."""


#: The environment variable naming the build the current run writes (set by the run for
#: itself, its workers and their kernels); any other build is left as it is.
BUILD_ENV = "SURVEYBRIEF_BUILD"
#: Set to "1" to let a notebook run by hand (outside a run) write its files.
WRITE_ENV = "SURVEYBRIEF_WRITE"
#: The builds a hand run has already been told about (one notice each; None: outside builds).
_TOLD: set[Path | None] = set()


def _in_notebook() -> bool:
    """Return True inside a Jupyter kernel (JupyterLab, papermill) that no run started."""
    import sys

    if os.environ.get(BUILD_ENV) or "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def _by_hand_unasked() -> bool:
    """Return whether a write outside any build comes from a hand run not asked to write."""
    if os.environ.get(WRITE_ENV) == "1" or not _in_notebook():
        return False
    if None not in _TOLD:
        _TOLD.add(None)
        warnings.warn(
            "This notebook, run by hand, shows its results and writes no file. Set "
            f"{WRITE_ENV}=1 in the environment JupyterLab was started from to keep its files, "
            "or run `make briefing`.",
            PublishedResultWarning,
            stacklevel=5,
        )
    return True


def build_of(target: Path) -> Path | None:
    """Return the run's folder ``target`` lies in (``<root>/_builds/<wave>/<run>``), or None.

    A run's folder holds its build (``<wave>/``) and its processed data. Links are followed:
    ``outputs/<wave>/...`` (the published link) lies in the published run's folder.
    """
    path = Path(target).resolve()
    for folder in path.parents:
        if len(folder.parents) > 1 and folder.parents[1].name == "_builds":
            return folder
    return None


def _untouched(target: Path) -> bool:
    """Return whether ``target`` must not be written: a build that is not this run's own.

    A build is one run's whole result; only that run writes it. A notebook run by hand (in
    JupyterLab, through ``outputs/<wave>`` or from an executed copy) shows its results and
    writes nothing there, and says so once.
    """
    build = build_of(target)
    if build is None:
        return _by_hand_unasked()
    if os.environ.get(BUILD_ENV) == str(build):
        return False
    if build not in _TOLD:
        _TOLD.add(build)
        warnings.warn(
            f"{build} holds the results of one run of `make briefing`: this notebook, run by "
            "hand, shows its results and writes nothing there; later notebooks read the files "
            "that run wrote. Run `make briefing` to publish new results, or set outputs_root to "
            f"another folder (with {WRITE_ENV}=1) to keep this run's files.",
            PublishedResultWarning,
            stacklevel=4,
        )
    return True


@contextmanager
def atomic_path(target: Path, suffix: str = "") -> Iterator[Path]:
    """Yield a temporary path next to ``target``; move it onto ``target`` if the block succeeds.

    Inside a published result, outside a run, the block writes to a scratch file, then dropped.
    """
    target = Path(target)
    if _untouched(target):
        scratch = Path(tempfile.mkdtemp(prefix="surveybrief-unpublished-"))
        try:
            yield scratch / f"{target.stem}{suffix or target.suffix}"
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=suffix or ".tmp", dir=target.parent
    )
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
        _recorded(target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def write_bytes_atomic(target: Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return Path(target)


def write_text_atomic(target: Path, text: str) -> Path:
    """Write UTF-8 ``text`` to ``target`` atomically, keeping line ends exactly as given."""
    return write_bytes_atomic(target, text.encode("utf-8"))


def write_json_atomic(target: Path, data: object) -> Path:
    """Write ``data`` as indented, key-sorted JSON atomically."""
    return write_text_atomic(target, json.dumps(data, indent=2, sort_keys=True, default=str) + "\n")


def to_csv_text(frame: pd.DataFrame) -> str:
    """Return ``frame`` as CSV text (no index, LF line ends) that reads back exactly.

    Python's csv writer does not quote a field holding a bare carriage return when lines end
    in LF, and readers then split the row there; such files quote every text field instead.
    """
    import pandas as pd

    has_cr = any(
        frame[c].astype("string").str.contains("\r", regex=False).any()
        for c in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[c])
    )
    buffer = io.StringIO()
    quoting = csv.QUOTE_NONNUMERIC if has_cr else csv.QUOTE_MINIMAL
    frame.to_csv(buffer, index=False, lineterminator="\n", quoting=quoting)
    return buffer.getvalue()


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise_formula(value: object) -> object:
    """Return text that a spreadsheet would run as a formula with a leading apostrophe.

    Cells starting with = + - @, tab or carriage return are formulas to Excel and LibreOffice
    (CSV injection); plain numbers such as "-3" stay as they are.
    """
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not PLAIN_NUMBER.match(value)
    ):
        return "'" + value
    return value


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell that could run as a formula neutralised."""
    import pandas as pd

    safe = frame.copy()
    for column in safe.columns:
        if not pd.api.types.is_numeric_dtype(safe[column]):
            safe[column] = safe[column].map(neutralise_formula, na_action="ignore")
    safe.columns = [neutralise_formula(str(c)) for c in safe.columns]
    return safe


def write_csv_atomic(target: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as UTF-8 CSV (no index, LF line ends) atomically, formulas neutralised."""
    return write_text_atomic(target, to_csv_text(neutralise_formulas(frame)))


def write_parquet_atomic(target: Path, frame: pd.DataFrame) -> Path:
    """Write ``frame`` as Parquet atomically (types survive the round trip)."""
    with atomic_path(target, suffix=".parquet") as tmp:
        frame.to_parquet(tmp, index=False)
    return Path(target)


def write_workbook_atomic(target: Path, sheets: dict[str, pd.DataFrame]) -> Path:
    """Write one Excel workbook, a sheet per frame, atomically; text is stored as text.

    openpyxl stores a string that starts with '=' as a formula; every text cell here is typed
    as a string instead, so nothing in the workbook can run. Numbers stay numbers.
    """
    import pandas as pd
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for name, frame in sheets.items():
        title = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
        while title in used:
            title = f"{title[:28]}_{len(used)}"
        used.add(title)
        sheet = book.create_sheet(title)
        sheet.append([str(c) for c in frame.columns])
        for row in frame.itertuples(index=False):
            cells = []
            for value in row:
                if value is None or (not isinstance(value, str) and pd.isna(value)):
                    cells.append(None)
                elif isinstance(value, bool | int | float):
                    cells.append(value)
                else:
                    cells.append(str(value))
            sheet.append(cells)
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    with atomic_path(target, suffix=".xlsx") as tmp:
        book.save(tmp)
    return Path(target)
