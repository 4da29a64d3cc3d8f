"""What an analyst keeps from exploring: one line in a survey's notebook under notebooks/extra/.

In a notebook declared in ``pipeline.yaml`` (``notebook: extra/<name>.ipynb``), ``kept =
open_kept(wave, data_root, outputs_root, langs)`` and then one line per finding kept:
``kept.crosstab("<question>", by="<profile>")`` shows the breakdown — its table and a heat map
— in every language of the briefing, protected by the rule every breakdown follows (the same
``analysis.breakdowns.breakdown``). A breakdown the chapters already publish (single-choice and
multi-select questions by each profile) is that same table shown again; any other (a rating
question by a profile) is written to ``tables/breakdown_<q>_by_<p>.csv``, where the
publication check attacks it with everything else the wave publishes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief import catalogue
from surveybrief.analysis.breakdowns import (
    Breakdown,
    breakdown,
    breakdown_frame,
)
from surveybrief.analysis.profile import POOLED
from surveybrief.brief import charts, present
from surveybrief.brief.display import parse_langs, show_html
from surveybrief.brief.i18n import _, current, fmt_pct
from surveybrief.clean.processed import load_cleaned_wave
from surveybrief.config import figures_dir, resolve_wave, wave_output_dir
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.wave import Wave


@dataclass
class KeptRun:
    """A wave's cleaned data and where its kept findings go."""

    wave: Wave
    codebook: Codebook
    responses: pd.DataFrame
    output_dir: Path
    langs: tuple[str, ...] = ("en",)

    def _checked(self, question_id: str, by: str) -> tuple:
        """Return the question and the profile, or say which ids can be kept."""
        if self.wave.is_reconstructed:
            raise InputError(
                "a reconstructed wave cannot be broken down: its respondents were rebuilt "
                "question by question from published percentages",
                file=self.wave.path,
                column="is_reconstructed",
                value="true",
                expected="a wave with respondent-level data",
            )
        fits = [q.id for q in self.codebook.questions if q.kind.headline]
        profiles = [
            q.id for q in self.codebook.questions
            if q.kind.profile and self.responses[q.id].notna().any()
        ]  # fmt: skip
        for name, value, allowed in (("question", question_id, fits), ("by", by, profiles)):
            if value not in allowed:
                raise InputError(
                    "a kept breakdown needs a question and a respondent profile with answers "
                    "(a profile's table hides its small groups, which a breakdown by another "
                    "question, whose own table prints every group's size, could not protect)",
                    file=self.codebook.path,
                    column=name,
                    value=value,
                    expected="one of " + (", ".join(allowed) or "(none in this wave)"),
                )
        return self.codebook.question(question_id), self.codebook.question(by)

    def crosstab(self, question_id: str, by: str) -> Breakdown:
        """Show ``question_id`` by the groups of profile ``by`` in every language; return it."""
        q, profile = self._checked(question_id, by)
        found = breakdown(self.responses, q, profile)
        chapters = {s.id for s in self.codebook.chapters}
        published = q.kind.broken_down and q.section_id in chapters
        if not published and not found.is_empty:  # else its chapter publishes the same table
            catalogue.publish(self.output_dir, f"breakdown_{q.id}_by_{by}",
                              breakdown_frame(found, "en"))  # fmt: skip
        figures = charts.Figures(figures_dir(self.output_dir), self.langs)
        name = f"kept_{q.id}_by_{profile.id}"  # drawn and written once, in every language

        def heat_map():
            return charts.crosstab_heatmap(found, current())

        figures.draw(name, heat_map)
        show_html(self.langs, lambda: [self._html(found, figures.svg(name, heat_map))])
        return found

    def _html(self, b: Breakdown, svg: bytes | None) -> str:
        """Return the kept breakdown's heading, heat map (as drawn) and table in this language."""
        title = _("{title} by {profile}").format(
            title=b.question.title(current()), profile=b.profile.title(current()).lower()
        )
        heading = f'<h2 class="question-title">{escape(title)}</h2>'
        if b.is_empty or svg is None:
            said = _("Not shown: no breakdown of it protects its small groups.")
            return heading + present.paragraph([said])
        caption = _("{title}: % of each group's respondents (base {n}); s: not shown.").format(
            title=title, n=int(b.bases["all"])
        )
        return (
            heading
            + present.figure_html(svg, _alt(b, title), caption)
            + present.breakdown_html(b, title, current())
        )


def _alt(b: Breakdown, title: str) -> str:
    """Return the heat map's text alternative: every shown group's most chosen answer."""
    frame = breakdown_frame(b, current()).set_index("group").drop(columns="base").astype(float)
    short = {"All respondents": _("All respondents")}
    if POOLED in b.profile.codes:  # the table's note names its groups
        short[b.profile.option_label(POOLED, current())] = _("Other groups together")
    frame = frame.rename(index=short)
    parts = [
        f"{group}: {row.idxmax()} {fmt_pct(row.max())}"
        for group, row in frame.iterrows()
        if row.notna().any()
    ]
    return _("Heat map of {title}; each shown group's most chosen shown answer: {values}.").format(
        title=title, values="; ".join(parts)
    )


def open_kept(
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> KeptRun:
    """Load the cleaned wave (after 00_clean) for the findings a survey's notebook keeps."""
    wave_id = resolve_wave(Path(data_root), wave)
    run_dir = wave_output_dir(Path(outputs_root), wave_id)
    cleaned = load_cleaned_wave(data_root, run_dir, wave_id)
    return KeptRun(cleaned.wave, cleaned.codebook, cleaned.responses, run_dir, parse_langs(langs))
