"""What the open-answers notebook (70_open) calls: themes, agreement and quotes of one question.

``open_open_question`` takes one open question of a cleaned wave (a text question, or the "Other"
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

from surveybrief import catalogue
from surveybrief.analysis.quotes import select_quotes
from surveybrief.analysis.themes import AUTOMATIC, TWO_CODERS, ThemeCoding, wave_themes
from surveybrief.analysis.themes import open_answers as comments_of
from surveybrief.brief import charts, present
from surveybrief.brief.display import parse_langs, show_html
from surveybrief.brief.i18n import _, current, fmt_decimal, fmt_pct
from surveybrief.brief.narrative import n_respondents, open_title, share_phrase
from surveybrief.clean.processed import load_cleaned_wave, load_wave_codebook
from surveybrief.config import SMALL_BASE_N, figures_dir, resolve_wave, wave_output_dir
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.coding import returned_coding
from surveybrief.inputs.questionnaire import OpenTarget
from surveybrief.inputs.wave import Wave


def _kappa(value: float) -> str:
    return _("not defined") if pd.isna(value) else fmt_decimal(value, 2)


@dataclass
class OpenRun:
    """One open question of one wave: its comments, themes, agreement and quotes."""

    coding: ThemeCoding | None
    wave: Wave
    codebook: Codebook
    n_respondents: int
    output_dir: Path
    quotes: pd.DataFrame
    target: OpenTarget
    n_comments: int = 0
    langs: tuple[str, ...] = ("en",)
    #: The theme chart in each language, drawn and written once (``write_tables``).
    figures: charts.Figures | None = None

    @property
    def title(self) -> str:
        """Return the chapter's title in the current language."""
        return open_title(self.target)

    @property
    def themes(self) -> pd.DataFrame:
        """Return the theme table (% of respondents who commented, with Wilson intervals)."""
        return self.coding.table().table if self.coding is not None else pd.DataFrame()

    def write_tables(self) -> None:
        """Write the theme, agreement and quotes tables of this question."""
        if self.coding is None or not self.coding.base:
            return
        tid, out = self.coding.target.id, self.output_dir
        catalogue.publish(out, f"{tid}_themes", self.themes)
        if self.coding.agreement is not None:
            catalogue.publish(out, f"{tid}_agreement", self.coding.agreement)
        catalogue.publish(out, f"{tid}_quotes", self.quotes)
        self.figures = charts.Figures(figures_dir(out), self.langs)
        self.figures.draw(f"{tid}_themes", lambda: charts.bar_chart(self.coding.table(current())))

    def status_html(self) -> str:
        """Return how the themes were coded; a visible notice when no person reviewed them."""
        c = self.coding
        if c.status == AUTOMATIC:
            notice = _(
                "Automatic keyword pass, not reviewed: the themes below were found by the code "
                "frame's keyword rules and no person has checked them. Read them as indicative."
            )
            return f'<p class="notice">{escape(notice)}</p>'
        if c.status == TWO_CODERS:
            pooled = c.agreement.set_index("theme").loc["all"]
            return present.paragraph(
                [
                    _(
                        "Coded by two coders independently: agreement over all themes {pct}, "
                        "Cohen's κ = {kappa}, Krippendorff's α = {alpha} (per theme in the "
                        "agreement table). Shares count the themes both coders gave, or the "
                        "codes they agreed on afterwards."
                    ).format(
                        pct=fmt_pct(pooled["pct_agreement"]),
                        kappa=_kappa(pooled["kappa"]),
                        alpha=_kappa(pooled["alpha"]),
                    )
                ]
            )
        return present.paragraph([_("Coded by one coder; agreement between coders not measured.")])

    def narrative(self) -> list[str]:
        """Return the sentences of the chapter, computed from the theme table."""
        c = self.coding
        if c is None and self.n_comments:
            return [
                _(
                    "{respondents} of {total} wrote a comment. The codebook has no code frame for "
                    "this question, so no themes are reported."
                ).format(respondents=n_respondents(self.n_comments), total=self.n_respondents)
            ]
        if c is None or not c.base:
            if self.wave.is_reconstructed:
                return [
                    _(
                        "No open answers were published for this wave: its respondent-level data "
                        "are reconstructed from published percentages of the closed questions, "
                        "so no themes, agreement or quotes are reported."
                    )
                ]
            return [_("No respondent wrote an answer to this question in this wave.")]
        share = 100 * c.base / self.n_respondents if self.n_respondents else float("nan")
        values = {"respondents": n_respondents(c.base), "total": self.n_respondents}
        values["pct"] = fmt_pct(share)
        if c.target.is_other:
            lead = _(
                "{respondents} of {total} ({pct}) specified an “Other” answer; the shares below "
                "are of those who did, and one answer may touch several themes."
            )
        else:
            lead = _(
                "{respondents} of {total} ({pct}) wrote a comment; the shares below are of those "
                "who did, and one answer may touch several themes."
            )
        sentences = [lead.format(**values)]
        ranked = c.table(current()).ranked
        themed = ranked[ranked["option"] != "no_theme"]
        if len(themed) and themed.iloc[0]["count"] > 0:
            top = themed.iloc[0]
            sentences.append(
                _("The most frequent theme is “{label}”: {share}.").format(
                    label=top["label"], share=share_phrase(top)
                )
            )
        if c.base < SMALL_BASE_N:
            sentences.append(
                _(
                    "The base is small (n = {n}, under {minimum}): read these shares as indicative."
                ).format(n=c.base, minimum=SMALL_BASE_N)
            )
        return sentences

    def chart_html(self) -> str:
        """Return the theme chart (written to figures/<id>_themes.svg|png)."""
        result = self.coding.table(current())
        name = f"{self.coding.target.id}_themes"
        svg = charts.svg_of(self.figures, name, lambda: charts.bar_chart(result))
        if svg is None:
            return ""
        return present.figure_html(
            svg,
            present.alt_text(result),
            _(
                "Themes of “{title}” (n = {n} who commented). Error bars: 95% Wilson intervals."
            ).format(title=self.title, n=result.base),
        )

    def _attribution(self, row) -> str:
        if not row.group:
            return _("an expert")
        label = self.codebook.question(row.profile).option_label(row.group, current())
        return _("an expert in {group}").format(group=label.lower())

    def quotes_html(self) -> str:
        """Return the quotes as inert text, each in the language it was written in."""
        if self.quotes.empty:
            policy = self.wave.quotes
            reason = (
                _("No answer is quotable under the wave's quoting rules.")
                if policy.allowed
                else _("No answers are quoted: the survey's terms do not allow quotation.")
                if policy.declared
                else _("No answers are quoted.")  # nobody decided: the analyst's checklist says so
            )
            return present.paragraph([reason])
        frame = self.coding.target.frame
        items = "".join(
            f'<blockquote lang="{escape(r.lang)}"><p>{escape(r.quote)}</p><footer>— '
            f"{escape(self._attribution(r))} ({escape(frame.theme(r.theme).label(current()))})"
            "</footer></blockquote>"
            for r in self.quotes.itertuples()
        )
        heading = _("In their words")
        return f'<section class="quotes"><h3>{escape(heading)}</h3>{items}</section>'

    def agreement_frame(self) -> pd.DataFrame:
        """Return the coders' agreement as shown to readers."""
        a = self.coding.agreement
        frame = self.coding.target.frame
        return pd.DataFrame(
            {
                _("Theme"): [
                    _("All themes (pooled)") if t == "all" else frame.theme(t).label(current())
                    for t in a["theme"]
                ],
                _("Answers"): a["n_answers"],
                _("Agreement"): [fmt_pct(v) for v in a["pct_agreement"]],
                "κ": [_kappa(v) for v in a["kappa"]],
                "α": [_kappa(v) for v in a["alpha"]],
            }
        )

    def undefined_note(self) -> str:
        """Say why a κ or α is "not defined", where one is (and what other tools print)."""
        a = self.coding.agreement
        if not (a["kappa"].isna() | a["alpha"].isna()).any():
            return ""
        return present.paragraph(
            [
                _(
                    "“Not defined”: with fewer than two coded answers, or when the coders gave "
                    "one value throughout, nothing separates agreement from chance. Some tools "
                    "print 0 there instead (the krippendorff package does for a single answer "
                    "the coders disagree on); 0 would read as chance-level agreement, which the "
                    "data cannot show."
                )
            ],
            "note",
        )

    def html(self) -> str:
        """Return the whole chapter."""
        title = escape(_("Open answers: {title}").format(title=self.title))
        parts = [f'<h1 class="chapter">{title}</h1>', present.paragraph(self.narrative())]
        if self.coding is not None and self.coding.base:
            result = self.coding.table(current())
            parts += [self.status_html(), self.chart_html()]
            caption = _("Themes of “{title}”: counts, base, %").format(title=self.title)
            parts.append(present.table_html(result, caption, _("Theme")))
            if self.coding.agreement is not None:
                parts.append(
                    present.frame_html(
                        self.agreement_frame(), "agreement", _("Agreement between coders")
                    )
                )
                parts.append(self.undefined_note())
            parts.append(self.quotes_html())
        return f'<section class="open-answers">{"".join(parts)}</section>'

    def show(self) -> None:
        """Display the chapter (in a notebook)."""
        show_html(self.langs, lambda: [self.html()])


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


def open_open_question(
    question: str,
    wave: str = "latest",
    data_root: str | Path = "../data",
    outputs_root: str | Path = "../outputs",
    langs: str = "en",
) -> OpenRun:
    """Code one open question of a cleaned wave (after 00_clean) and write its tables.

    ``question`` names a text question or ``<question>__other_text``; empty, the first.
    """
    codebook = load_wave_codebook(data_root, wave)
    target = _target(codebook, question)
    wave_id = resolve_wave(Path(data_root), wave)
    cleaned = load_cleaned_wave(data_root, wave_output_dir(Path(outputs_root), wave_id), wave_id)
    responses = cleaned.responses
    coding, quotes = None, pd.DataFrame()
    answers = comments_of(responses, target)
    if target.frame is not None:
        returned = returned_coding(Path(data_root), cleaned.wave.id, target)
        coding = wave_themes(responses, target, returned)
        quotes = select_quotes(coding, responses, cleaned.codebook, cleaned.wave.quotes)
    run = OpenRun(
        coding=coding,
        wave=cleaned.wave,
        codebook=cleaned.codebook,
        n_respondents=len(responses),
        output_dir=wave_output_dir(Path(outputs_root), cleaned.wave.id),
        quotes=quotes,
        target=target,
        n_comments=len(answers),
        langs=parse_langs(langs),
    )
    run.write_tables()
    return run
