"""What the open-answers notebook (70_open) calls: themes, agreement and quotes of one question.

``open_open`` takes one open question of a cleaned wave (a text question, or the "Other"
texts of a closed one), codes its answers (the returned coding workbook, else the keyword
pass), writes ``tables/<id>_themes.csv``, ``<id>_agreement.csv`` and ``<id>_quotes.csv`` and the
chart; ``show`` displays the chapter: who commented, how the themes were coded (a visible
notice when no person reviewed them), chart, table, agreement and quotes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from surveybrief.analysis.quotes import select_quotes
from surveybrief.analysis.themes import AUTOMATIC, TWO_CODERS, ThemeCoding, wave_themes
from surveybrief.analysis.themes import open_answers as comments_of
from surveybrief.brief import charts, present
from surveybrief.brief.narrative import fmt_pct, n_respondents, share_phrase
from surveybrief.clean.processed import load_cleaned_wave, load_wave_codebook
from surveybrief.config import SMALL_BASE_N, figures_dir, tables_dir, wave_output_dir
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.questionnaire import OpenTarget
from surveybrief.inputs.wave import Wave
from surveybrief.writers import write_csv_atomic


def _kappa(value: float) -> str:
    return "not defined" if pd.isna(value) else f"{value:.2f}"


@dataclass
class OpenRun:
    """One open question of one wave: its comments, themes, agreement and quotes."""

    coding: ThemeCoding | None
    wave: Wave
    codebook: Codebook
    n_respondents: int
    output_dir: Path
    quotes: pd.DataFrame
    title: str
    n_comments: int = 0

    @property
    def themes(self) -> pd.DataFrame:
        """Return the theme table (% of respondents who commented, with Wilson intervals)."""
        return self.coding.table().table if self.coding is not None else pd.DataFrame()

    def write_tables(self) -> None:
        """Write the theme, agreement and quotes tables of this question."""
        if self.coding is None or not self.coding.base:
            return
        tid = self.coding.target.id
        write_csv_atomic(tables_dir(self.output_dir) / f"{tid}_themes.csv", self.themes)
        if self.coding.agreement is not None:
            write_csv_atomic(
                tables_dir(self.output_dir) / f"{tid}_agreement.csv", self.coding.agreement
            )
        write_csv_atomic(tables_dir(self.output_dir) / f"{tid}_quotes.csv", self.quotes)

    def status_html(self) -> str:
        """Return how the themes were coded; a visible notice when no person reviewed them."""
        c = self.coding
        if c.status == AUTOMATIC:
            return (
                '<p class="notice">Automatic keyword pass, not reviewed: the themes below were '
                "found by the code frame's keyword rules and no person has checked them. Read "
                "them as indicative; coding by two coders is described in the README.</p>"
            )
        if c.status == TWO_CODERS:
            pooled = c.agreement.set_index("theme").loc["all"]
            return present.paragraph(
                [
                    f"Coded by two coders independently: agreement over all themes "
                    f"{pooled['pct_agreement']:.0f}%, Cohen's κ = {_kappa(pooled['kappa'])}, "
                    f"Krippendorff's α = {_kappa(pooled['alpha'])} (per theme in the agreement "
                    "table). Shares count the themes both coders gave, or the codes they "
                    "agreed on afterwards."
                ]
            )
        return present.paragraph(["Coded by one coder; agreement between coders not measured."])

    def narrative(self) -> list[str]:
        """Return the sentences of the chapter, computed from the theme table."""
        c = self.coding
        if c is None and self.n_comments:
            return [
                f"{n_respondents(self.n_comments)} of {self.n_respondents} wrote a "
                "comment. The codebook has no code frame for this question, so no themes are "
                "reported."
            ]
        if c is None or not c.base:
            if self.wave.is_reconstructed:
                return [
                    "No open answers were published for this wave: its respondent-level data "
                    "are reconstructed from published percentages of the closed questions, so "
                    "no themes, agreement or quotes are reported."
                ]
            return ["No respondent wrote an answer to this question in this wave."]
        share = 100 * c.base / self.n_respondents if self.n_respondents else float("nan")
        wrote = "specified an “Other” answer" if c.target.is_other else "wrote a comment"
        sentences = [
            f"{n_respondents(c.base)} of {self.n_respondents} ({fmt_pct(share)}) "
            f"{wrote}; the shares below are of those who did, and one answer may touch several "
            "themes."
        ]
        ranked = c.table().ranked
        themed = ranked[ranked["option"] != "no_theme"]
        if len(themed) and themed.iloc[0]["count"] > 0:
            top = themed.iloc[0]
            sentences.append(f"The most frequent theme is “{top['label']}”: {share_phrase(top)}.")
        if c.base < SMALL_BASE_N:
            sentences.append(
                f"The base is small (n = {c.base}, under {SMALL_BASE_N}): read these shares as "
                "indicative."
            )
        return sentences

    def chart_html(self) -> str:
        """Return the theme chart (written to figures/<id>_themes.svg|png)."""
        result = self.coding.table()
        fig = charts.bar_chart(result)
        if fig is None:
            return ""
        payloads = charts.save_chart(
            fig, figures_dir(self.output_dir), f"{self.coding.target.id}_themes"
        )
        return present.figure_html(
            payloads["svg"],
            present.alt_text(result),
            f"Themes of “{self.title}” (n = {result.base} who commented). Error bars: 95% "
            "Wilson intervals.",
        )

    def quotes_html(self) -> str:
        """Return the quotes as inert text, each in the language it was written in."""
        if self.quotes.empty:
            reason = (
                "The wave does not allow quoting (wave.yaml quotes.allowed)."
                if not self.wave.quotes.allowed
                else "No answer is quotable under the wave's quoting rules."
            )
            return present.paragraph([reason])
        items = "".join(
            f'<blockquote lang="{escape(r.lang)}"><p>{escape(r.quote)}</p><footer>— '
            f"{escape(r.attribution)} ({escape(r.theme_label)})</footer></blockquote>"
            for r in self.quotes.itertuples()
        )
        return f'<section class="quotes"><h3>In their words</h3>{items}</section>'

    def html(self) -> str:
        """Return the whole chapter."""
        head = f'<h1 class="chapter">Open answers: {escape(self.title)}</h1>'
        parts = [head, present.paragraph(self.narrative())]
        if self.coding is not None and self.coding.base:
            result = self.coding.table()
            parts += [self.status_html(), self.chart_html()]
            parts.append(present.table_html(result, f"Themes of “{self.title}”: counts, base, %"))
            if self.coding.agreement is not None:
                frame = self.coding.agreement.copy()
                parts.append(present.frame_html(frame, "agreement", "Agreement between coders"))
            parts.append(self.quotes_html())
        return f'<section class="open-answers">{"".join(parts)}</section>'

    def show(self) -> None:
        """Display the chapter (in a notebook)."""
        from IPython.display import HTML, display

        display(HTML(self.html()))


def _target(codebook: Codebook, question: str) -> OpenTarget:
    """Return the named open question (the first when empty), or say which ids exist."""
    targets = codebook.open_targets
    if not question and targets:
        return targets[0]
    try:
        return codebook.open_target(question)
    except KeyError:
        raise InputError(
            "the codebook has no such open question",
            file=codebook.path,
            column="question",
            value=question,
            expected="one of " + ", ".join(t.id for t in targets),
        ) from None


def open_open(
    question: str,
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
) -> OpenRun:
    """Code one open question of a cleaned wave (after 00_clean) and write its tables.

    ``question`` names a text question or ``<question>__other_text``; empty, the first.
    """
    codebook = load_wave_codebook(data_root, wave)
    target = _target(codebook, question)
    cleaned = load_cleaned_wave(data_root, wave)
    responses = cleaned.responses
    coding, quotes = None, pd.DataFrame()
    answers = comments_of(responses, target)
    if target.frame is not None:
        coding = wave_themes(Path(data_root), cleaned.wave.id, responses, target)
        quotes = select_quotes(coding, responses, cleaned.codebook, cleaned.wave.quotes)
    run = OpenRun(
        coding=coding,
        wave=cleaned.wave,
        codebook=cleaned.codebook,
        n_respondents=len(responses),
        output_dir=wave_output_dir(Path(outputs_root), cleaned.wave.id),
        quotes=quotes,
        title=target.title(),
        n_comments=len(answers),
    )
    run.write_tables()
    return run
