"""The briefing's front matter: cover with key findings, and the methodology box.

Everything is computed from the processed wave, the wave's metadata and the audit, so the cover
changes when the data change. The methodology box carries the AAPOR disclosure items.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief.analysis.audit import Audit, audit_wave
from surveybrief.analysis.stats import margin_at_half
from surveybrief.analysis.tabulate import QuestionTable, tabulate_question
from surveybrief.brief import narrative, present
from surveybrief.brief.narrative import fmt_points
from surveybrief.clean.processed import load_cleaned_wave
from surveybrief.config import CONFIDENCE, SMALL_BASE_N, list_waves
from surveybrief.inputs.codebook import Codebook, load_codebooks
from surveybrief.inputs.published import Publication
from surveybrief.inputs.wave import Wave

#: Most findings on the cover: chapter headlines fill what trends and the audit leave.
MAX_FINDINGS = 6
#: Largest detectable changes named on the cover when earlier waves exist.
MAX_TREND_FINDINGS = 2


@dataclass
class FrontMatter:
    """Inputs of the cover and the methodology box for one wave."""

    codebook: Codebook
    wave: Wave
    responses: pd.DataFrame
    clean_report: dict
    publication: Publication | None
    lang: str = "en"
    data_root: Path | None = None

    def results(self) -> list[QuestionTable]:
        """Return the tables of every question with options, in questionnaire order."""
        return [tabulate_question(self.responses, q, self.lang) for q in self.codebook.questions]

    def audit(self) -> Audit | None:
        """Return the audit of the published figures, if the wave has any."""
        if self.publication is None:
            return None
        return audit_wave(self.codebook, self.publication, self.responses, self.wave.n_stated)

    def key_findings(self) -> list[str]:
        """Return 4-6 computed findings: the strongest headline result per chapter, and the audit.

        Chapters are ranked by the lower bound of their headline share (the most certain first),
        then shown in chapter order.
        """
        candidates = []
        for section in self.codebook.chapters:
            best = None
            for q in section.questions:
                if not q.is_headline:
                    continue
                result = tabulate_question(self.responses, q, self.lang)
                if not result.has_data or result.quantified.empty:
                    continue
                low = float(result.quantified.iloc[0]["ci_low"])
                if best is None or low > best[0]:
                    best = (low, result)
            if best is not None:
                finding = narrative.key_finding(best[1])
                candidates.append((best[0], section.number, finding))
        extra = self.trend_findings()
        audit = self.audit()
        if audit is not None:
            total = len(audit.reproduction)
            stated = len(audit.unattainable_at_stated)
            n = self.wave.n_stated
            extra.append(
                f"Audit of the published figures: {audit.count('match')} of {total} are "
                f"reproduced exactly. {stated} are impossible as whole counts of exactly {n} "
                f"respondents, and {audit.count('unattainable')} of these are impossible for any "
                f"number of respondents up to {n} (see the appendix)."
            )
        chosen = sorted(candidates, reverse=True)[: MAX_FINDINGS - len(extra)]
        return [f for _, _, f in sorted(chosen, key=lambda c: c[1])] + extra

    def trend_findings(self) -> list[str]:
        """Return the largest detectable changes since the previous wave, or say there are none."""
        if self.data_root is None or not any(w < self.wave.id for w in list_waves(self.data_root)):
            return []
        from surveybrief.analysis.trends import compute_trends, load_series

        current, earlier = load_series(self.data_root, self.wave.id)
        trends = compute_trends(current, earlier, load_codebooks(self.data_root))
        found = trends.detectable().head(MAX_TREND_FINDINGS)
        if found.empty:
            tested = trends.changes
            since = tested["wave_from"].iloc[0] if len(tested) else "the previous wave"
            return [f"Trends: no change since {since} is detectable at this sample size."]
        lines = []
        for _, r in found.iterrows():
            title = self.codebook.question(r["question_id"]).title()
            verb = "rose" if r["change_pp"] > 0 else "fell"
            lines.append(
                f"Change since {r['wave_from']}: “{r['label']}” ({title}) {verb} from "
                f"{r['pct_from']:.0f}% to {r['pct_to']:.0f}% ({fmt_points(r['change_pp'])} "
                f"points; 95% CI {fmt_points(r['ci_low_pp'])} to {fmt_points(r['ci_high_pp'])})."
            )
        return lines

    def bases(self) -> list[int]:
        """Return the bases of the questions with data."""
        return [r.base for r in self.results() if r.has_data and r.question.type != "text"]

    def cover_html(self) -> str:
        """Return the cover: title, wave, dates, sample size and key findings."""
        w = self.wave
        synthetic = (
            '<p class="notice">SYNTHETIC data generated for testing: these numbers describe '
            "nothing real.</p>"
            if w.is_synthetic
            else ""
        )
        reconstructed = (
            '<p class="notice">Respondent-level data reconstructed from published percentages; '
            "see the methodology box.</p>"
            if w.is_reconstructed
            else ""
        )
        facts = (
            f"Wave {escape(w.id)} · fieldwork {escape(w.fieldwork_text)} · "
            f"n = {len(self.responses)} experts · sponsor: {escape(w.sponsor)}"
        )
        return (
            '<section class="cover">'
            f'<p class="kicker">Expert survey briefing</p><h1 class="title">{escape(w.title)}</h1>'
            f'<p class="subtitle">{escape(self.codebook.title(self.lang))}</p>'
            f'<p class="facts">{facts}</p>{synthetic}{reconstructed}'
            '<h2 class="findings-title">Key findings</h2>'
            f"{present.bullet_list(self.key_findings(), 'key-findings')}"
            "</section>"
        )

    def methodology_rows(self) -> list[tuple[str, str]]:
        """Return the AAPOR disclosure items as (item, text) pairs, computed where possible."""
        w = self.wave
        bases = self.bases()
        n = len(self.responses)
        report = self.clean_report
        low, high = min(bases), max(bases)
        small = sum(1 for b in bases if b < SMALL_BASE_N)
        rows = [
            ("Sponsor", w.sponsor),
            *self._source_rows(),
            ("Fieldwork", w.fieldwork_text),
            ("Population", w.population),
            ("Sample", f"{w.sample_description} Respondents in the data: {n}. {w.sampling}"),
            ("Mode", w.mode),
            (
                "Question wording",
                self.codebook.wording_notes.get(self.lang, "")
                + " Each chart and table states the question it answers.",
            ),
            (
                "Bases",
                f"Every percentage is shown with its base: respondents who were asked and "
                f"answered. Bases range from {low} to {high} across the "
                f"{len(bases)} questions with data; {small} under {SMALL_BASE_N} "
                "(flagged as indicative).",
            ),
            (
                "Precision",
                f"{CONFIDENCE:.0%} Wilson score intervals. At n = {high} the widest "
                f"interval is ±{margin_at_half(high):.0f} points; at n = {low}, "
                f"±{margin_at_half(low):.0f} points. Differences inside these margins "
                "are not claimed.",
            ),
            ("Weighting", w.weighting),
            (
                "Processing",
                f"{report['n_rows_read']} rows read; {report.get('n_rows_excluded', 0)} left "
                "out on purpose (test submissions, empty or duplicate responses) and "
                f"{report['n_rows_quarantined']} set aside as invalid, each listed with its "
                "reason in quarantine.csv. Personal-data columns dropped, respondent ids "
                "pseudonymised, open answers scrubbed of contact details and names. "
                "Multi-select answers as % of respondents; missing answers are not counted "
                "as 'none'.",
            ),
        ]
        if w.is_reconstructed:
            rows.append(
                (
                    "Data",
                    "RECONSTRUCTED: no respondent-level data were published. "
                    + str(w.reconstruction.get("method", "")).strip(),
                )
            )
        rows.append(("Limitations", " ".join(w.limitations)))
        return rows

    def _source_rows(self) -> list[tuple[str, str]]:
        if self.publication is None or not self.publication.source:
            return []
        src = self.publication.source
        parts = [
            f"“{src['title']}”" if src.get("title") else "",
            src.get("publisher", ""),
            f"reporting the {src['reports']}" if src.get("reports") else "",
        ]
        return [("Published source", ", ".join(p for p in parts if p) + ".")]

    def methodology_html(self) -> str:
        """Return the methodology box."""
        return (
            '<aside class="methodology"><h2>Methodology</h2>'
            f"{present.definition_table(self.methodology_rows(), 'disclosure')}</aside>"
        )

    def show_cover(self) -> None:
        """Display the cover (in a notebook)."""
        from IPython.display import HTML, display

        display(HTML(self.cover_html()))

    def show_methodology(self) -> None:
        """Display the methodology box (in a notebook)."""
        from IPython.display import HTML, display

        display(HTML(self.methodology_html()))


def load_front_matter(
    wave: str = "latest", data_root: str | Path = "../data", lang: str = "en"
) -> FrontMatter:
    """Load what the front matter needs; the wave must have been cleaned (00_clean)."""
    cleaned = load_cleaned_wave(data_root, wave)
    return FrontMatter(
        codebook=cleaned.codebook,
        wave=cleaned.wave,
        responses=cleaned.responses,
        clean_report=cleaned.clean_report,
        publication=cleaned.publication,
        lang=lang,
        data_root=Path(data_root),
    )
