"""The methodology box: the AAPOR disclosure items, each computed from the run's inputs.

Sponsor, source, fieldwork, population, sample, mode, wording, bases, precision, weighting,
processing and, where they apply, the reconstruction and the limitations; an item with nothing
to say is left out.
"""

from __future__ import annotations

from surveybrief.analysis.stats import margin_at_half
from surveybrief.config import CONFIDENCE, SMALL_BASE_N


def methodology_rows(front) -> list[tuple[str, str]]:
    """Return the AAPOR disclosure items of a front matter as (item, text), computed."""
    w = front.wave
    bases = front.bases()
    n = front.n_respondents
    report = front.clean_report
    low, high = min(bases), max(bases)
    small = sum(1 for b in bases if b < SMALL_BASE_N)
    rows = [
        ("Sponsor", w.sponsor),
        *_source_rows(front),
        ("Fieldwork", w.fieldwork_text),
        ("Population", w.population),
        ("Sample", f"{w.sample_description} Respondents in the data: {n}. {w.sampling}"),
        ("Mode", w.mode),
        (
            "Question wording",
            front.codebook.wording_notes.get(front.lang, "")
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
    rows.append(("Earlier waves", _earlier_waves(front)))
    rows.append(("Limitations", " ".join(w.limitations)))
    return [(item, text) for item, text in rows if str(text).strip()]  # no empty rows


def _source_rows(front) -> list[tuple[str, str]]:
    if front.publication is None or not front.publication.source:
        return []
    src = front.publication.source
    parts = [
        f"“{src['title']}”" if src.get("title") else "",
        src.get("publisher", ""),
        f"reporting the {src['reports']}" if src.get("reports") else "",
    ]
    return [("Published source", ", ".join(p for p in parts if p) + ".")]


def _earlier_waves(front) -> str:
    """Return the earlier waves the trends compare with, naming any reconstructed one."""
    if not front.earlier_waves:
        return ""
    named = [
        f"{w.id} (RECONSTRUCTED from published percentages: its shares are not "
        "respondent-level data, and comparisons with it are indicative)"
        if w.is_reconstructed
        else f"{w.id} (n = {w.n_stated} stated)"
        for w in front.earlier_waves
    ]
    return "Trends compare this wave with " + "; ".join(named) + "."
