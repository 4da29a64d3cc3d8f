"""The short brief: at most four A4 pages a policy reader takes in within five minutes.

Made by ``99_briefing`` from what the chapters wrote, like the cover (nothing is recomputed):
title and facts, key findings (headline results with their numbers and bases), one half-width
chart per chapter (its most certain headline question, the most chosen answers), the main
changes since the previous wave, a five-line methodology note and where the full report is.
Its outputs are tagged for the brief (``brief.display``), so one execution of the notebooks
gives both the report (``briefing.*``) and the brief (``brief.<lang>.html|pdf``).
"""

from __future__ import annotations

from html import escape

from surveybrief.analysis.stats import margin_at_half
from surveybrief.brief import charts, narrative, present
from surveybrief.brief.i18n import _, current, fmt_date_range, fmt_pct, sentence
from surveybrief.brief.methodology import sampling_text, wave_fact
from surveybrief.brief.trend_chapter import CHANGES
from surveybrief.brief.trend_text import trend_findings
from surveybrief.config import CONFIDENCE, SMALL_BASE_N

#: Answers shown in a chapter's chart in the brief (a rating scale keeps all its points).
TOP_OPTIONS = 5
#: Changes since the previous wave listed in the brief.
MOST_CHANGES = 3


def brief_html(front) -> str:
    """Return the whole short brief of a front matter in the current language."""
    kicker = _("Expert survey brief")
    return (
        '<article class="short-brief">'
        + f'<header class="brief-head">{front.masthead_html(kicker)}</header>'
        + _findings_html(front)
        + _charts_html(front)
        + _changes_html(front)
        + _note_html(front)
        + _pointer_html(front)
        + "</article>"
    )


def _section(css_class: str, heading: str, body: str) -> str:
    return f'<section class="{css_class}"><h2>{escape(heading)}</h2>{body}</section>'


def _findings_html(front) -> str:
    findings = [f for f in front.key_findings(with_changes=False) if f]
    body = (
        present.bullet_list(findings, "key-findings")
        if findings
        else present.paragraph([_("No headline question has data in this wave.")])
    )
    return _section("brief-findings", _("Key findings"), body)


def chapter_charts(front) -> list[tuple[object, object]]:
    """Return (chapter, headline result) for each chapter with a headline result with data."""
    found = []
    for section in front.codebook.chapters:
        headlines = front.headlines(section, fallback=True)
        if headlines:
            found.append((section, headlines[0][1]))
    return found


def _chart_html(section, result) -> str:
    result = result.relabelled(current(), _(narrative.REMAINDER))
    fig = charts.bar_chart(result, top=TOP_OPTIONS)
    total = len(result.quantified)
    shown = total if result.question.kind.ordered else min(total, TOP_OPTIONS)
    caption = _("{title} (n = {n}). Error bars: 95% Wilson intervals.").format(
        title=result.question.title(current()), n=result.base
    )
    if shown < total:
        caption += " " + _("The {shown} most chosen of {total} answers; all in the report.").format(
            shown=shown, total=total
        )
    heading = f"{section.number}. {section.title(current())}"
    return (
        f'<div class="brief-chart"><h3>{escape(heading)}</h3>'
        + present.figure_html(charts.figure_bytes(fig, "svg"), present.alt_text(result), caption)
        + "</div>"
    )


def _charts_html(front) -> str:
    found = chapter_charts(front)
    if not found:
        return ""
    grid = "".join(_chart_html(section, result) for section, result in found)
    return _section(
        "brief-charts", _("Results by chapter"), f'<div class="chart-grid">{grid}</div>'
    )


def _changes_html(front) -> str:
    if front.has_earlier_waves:
        changes = trend_findings(front.codebook, front.read_output(CHANGES), MOST_CHANGES)
        body = present.bullet_list(changes, "wave-changes")
    else:
        body = present.paragraph(
            [_("This is the first wave on record: there is no earlier wave to compare with.")]
        )
    return _section("brief-changes", _("Main changes since the last wave"), body)


def _data_line(front) -> str:
    w, lang = front.wave, current()
    if w.is_reconstructed:
        line = _("Data: RECONSTRUCTED from published percentages, not the survey's microdata.")
    elif w.is_synthetic:
        line = _("Data: SYNTHETIC, generated for testing; these numbers describe nothing real.")
    else:
        line = _("Data: {read} rows read, {invalid} set aside as invalid.").format(
            read=front.clean_report["n_rows_read"],
            invalid=front.clean_report["n_rows_quarantined"],
        )
    if front.publication is not None:
        counts = front.audit_counts()
        line += " " + _("{matched} of {total} published figures reproduced exactly.").format(
            matched=counts["matched"], total=counts["total"]
        )
    weighting = wave_fact(w, "weighting", lang)
    return line + " " + _("Weighting: {weighting}.").format(weighting=weighting)


def _precision_line(low: int, high: int, small: int) -> str:
    """Say the widest interval at the largest and the smallest base (once where they agree)."""
    level = fmt_pct(100 * CONFIDENCE)
    if low == high:
        return _(
            "Precision: {level} Wilson intervals, ±{wide} points at n = {n}; {small} bases under "
            "{minimum} marked as indicative; multi-select answers as % of respondents."
        ).format(
            level=level, wide=f"{margin_at_half(max(low, 1)):.0f}", n=low, small=small,
            minimum=SMALL_BASE_N,
        )  # fmt: skip
    return _(
        "Precision: {level} Wilson intervals, ±{at_high} points at n = {high} and ±{at_low} "
        "at n = {low}; {small} bases under {minimum} marked as indicative; multi-select "
        "answers as % of respondents."
    ).format(
        level=level,
        at_high=f"{margin_at_half(max(high, 1)):.0f}",
        high=high,
        at_low=f"{margin_at_half(max(low, 1)):.0f}",
        low=low,
        small=small,
        minimum=SMALL_BASE_N,
    )


def note_lines(front) -> list[str]:
    """Return the five lines of the brief's methodology note, computed from the run."""
    w, lang = front.wave, current()
    bases = front.bases() or [0]
    low, high = min(bases), max(bases)
    small = sum(1 for b in bases if b < SMALL_BASE_N)
    limitations = w.limitations_in(lang)
    more = len(limitations) - 1
    limits = _("Limitations: {first}").format(first=limitations[0]) if limitations else ""
    if more > 0:
        limits += " " + _("({count} more in the report.)").format(count=more)
    return [
        _("Who: {n} respondents. {population}").format(
            n=front.n_respondents, population=sentence(w.text("population", lang))
        ),
        _("How: {sampling} Fieldwork {dates}.").format(
            sampling=sentence(sampling_text(w, lang)),
            dates=fmt_date_range(w.fieldwork_start, w.fieldwork_end),
        ),
        _precision_line(low, high, small),
        _data_line(front),
        limits or _("Limitations: none stated for this wave."),
    ]


def _note_html(front) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in note_lines(front))
    return _section("brief-note", _("Methodology in brief"), f'<ul class="note">{items}</ul>')


def _pointer_html(front) -> str:
    text = _(
        "The full report — every question's chart, table and breakdowns, the methodology box "
        "with the AAPOR disclosure items, the audit and the provenance of every number — comes "
        "with this brief, from the same data and the same run."
    )
    return f'<p class="pointer">{escape(text)}</p>'
