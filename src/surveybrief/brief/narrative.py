"""Narrative sentences computed from the tables: change the data and the text changes.

Rules against over-claiming on small expert panels: "a majority" only when the whole 95%
interval lies above 50%; one answer is "clearly ahead" of another only when their intervals do
not overlap; bases under the small-base threshold are called out as indicative. Each sentence
is one translatable message with placeholders (``brief.i18n``), in the current language.
"""

from __future__ import annotations

from surveybrief.analysis.scales import ScaleSummary
from surveybrief.analysis.tabulate import QuestionTable
from surveybrief.brief.i18n import N_, _, current, fmt_decimal, fmt_pct, ngettext
from surveybrief.config import NOT_REPORTED_CODE, SMALL_BASE_N
from surveybrief.inputs.questionnaire import THEME_SUFFIX

#: The label of the answers a source does not report (a table's remainder row).
REMAINDER = N_("Other answers (not reported in the source)")


def fmt_points(value: float) -> str:
    """Return a change in percentage points with its sign, e.g. '+21', '-4', '0'."""
    rounded = round(value)
    return "0" if rounded == 0 else f"{rounded:+d}".replace("-", "−" if current() != "en" else "-")


def fmt_share(low: float, high: float) -> str:
    """Return a share for prose, or its range where the source left part of it unknown."""
    if round(low) == round(high):
        return fmt_pct(low)
    return _("between {low} and {high}").format(low=fmt_pct(low), high=fmt_pct(high))


def fmt_p(value: float) -> str:
    """Return a p-value for prose: 'p = 0.041' or 'p < 0.001'."""
    if value < 0.001:
        return _("p < {value}").format(value=fmt_decimal(0.001, 3))
    return _("p = {value}").format(value=fmt_decimal(value, 3))


def fmt_ci(low: float, high: float) -> str:
    """Return a 95% interval for prose."""
    return _("95% CI {low}–{high}").format(low=f"{low:.0f}", high=fmt_pct(high))


def share_phrase(row) -> str:
    """Return e.g. '56% (28 of 50; 95% CI 42–69%)'."""
    return _("{pct} ({count} of {base}; {ci})").format(
        pct=fmt_pct(row["pct"]),
        count=int(row["count"]),
        base=int(row["base"]),
        ci=fmt_ci(row["ci_low"], row["ci_high"]),
    )


def _ends(row, envelope: dict | None) -> tuple[float, float]:
    """Return a row's interval, or its ends over every base a reconstruction allows."""
    if envelope and row.get("option") in envelope:
        return envelope[row["option"]]
    return row["ci_low"], row["ci_high"]


def strength(row, envelope: dict | None = None) -> str:
    """Return how to speak of a share given its interval: never more than the data bear.

    ``envelope`` (``uncertain_base.interval_envelope``): where a reconstructed question's
    figures fit several bases, the words must hold at each of them.
    """
    low, high = _ends(row, envelope)
    if low > 50:
        return _("a clear majority")
    if row["pct"] > 50:
        return _("more than half, though the interval does not rule out a minority")
    if high < 50:
        return _("a minority")
    if row["pct"] >= 45:
        return _("about half")
    return _("under half, though the interval reaches 50%")


def open_title(target) -> str:
    """Return the title of an open question's chapter: its own, or its "Other" answers."""
    title = target.question.title(current())
    return _("{title}: “Other” answers").format(title=title) if target.is_other else title


def question_title(codebook, question) -> str:
    """Return a question's title in the current language; the themes of open answers say so."""
    if question.id.endswith(THEME_SUFFIX):
        target = codebook.open_target(question.id.removesuffix(THEME_SUFFIX))
        return _("{title}: themes").format(title=open_title(target))
    return question.title(current())


def n_questions(n: int) -> str:
    """Return e.g. '1 question', '3 questions' (the language's plural forms)."""
    return ngettext("{n} question", "{n} questions", n).format(n=n)


def n_options(n: int) -> str:
    """Return e.g. '1 option', '5 options'."""
    return ngettext("{n} option", "{n} options", n).format(n=n)


def n_respondents(n: int) -> str:
    """Return e.g. '1 respondent', '21 respondents'."""
    return ngettext("{n} respondent", "{n} respondents", n).format(n=n)


def _lead(top, second, envelope: dict | None = None) -> str:
    if second is None:
        return ""
    values = {"label": second["label"], "pct": fmt_pct(second["pct"])}
    if round(float(top["pct"]), 9) == round(float(second["pct"]), 9):  # a tie: neither ahead
        return " " + _("“{label}” has the same share ({pct}).").format(**values)
    if _ends(top, envelope)[0] > _ends(second, envelope)[1]:
        return " " + _("It comes clearly ahead of “{label}” ({pct}).").format(**values)
    return " " + _(
        "It comes ahead of “{label}” ({pct}), a gap within the uncertainty of a panel this size."
    ).format(**values)


def _no_data(result: QuestionTable, from_source: bool = False) -> list[str]:
    """Say that a question has no answers, in words that fit the wave.

    ``from_source``: the wave was rebuilt from a published source, which gave no figures (the
    codebook's note says what it did give); otherwise nobody in the wave answered it.
    """
    q = result.question
    if q.kind.open_text:
        return [_("No open-ended answers are available for this wave.")]
    if not from_source:
        return [
            _("Nobody answered this question in this wave: it was not asked, or all skipped it.")
        ]
    note = q.note(current()) or _("The source gives no figures for this question.")
    return [_("No respondent-level answers are available. {note}").format(note=note)]


def _headline(result: QuestionTable, top, second, envelope: dict | None) -> list[str]:
    values = {"n": result.base, "label": top["label"], "share": share_phrase(top)}
    values["strength"] = strength(top, envelope)
    own = result.question.kind.headline_sentence(result.question, values, result.base)
    if own is not None:  # a type's own sentence (a ranking's top places)
        return [own + _lead(top, second, envelope)]
    if result.question.kind.several:
        sentence = ngettext(
            "Asked this question, {n} expert could choose several answers. “{label}” was "
            "chosen most often: {share}, {strength} of respondents.",
            "Asked this question, {n} experts could choose several answers. “{label}” was "
            "chosen most often: {share}, {strength} of respondents.",
            result.base,
        )
    else:
        sentence = ngettext(
            "Of the {n} expert who answered, {share} chose “{label}”: {strength}.",
            "Of the {n} experts who answered, {share} chose “{label}”: {strength}.",
            result.base,
        )
    return [sentence.format(**values) + _lead(top, second, envelope)]


def _remainder(result: QuestionTable) -> list[str]:
    """Say what the source does not report, and the bounds of options it names only."""
    sentences = []
    remainder = result.table[result.table["option"] == NOT_REPORTED_CODE]
    if not remainder.empty:
        r = remainder.iloc[0]
        sentences.append(
            ngettext(
                "The source does not report what the other {n} respondent ({pct}) answered.",
                "The source does not report what the other {n} respondents ({pct}) answered.",
                int(r["count"]),
            ).format(n=int(r["count"]), pct=fmt_pct(r["pct"]))
        )
    missing = result.unquantified_labels
    if missing:
        names = ", ".join(_("“{label}”").format(label=m) for m in missing)
        if remainder.empty:
            text = _("The source also names {names} without figures; they are not quantified here.")
        else:
            text = _(
                "The source also names {names} without figures; they are not quantified here "
                "(each between 0% and {pct}: any of the unreported answers may be theirs)."
            )
        pct = fmt_pct(remainder.iloc[0]["pct"]) if not remainder.empty else ""
        sentences.append(text.format(names=names, pct=pct))
    return sentences


def describe(
    result: QuestionTable, envelope: dict | None = None, from_source: bool = False
) -> list[str]:
    """Return the narrative paragraph of one question, as a list of plain-text sentences.

    ``envelope``: each option's interval ends over every base a reconstructed question's
    published figures allow (``uncertain_base.interval_envelope``); the words follow them.
    ``from_source``: the wave was rebuilt from a published source (said where it gave nothing).
    """
    q = result.question
    if not result.has_data:
        return _no_data(result, from_source)
    if q.kind.open_text:
        return [
            ngettext(
                "{n} respondent left a comment.", "{n} respondents left a comment.", result.base
            ).format(n=result.base)
        ]
    rows = result.ranked  # most chosen first, whatever the order the table keeps
    sentences = _headline(result, rows.iloc[0], rows.iloc[1] if len(rows) > 1 else None, envelope)
    others = rows.iloc[1:]
    if q.kind.per_option and len(others) > 1:
        listed = "; ".join(
            _("“{label}” {pct}").format(label=r["label"], pct=fmt_pct(r["pct"]))
            for _i, r in others.iterrows()
        )
        sentences.append(_("Other answers, in order: {listed}.").format(listed=listed))
    sentences += _remainder(result)
    if result.base < SMALL_BASE_N:
        sentences.append(
            _(
                "The base is small (n = {n}, under {minimum}): read these shares as indicative."
            ).format(n=result.base, minimum=SMALL_BASE_N)
        )
    return sentences


def key_finding(result: QuestionTable, flags: list[str] = ()) -> str | None:
    """Return a one-sentence key finding for the cover, or None without data.

    ``flags``: what the result's chapter flags it with (small base, reconstructed, ...), said
    again here so a number quoted away from its chapter keeps its caveats.
    """
    if not result.has_data or result.quantified.empty:
        return None
    sentence = _finding(result)
    if flags:
        sentence += " " + _("Read with care: {flags}.").format(flags="; ".join(flags))
    return sentence


def _finding(result: QuestionTable) -> str:
    """Return the cover sentence of a result: its most chosen answer with count, base and CI."""
    top = result.ranked.iloc[0]
    values = {
        "title": result.question.title(current()),
        "pct": fmt_pct(top["pct"]),
        "count": int(top["count"]),
        "base": int(top["base"]),
        "ci": fmt_ci(top["ci_low"], top["ci_high"]),
        "label": top["label"],
    }
    if result.question.kind.several:
        return _("{title}: {pct} of experts ({count} of {base}; {ci}) selected “{label}”.").format(
            **values
        )
    return _("{title}: {pct} of experts ({count} of {base}; {ci}) chose “{label}”.").format(
        **values
    )


def fmt_number(value: float) -> str:
    """Return a scale value for prose: one decimal, without a trailing '.0' for whole points."""
    return fmt_decimal(value, 0 if float(value).is_integer() else 1)


def fmt_scale(value: float, signed: bool = False) -> str:
    """Return a point on or a change of a rating scale: "4", "2.75", "+0.5", "−1.25"."""
    value = round(float(value), 2)
    if value == 0:
        return "0"
    digits = 0 if value.is_integer() else 1 if round(value, 1) == value else 2
    minus = "-" if current() == "en" else "−"
    sign = minus if value < 0 else "+" if signed else ""
    return sign + fmt_decimal(abs(value), digits)


#: The name of the top-two-box share in an envelope (``uncertain_base.interval_envelope``).
TOP_TWO = "top_two"


def describe_scale(summary: ScaleSummary, envelope: dict | None = None) -> list[str]:
    """Return the sentences on a rating scale's mean, median and top-two-box share.

    ``envelope``: where a reconstructed question's figures fit several bases, the top-two share's
    interval ends over all of them (``TOP_TWO``); its words hold at each.
    """
    q = summary.question
    points = sorted(q.codes, key=int)
    low, high = summary.mean_ci
    mean = fmt_decimal(summary.mean, 1)
    if summary.base >= 2:
        mean = _("{mean} (95% CI {low}–{high})").format(
            mean=mean, low=fmt_decimal(low, 1), high=fmt_decimal(high, 1)
        )
    median_low, median_high = summary.median_ci
    labels = _(" or ").join(
        _("“{label}”").format(label=q.option_label(c, current()))
        for c in reversed(summary.top2_codes)
    )
    top2 = {"option": TOP_TWO, "pct": summary.top2_pct, "count": summary.top2_count}
    top2["base"] = summary.base
    top2["ci_low"], top2["ci_high"] = (100 * v for v in summary.top2_ci)
    return [
        _(
            "On the {first}–{last} scale, the mean answer is {mean} and the median {median} "
            "(95% CI {median_low}–{median_high})."
        ).format(
            first=points[0],
            last=points[-1],
            mean=mean,
            median=fmt_number(summary.median),
            median_low=fmt_number(median_low),
            median_high=fmt_number(median_high),
        ),
        _("{share} chose one of the two highest points, {labels}: {strength}.").format(
            share=share_phrase(top2), labels=labels, strength=strength(top2, envelope)
        ),
    ]


def open_answers_sentence(
    question, base: int, n_respondents: int, comments: int | None = None
) -> str:
    """Return how many respondents wrote an open answer (its chapter codes and quotes them).

    Where some answers say nothing ("N/A", "нет"), the comments the chapter counts are named
    too, so that its number and this one agree.
    """
    title = question.title(current())
    if not base:
        return _("{title}: no open-ended answers are available for this wave.").format(title=title)
    if comments is not None and comments < base:
        return ngettext(
            "{title}: {n} respondent of {total} wrote an answer; {comments} of the answers are "
            "comments, the others say nothing (such as “N/A”) (see the chapter “Open answers”).",
            "{title}: {n} respondents of {total} wrote an answer; {comments} of the answers are "
            "comments, the others say nothing (such as “N/A”) (see the chapter “Open answers”).",
            base,
        ).format(title=title, n=base, total=n_respondents, comments=comments)
    return ngettext(
        "{title}: {n} respondent of {total} wrote an answer (see the chapter “Open answers”).",
        "{title}: {n} respondents of {total} wrote an answer (see the chapter “Open answers”).",
        base,
    ).format(title=title, n=base, total=n_respondents)
