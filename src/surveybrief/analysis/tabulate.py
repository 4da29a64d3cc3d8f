"""Frequency tables with bases and Wilson intervals, one per question.

Every table has the columns of ``TABLE_COLUMNS``: option, label, count, base, pct, ci_low,
ci_high (percentages 0-100). Multi-select options are percentages of respondents (who answered
the question), so they may add up to more than 100. Options without data (named by the source
without a figure) keep a row with missing count and base: missing is not zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveybrief.analysis.stats import wilson_interval
from surveybrief.clean.cleaner import question_bases
from surveybrief.clean.skips import comment_counts
from surveybrief.config import NOT_REPORTED_CODE, SMALL_BASE_N
from surveybrief.inputs.codebook import Codebook, Question

TABLE_COLUMNS = ["option", "label", "count", "base", "pct", "ci_low", "ci_high"]


@dataclass(frozen=True)
class QuestionTable:
    """A question's table and its question-level base."""

    question: Question
    table: pd.DataFrame
    base: int

    @property
    def has_data(self) -> bool:
        """Return True if any respondent answered the question."""
        return self.base > 0

    @property
    def is_small_base(self) -> bool:
        """Return True if the question's base is under the small-base threshold."""
        return self.base < SMALL_BASE_N

    @property
    def quantified(self) -> pd.DataFrame:
        """Return the rows with data, excluding the not-reported remainder."""
        rows = self.table[self.table["count"].notna()]
        return rows[rows["option"] != NOT_REPORTED_CODE]

    @property
    def ranked(self) -> pd.DataFrame:
        """Return the quantified rows, most chosen first (a rating table stays in scale order)."""
        rows = self.quantified
        order = np.argsort(-rows["pct"].to_numpy(dtype=float), kind="stable")
        return rows.iloc[order]

    def relabelled(self, lang: str, remainder: str | None = None) -> QuestionTable:
        """Return the same table with its labels in ``lang`` (counts are language-free).

        ``remainder`` names the not-reported remainder in that language.
        """
        table = self.table.copy()
        table["label"] = [
            remainder
            if c == NOT_REPORTED_CODE and remainder
            else self.question.option_label(str(c), lang)
            for c in table["option"]
        ]
        return QuestionTable(self.question, table, self.base)

    @property
    def unquantified_labels(self) -> list[str]:
        """Return the labels of options without data (named by the source, no figure)."""
        return list(self.table.loc[self.table["count"].isna(), "label"])


def _finish(rows: list[dict]) -> pd.DataFrame:
    table = pd.DataFrame(rows, columns=["option", "label", "count", "base"])
    table["count"] = table["count"].astype("Int64")
    table["base"] = table["base"].astype("Int64")
    count = table["count"].astype("float").to_numpy()
    base = table["base"].astype("float").to_numpy()
    valid = ~np.isnan(count) & ~np.isnan(base) & (base > 0)
    pct = np.full(len(table), np.nan)
    low = np.full(len(table), np.nan)
    high = np.full(len(table), np.nan)
    if valid.any():
        pct[valid] = 100 * count[valid] / base[valid]
        lo, hi = wilson_interval(count[valid], base[valid])
        low[valid], high[valid] = 100 * lo, 100 * hi
    table["pct"], table["ci_low"], table["ci_high"] = pct, low, high
    return table[TABLE_COLUMNS]


def _sort(table: pd.DataFrame, *, by_share: bool) -> pd.DataFrame:
    """Largest share first; the not-reported remainder and options without data last."""
    order = pd.DataFrame(
        {
            "is_missing": table["count"].isna().to_numpy(),
            "is_remainder": (table["option"] == NOT_REPORTED_CODE).to_numpy(),
            "neg_pct": -table["pct"].fillna(0).to_numpy() if by_share else np.zeros(len(table)),
            "position": np.arange(len(table)),
        }
    )
    keys = ["is_missing", "is_remainder", "neg_pct", "position"]
    return table.iloc[order.sort_values(keys, kind="stable").index].reset_index(drop=True)


def tabulate_choice(responses: pd.DataFrame, question: Question, lang: str = "en") -> QuestionTable:
    """Tabulate a single-choice, profile or rating question (one code per respondent)."""
    values = responses[question.id].astype("string")
    answered = values.dropna()
    base = len(answered)
    counts = answered.value_counts()
    unreported = int(counts.get(NOT_REPORTED_CODE, 0))
    rows = [
        {
            "option": o.code,
            "label": o.label(lang),
            # an option the source does not report may hold any of the unreported answers:
            # unknown, not zero (its bounds are in analysis.bounds)
            "count": int(counts.get(o.code, 0))
            if base and (o.is_reported or not unreported)
            else pd.NA,
            "base": base if base else pd.NA,
        }
        for o in question.options
    ]
    if unreported:
        rows.append(
            {
                "option": NOT_REPORTED_CODE,
                "label": question.option_label(NOT_REPORTED_CODE),
                "count": unreported,
                "base": base,
            }
        )
    table = _finish(rows)
    return QuestionTable(question, _sort(table, by_share=not question.kind.ordered), base)


def tabulate_multi(responses: pd.DataFrame, question: Question, lang: str = "en") -> QuestionTable:
    """Tabulate a multi-select question as % of respondents who answered it.

    One base for every option: the respondents who answered the question (any option filled),
    as in the breakdowns. An option blank for all of them has no data (named by the source
    without a figure), not zero.
    """
    return per_option_table(responses, question, lang, lambda values: values == 1)


def per_option_table(
    responses: pd.DataFrame, question: Question, lang: str, counted
) -> QuestionTable:
    """Tabulate a question answered a column per option: ``counted(values)`` marks who counts."""
    block = responses[question.option_columns]
    answered = block.notna().any(axis=1)
    base = int(answered.sum())
    rows = []
    for option, column in zip(question.options, question.option_columns, strict=True):
        values = block.loc[answered, column]
        has_data = bool(base) and bool(values.notna().any())
        rows.append(
            {
                "option": option.code,
                "label": option.label(lang),
                "count": int(counted(values).fillna(False).sum()) if has_data else pd.NA,
                "base": base if has_data else pd.NA,
            }
        )
    return QuestionTable(question, _sort(_finish(rows), by_share=True), base)


def tabulate_question(
    responses: pd.DataFrame, question: Question, lang: str = "en"
) -> QuestionTable:
    """Tabulate any question with options; open-ended text gets a count of answers only."""
    if question.kind.several:
        return tabulate_multi(responses, question, lang)
    own = question.kind.tabulate(responses, question, lang)
    if own is not None:  # a type tabulating its own way (a ranking's top places)
        return own
    if question.kind.tabulated:  # one answer each: a choice, a profile, a scale point
        return tabulate_choice(responses, question, lang)
    answered = int(responses[question.id].notna().sum())
    empty = pd.DataFrame(columns=TABLE_COLUMNS)
    return QuestionTable(question, empty, answered)


def table_of(frame: pd.DataFrame, question: Question, base: int, lang: str = "en") -> QuestionTable:
    """Return a question's table as its chapter wrote it (its ``frame``), in that order.

    Labels come from the codebook, in ``lang``.
    """
    table = frame.copy()
    table["option"] = table["option"].astype(str)
    table["label"] = [question.option_label(code, lang) for code in table["option"]]
    for column in ("count", "base"):
        table[column] = table[column].astype("Int64")
    return QuestionTable(question, table[TABLE_COLUMNS], base)


def bases_table(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Return each question's base beside the wave's respondents; an open question's comments.

    Every "of N" the briefing states counts from this table: the respondents who answered a
    question (its base), the wave's respondents, and for an open question the answers that
    say something (not "N/A"), which its chapter codes. A profile question is left out: the
    wave's respondents minus its base is its "Not answered" group, which Who answered pools
    when it has 1-4 respondents.
    """
    bases, comments = question_bases(responses, codebook), comment_counts(responses, codebook)
    shown = [q for q in codebook.questions if not q.kind.profile]
    return pd.DataFrame(
        {
            "question_id": [q.id for q in shown],
            "type": [q.type for q in shown],
            "base": [bases[q.id] for q in shown],
            "comments": pd.array([comments.get(q.id) for q in shown], "Int64"),
            "respondents": len(responses),
        }
    )
