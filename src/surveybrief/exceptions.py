"""Errors the pipeline raises on purpose, each with one clear message.

An ``InputError`` names the file, row, column and value at fault and what was expected, so a
user can fix the input without reading a traceback.
"""

from __future__ import annotations

from pathlib import Path


class SurveyBriefError(Exception):
    """Base class of the errors this package raises deliberately."""


class InputError(SurveyBriefError):
    """Bad input: a file, a row, a column or a value that is not what the pipeline expects."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        expected: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.expected = expected
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """Return the one-line message: where, what, and what was expected."""
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.sheet is not None:
            where.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        text = ", ".join(where)
        text = f"{text}: {self.problem}" if text else self.problem
        if self.value is not None:
            text += f" (value {self.value!r})"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class NotebookError(SurveyBriefError):
    """A pipeline notebook failed; names the notebook, the cell and the error."""

    def __init__(
        self,
        notebook: str,
        cell: int | None,
        error: str,
        executed_path: Path,
        source: str | None = None,
    ) -> None:
        self.notebook = notebook
        self.cell = cell
        self.error = error
        self.executed_path = executed_path
        source = source or f"{notebook}.ipynb"
        cell_text = (
            f"cell {cell} of notebooks/{source} (counting from 1)"
            if cell is not None
            else "an unknown cell"
        )
        super().__init__(
            f"notebook {notebook} failed at {cell_text}: {error} "
            f"(executed copy kept at {executed_path})"
        )


class PublicationError(SurveyBriefError):
    """What a run is to publish would expose a hidden count, or contradicts the data."""

    def __init__(self, wave_id: str, problems: list[str]) -> None:
        self.problems = problems
        listed = "; ".join(problems[:10]) + (
            f"; and {len(problems) - 10} more" if len(problems) > 10 else ""
        )
        super().__init__(
            f"publication check of wave {wave_id} failed, nothing was rendered: {listed}"
        )
