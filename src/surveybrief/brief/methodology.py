"""The methodology box: the AAPOR disclosure items, each computed from the run's inputs.

Sponsor, source, fieldwork, population, sample, mode, wording, bases, precision, weighting,
processing and, where they apply, the reconstruction and the limitations; an item with nothing
to say is left out.
"""

from __future__ import annotations

from surveybrief.analysis.stats import margin_at_half
from surveybrief.brief.i18n import _, current, fmt_date_range, fmt_pct, sentence
from surveybrief.config import CONFIDENCE, SMALL_BASE_N, left_out_waves


def wave_fact(w, name: str, lang: str) -> str:
    """Return a disclosure fact of wave.yaml; one it does not give is "not stated", translated."""
    return _("not stated") if name in w.defaulted else w.text(name, lang)


def sampling_text(w, lang: str) -> str:
    """Return how the sample was drawn, or that wave.yaml does not say (never a bare default)."""
    return _("Sampling not stated") if "sampling" in w.defaulted else w.text("sampling", lang)


def _pick(value: object, lang: str) -> str:
    """Return a text of wave.yaml that may be given by language."""
    if isinstance(value, dict):
        return str(value.get(lang) or value.get("en") or "")
    return str(value or "")


def _tests_text() -> str:
    """Return how the briefing's tests are grouped into families (stated once, applied alike)."""
    return _(
        "Each chapter's tests are one family, Holm-adjusted to keep the chance of any "
        "false claim in it at 5%: all changes between waves in the trends chapter "
        "(questions and open-answer themes together), all group marks in a chapter's "
        "breakdown tables. A question with two answers that make up every answer, or "
        "two groups that make up the panel, count as one test. Nothing is tested under "
        "a base of {minimum}."
    ).format(minimum=SMALL_BASE_N)


def _confidentiality_text() -> str:
    """Return the disclosure rule every table and chart follows (stated once, applied alike)."""
    from surveybrief.analysis.breakdowns import MIN_CELL

    return _(
        "No group of fewer than {minimum} respondents is shown on its own in any table or "
        "chart: such groups are shown together, as “Other groups together”, with as many more "
        "groups as it takes that no reader can work out any one group's size from the figures "
        "shown, all tables taken together (checked before the briefing is released). Within "
        "groups of {minimum} or more, and within that row, counts are shown as they are, as "
        "for all respondents."
    ).format(minimum=MIN_CELL)


def methodology_rows(front) -> list[tuple[str, str]]:
    """Return the AAPOR disclosure items of a front matter as (item, text), computed."""
    w, lang = front.wave, current()
    bases = front.bases()
    n = front.n_respondents
    report = front.clean_report
    low, high = min(bases), max(bases)
    small = sum(1 for b in bases if b < SMALL_BASE_N)
    method = sentence(sampling_text(w, lang))
    sample = _("{description} Respondents in the data: {n}. {method}").format(
        description=sentence(w.text("sample_description", lang)), n=n, method=method
    )
    rows = [
        (_("Sponsor"), w.text("sponsor", lang)),
        *_source_rows(front),
        (_("Fieldwork"), fmt_date_range(w.fieldwork_start, w.fieldwork_end)),
        (_("Population"), w.text("population", lang)),
        (_("Sample"), sample),
        (_("Mode"), w.text("mode", lang)),
        (
            _("Question wording"),
            front.codebook.wording_notes.get(lang, "")
            + " "
            + _("Each chart and table states the question it answers."),
        ),
        (_("Bases"), _bases_text(low, high, len(bases), small)),
        (_("Precision"), _precision_text(low, high)),
        (_("Tests"), _tests_text()),
        (_("Confidentiality"), _confidentiality_text()),
        (_("Weighting"), wave_fact(w, "weighting", lang)),
        (_("Processing"), _processing(report)),
    ]
    if w.is_reconstructed:
        method = _pick(w.reconstruction.get("method", ""), lang).strip()
        rows.append(
            (_("Data"), _("RECONSTRUCTED: no respondent-level data were published.") + " " + method)
        )
    rows.append((_("Earlier waves"), _earlier_waves(front)))
    rows.append((_("Limitations"), " ".join(w.limitations_in(lang))))
    return [(item, text.strip()) for item, text in rows if str(text).strip()]  # no empty rows


def _bases_text(low: int, high: int, count: int, small: int) -> str:
    """Say the range of bases, or the one base every question has (never "from 12 to 12")."""
    if low == high:
        return _(
            "Every percentage is shown with its base: respondents who were asked and "
            "answered. Each of the {count} questions with data has a base of {n}; {small} under "
            "{minimum} (flagged as indicative)."
        ).format(n=low, count=count, small=small, minimum=SMALL_BASE_N)
    return _(
        "Every percentage is shown with its base: respondents who were asked and "
        "answered. Bases range from {low} to {high} across the {count} questions with "
        "data; {small} under {minimum} (flagged as indicative)."
    ).format(low=low, high=high, count=count, small=small, minimum=SMALL_BASE_N)


def _precision_text(low: int, high: int) -> str:
    """Say the widest interval at the largest and the smallest base (once where they agree)."""
    level = fmt_pct(100 * CONFIDENCE)
    if low == high:
        return _(
            "{level} Wilson score intervals. At n = {n} the widest interval is ±{wide} points. "
            "Differences inside this margin are not claimed."
        ).format(level=level, n=low, wide=f"{margin_at_half(low):.0f}")
    return _(
        "{level} Wilson score intervals. At n = {high} the widest interval is ±{wide} "
        "points; at n = {low}, ±{narrow} points. Differences inside these margins are "
        "not claimed."
    ).format(
        level=level,
        high=high,
        wide=f"{margin_at_half(high):.0f}",
        low=low,
        narrow=f"{margin_at_half(low):.0f}",
    )


def _processing(report: dict) -> str:
    return _(
        "{read} rows read; {excluded} left out on purpose (test submissions, empty or duplicate "
        "responses) and {invalid} set aside as invalid, each recorded with its reason. "
        "Personal-data columns dropped, respondent ids pseudonymised, open "
        "answers scrubbed of contact details and names. Multi-select answers as % of "
        "respondents; missing answers are not counted as 'none'."
    ).format(
        read=report["n_rows_read"],
        excluded=report.get("n_rows_excluded", 0),
        invalid=report["n_rows_quarantined"],
    )


def _source_rows(front) -> list[tuple[str, str]]:
    if front.publication is None or not front.publication.source:
        return []
    src = front.publication.source
    parts = [
        _("“{label}”").format(label=src["title"]) if src.get("title") else "",
        src.get("publisher", ""),
        _("reporting the {reports}").format(reports=_pick(src["reports"], current()))
        if src.get("reports")
        else "",
    ]
    return [(_("Published source"), ", ".join(p for p in parts if p) + ".")]


def _earlier_waves(front) -> str:
    """Return the earlier waves the trends compare with, and any left out of this run."""
    left_out = [w for w in left_out_waves() if w < front.wave.id]
    if left_out:
        note = _("Left out of this comparison: {waves}.").format(waves=", ".join(left_out))
        return (_earlier_waves_named(front) + " " + note).strip()
    return _earlier_waves_named(front)


def _earlier_waves_named(front) -> str:
    """Return the sentence naming the earlier waves compared with (empty when none)."""
    if not front.earlier_waves:
        return ""
    named = [
        _(
            "{wave} (RECONSTRUCTED from published percentages: its shares are not "
            "respondent-level data, and comparisons with it are indicative)"
        ).format(wave=w.id)
        if w.is_reconstructed
        else _("{wave} (n = {n} stated)").format(wave=w.id, n=w.n_stated)
        for w in front.earlier_waves
    ]
    return _("Trends compare this wave with {waves}.").format(waves="; ".join(named))
