"""What a section notebook calls: tabulate, chart, narrate and display each question.

A section notebook opens its section with ``open_section`` and then shows one question per
cell. Each ``show`` writes ``tables/<question_id>.csv`` and ``figures/<question_id>.svg|png``
to the run's output folder and displays wording, narrative, chart and table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from surveybrief.analysis.audit import question_audit_notes
from surveybrief.analysis.breakdowns import breakdown, breakdown_frame, breakdown_html
from surveybrief.analysis.tabulate import QuestionTable, tabulate_question
from surveybrief.brief import charts, narrative, present
from surveybrief.clean.processed import load_cleaned_wave
from surveybrief.config import wave_output_dir
from surveybrief.inputs.codebook import Codebook, Section
from surveybrief.inputs.published import Publication
from surveybrief.inputs.wave import Wave
from surveybrief.writers import write_csv_atomic


@dataclass
class SectionRun:
    """One section of one wave, with the paths its notebook writes to."""

    section: Section
    codebook: Codebook
    wave: Wave
    responses: pd.DataFrame
    output_dir: Path
    publication: Publication | None = None
    lang: str = "en"
    shown: list[str] = field(default_factory=list)

    def result(self, question_id: str) -> QuestionTable:
        """Return the table of one question of this section."""
        question = self.codebook.question(question_id)
        if question.section_id != self.section.id:
            raise KeyError(f"question {question_id!r} is not in section {self.section.id!r}")
        return tabulate_question(self.responses, question, self.lang)

    def title_html(self) -> str:
        """Return the chapter heading with a computed lead paragraph."""
        bases = [self.result(q.id).base for q in self.section.questions]
        with_data = [b for b in bases if b]
        if with_data:
            span = (
                f"{min(with_data)}"
                if min(with_data) == max(with_data)
                else f"{min(with_data)} to {max(with_data)}"
            )
            lead = (
                f"{narrative.count_noun(len(self.section.questions), 'question')}; "
                f"{len(with_data)} with data, "
                f"answered by {span} of the wave's {len(self.responses)} respondents."
            )
        else:
            lead = "No question of this section has respondent-level data in this wave."
        return present.section_title_html(self.section.number, self.section.title(self.lang), lead)

    def question_html(self, question_id: str) -> str:
        """Tabulate, chart and describe one question; write its table and chart files."""
        result = self.result(question_id)
        q = result.question
        if q.id not in self.shown:
            self.shown.append(q.id)
        label = f"{self.section.number}.{self.shown.index(q.id) + 1}"
        parts = [present.wording_html(result), present.paragraph(narrative.describe(result))]
        notes = question_audit_notes(self.publication, result.table, q.id, self.wave.n_stated)
        if notes:
            parts.append(present.paragraph(notes, "audit-note"))
        if len(result.table):
            write_csv_atomic(self.output_dir / "tables" / f"{q.id}.csv", result.table)
        fig = charts.bar_chart(result) if result.has_data else None
        if fig is not None:
            payloads = charts.save_chart(fig, self.output_dir / "figures", q.id)
            parts.append(
                present.figure_html(
                    payloads["svg"],
                    present.alt_text(result),
                    f"Figure {label}. {q.title(self.lang)} (n = {result.base}). Error bars: "
                    f"95% Wilson intervals. Source: {self.wave.title}"
                    f"{self._reconstructed_note()}.",
                )
            )
        if result.has_data and len(result.table):
            parts.append(
                present.table_html(
                    result, f"Table {label}. {q.title(self.lang)}: counts, base, % and 95% interval"
                )
            )
        parts += self._breakdowns_html(result, label)
        return f'<section class="question" id="q-{q.id}">{"".join(parts)}</section>'

    def _breakdowns_html(self, result: QuestionTable, label: str) -> list[str]:
        """Return breakdowns by each profile question with data (none for profile questions)."""
        q = result.question
        if not result.has_data or q.type not in ("single", "multi"):
            return []
        parts = []
        for profile in (p for p in self.codebook.questions if p.type == "profile"):
            if self.responses[profile.id].notna().sum() == 0:
                continue
            b = breakdown(self.responses, q, profile)
            if b.is_empty:
                continue
            write_csv_atomic(
                self.output_dir / "tables" / f"breakdown_{q.id}_by_{profile.id}.csv",
                breakdown_frame(b, self.lang),
            )
            parts.append(
                breakdown_html(
                    b,
                    f"Table {label}b. {q.title(self.lang)} by {profile.title(self.lang).lower()}",
                    self.lang,
                )
            )
        return parts

    def _reconstructed_note(self) -> str:
        return (
            ", respondent-level data reconstructed from published figures"
            if (self.wave.is_reconstructed)
            else ""
        )

    def show_title(self) -> None:
        """Display the chapter heading (in a notebook)."""
        from IPython.display import HTML, display

        display(HTML(self.title_html()))

    def show(self, question_id: str) -> None:
        """Display one question's wording, narrative, chart and table (in a notebook)."""
        from IPython.display import HTML, display

        display(HTML(self.question_html(question_id)))


def open_section(
    section_id: str,
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    lang: str = "en",
) -> SectionRun:
    """Load a section of a cleaned wave for display; the wave must have been through 00_clean."""
    cleaned = load_cleaned_wave(data_root, wave, sections=[section_id])
    return SectionRun(
        section=cleaned.codebook.section(section_id),
        codebook=cleaned.codebook,
        wave=cleaned.wave,
        responses=cleaned.responses,
        output_dir=wave_output_dir(Path(outputs_root), cleaned.wave.id),
        publication=cleaned.publication,
        lang=lang,
    )
