"""Convert the export's cells to codebook codes: one column per question, 0/1 per option.

Each column's distinct answers are found once and interpreted once, and the results mapped back
onto the rows, so the cost grows with the number of distinct answers, not of respondents. How a
platform writes answers (separators, ticks, "Other" texts) comes from ``platforms``; reading
one cell of several answers is ``cells``. Nothing is guessed: answer texts that no option maps
to are collected and reported together, with their rows; a separator other than the
platform's is taken only where it alone fits, and is recorded as a decision.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from surveybrief.clean.cells import ColumnReading, Vocabulary, read_column
from surveybrief.clean.mapping import MAX_LISTED, Target, label_lookup
from surveybrief.clean.readers import RawTable
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question, multi_column, other_text_column
from surveybrief.inputs.wave import Wave
from surveybrief.platforms.base import ANSWER, Platform, normalise

NUMBER = re.compile(r"-?\d+(\.\d+)?")
#: An "Other" text typed alike by this many respondents, and this share of those who answered,
#: is refused as a probable option label worded otherwise (typed texts rarely agree so).
ALIKE, ALIKE_SHARE = 5, 0.25


@dataclass
class _Unmapped:
    """Answer texts no option maps to, by header and value, with their rows and why."""

    found: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    why: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, header: str, value: str, row: int, why: str = "") -> None:
        self.found.setdefault((header, value), []).append(row)
        if why:
            self.why[(header, value)] = why

    def raise_if_any(self, wave: Wave) -> None:
        if not self.found:
            return
        listed = [
            f"{header!r}: {value!r} (row{'s' if len(rows) > 1 else ''} "
            f"{', '.join(map(str, rows[:5]))}{', ...' if len(rows) > 5 else ''})"
            + (f" [{self.why[(header, value)]}]" if (header, value) in self.why else "")
            for (header, value), rows in list(self.found.items())[:MAX_LISTED]
        ]
        more = len(self.found) - len(listed)
        raise InputError(
            f"{len(self.found)} answer label(s) map to no codebook option: "
            + "; ".join(listed)
            + (f"; and {more} more" if more > 0 else ""),
            file=wave.export_path,
            expected="option labels or codes of the codebook, or entries under mapping.labels "
            "(or export.multi_separator) in wave.yaml",
        )


def separators(wave: Wave, platform: Platform) -> tuple[str, ...]:
    """Return the separators a one-cell multi-select is read with first.

    wave.yaml's, or the platform's (", " for an export no platform claims).
    """
    if wave.export.multi_separator is not None:
        return (wave.export.multi_separator,)
    return platform.multi_separators or (", ",)


def vocabulary(q: Question, wave: Wave, platform: Platform, other_labels=()) -> Vocabulary:
    """Return what a question's answer cells may say, as the platform writes them.

    Codes and labels in every language and wave.yaml's labels; where the question has an
    "Other" choice, also the platform's words for it ("-oth-", "Other (please specify)").
    """
    lookup = label_lookup(q, wave)
    if platform.writes_labels_only and not q.kind.ordered:  # a bare code is a typed text
        labels = {normalise(t) for o in q.options for t in o.labels.values()}
        mapped = {normalise(t) for t in (wave.mapping.labels.get(q.id, {}) if wave else {})}
        lookup = {k: c for k, c in lookup.items() if k in labels | mapped}
    other = q.other_option
    if other is None:
        return Vocabulary(lookup)
    own = {normalise(label) for label in other.labels.values()} | {normalise(other.code)}
    for word in (*platform.other_words, *map(normalise, other_labels)):
        lookup.setdefault(word, other.code)
    words = own | set(platform.other_words) | {normalise(w) for w in other_labels}
    return Vocabulary(lookup, other.code, platform.writes_other_in_cell, frozenset(words))


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
        self.wave, self.rows, self.raw = wave, np.asarray(raw.rows), raw
        self.platform = raw.platform
        missing = pd.Series(pd.array([pd.NA] * len(raw.frame), dtype="string"))
        self.out: dict[str, pd.Series] = {c: missing for c in codebook.columns}
        self.pending: dict[str, tuple[_Distinct, dict]] = {}  # column -> (answers, mapping)
        self.unmapped = _Unmapped()
        self.option_shaped: set[str] = set()
        self.decisions: list[dict] = []
        #: "Other" texts typed into answer cells, by column (they fill the text column's blanks).
        self.typed_others: dict[str, tuple[_Distinct, dict]] = {}

    def note_unmapped(self, header: str, values: pd.Series, value: str, why: str = "") -> None:
        for row in self.rows[(values == value).fillna(False).to_numpy()]:
            self.unmapped.add(header, value, int(row), why)

    def option_column(self, header: str, target: Target, values, distinct: _Distinct) -> None:
        """One column per option: a tick word, or the option's own label, means ticked.

        A number other than 0/1, or another option's label, is kept for validation to set
        the row aside; any other text is an error, never read as a tick.
        """
        q, code = target.question, target.option
        self.option_shaped.add(q.id)
        lookup = label_lookup(q, self.wave, codes=not self.platform.ticks_are_labels)
        written = {
            normalise(o) for r in self.raw.columns[header].readings for o in r.option
        }  # the choice's text as the platform's header gives it
        mapping = {}
        for value in distinct.values:
            result = _tick(value, code, lookup, written, self.platform)
            if result is None:
                self.note_unmapped(header, values, value, f"not a tick of {code!r}")
            else:
                mapping[value] = result
        self.pending[multi_column(q.id, code)] = (distinct, mapping)

    def multi_cell(
        self, header: str, q: Question, values, distinct: _Distinct, other_labels=()
    ) -> None:
        """Several answers in one cell, read as ``cells`` reads them (never guessed)."""
        vocab = vocabulary(q, self.wave, self.platform, other_labels)
        reading = read_column(distinct.values, vocab, separators(self.wave, self.platform), q.codes)
        self._report(header, q, reading, values, vocab)
        chosen = {v: c.codes for v, c in reading.cells.items()}
        for code in q.codes:
            flags = {v: "1" if code in c else "0" for v, c in chosen.items()}
            self.pending[multi_column(q.id, code)] = (distinct, flags)
        others = {v: c.other_text for v, c in reading.cells.items() if c.other_text}
        self._typed(header, q, values, distinct, others, vocab)

    def _typed(self, header, q: Question, values, distinct: _Distinct, others: dict, vocab):
        """Keep "Other" texts typed into answer cells; one typed alike by several is an error.

        Free texts rarely agree to the letter; an "Other" text that ``ALIKE`` or more
        respondents, and a quarter of those who answered, gave alike is more likely an
        option's label the codebook words otherwise.
        """
        if q.other_option is None or not others:
            return
        counts = values.map(others).value_counts()
        least = max(ALIKE, ALIKE_SHARE * values.notna().sum())
        alike = {t for t, n in counts.items() if n >= least and normalise(t) not in vocab.lookup}
        for value, text in others.items():
            if text in alike:
                why = f"typed alike by {counts[text]}: an option's label worded otherwise?"
                self.note_unmapped(header, values, value, why)
        self.typed_others[other_text_column(q.id)] = (distinct, others)

    def _report(self, header: str, q: Question, reading: ColumnReading, values, vocab) -> None:
        """Record an inferred separator as a decision; list the cells no separator reads."""
        if reading.is_inferred:
            self.decisions.append(
                _decision(
                    q.id,
                    header,
                    f"several answers in one cell separated by {reading.separator!r}",
                    "the platform's separator "
                    + " or ".join(repr(s) for s in separators(self.wave, self.platform))
                    + " does not fit every cell; this one alone does",
                )
            )
        for value, cell in reading.failed.items():
            if reading.rival_separators:
                seps = " and ".join(repr(s) for s in reading.rival_separators)
                why = f"read differently with {seps}: set export.multi_separator"
            elif cell.is_ambiguous:
                why = "a label holding the separator also splits into other labels"
            else:
                why = "names no option: " + "; ".join(_named(p, vocab) for p in cell.unknown[:3])
            self.note_unmapped(header, values, value, why)

    def choice(self, header: str, q: Question, values, distinct, other_labels=()) -> None:
        """One code per cell (single choice, profile, rating); an "Other" text keeps its text."""
        vocab = vocabulary(q, self.wave, self.platform, other_labels)
        codes, others = {}, {}
        for value in distinct.values:
            code = vocab.code(value)
            text = vocab.other_text(value) if code is None else None
            if (
                code is not None
                and code == vocab.other
                and normalise(value) not in vocab.other_labels
            ):
                others[value] = value.strip()  # a text wave.yaml maps to "Other": kept
            if code is None and text is not None:
                code, others[value] = vocab.other, text
            if code is not None:
                codes[value] = code
            elif q.kind.ordered and NUMBER.fullmatch(value.strip()):
                codes[value] = value.strip()  # a number off the scale: validate sets it aside
            else:
                like = vocab.resembles(value)
                why = (
                    "holds an option's label: several answers, or an Other text naming it? map "
                    "it in mapping.labels"
                    if vocab.holds_label(value)
                    else ""
                )
                why = why or (f"like the label {like!r}: reworded?" if like else "")
                self.note_unmapped(header, values, value, why)
        self.pending[q.id] = (distinct, codes)
        self._typed(header, q, values, distinct, others, vocab)

    def frame(self) -> pd.DataFrame:
        """Return the mapped columns (each mapped in a thread: Arrow frees the GIL)."""
        self.unmapped.raise_if_any(self.wave)
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            mapped = pool.map(lambda job: job[0].map(job[1]), self.pending.values())
            self.out.update(zip(self.pending, mapped, strict=True))
        for column, (distinct, texts) in self.typed_others.items():
            self.out[column] = self.out[column].fillna(distinct.map(texts))  # never over one
        return pd.DataFrame(self.out)


def _named(piece: str, vocab: Vocabulary) -> str:
    """Return a piece as an error names it (and the label it resembles, if one)."""
    like = vocab.resembles(piece)
    return repr(piece) + (f" (like the label {like!r}: reworded?)" if like else "")


def _tick(value: str, code: str, lookup: dict, written: set[str], platform: Platform):
    """Return "1" or "0" for a cell of option ``code``'s column, the raw text, or None."""
    key = normalise(value)
    if key in platform.unticked:
        return "0"
    if key in platform.ticked or lookup.get(key) == code or key in written:
        return "1"
    if not platform.ticks_are_labels and (
        NUMBER.fullmatch(key) or lookup.get(key) not in (None, NOT_REPORTED_CODE)
    ):
        return value  # a 2, or another option's label: validate sets the row aside
    return None


def _fill_not_selected(
    frame: pd.DataFrame, codebook: Codebook, question_ids: set[str], always: bool | None
) -> list[str]:
    """Option columns where blank means "not ticked": 0 wherever the respondent ticked any.

    ``always`` None decides per question: blanks mean "not ticked" where the columns hold no
    explicit "0" (the platform writes the choice when ticked and nothing otherwise). Returns
    the questions so decided.
    """
    decided = []
    for qid in sorted(question_ids):
        q = codebook.question(qid)
        if always is None and (frame[q.option_columns] == "0").any().any():
            continue  # the export says "not selected" itself: a blank stays unknown
        if always is False:
            continue
        answered = frame[q.option_columns].notna().any(axis=1)
        for column in q.option_columns:
            frame.loc[answered & frame[column].isna(), column] = "0"
        decided.append(qid)
    return decided


def _decision(question_id: str, column: str, decision: str, why: str) -> dict:
    """Return one decision taken reading the export, as the clean report and checklist list it."""
    return {"question_id": question_id, "column": column, "decision": decision, "why": why}


def _finish_conversion(frame: pd.DataFrame, codebook: Codebook) -> list[dict]:
    """Let each question's type complete its columns (a ranking's places into ranks)."""
    return [d for q in codebook.questions for d in q.kind.finish_conversion(frame, q)]


def _dropped_answers(raw: RawTable, wave: Wave) -> list[dict]:
    """Return a decision for each column wave.yaml leaves out that holds what people answered.

    ``export.drop_columns`` is for columns that hold no answers (a platform's extra columns);
    one that holds answers changes who answered the questions, so it is said, with its count,
    wherever the run's decisions are (the report's checklist, the cleaning notebook).
    """
    dropped = {normalise(h) for h in wave.export.drop_columns}
    found = []
    for header, column in raw.columns.items():
        if normalise(header) not in dropped or column.kind != ANSWER:
            continue
        filled = raw.filled(header)
        if filled:
            found.append(
                _decision(
                    "",
                    header,
                    f"left out unread, with {filled} filled cell(s): answers in it "
                    "count nowhere, and a respondent who answered a question only there is "
                    "not in its base",
                    "export.drop_columns in wave.yaml",
                )
            )
    return found


def _read_by_labels(plan: dict) -> list[dict]:
    """Return a decision for each question read from columns that name no question.

    Typeform heads a multiple selection's choices by their labels alone: the codebook question
    with those choices is taken (the one the column before read, where several have them). A
    question asked but left out of the codebook, with the same choices, would be read as it:
    said, with the columns, so that the checklist has it checked.
    """
    by_question: dict[str, list[str]] = {}
    for header, target in plan.items():
        if target is not None and target.by_labels:
            by_question.setdefault(target.question.id, []).append(header)
    return [
        _decision(
            qid,
            ", ".join(headers),
            f"read {len(headers)} column(s) headed by a choice's label alone, or "
            '"Other", as this question',
            "the export names no question for them; the codebook question with these "
            "choices was taken (map them under mapping.columns in wave.yaml to read them "
            "otherwise, or drop them)",
        )
        for qid, headers in by_question.items()
    ]


def _unread_questions(plan: dict, codebook: Codebook) -> list[dict]:
    """Return a decision for each codebook question the export holds no column of."""
    read = {t.question.id for t in plan.values() if t is not None}
    return [
        _decision(
            q.id,
            "",
            "no answers: the export has no column of this question",
            "not asked in this wave, or left out of the export",
        )
        for q in codebook.questions
        if q.id not in read
    ]


def _other_from_text(frame: pd.DataFrame, plan: dict, codebook: Codebook) -> None:
    """Where only a typed text says "Other" was chosen, choose it.

    A single choice left blank beside a typed "Other" text (SurveyMonkey), and the "Other"
    of a multiple choice that has a text column but no column of its own (LimeSurvey,
    SurveyMonkey), are "Other".
    """
    targets = [t for t in plan.values() if t is not None]
    columns = {t.key for t in targets}
    for q in codebook.questions:
        other = q.other_option
        if other is None or (q.id, None, True, None) not in columns:
            continue
        typed = frame[other_text_column(q.id)].fillna("").str.strip().ne("")
        if q.kind.one_of_nominal:
            frame.loc[typed & frame[q.id].isna(), q.id] = other.code
        elif q.kind.several and (q.id, other.code, False, None) not in columns:
            column = multi_column(q.id, other.code)
            answered = frame[q.option_columns].notna().any(axis=1)
            frame[column] = frame[column].mask(answered, "0").mask(typed, "1")
            for option in q.option_columns:  # who typed only "Other" answered the question
                frame.loc[typed & frame[option].isna(), option] = "0"


def convert(
    raw: RawTable, plan: dict[str, Target | None], wave: Wave, codebook: Codebook
) -> tuple[pd.DataFrame, list[dict]]:
    """Return the common-format frame (codes as text) and the decisions taken reading it.

    Each distinct answer text is interpreted once and the result mapped onto the column, so the
    cost grows with the number of distinct answers, not of respondents.
    """
    columns = {h: raw.frame[h].reset_index(drop=True) for h, t in plan.items() if t is not None}
    coded = [  # every column but open text: its distinct answers, found in parallel
        h
        for h, t in plan.items()
        if t is not None and not t.other_text and (not t.question.kind.open_text or t.option)
    ]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # Arrow frees the GIL
        distincts = dict(zip(coded, pool.map(lambda h: _Distinct(columns[h]), coded), strict=True))
    converter = _Converter(raw, wave, codebook)
    other_labels = {t.question.id: t.other_labels for t in plan.values() if t and t.other_text}
    for header, target in plan.items():
        if target is None:
            continue
        q, values, distinct = target.question, columns[header], distincts.get(header)
        if target.other_text:  # "Other, please specify" text in its own column: verbatim
            converter.out[other_text_column(q.id)] = values
        elif q.kind.convert_column(converter, header, target, values, distinct):
            continue  # read the type's own way (a ranking's ranks or places)
        elif target.option is not None:
            converter.option_column(header, target, values, distinct)
        elif q.kind.open_text:
            converter.out[q.id] = values  # verbatim: open answers are never altered here
        elif q.kind.several:
            converter.multi_cell(header, q, values, distinct, other_labels.get(q.id, ()))
        else:
            converter.choice(header, q, values, distinct, other_labels.get(q.id, ()))
    frame = converter.frame()
    finished = _finish_conversion(frame, codebook)
    filled = _fill_not_selected(
        frame, codebook, converter.option_shaped, wave.export.blank_means_not_selected
    )
    _other_from_text(frame, plan, codebook)
    decisions = converter.decisions + finished + _read_by_labels(plan)
    decisions += _unread_questions(plan, codebook)
    decisions += _dropped_answers(raw, wave)
    if raw.platform.name == "generic" and wave.export.blank_means_not_selected is None:
        decisions += [
            _decision(
                qid,
                "",
                "a blank option cell is 'not ticked' where the respondent ticked "
                "another option of the question",
                "the export holds no explicit 0 for it, and no platform's habit says so "
                "(export.blank_means_not_selected decides it)",
            )
            for qid in filled
        ]
    return frame, decisions
