"""Ranking: each respondent ranks the top k of n options (1 the first); a column per option.

The whole type is here: the codebook's ``ranks`` and ``top``, reading the export, the rule a
ranking keeps, its tables, its sentences, table and chart words. A respondent's answer is the
rank given to each option (``1`` .. ``k``), ``0`` for an option left unranked, blank for a
respondent who did not answer.

Three export shapes, each read exactly (anything else is reported with its rows, never
guessed): a column per option holding the rank it was given (Qualtrics' Rank Order, blank
where a "rank k of n" left it unranked); a column per place holding the option ranked there
(KoboToolbox's Ranking group, ``group/level``); one cell listing the options in rank order
(the XLSForm ``rank`` widget of ODK and Enketo, Microsoft Forms). Places become ranks: the
option in the n-th place column, or n-th in a cell's list, has rank n; an option no place
names has rank 0 when the respondent ranked any; an option placed twice keeps both places
("1 and 2") for the check to set the row aside.

Tables: the share placing each option in the top t (Wilson); beside it each option's mean
rank (a t interval kept within 1..n) and share ranked first (Wilson), on the base of who
ranked any option. An option a respondent left unranked stands somewhere below the last place
they filled, m; it counts at the mean of the places left, (m + 1 + n) / 2, the usual
convention for partial rankings (someone who ranked all n leaves none).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from surveybrief.brief.i18n import _, current, fmt_decimal, ngettext
from surveybrief.config import ROW_COLUMN
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import MULTI_SEP, Question, multi_column
from surveybrief.inputs.question_kind import QuestionKind
from surveybrief.platforms.base import normalise

if TYPE_CHECKING:  # the tables' types; pandas and the layers' helpers load when first used
    import pandas as pd

    from surveybrief.analysis.tabulate import QuestionTable

RANK = re.compile(r"\d+")
#: The top places a ranking's shares count when its codebook entry says none.
DEFAULT_TOP = 3
#: Columns of ``tables/<question>_ranks.csv``.
RANK_COLUMNS = [
    "option", "mean_rank", "mean_low", "mean_high", "first_count", "base", "first_pct",
    "first_low", "first_high",
]  # fmt: skip


def rank_problem(ranks: list[int], positions: int) -> str | None:
    """Return why one respondent's ranks (one per option, 0 unranked) are not a ranking, or None.

    A ranking gives ranks 1 to m, each once, with 1 <= m <= ``positions`` (the ranks asked).
    """
    given = sorted(r for r in ranks if r)
    if not given:
        return "no option ranked (every rank is 0)"
    if any(r < 0 or r > positions for r in given):
        return f"ranks run from 1 to {positions}"
    if len(set(given)) < len(given):
        twice = sorted({r for r in given if given.count(r) > 1})
        return "rank " + ", ".join(map(str, twice)) + " given to more than one option"
    if given != list(range(1, len(given) + 1)):
        return "ranks skip a place: " + ", ".join(map(str, given)) + " (1 to m, each once)"
    return None


def places(entry: dict, n_options: int, *, file: Path, where: str) -> dict:
    """Return a ranking question's ``ranks`` (how many it asks) and ``top`` (places reported).

    ``ranks`` runs from 2 to the number of options (default: all); ``top`` from 2 to ``ranks``
    and below the number of options (everyone's top n is every option).
    """
    found = {key: entry[key] for key in ("ranks", "top") if entry.get(key) is not None}
    for key, value in found.items():  # one place is a single choice; its share: ranked first
        if not isinstance(value, int) or isinstance(value, bool) or value < 2:
            raise InputError(f"{where}: {key} is a whole number from 2", file=file, value=value)
    ranks = found.get("ranks", n_options)
    if ranks > n_options:
        raise InputError(
            f"{where}: ranks exceeds the options", file=file, value=ranks,
            expected=f"at most {n_options}",
        )  # fmt: skip
    top = found.get("top")
    if top is not None and (top > ranks or top >= n_options):
        raise InputError(
            f"{where}: top counts the first places ranked", file=file, value=top,
            expected=f"2 to {min(ranks, n_options - 1)}",
        )  # fmt: skip
    return found


def positions(question: Question) -> int:
    """Return how many ranks a respondent gives (the codebook's ``ranks``; default: all)."""
    return question.extra.get("ranks") or len(question.options)


def top_places(question: Question) -> int:
    """Return the top places whose share the table reports ("in the top t").

    The codebook's ``top``, or ``DEFAULT_TOP`` or fewer: at least 2, at most the ranks, and
    below the number of options.
    """
    if question.extra.get("top"):
        return question.extra["top"]
    return max(2, min(DEFAULT_TOP, positions(question), len(question.options) - 1))


# Reading the export.


def place_column(question_id: str, place: int) -> str:
    """Return the working column of a ranking's n-th place (dropped by ``assemble``)."""
    return f"{question_id}{MULTI_SEP}@{place}"


def rank_value(value: str, positions: int) -> str | None:
    """Return a rank cell as its rank ("0": not ranked), or None when it is no rank 0..k."""
    key = normalise(value)
    if RANK.fullmatch(key) and int(key) <= positions:
        return str(int(key))
    return None


def listed_codes(value: str, lookup: dict[str, str], seps: tuple[str, ...]) -> list | None:
    """Return the options one cell lists in rank order, or None when a piece names none.

    The first separator whose every piece names an option reads the cell.
    """
    whole = lookup.get(normalise(value))
    if whole is not None:
        return [whole]
    for separator in seps:
        pieces = [p for p in value.split(separator) if p.strip()]
        codes = [lookup.get(normalise(p)) for p in pieces]
        if pieces and None not in codes:
            return codes
    return None


def read_ranks(converter, header: str, target, values, distinct) -> None:
    """One column per option of a ranking: the rank it was given."""
    q = target.question
    mapping = {}
    for value in distinct.values:
        rank = rank_value(value, positions(q))
        if rank is None:
            converter.note_unmapped(header, values, value, f"not a rank from 1 to {positions(q)}")
        else:
            mapping[value] = rank
    converter.pending[multi_column(q.id, target.option)] = (distinct, mapping)


def read_places(converter, header: str, target, values, distinct) -> None:
    """One column per place of a ranking, or one cell listing the options in rank order.

    Each place's option goes to a working column that ``assemble`` turns into ranks.
    """
    from surveybrief.clean.convert import separators
    from surveybrief.clean.mapping import label_lookup

    q = target.question
    lookup = label_lookup(q, converter.wave)
    seps = separators(converter.wave, converter.platform) if target.place is None else ()
    listed = {}
    for value in distinct.values:
        codes = listed_codes(value, lookup, seps)
        if codes is None or (target.place is not None and len(codes) != 1):
            converter.note_unmapped(header, values, value, "names no option of the ranking")
        else:
            listed[value] = codes
    first = target.place or 1
    longest = max((len(c) for c in listed.values()), default=1)
    for n in range(longest):
        mapping = {v: c[n] for v, c in listed.items() if n < len(c)}
        converter.pending[place_column(q.id, first + n)] = (distinct, mapping)


def assemble(frame: pd.DataFrame, question: Question) -> None:
    """Turn a ranking's place columns (option codes) into a rank column per option, in place.

    A respondent with any place filled answered: an option in no place gets "0"; an option in
    several places gets them all ("1 and 3"), which the check refuses with the row.
    """
    import pandas as pd

    stem = f"{question.id}{MULTI_SEP}@"
    found = sorted(int(c.removeprefix(stem)) for c in frame.columns if c.startswith(stem))
    if not found:
        return
    held = {n: frame[place_column(question.id, n)] for n in found}
    answered = pd.concat(held.values(), axis=1).notna().any(axis=1)
    for code in question.codes:
        at = pd.concat({n: (v == code).fillna(False) for n, v in held.items()}, axis=1)
        ranks = at.apply(lambda row: " and ".join(str(n) for n in row.index[row]), axis=1)
        ranks = ranks.mask(ranks.eq("") & answered, "0").mask(~answered)
        frame[multi_column(question.id, code)] = ranks.astype("string")
    for n in found:
        del frame[place_column(question.id, n)]


def fill_unranked(frame: pd.DataFrame, q: Question) -> list[dict]:
    """Give a ranking a rank per option: from its places, or "0" where left unranked.

    A ranking read one column per option (Qualtrics) leaves the options a respondent did
    not rank blank; one who ranked any answered, so those are "0". One whose cells are all
    "0" ranked nothing: out of the question's base (their other answers kept), a decision
    said in the report.
    """
    import pandas as pd

    assemble(frame, q)
    block = frame[q.option_columns]
    answered = block.notna().any(axis=1)
    nothing = answered & block.fillna("0").eq("0").all(axis=1)
    decisions = []
    if nothing.any():
        frame.loc[nothing, q.option_columns] = pd.NA
        decisions.append(
            {
                "question_id": q.id,
                "column": "",
                "decision": f"{int(nothing.sum())} ranking(s) of only 0s read as not "
                "answering the question",
                "why": "0 means 'not ranked': ranking nothing is skipping the question; "
                "the respondents' other answers are kept",
            }
        )
    for column in q.option_columns:
        frame.loc[answered & ~nothing & frame[column].isna(), column] = "0"
    return decisions


def ranking_problems(frame: pd.DataFrame, q: Question) -> list[dict]:
    """Return the rows whose ranks are no ranking (a rank twice, a place skipped, none given).

    Cells that are not ranks at all (an option placed twice: "1 and 2") are reported here
    too, with the places; other non-ranks by the schema.
    """
    import pandas as pd

    problems = []
    block = frame[q.option_columns]
    for i in block.index[block.notna().any(axis=1).to_numpy(dtype=bool)]:
        cells = [str(v) for v in block.loc[i] if not pd.isna(v)]
        placed = [c for c in cells if " and " in c]
        ranks = [int(c) for c in cells if c.isdigit()]
        if len(ranks) < len(cells) and not placed:
            continue  # another non-rank: the schema reports it
        reason = (
            f"one option placed at ranks {placed[0]}"
            if placed
            else rank_problem(ranks, positions(q))
        )
        if reason:
            problems.append(
                {
                    "row": int(frame.at[i, ROW_COLUMN]),
                    "respondent_id": frame.at[i, "respondent_id"],
                    "column": q.id,
                    "value": ", ".join(
                        f"{c.rpartition(MULTI_SEP)[2]}={v}"
                        for c, v in block.loc[i].items()
                        if not pd.isna(v) and v != "0"
                    ),
                    "reason": f"not a ranking: {reason}",
                }
            )
    return problems


# Tables.


@dataclass(frozen=True)
class RankSummary:
    """Each option's mean rank and share ranked first, of one ranking question."""

    question: Question
    base: int
    #: One row per option, in codebook order (``RANK_COLUMNS``).
    rows: pd.DataFrame
    #: The most places a respondent filled while leaving some option unranked (None: everyone
    #: ranked every option), for the narrative's example of the convention.
    filled: int | None = None

    @property
    def unranked_at(self) -> float | None:
        """Return where an unranked option counts for one who filled ``filled`` places."""
        if self.filled is None:
            return None
        return (self.filled + 1 + len(self.question.options)) / 2

    def frame(self) -> pd.DataFrame:
        """Return the summary as a table, lowest mean rank (the most preferred) first."""
        import numpy as np

        order = np.argsort(self.rows["mean_rank"].to_numpy(dtype=float), kind="stable")
        return self.rows.iloc[order].reset_index(drop=True)


def tabulate_ranking(
    responses: pd.DataFrame, question: Question, lang: str = "en"
) -> QuestionTable:
    """Tabulate a ranking as the share of respondents placing each option in their top t.

    The base is who ranked any option; ``top_places`` is t. Each respondent places t
    options there (fewer if they ranked fewer), so the shares add up to about t times 100.
    """
    from surveybrief.analysis.tabulate import per_option_table

    top = top_places(question)
    return per_option_table(responses, question, lang, lambda ranks: ranks.between(1, top))


def summarise_ranking(responses: pd.DataFrame, question: Question) -> RankSummary | None:
    """Return the mean ranks and first places of a ranking question, or None if none answered."""
    import numpy as np
    import pandas as pd

    from surveybrief.analysis.scales import mean_interval
    from surveybrief.analysis.stats import wilson_interval

    block = responses[question.option_columns].astype("Float64")
    block = block[block.notna().any(axis=1)]
    base = len(block)
    if not base:
        return None
    n = len(question.options)
    filled = (block.fillna(0) > 0).sum(axis=1).to_numpy(dtype=float)
    unranked = (filled + 1 + n) / 2  # each respondent's mean of the places they left
    rows = []
    for option, column in zip(question.options, question.option_columns, strict=True):
        ranks = block[column].fillna(0).to_numpy(dtype=float)
        at = np.where(ranks > 0, ranks, unranked)
        first = int((ranks == 1).sum())
        low, high = wilson_interval(first, base)
        mean_low, mean_high = (float(np.clip(v, 1, n)) for v in mean_interval(at))
        rows.append(
            (option.code, float(at.mean()), mean_low, mean_high, first, base,
             100 * first / base, 100 * low, 100 * high)
        )  # fmt: skip
    frame = pd.DataFrame(rows, columns=RANK_COLUMNS)
    frame["first_count"] = frame["first_count"].astype("Int64")
    frame["base"] = frame["base"].astype("Int64")
    partial = filled[filled < n]
    return RankSummary(question, base, frame, int(partial.max()) if len(partial) else None)


# Words, in the current language.


def describe_ranking(summary: RankSummary) -> list[str]:
    """Return the sentences on a ranking's best mean rank and the option ranked first most.

    Options that tie are named together, never one of them as ahead. Where a respondent left
    options unranked, the place they count at is said.
    """
    from surveybrief.brief.narrative import fmt_number, share_phrase

    rows, q = summary.frame(), summary.question
    best = rows[rows["mean_rank"].round(9) == round(rows["mean_rank"].min(), 9)]
    mean = fmt_decimal(best["mean_rank"].iloc[0], 1)
    if summary.base >= 2:
        mean = _("{mean} (95% CI {low}–{high})").format(
            mean=mean,
            low=fmt_decimal(best["mean_low"].iloc[0], 1),
            high=fmt_decimal(best["mean_high"].iloc[0], 1),
        )
    most = rows[rows["first_count"] == rows["first_count"].max()]
    first = most.iloc[0]
    first_row = {
        "pct": first["first_pct"], "count": first["first_count"], "base": first["base"],
        "ci_low": first["first_low"], "ci_high": first["first_high"],
    }  # fmt: skip
    sentences = [
        _best_mean(_labels(q, best["option"]), mean, len(best)),
        _ranked_first(_labels(q, most["option"]), share_phrase(first_row), len(most)),
    ]
    if summary.unranked_at is not None:
        sentences.append(
            _(
                "An option a respondent left unranked counts at the mean of the places below the "
                "last one they filled: with {ranks} of the {n} options ranked, at place {place}."
            ).format(ranks=summary.filled, n=len(q.options), place=fmt_number(summary.unranked_at))
        )
    return sentences


def _labels(question: Question, codes) -> str:
    """Return options' labels, quoted and joined by commas (tied options)."""
    return ", ".join(
        _("“{label}”").format(label=question.option_label(str(c), current())) for c in codes
    )


def _best_mean(labels: str, mean: str, tied: int) -> str:
    if tied > 1:
        return _("{labels} share the best mean rank, {mean}, where 1 is the first place.").format(
            labels=labels, mean=mean
        )
    return _("{labels} has the best mean rank, {mean}, where 1 is the first place.").format(
        labels=labels, mean=mean
    )


def _ranked_first(labels: str, share: str, tied: int) -> str:
    if tied > 1:
        return _("Ranked first equally often: {labels}, each by {share}.").format(
            labels=labels, share=share
        )
    return _("Ranked first most often: {labels}, by {share}.").format(labels=labels, share=share)


def ranking_html(summary: RankSummary, caption: str) -> str:
    """Return each option's mean rank and share ranked first, with their 95% intervals."""
    from surveybrief.brief.present import head_html, mean_interval_html

    q = summary.question
    body = "".join(
        f'<tr><th scope="row">{escape(q.option_label(str(r.option), current()))}</th>'
        f"<td>{escape(fmt_decimal(r.mean_rank, 2))}</td>"
        f"<td>{mean_interval_html(r.mean_low, r.mean_high)}</td>"
        f"<td>{r.first_count}</td><td>{escape(fmt_decimal(r.first_pct, 1))}</td>"
        f"<td>{r.first_low:.0f}–{r.first_high:.0f}</td></tr>"
        for r in summary.frame().itertuples()
    )
    head = head_html(_("Option"), _("Mean rank"), _("95% CI"), _("Ranked first"), "%", _("95% CI"))
    note = ngettext(
        "Base: {n} respondent who ranked. Rank 1 is the first place; mean rank: t interval; "
        "ranked first: Wilson interval.",
        "Base: {n} respondents who ranked. Rank 1 is the first place; mean rank: t interval; "
        "ranked first: Wilson interval.",
        summary.base,
    ).format(n=summary.base)
    return (
        f'<table class="freq ranks"><caption>{escape(caption)}</caption>{head}<tbody>{body}'
        f'</tbody></table><p class="table-note">{escape(note)}</p>'
    )


class Ranking(QuestionKind):
    """The ranking type: its rule on options, codebook keys, reading, checks and words."""

    def problem(self, codes: list[str], none_marked: bool) -> tuple[str, object] | None:
        """Refuse fewer than three options (two make a single choice) besides the common."""
        if codes and len(codes) < 3:
            return f"a {self.name} question ranks three options or more", codes
        return super().problem(codes, none_marked)

    def places(self, question) -> int:
        """Return the ranks a respondent gives (``positions``)."""
        return positions(question)

    def codebook_fields(self, entry: dict, n_options: int, *, file: Path, where: str) -> dict:
        """Return ``ranks`` and ``top`` as the entry gives them (checked: ``places``)."""
        return places(entry, n_options, file=file, where=where)

    def convert_column(self, converter, header: str, target, values, distinct) -> bool:
        """Read a rank per option column, or options by place (``read_places``)."""
        if target.option is not None:
            read_ranks(converter, header, target, values, distinct)
        else:
            read_places(converter, header, target, values, distinct)
        return True

    def finish_conversion(self, frame, question) -> list[dict]:
        """Turn places into ranks and fill the unranked options' "0" (``fill_unranked``)."""
        return fill_unranked(frame, question)

    def allowed_cells(self, question) -> dict[str, list[str]]:
        """Return ranks 0 to ``positions`` for every option column."""
        ranks = [str(r) for r in range(positions(question) + 1)]
        return {column: ranks for column in question.option_columns}

    def row_problems(self, frame, question) -> list[dict]:
        """Return the rows whose ranks are no ranking (``ranking_problems``)."""
        return ranking_problems(frame, question)

    def reports_itself(self, question, column: str, value: str) -> bool:
        """Whether the cell is an option placed twice, said by ``ranking_problems``."""
        return column in question.option_columns and " and " in (value or "")

    def tabulate(self, responses, question, lang: str) -> QuestionTable:
        """Return the shares placing each option in the top t (``tabulate_ranking``)."""
        return tabulate_ranking(responses, question, lang)

    def summarise(self, responses, question) -> RankSummary | None:
        """Return each option's mean rank and share ranked first (``summarise_ranking``)."""
        return summarise_ranking(responses, question)

    def headline_sentence(self, question, values: dict, base: int) -> str:
        """Return the sentence on the option most often placed in the top t."""
        return ngettext(
            "Asked to rank the options, {n} expert placed “{label}” in the top {top} most "
            "often: {share}, {strength} of respondents.",
            "Asked to rank the options, {n} experts placed “{label}” in the top {top} most "
            "often: {share}, {strength} of respondents.",
            base,
        ).format(top=top_places(question), **values)

    def describe(self, summary) -> list[str]:
        """Return the sentences on the best mean rank and the first places."""
        return describe_ranking(summary)

    def summary_caption(self, label: str, title: str) -> str:
        """Return the caption of the mean ranks' table (numbered ``label``a in documents)."""
        if not label:
            return _("{title}: mean rank and share ranked first").format(title=title)
        return _("Table {label}a. {title}: mean rank and share ranked first").format(
            label=label, title=title
        )

    def summary_html(self, summary, caption: str) -> str:
        """Return the mean ranks and first places as a table."""
        return ranking_html(summary, caption)

    def table_note(self, question) -> str:
        """Return what a ranking table's n counts."""
        return _(
            "n: respondents who placed the option in their top {top}; totals exceed 100."
        ).format(top=top_places(question))

    def axis_label(self, question) -> str:
        """Return a bar's length: the share placing it in the top t."""
        return _("% placing it in their top {top}").format(top=top_places(question))

    def alt_text(self, question, values: dict) -> str:
        """Return the chart's alternative text, naming the top t its bars count."""
        return _(
            "Bar chart of {title} (base {base}), % placing each option in their top {top}: "
            "{values}. Error bars show 95% Wilson intervals."
        ).format(top=top_places(question), **values)


KIND = Ranking(
    "ranking", ranked=True, trended=False, order=6, keys=frozenset({"ranks", "top"}),
    summary_suffix="ranks",
    not_crossed="a ranking is not cross-tabulated: the disclosure check does not yet model "
    "that each respondent fills the top places, which a reader could use against a group",
)  # fmt: skip
