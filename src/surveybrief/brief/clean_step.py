"""What the cleaning notebook (00_clean) calls: clean every wave the run reads, show the result.

``open_clean`` cleans the wave being briefed and every earlier wave (the trends read them) and
writes their processed data; nothing downstream calls the cleaner again. ``show`` displays the
counts and the rows set aside, each with its row, column, value and reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.profile import profile_table
from surveybrief.analysis.tabulate import bases_table
from surveybrief.clean.cleaner import CleanResult, run_clean_all
from surveybrief.clean.processed import load_wave_codebook
from surveybrief.config import resolve_wave, wave_output_dir


@dataclass
class CleanRun:
    """The cleaned waves of one run: the briefed wave's result and the earlier waves'."""

    wave_id: str
    results: dict[str, CleanResult]

    @property
    def result(self) -> CleanResult:
        """Return the cleaning of the wave being briefed."""
        return self.results[self.wave_id]

    @property
    def report(self) -> pd.DataFrame:
        """Return per cleaned wave its platform and counts (rows read, left out, set aside)."""
        rows = [{"wave": w, **r.report} for w, r in self.results.items()]
        return pd.DataFrame(rows).set_index("wave").drop(columns=["decisions"])

    @property
    def decisions(self) -> pd.DataFrame:
        """Return what was decided reading each wave's export (a separator inferred), and why."""
        rows = [{"wave": w, **d} for w, r in self.results.items() for d in r.decisions]
        columns = ["wave", "question_id", "column", "decision", "why"]
        return pd.DataFrame(rows, columns=columns)

    @property
    def quarantine(self) -> pd.DataFrame:
        """Return the briefed wave's rows set aside: row, respondent, column, value, reason."""
        return self.result.quarantine

    def show(self) -> None:
        """Display the counts and the rows set aside (in a notebook)."""
        from IPython.display import display

        display(self.report)
        display(self.decisions)
        display(self.skipped)
        display(self.quarantine)

    @property
    def skipped(self) -> pd.DataFrame:
        """Return, per question, the respondents out of its base by what the export told."""
        rows = [
            {"question": qid, "why": why, "respondents": n}
            for qid, reasons in self.result.report["skipped"].items()
            for why, n in reasons.items()
        ]
        return pd.DataFrame(rows, columns=["question", "why", "respondents"])


def open_clean(
    wave: str = "latest", data_root: str | Path = "../data", outputs_root: str | Path = "../outputs"
) -> CleanRun:
    """Clean the wave and every earlier one; write processed data, the quarantine and bases."""
    wave_id = resolve_wave(Path(data_root), wave)
    output_dir = wave_output_dir(Path(outputs_root), wave_id)
    run = CleanRun(wave_id, run_clean_all(Path(data_root), wave_id, output_dir))
    codebook = load_wave_codebook(data_root, wave_id)
    write_profiles(run.result.responses, codebook, output_dir)
    catalogue.publish(output_dir, "bases", bases_table(run.result.responses, codebook))
    return run


def write_profiles(responses: pd.DataFrame, codebook, output_dir: Path) -> list[Path]:
    """Publish profile_<question> for each profile question that has answers.

    Written here, once, from the cleaned responses: the front matter reads them (the catalogue).
    """
    return [
        path
        for q in codebook.questions
        if q.kind.profile and responses[q.id].notna().any()
        for path in catalogue.publish(output_dir, f"profile_{q.id}", profile_table(responses, q))
    ]
