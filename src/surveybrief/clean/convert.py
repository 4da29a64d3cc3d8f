"""Convert the export's cells to codebook codes: one column per question, 0/1 per option.

Each column's distinct answers are found once and interpreted once, and the results mapped back
onto the rows, so the cost grows with the number of distinct answers, not of respondents.
Answer texts that no option maps to are collected and reported together, with their rows.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveybrief.clean.mapping import (
    MAX_LISTED,
    Target,
    label_lookup,
    normalise,
    split_labels,
)
from surveybrief.clean.readers import RawTable
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question, multi_column, other_text_column
from surveybrief.inputs.wave import Wave

TRUE_WORDS = {"1", "true", "yes", "selected", "checked", "x"}
FALSE_WORDS = {"0", "false", "no", "not selected", "unchecked"}
OTHER_PREFIX = re.compile(r"^\s*other\s*(\(please specify\))?\s*[:\-–]\s*", re.IGNORECASE)


@dataclass
class _Unmapped:
    """Answer texts no option maps to, by question and header, with the rows they are on."""

    found: dict[tuple[str, str], list[int]] = field(default_factory=dict)

    def add(self, header: str, value: str, row: int) -> None:
        self.found.setdefault((header, value), []).append(row)

    def raise_if_any(self, wave: Wave) -> None:
        if not self.found:
            return
        listed = [
            f"{header!r}: {value!r} (row{'s' if len(rows) > 1 else ''} "
            f"{', '.join(map(str, rows[:5]))}{', ...' if len(rows) > 5 else ''})"
            for (header, value), rows in list(self.found.items())[:MAX_LISTED]
        ]
        more = len(self.found) - len(listed)
        raise InputError(
            f"{len(self.found)} answer label(s) map to no codebook option: "
            + "; ".join(listed)
            + (f"; and {more} more" if more > 0 else ""),
            file=wave.export_path,
            expected="option labels or codes of the codebook, or entries under mapping.labels "
            "in wave.yaml",
        )


def _is_other_text(piece: str) -> bool:
    return bool(OTHER_PREFIX.match(piece))


def _option_value(value: str, code: str, lookup: dict[str, str]) -> str:
    """Return '1' or '0' for a cell of a one-column-per-option export, else the raw text.

    Platforms write the choice's text (Qualtrics), its label or code (Kobo), or a tick: any
    non-blank text means "selected", unless it names another option of the question or is a
    number other than 0/1 (then validate sets it aside).
    """
    key = normalise(value)
    if key in FALSE_WORDS:
        return "0"
    if key in TRUE_WORDS or lookup.get(key) == code:
        return "1"
    if re.fullmatch(r"-?\d+(\.\d+)?", key) or lookup.get(key) not in (None, NOT_REPORTED_CODE):
        return value
    return "1"


class _Distinct:
    """A column's distinct answers, found once; results are mapped per distinct answer.

    The cost grows with the number of distinct answers, not of respondents.
    """

    def __init__(self, values: pd.Series):
        self.codes, uniques = pd.factorize(values)  # NA -> -1
        self.values = [str(u) for u in uniques]

    def map(self, mapping: dict[str, str]) -> pd.Series:
        """Return each cell's ``mapping`` value as text (NA where a cell or a value is missing)."""
        table = pd.array([mapping.get(v) for v in self.values] + [None], dtype="string")
        return pd.Series(table.take(self.codes))  # -1 takes the last entry: NA


class _Converter:
    """Collects, per output column, the mapping of each distinct answer text to its code."""

    def __init__(self, raw: RawTable, wave: Wave, codebook: Codebook) -> None:
        self.wave, self.rows = wave, np.asarray(raw.rows)
        missing = pd.Series(pd.array([pd.NA] * len(raw.frame), dtype="string"))
        self.out: dict[str, pd.Series] = {c: missing for c in codebook.columns}
        self.pending: dict[str, tuple[_Distinct, dict]] = {}  # column -> (answers, mapping)
        self.unmapped = _Unmapped()
        self.option_shaped: set[str] = set()

    def note_unmapped(self, header: str, values: pd.Series, value: str, shown: str) -> None:
        for row in self.rows[(values == value).fillna(False).to_numpy()]:
            self.unmapped.add(header, shown, int(row))

    def option_column(self, q: Question, option: str, distinct: _Distinct, lookup: dict) -> None:
        """One column per option (0/1, yes/no, the label or blank)."""
        self.option_shaped.add(q.id)
        mapping = {v: _option_value(v, option, lookup) for v in distinct.values}
        self.pending[multi_column(q.id, option)] = (distinct, mapping)

    def multi_cell(self, header: str, q: Question, values, distinct, lookup: dict) -> None:
        """Several labels in one cell (Google Forms), "Other" answers as free text among them.

        A cell of option codes separated by spaces (Kobo's select_multiple) is read as such.
        """
        chosen_of, other_of = {}, {}
        for value in distinct.values:
            chosen, texts = set(), []
            codes = value.split()
            if codes and all(c in q.codes for c in codes):  # Kobo: "water_energy no_trust"
                chosen_of[value] = set(codes)
                continue
            for piece in split_labels(value, lookup, self.wave.export.multi_separator):
                code = lookup.get(normalise(piece))
                if code is None and q.other_option is not None:
                    code = q.other_option.code
                    texts.append(OTHER_PREFIX.sub("", piece))
                if code is None:
                    self.note_unmapped(header, values, value, piece)
                    continue
                chosen.add(code)
            chosen_of[value] = chosen
            if texts:
                other_of[value] = "; ".join(texts)
        for code in q.codes:
            flags = {v: "1" if code in c else "0" for v, c in chosen_of.items()}
            self.pending[multi_column(q.id, code)] = (distinct, flags)
        if q.other_option is not None:
            self.pending[other_text_column(q.id)] = (distinct, other_of)

    def choice(self, header: str, q: Question, values, distinct, lookup: dict) -> None:
        """One code per cell (single choice, profile, rating); "Other: ..." keeps its text."""
        codes, others = {}, {}
        for value in distinct.values:
            code = lookup.get(normalise(value))
            if code is None and q.other_option is not None and _is_other_text(value):
                code = q.other_option.code
                others[value] = OTHER_PREFIX.sub("", value)
            if code is not None:
                codes[value] = code
            elif q.type == "rating" and re.fullmatch(r"-?\d+(\.\d+)?", value.strip()):
                codes[value] = value.strip()  # a number off the scale: validate sets it aside
            else:
                self.note_unmapped(header, values, value, value)
        self.pending[q.id] = (distinct, codes)
        if others:
            self.pending[other_text_column(q.id)] = (distinct, others)

    def frame(self) -> pd.DataFrame:
        """Return the mapped columns (each mapped in a thread: Arrow frees the GIL)."""
        self.unmapped.raise_if_any(self.wave)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            mapped = pool.map(lambda job: job[0].map(job[1]), self.pending.values())
            self.out.update(zip(self.pending, mapped, strict=True))
        return pd.DataFrame(self.out)


def _fill_not_selected(
    frame: pd.DataFrame, codebook: Codebook, question_ids: set[str], always: bool | None
) -> None:
    """Option columns where blank means "not ticked": 0 wherever the respondent ticked any.

    ``always`` None decides per question: blanks mean "not ticked" where the columns hold no
    explicit "0" (the platform writes the choice when ticked and nothing otherwise).
    """
    for qid in question_ids:
        q = codebook.question(qid)
        if always is None and (frame[q.option_columns] == "0").any().any():
            continue  # the export says "not selected" itself: a blank stays unknown
        if always is False:
            continue
        answered = frame[q.option_columns].notna().any(axis=1)
        for column in q.option_columns:
            frame.loc[answered & frame[column].isna(), column] = "0"


def convert(
    raw: RawTable, plan: dict[str, Target | None], wave: Wave, codebook: Codebook
) -> pd.DataFrame:
    """Return the common-format frame (codes as text) from the raw cells.

    Each distinct answer text is interpreted once and the result mapped onto the column, so the
    cost grows with the number of distinct answers, not of respondents.
    """
    columns = {h: raw.frame[h].reset_index(drop=True) for h, t in plan.items() if t is not None}
    coded = [  # every column but open text: its distinct answers, found in parallel
        h
        for h, t in plan.items()
        if t is not None and not t.other_text and (t.question.type != "text" or t.option)
    ]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # Arrow frees the GIL
        distincts = dict(zip(coded, pool.map(lambda h: _Distinct(columns[h]), coded), strict=True))
    converter = _Converter(raw, wave, codebook)
    for header, target in plan.items():
        if target is None:
            continue
        q, values, distinct = target.question, columns[header], distincts.get(header)
        lookup = label_lookup(q, wave)
        if target.other_text:  # "Other, please specify" text in its own column: verbatim
            converter.out[other_text_column(q.id)] = values
        elif target.option is not None:
            converter.option_column(q, target.option, distinct, lookup)
        elif q.type == "text":
            converter.out[q.id] = values  # verbatim: open answers are never altered here
        elif q.type == "multi":
            converter.multi_cell(header, q, values, distinct, lookup)
        else:
            converter.choice(header, q, values, distinct, lookup)
    frame = converter.frame()
    _fill_not_selected(
        frame, codebook, converter.option_shaped, wave.export.blank_means_not_selected
    )
    return frame
