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


class ChecklistError(SurveyBriefError):
    """A final briefing was asked for while items of the analyst checklist are open."""

    def __init__(self, wave_id: str, items: list[dict]) -> None:
        self.items = items
        listed = "".join(f"\n  - {i['id']}: {i['what']} To close: {i['close']}" for i in items)
        super().__init__(
            f"wave {wave_id}: FINAL refused, nothing was published: {len(items)} checklist "
            f"item(s) open (fix each, or sign it off in wave.yaml's checklist with a reason):"
            f"{listed}"
        )


class RunLockedError(SurveyBriefError):
    """Another run of the same wave holds its lock."""

    def __init__(self, wave_id: str, holder: str, path: Path) -> None:
        self.holder = holder
        super().__init__(
            f"wave {wave_id} is being built by another run ({holder}; lock {path}): wait for it "
            f"to end, or run with --wait (make briefing WAIT=1) to start when it does"
        )


#: What to do when the operating system refuses a write, by errno name.
STORAGE_ADVICE = {
    "ENOSPC": "free some space on that disk (or use --out on another) and run again",
    "EDQUOT": "free some of your disk quota (or use --out on another disk) and run again",
    "EROFS": "that file system is read-only: choose a writable folder with --out",
    "EACCES": "you may not write there: change its permissions or choose another --out",
    "EPERM": "you may not write there: change its permissions or choose another --out",
}


class FeedbackError(SurveyBriefError):
    """A Delphi round was published, but its feedback sheets could not be written."""

    def __init__(self, wave_id: str, error: OSError, folder) -> None:
        super().__init__(
            f"wave {wave_id} was published, but its feedback sheets were not written to {folder} "
            f"({error.strerror or error}); the previous sheets there were removed so that none "
            f"is sent by mistake: fix the folder, then run `make feedback WAVE={wave_id}`"
        )


class StorageError(SurveyBriefError):
    """The operating system refused a write or read: disk full, read-only, no permission."""

    def __init__(self, error: OSError, doing: str) -> None:
        import errno

        name = errno.errorcode.get(error.errno or 0, "")
        where = error.filename or "?"
        advice = STORAGE_ADVICE.get(name, "check that folder and run again")
        super().__init__(
            f"{error.strerror or error} ({name or 'OS error'}) at {where} while {doing}; "
            f"nothing was published, the previous results are as they were; {advice}"
        )


class ProductError(SurveyBriefError):
    """A run's results are not what its steps recorded: the cache could not verify them."""

    def __init__(self, problem: str) -> None:
        super().__init__(f"the run's results cannot be verified, nothing was published: {problem}")


class RenderError(SurveyBriefError):
    """WeasyPrint left part of a document out (a chart it could not draw, an image, a style)."""

    def __init__(self, document: str, problems: list[str]) -> None:
        self.problems = problems
        super().__init__(
            f"{document} could not be rendered whole ({'; '.join(problems[:5])}); nothing was "
            "published, the previous results are as they were"
        )
