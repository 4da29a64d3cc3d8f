"""What a section notebook calls: tabulate, chart, narrate and display each question.

``open_section`` tabulates every question of the section once and publishes each table (the
catalogue, which the front matter reads, and ``tables/<question_id>.csv``); ``show`` displays the
chapter heading (part ``"heading"``) or a question (its id): wording, narrative, chart (written to
``figures/<question_id>.svg|png``), table and breakdowns. ``tables`` holds the frames to explore.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.breakdowns import (
    MIN_CELL,
    Breakdown,
    breakdown,
    breakdown_frame,
    mark_family,
)
from surveybrief.analysis.scales import ScaleSummary, summarise_scale
from surveybrief.analysis.tabulate import QuestionTable, tabulate_question
from surveybrief.analysis.uncertain_base import interval_envelope
from surveybrief.brief import charts, narrative, present
from surveybrief.brief.audit_chapter import assumed_base_note, question_audit_notes
from surveybrief.brief.display import parse_langs, show_html
from surveybrief.brief.i18n import _, current
from surveybrief.clean.processed import load_cleaned_wave, load_wave_codebook
from surveybrief.config import figures_dir, resolve_wave, wave_output_dir
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Section
from surveybrief.inputs.published import Publication
from surveybrief.inputs.wave import Wave

#: The part of ``show`` that displays the chapter heading.
HEADING = "heading"


@dataclass
class SectionRun:
    """One section of one wave, with the paths its notebook writes to."""

    section: Section
    codebook: Codebook
    wave: Wave
    responses: pd.DataFrame
    output_dir: Path
    publication: Publication | None = None
    #: The briefing's languages: ``show`` displays every part in each.
    langs: tuple[str, ...] = ("en",)
    shown: list[str] = field(default_factory=list)
    results: dict[str, QuestionTable] = field(default_factory=dict)
    #: Mean, median and top-two-box of each rating question with answers.
    scales: dict[str, ScaleSummary] = field(default_factory=dict)
    #: The summary a question's type gives beside its table (a ranking's mean ranks).
    summaries: dict[str, object] = field(default_factory=dict)
    #: Each question's breakdowns by the profile questions (the chapter's one family of tests).
    breakdowns: dict[str, list[Breakdown]] = field(default_factory=dict)
    #: Breakdowns not published: their profile's small groups could be shown only with all.
    withheld: list[Breakdown] = field(default_factory=list)
    #: A reconstructed wave's interval ends over every base its figures allow, per question.
    envelopes: dict[str, dict] = field(default_factory=dict)
    #: Each question's chart in each language, drawn and written once (``write_tables``).
    figures: charts.Figures | None = None

    def __post_init__(self) -> None:
        for q in self.section.questions:
            self.results[q.id] = tabulate_question(self.responses, q)
            summary = summarise_scale(self.responses, q) if q.kind.ordered else None
            if summary is not None:
                self.scales[q.id] = summary
            own = q.kind.summarise(self.responses, q)
            if own is not None:
                self.summaries[q.id] = own
            if self.wave.is_reconstructed:  # computed once, said in every language
                top_two = {narrative.TOP_TWO: summary.top2_codes} if summary else {}
                ends = interval_envelope(self.publication, q, self.wave.n_stated, top_two)
                self.envelopes[q.id] = ends
        self.breakdowns = self._breakdowns()

    def _breakdowns(self) -> dict[str, list[Breakdown]]:
        """Break each question down by each profile with data; mark them as one family.

        None for a reconstructed wave: its respondents were rebuilt question by question, so a
        breakdown would show how the reconstruction paired answers, not what experts said.
        """
        if self.wave.is_reconstructed:
            return {q.id: [] for q in self.section.questions}
        profiles = [
            p for p in self.codebook.questions
            if p.kind.profile and self.responses[p.id].notna().any()
        ]  # fmt: skip
        found = [
            breakdown(self.responses, r.question, p)
            for r in self.results.values()
            if r.has_data and r.question.kind.broken_down
            for p in profiles
        ]
        self.withheld = [b for b in found if not b.is_safe]
        marked = mark_family([b for b in found if not b.is_empty])
        return {q.id: [b for b in marked if b.question.id == q.id] for q in self.section.questions}

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        """Return each question's table (option, label, count, base, pct, ci_low, ci_high)."""
        return {qid: r.table for qid, r in self.results.items()}

    def result(self, question_id: str) -> QuestionTable:
        """Return the table of one question of this section."""
        if question_id not in self.results:
            raise KeyError(f"question {question_id!r} is not in section {self.section.id!r}")
        return self.results[question_id]

    def write_tables(self) -> list[Path]:
        """Publish every question's table with options, its scale summary and its breakdowns.

        Breakdowns in English whatever the languages shown: tables are data.
        """
        out, written = self.output_dir, []
        for qid, r in self.results.items():
            written += catalogue.publish(out, qid, r.table) if len(r.table) else []
        for qid, s in self.scales.items():
            written += catalogue.publish(out, f"{qid}_scale", s.frame())
        for qid, own in self.summaries.items():
            suffix = self.codebook.question(qid).kind.summary_suffix
            written += catalogue.publish(out, f"{qid}_{suffix}", own.frame())
        for found in self.breakdowns.values():
            for b in found:
                name = f"breakdown_{b.question.id}_by_{b.profile.id}"
                written += catalogue.publish(out, name, breakdown_frame(b, "en"))
        self.figures = charts.Figures(figures_dir(out), self.langs)
        for qid, r in self.results.items():
            if r.has_data:
                self.figures.draw(qid, lambda r=r: charts.bar_chart(self._shown(r)))
        return written

    @staticmethod
    def _shown(result: QuestionTable) -> QuestionTable:
        """Return a question's table labelled in the current language, as its chapter shows it."""
        return result.relabelled(current(), _(narrative.REMAINDER))

    def title_html(self) -> str:
        """Return the chapter heading with a computed lead paragraph."""
        with_data = [r.base for r in self.results.values() if r.base]
        if with_data:
            low, high = min(with_data), max(with_data)
            span = f"{low}" if low == high else _("{low} to {high}").format(low=low, high=high)
            lead = _(
                "{questions}; {with_data} with data, answered by {span} of the wave's {n} "
                "respondents."
            ).format(
                questions=narrative.n_questions(len(self.section.questions)),
                with_data=len(with_data),
                span=span,
                n=len(self.responses),
            )
        else:
            lead = _("No question of this section has respondent-level data in this wave.")
        return present.section_title_html(self.section.number, self.section.title(current()), lead)

    def question_html(self, question_id: str) -> str:
        """Describe, chart and tabulate one question; write its chart files."""
        result = self._shown(self.result(question_id))
        q = result.question
        if q.id not in self.shown:
            self.shown.append(q.id)
        label = f"{self.section.number}.{self.shown.index(q.id) + 1}"
        envelope, scale = self.envelopes.get(q.id, {}), self.scales.get(q.id)
        sentences = narrative.describe(result, envelope, self.wave.is_reconstructed)
        if scale:
            sentences += narrative.describe_scale(scale, envelope)
        if q.id in self.summaries:
            sentences += q.kind.describe(self.summaries[q.id])
        parts = [present.wording_html(result), present.paragraph(sentences)]
        notes = question_audit_notes(self.publication, result.table, q.id, self.wave.n_stated)
        if self.wave.is_reconstructed:
            assumed = assumed_base_note(self.publication, q, result.base, self.wave.n_stated)
            notes += [assumed] if assumed else []
        if notes:
            parts.append(present.paragraph(notes, "audit-note"))
        parts.append(self._chart_html(result, label))
        if result.has_data and len(result.table):
            parts.append(
                present.table_html(
                    result,
                    _("Table {label}. {title}: counts, base, % and 95% interval").format(
                        label=label, title=q.title(current())
                    ),
                )
            )
        if q.id in self.scales:
            caption = _("Table {label}a. {title}: mean, median and top-two-box share").format(
                label=label, title=q.title(current())
            )
            parts.append(present.scale_html(self.scales[q.id], caption))
        if q.id in self.summaries:
            caption = q.kind.summary_caption(label, q.title(current()))
            parts.append(q.kind.summary_html(self.summaries[q.id], caption))
        parts += self._breakdowns_html(result, label)
        return f'<section class="question" id="q-{q.id}">{"".join(parts)}</section>'

    def _chart_html(self, result: QuestionTable, label: str) -> str:
        q = result.question
        svg = (
            charts.svg_of(self.figures, q.id, lambda: charts.bar_chart(result))
            if result.has_data
            else None
        )
        if svg is None:
            return ""
        if self.wave.is_reconstructed:
            caption = _(
                "Figure {label}. {title} (n = {n}). Error bars: 95% Wilson intervals. Source: "
                "{source}, respondent-level data reconstructed from published figures."
            )
        else:
            caption = _(
                "Figure {label}. {title} (n = {n}). Error bars: 95% Wilson intervals. Source: "
                "{source}."
            )
        return present.figure_html(
            svg,
            present.alt_text(result),
            caption.format(
                label=label,
                title=q.title(current()),
                n=result.base,
                source=self.wave.text("title", current()),
            ),
        )

    def _breakdowns_html(self, result: QuestionTable, label: str) -> list[str]:
        """Return breakdowns by each profile question with data (none for profile questions)."""
        q = result.question
        parts = []
        for b in self.breakdowns.get(q.id, []):
            caption = _("Table {label}b. {title} by {profile}").format(
                label=label, title=q.title(current()), profile=b.profile.title(current()).lower()
            )
            parts.append(present.breakdown_html(b, caption, current()))
        for b in (b for b in self.withheld if b.question.id == q.id):
            said = _(
                "Not broken down by {profile}: it has one group of {minimum} or more respondents "
                "at most, so the size of any other group would follow from the total."
            ).format(profile=b.profile.title(current()).lower(), minimum=MIN_CELL)
            parts.append(present.paragraph([said], "table-note"))
        return parts

    def show(self, *parts: str) -> None:
        """Display the named parts ("heading" or question ids); with none, the whole chapter.

        The whole chapter is its heading, then each question under its title, in codebook order,
        once in each of the run's languages.
        """
        show_html(
            self.langs, lambda: [self.part_html(p) for p in parts or (HEADING, *self.results)]
        )

    def part_html(self, part: str) -> str:
        """Return one part of the chapter (the heading, or a question under its title)."""
        if part == HEADING:
            return self.title_html()
        title = escape(self.result(part).question.title(current()))
        return f'<h2 class="question-title">{title}</h2>{self.question_html(part)}'


def _chapter(codebook: Codebook, section_id: str) -> Section:
    """Return the named section (the first chapter when empty), or say which ids exist."""
    if not section_id and codebook.chapters:
        return codebook.chapters[0]
    try:
        return codebook.section(section_id)
    except KeyError:
        raise InputError(
            "the codebook has no such section",
            file=codebook.path,
            column="section",
            value=section_id,
            expected="one of " + ", ".join(s.id for s in codebook.sections),
        ) from None


def open_section(
    section_id: str = "",
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> SectionRun:
    """Tabulate a section of a cleaned wave (after 00_clean) and write its tables.

    ``section_id`` names a section of the wave's codebook; empty, the first chapter.
    """
    codebook = load_wave_codebook(data_root, wave)
    section = _chapter(codebook, section_id)
    wave_id = resolve_wave(Path(data_root), wave)
    run_dir = wave_output_dir(Path(outputs_root), wave_id)
    cleaned = load_cleaned_wave(data_root, run_dir, wave_id, sections=[section.id])
    run = SectionRun(
        section=section,
        codebook=cleaned.codebook,
        wave=cleaned.wave,
        responses=cleaned.responses,
        output_dir=run_dir,
        publication=cleaned.publication,
        langs=parse_langs(langs),
    )
    run.write_tables()
    return run
