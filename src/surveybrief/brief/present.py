"""HTML fragments for notebooks and the briefing. Every text from data is escaped here.

Fragments are plain HTML strings (no scripts, no external resources): images are inline data
URIs, so the briefing stays one self-contained file.
"""

from __future__ import annotations

import base64
from html import escape

import pandas as pd

from surveybrief.analysis.breakdowns import MIN_CELL, SIGNIFICANCE, Breakdown
from surveybrief.analysis.profile import NOT_ANSWERED, POOLED
from surveybrief.analysis.scales import ScaleSummary
from surveybrief.analysis.tabulate import QuestionTable
from surveybrief.brief.i18n import _, current, fmt_decimal, fmt_pct, ngettext
from surveybrief.config import NOT_REPORTED_CODE, SMALL_BASE_N


def paragraph(sentences: list[str], css_class: str = "narrative") -> str:
    """Return sentences as one escaped paragraph."""
    return f'<p class="{css_class}">{escape(" ".join(sentences))}</p>'


def alt_text(result: QuestionTable) -> str:
    """Return the alternative text of a question's chart: what it shows, in numbers."""
    rows = result.table[result.table["count"].notna()]
    parts = [f"{r['label']} {fmt_pct(r['pct'])}" for _i, r in rows.iterrows()]
    values = {"title": result.question.title(current()), "base": result.base}
    values["values"] = "; ".join(parts)
    own = result.question.kind.alt_text(result.question, values)
    if own is not None:  # a type whose bars are not the common shares says what they are
        return own
    return _(
        "Bar chart of {title} (base {base}): {values}. Error bars show 95% Wilson intervals."
    ).format(**values)


def figure_html(svg: bytes, alt: str, caption: str) -> str:
    """Return an inline SVG chart (as a data URI image) with alt text and a caption."""
    data = base64.b64encode(svg).decode("ascii")
    return (
        f'<figure class="chart"><img src="data:image/svg+xml;base64,{data}" '
        f'alt="{escape(alt)}"><figcaption>{escape(caption)}</figcaption></figure>'
    )


def _num(value, decimals: int = 0) -> str:
    return "–" if pd.isna(value) else fmt_decimal(value, decimals)


def head_html(*names: str) -> str:
    """Return a table's head row of column headers."""
    cells = "".join(f'<th scope="col">{escape(n)}</th>' for n in names)
    return f"<thead><tr>{cells}</tr></thead>"


def table_html(result: QuestionTable, caption: str, first: str | None = None) -> str:
    """Return the frequency table: answer, count, base, %, 95% Wilson interval, small-base flag.

    ``first`` heads the first column (default "Answer"; the themes of open answers: "Theme").
    """
    head = head_html(first or _("Answer"), _("n"), _("Base"), "%", _("95% CI"))
    body = []
    has_small = False
    for _i, r in result.table.iterrows():
        small = not pd.isna(r["base"]) and r["base"] < SMALL_BASE_N
        has_small |= small
        flag = "†" if small else ""
        ci = "–" if pd.isna(r["ci_low"]) else f"{r['ci_low']:.0f}–{r['ci_high']:.0f}"
        css = (
            ' class="remainder"'
            if r["option"] == NOT_REPORTED_CODE
            else (' class="nodata"' if pd.isna(r["count"]) else "")
        )
        body.append(
            f'<tr{css}><th scope="row">{escape(str(r["label"]))}</th>'
            f"<td>{_num(r['count'])}</td><td>{_num(r['base'])}{flag}</td>"
            f"<td>{_num(r['pct'], 1)}</td><td>{ci}</td></tr>"
        )
    notes = []
    if result.question.kind.several:
        notes.append(_("Several answers possible: % of respondents, totals exceed 100."))
    own = result.question.kind.table_note(result.question)
    notes += [own] if own else []
    if result.table["count"].isna().any():
        notes.append(_("–: named by the source without a figure (no data; not zero)."))
    if has_small:
        notes.append(_("†: base under {minimum}, indicative only.").format(minimum=SMALL_BASE_N))
    foot = f'<p class="table-note">{escape(" ".join(notes))}</p>' if notes else ""
    return (
        f'<table class="freq"><caption>{escape(caption)}</caption>{head}'
        f"<tbody>{''.join(body)}</tbody></table>{foot}"
    )


def wording_html(result: QuestionTable) -> str:
    """Return the question wording and its base, as disclosed with every table."""
    q, label = result.question, _("Question")
    wording = _("“{label}”").format(label=q.wording(current()))
    base = (
        ngettext(
            "Base: {n} respondent who answered.", "Base: {n} respondents who answered.", result.base
        ).format(n=result.base)
        if result.has_data
        else _("No respondent-level data.")
    )
    return (
        f'<p class="wording"><span class="label">{escape(label)}</span> '
        f"{escape(wording)} "
        f'<span class="base">{escape(base)}</span></p>'
    )


def section_title_html(number: int, title: str, lead: str) -> str:
    """Return a chapter heading and its lead paragraph."""
    return f'<h1 class="chapter">{number}. {escape(title)}</h1><p class="lead">{escape(lead)}</p>'


def bullet_list(items: list[str], css_class: str) -> str:
    """Return an escaped bullet list."""
    lis = "".join(f"<li>{escape(i)}</li>" for i in items)
    return f'<ul class="{css_class}">{lis}</ul>'


def definition_table(rows: list[tuple[str, str]], css_class: str, caption: str = "") -> str:
    """Return a two-column table of terms and escaped texts (methodology, provenance)."""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    body = "".join(
        f'<tr><th scope="row">{escape(k)}</th><td>{escape(v)}</td></tr>' for k, v in rows
    )
    return f'<table class="{css_class}">{cap}<tbody>{body}</tbody></table>'


def frame_html(frame: pd.DataFrame, css_class: str, caption: str = "") -> str:
    """Return a data frame as an escaped HTML table (no index)."""
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape('' if pd.isna(v) else str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
    return (
        f'{scroll_region(caption)}<table class="{css_class}">{cap}<thead><tr>{head}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>"
    )


def scroll_region(caption: str) -> str:
    """Open the box a wide table scrolls in on a phone, reachable by keyboard and named.

    A box that scrolls must take the focus (WCAG 2.1.1; axe ``scrollable-region-focusable``),
    and a focusable region needs a name: the table's caption.
    """
    name = escape(caption or _("Table"))
    return f'<div class="table-scroll" tabindex="0" role="region" aria-label="{name}">'


def breakdown_html(b: Breakdown, caption: str, lang: str = "en") -> str:
    """Return the breakdown as an HTML table with suppression and significance notes."""
    options, base_head = b.shown_options, _("Base")
    head = "".join(
        f'<th scope="col">{escape(b.question.option_label(c, lang))}</th>' for c in options
    )
    body = []
    for g in b.counts.index:
        base = int(b.bases[g])
        if base == 0:
            continue
        label = _("All respondents") if g == "all" else group_label(b.profile, g, lang)
        cells = []
        for c in options:
            if b.suppressed.at[g, c]:
                cells.append('<td class="suppressed">s</td>')
            else:
                pct = 100 * b.counts.at[g, c] / base
                cells.append(f"<td>{fmt_decimal(pct, 0)}{b.marks.at[g, c]}</td>")
        shown_base = "s" if g in b.hidden_bases else str(base)
        body.append(
            f'<tr><th scope="row">{escape(label)}</th><td>{shown_base}</td>{"".join(cells)}</tr>'
        )
    note = _breakdown_note(b, lang)
    return (
        f'{scroll_region(caption)}<table class="freq breakdown"><caption>{escape(caption)}'
        "</caption><thead><tr>"
        f'<th scope="col">{escape(b.profile.title(lang))}</th>'
        f'<th scope="col">{escape(base_head)}</th>'
        f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table></div>"
        f'<p class="table-note">{escape(note)}</p>'
    )


def scale_html(summary: ScaleSummary, caption: str) -> str:
    """Return a rating scale's mean, median and top-two-box share with their 95% intervals."""
    from surveybrief.brief.narrative import fmt_number

    low, high = (100 * v for v in summary.top2_ci)
    mean_low, mean_high = summary.mean_ci
    rows = [
        (
            _("Mean"),
            fmt_decimal(summary.mean, 2),
            f"{fmt_decimal(mean_low, 2)}–{fmt_decimal(mean_high, 2)}",
            _("t interval"),
        ),
        (
            _("Median"),
            fmt_number(summary.median),
            "–".join(fmt_number(v) for v in summary.median_ci),
            _("order statistics"),
        ),
        (
            _("Top two points, %"),
            fmt_decimal(summary.top2_pct, 1),
            f"{low:.0f}–{high:.0f}",
            _("{count} of {base}; Wilson").format(count=summary.top2_count, base=summary.base),
        ),
    ]
    body = "".join(
        f'<tr><th scope="row">{escape(a)}</th><td>{escape(b)}</td><td>{escape(c)}</td>'
        f"<td>{escape(d)}</td></tr>"
        for a, b, c, d in rows
    )
    head = head_html(_("Statistic"), _("Value"), _("95% CI"), _("Method"))
    note = ngettext(
        "Base: {n} respondent who answered. Scale points as coded in the codebook.",
        "Base: {n} respondents who answered. Scale points as coded in the codebook.",
        summary.base,
    ).format(n=summary.base)
    return (
        f'<table class="freq scale"><caption>{escape(caption)}</caption>{head}<tbody>{body}'
        f'</tbody></table><p class="table-note">{escape(note)}</p>'
    )


def mean_interval_html(low: float, high: float) -> str:
    """Return an interval of a mean for a table ("–" where one value leaves it undefined)."""
    if pd.isna(low) or pd.isna(high):
        return "–"
    return escape(f"{fmt_decimal(low, 2)}–{fmt_decimal(high, 2)}")


def _breakdown_note(b: Breakdown, lang: str) -> str:
    """Return the note under a breakdown: bases, pooled groups, options left out, tests."""
    note = _("% of each group's respondents.")
    if b.suppressed.any().any():
        note += " " + _(
            "s: not shown (a group of fewer than {minimum} respondents, or a figure that would "
            "reveal one)."
        ).format(minimum=MIN_CELL)
    if b.grouping is not None and b.grouping.pooled:
        note += " " + pooled_note(b.grouping.source, b.grouping.pooled, lang)
    if b.left_out:
        rare = ", ".join(b.question.option_label(c, lang) for c in b.counts.columns
                         if c in b.left_out)  # fmt: skip
        note += " " + _(
            "Not broken down by group, as fewer than {minimum} respondents chose them in all: "
            "{options}."
        ).format(minimum=MIN_CELL, options=rare)
    if b.n_tests:
        note += " " + ngettext(
            "▲/▼: higher/lower than the rest of the panel (Fisher's exact test, p < {alpha}, "
            "Holm-adjusted over the {n} comparison of this chapter's breakdowns, one family); "
            "tested only where the group and the rest each have at least {minimum} "
            "respondents, and once where two groups or two answers are each other's rest.",
            "▲/▼: higher/lower than the rest of the panel (Fisher's exact test, p < {alpha}, "
            "Holm-adjusted over the {n} comparisons of this chapter's breakdowns, one family); "
            "tested only where the group and the rest each have at least {minimum} "
            "respondents, and once where two groups or two answers are each other's rest.",
            b.family_tests,
        ).format(n=b.family_tests, alpha=fmt_decimal(SIGNIFICANCE, 2), minimum=SMALL_BASE_N)
    else:
        note += " " + _(
            "No group is compared with the rest: that needs at least {minimum} respondents in "
            "the group and in the rest."
        ).format(minimum=SMALL_BASE_N)
    return note


def group_label(profile, code: str, lang: str) -> str:
    """Return a group's label in ``lang``: the pooled row and "not answered" included."""
    if code == POOLED:
        return _("Other groups together")
    if code == NOT_ANSWERED:
        return _("Not answered")
    return profile.option_label(code, lang)


def pooled_note(profile, pooled, lang: str) -> str:
    """Return the sentence that names the groups a table shows together, and why."""
    return _(
        "Other groups together: {groups} (a group of fewer than {minimum} respondents is shown "
        "only together with others, with as many more as keep each one's size open)."
    ).format(groups=", ".join(group_label(profile, c, lang) for c in pooled), minimum=MIN_CELL)


def profile_html(table: pd.DataFrame, question, n_respondents: int) -> str:
    """Return a respondent-profile table: group sizes and % of respondents, small ones pooled."""
    body, lang = [], current()
    pooled = [str(r.option) for r in table.itertuples(index=False) if bool(r.is_pooled)]
    for r in table.itertuples(index=False):
        if bool(r.is_pooled):
            continue
        hidden = bool(r.is_suppressed)
        count = "s" if hidden else f"{int(r.count)}"
        pct = "s" if hidden else fmt_decimal(r.pct, 0)
        css = ' class="suppressed"' if hidden else ""
        label = group_label(question, str(r.option), lang)
        body.append(
            f'<tr><th scope="row">{escape(label)}</th><td{css}>{count}</td><td{css}>{pct}</td></tr>'
        )
    note = ngettext("Base: all {n} respondent.", "Base: all {n} respondents.", n_respondents)
    note = note.format(n=n_respondents)
    if any(bool(r.is_suppressed) and not bool(r.is_pooled) for r in table.itertuples()):
        note += " " + _(
            "s: not shown (a group of fewer than {minimum} respondents, or a figure that would "
            "reveal one)."
        ).format(minimum=MIN_CELL)
    if pooled:
        note += " " + pooled_note(question, pooled, lang)
    head = head_html(_("Group"), _("n"), "%")
    return (
        f'<table class="freq profile"><caption>{escape(question.title(current()))}</caption>'
        f'{head}<tbody>{"".join(body)}</tbody></table><p class="table-note">{escape(note)}</p>'
    )
