"""Map an export to the codebook: what each header holds, which code each answer label means.

Headers match by a ``mapping.columns`` entry, a codebook column id or a question wording (in any
language, or an SPSS variable label); answers by option code, label in any language or a
``mapping.labels`` entry. Matching ignores case and repeated or trailing spaces. Problems
(headers that map to nothing, entries naming unknown ids) are listed together in one error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from surveybrief.clean.privacy import is_pii_header
from surveybrief.clean.readers import RawTable
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question
from surveybrief.inputs.wave import Wave
from surveybrief.platforms.base import (
    ANSWER,
    CHOICE_OR_OTHER,
    IDENTIFIER,
    OPTION,
    OTHER_TEXT,
    PERSONAL,
    WHOLE,
    Reading,
    normalise,
)

#: Most problems named in one error message.
MAX_LISTED = 20


@dataclass(frozen=True)
class Target:
    """What an export column holds: a question, an option, or an "Other, please specify" text.

    ``other_labels`` are the texts the platform writes for the "Other" choice in the
    question's answer cells (SurveyMonkey's "Other (please specify)", say).
    """

    question: Question
    option: str | None = None
    other_text: bool = False
    other_labels: tuple[str, ...] = field(default=(), compare=False)
    #: A ranking's place column (Kobo's rank group: the option ranked at place n), numbered
    #: 1, 2, ... in the export's column order (0 until numbered).
    place: int | None = None
    #: Read by its label alone, or as "Other", with no question named (Typeform): the run
    #: says so as a decision (``clean.convert``).
    by_labels: bool = field(default=False, compare=False)

    @property
    def key(self) -> tuple:
        """Return what the column fills (two columns may not fill the same)."""
        return (self.question.id, self.option, self.other_text, self.place)


def _parse_target(spec: str, codebook: Codebook) -> Target | None:
    qid, _, option = spec.replace("__", "/").partition("/")
    try:
        question = codebook.question(qid.strip())
    except KeyError:
        return None
    option = option.strip() or None
    if option == OTHER_TEXT:
        return Target(question, None, True) if question.other_option is not None else None
    if option is not None and question.kind.ranked and option not in question.codes:
        found = re.fullmatch(r"[1-9][0-9]*", option)  # <question>/<n>: the option ranked n-th
        return Target(question, place=int(option)) if found else None
    if option is not None and (not question.kind.per_option or option not in question.codes):
        return None
    return Target(question, option)


def _why_not(spec: str, codebook: Codebook) -> str:
    """Return why a mapping entry names nothing, where the name alone does not say it."""
    qid, _, option = spec.replace("__", "/").partition("/")
    try:
        question = codebook.question(qid.strip())
    except KeyError:
        return " (no such question)"
    if option.strip() == OTHER_TEXT:
        return (
            f" (question {question.id!r} has no 'Other' option in the codebook: give it one, "
            "with is_other: true, to read the typed texts, or leave the column out)"
        )
    return f" (no option {option.strip()!r} of question {question.id!r})" if option else ""


def _check_mapping_entries(wave: Wave, codebook: Codebook) -> None:
    """Raise one error listing every mapping entry that names no codebook question or option."""
    bad = [
        f"{h!r}: {t!r}" + _why_not(t, codebook)
        for h, t in wave.mapping.columns.items()
        if _parse_target(t, codebook) is None
    ]
    for qid, table in wave.mapping.labels.items():
        try:
            question = codebook.question(qid)
        except KeyError:
            bad.append(f"labels of unknown question {qid!r}")
            continue
        bad += [
            f"{qid}: {label!r} -> unknown option {code!r}"
            for label, code in table.items()
            if code not in question.codes
        ]
    if bad:
        raise InputError(
            f"{len(bad)} mapping entr{'y' if len(bad) == 1 else 'ies'} name "
            "no codebook question or option: " + "; ".join(bad[:MAX_LISTED]),
            file=wave.path,
            column="mapping",
            expected="<question> or <question>/<option>",
        )


def id_header(raw: RawTable, wave: Wave) -> str | None:
    """Return the export's respondent id column, or None when rows are numbered instead.

    ``auto`` (the default) takes the platform's own id column (Kobo ``_uuid``, Qualtrics
    ``ResponseId``, SurveyMonkey ``Respondent ID`` ...) or a ``respondent_id`` column.
    """
    wanted = wave.export.respondent_id
    if wanted is None:
        return None
    if wanted == "auto":
        own = [h for h, c in raw.columns.items() if c.kind == IDENTIFIER]
        named = [h for h in raw.frame.columns if normalise(h) == "respondent_id"]
        return (own + named + [None])[0]
    found = [h for h in raw.frame.columns if normalise(h) == normalise(wanted)]
    if found:
        return found[0]
    raise InputError(
        "no respondent id column",
        file=wave.export_path,
        column=wanted,
        expected="the header named by export.respondent_id in wave.yaml (or null, or auto)",
    )


class HeaderMatcher:
    """Finds what an export header holds: by mapping entry, codebook id, or its platform's reading.

    Each platform says what its headers may name (``platforms``): a question by its name or
    wording, one of its options by code or label, its "Other" text. The platform's own
    columns, personal data and the respondent id are not read.
    """

    def __init__(self, raw: RawTable, wave: Wave, codebook: Codebook) -> None:
        spec = wave.export
        self.raw, self.codebook, self.raw_path = raw, codebook, wave.export_path
        self.other_words = raw.platform.other_words
        self.by_column = {normalise(c): c for c in codebook.columns}
        self.by_id = {normalise(q.id): q for q in codebook.questions}
        self.by_wording = {normalise(t): q for q in codebook.questions for t in q.wordings.values()}
        self.mapping = {normalise(h): t for h, t in wave.mapping.columns.items()}
        self.ignored = {normalise(h) for h in (*spec.drop_columns, *spec.pii_columns)}
        #: The question the last column read belongs to (a column headed by a choice's
        #: label alone, or "Other", belongs to the question its neighbours read).
        self.last: Question | None = None
        respondent = id_header(raw, wave)
        if respondent is not None:
            self.ignored.add(normalise(respondent))
        if wave.panel_link:  # read only into the panel id (clean.panel_key), never as an answer
            self.ignored.add(normalise(wave.panel_link))

    def target(self, header: str) -> Target | bool | None:
        """Return the header's target, None for a column not read, False when nothing matches.

        Ask in the export's column order: a column may be read by its neighbour's question.
        """
        found = self._target(header)
        self.last = found.question if isinstance(found, Target) else None
        return found

    def _target(self, header: str) -> Target | bool | None:
        """Return the header's target (see :meth:`target`), its neighbours aside."""
        key, column = normalise(header), self.raw.columns[header]
        if key in self.ignored:
            return None
        if key in self.mapping:
            return _parse_target(self.mapping[key], self.codebook)
        if key in self.by_column:
            if column.kind in (PERSONAL, IDENTIFIER):
                raise InputError(
                    f"the column is {self.raw.platform.title}'s own personal data or "
                    "respondent id, and cannot be read as the codebook question of its name",
                    file=self.raw_path,
                    column=header,
                    expected="another id for that codebook question, or the column left out "
                    "(export.drop_columns)",
                )
            return _parse_target(self.by_column[key], self.codebook)
        if column.kind != ANSWER:
            return None  # the platform's own column, personal data or the id: never read
        found = next(filter(None, map(self._read, column.readings)), None)
        if found is not None:
            return found
        if is_pii_header(header):
            return None  # personal data by its header: never read further
        return False

    def question(self, names: tuple[str, ...]) -> Question | None:
        """Return the question one of ``names`` names: by id first, then by wording."""
        keys = [normalise(n) for n in names]
        found = [self.by_id.get(k) for k in keys] + [self.by_wording.get(k) for k in keys]
        return next((q for q in found if q is not None), None)

    def option(self, question: Question, names: tuple[str, ...]) -> str | None:
        """Return the option one of ``names`` names: by code, label, or as "Other"."""
        lookup = label_lookup(question, None)
        for name in names:
            key = normalise(name)
            if key in lookup and lookup[key] in question.codes:
                return lookup[key]
        other = question.other_option
        if other is not None and any(normalise(n) in self.other_words for n in names):
            return other.code
        return None

    def _read(self, reading: Reading) -> Target | None:
        """Return the target of one reading of a header, or None when it names nothing."""
        if not reading.question:
            return self._by_neighbours(reading)
        question = self.question(reading.question)
        if question is None:
            return None
        if reading.part == WHOLE:
            return Target(question)
        if reading.part == OTHER_TEXT:
            if question.other_option is None:
                return None
            return Target(question, None, True, other_labels=reading.option)
        if reading.part == OPTION and question.kind.per_option:
            code = self.option(question, reading.option)
            if code is None and question.kind.ranked and self.raw.platform.ranks_by_place:
                return Target(question, place=0)  # not an option: a place of the ranking
            return Target(question, code) if code is not None else None
        if reading.part == CHOICE_OR_OTHER:
            return self._choice_or_other(question, reading.option)
        return None

    def _by_neighbours(self, reading: Reading) -> Target | None:
        """Return the target of a column headed by a choice's label alone, or by "Other".

        Platforms that write a question's choices side by side under their labels only
        (Typeform) name no question: it is the one the column before read, where that one
        has the choice (or an "Other" choice, for its typed text), else the only question
        that has it. Two or more others have it: None, and the column is reported unmatched.
        An "Other" belongs to a multiple selection: a single choice's typed text is in its cell.
        """
        last = self.last
        if reading.part == OTHER_TEXT:  # a single choice's "Other" is typed in its own cell
            if last is None or last.other_option is None or not last.kind.several:
                return None
            return Target(last, None, True, other_labels=reading.option, by_labels=True)
        if reading.part != OPTION:
            return None
        owners = [
            q for q in self.codebook.questions
            if q.kind.per_option and self.option(q, reading.option) is not None
        ]  # fmt: skip
        if last is not None and any(q.id == last.id for q in owners):
            owners = [last]
        if len(owners) != 1:
            return None
        return Target(owners[0], self.option(owners[0], reading.option), by_labels=True)

    def _choice_or_other(self, question: Question, names: tuple[str, ...]) -> Target | None:
        """Return a choice's ticks if ``names`` name one other than "Other", else its text."""
        other = question.other_option
        lookup = label_lookup(question, None)
        codes = [lookup.get(normalise(n)) for n in names]
        code = next((c for c in codes if c in question.codes), None)
        if question.kind.per_option and code is not None and (other is None or code != other.code):
            return Target(question, code)
        return Target(question, None, True, other_labels=names) if other is not None else None


def _check_targets(plan: dict[str, Target | None], unmapped: list[str], wave: Wave) -> None:
    """Raise for a missing id column, headers that map to nothing, or two columns on one target."""
    if unmapped:
        raise InputError(
            f"{len(unmapped)} column(s) map to no codebook question: "
            + ", ".join(repr(h) for h in unmapped[:MAX_LISTED]),
            file=wave.export_path,
            expected="codebook ids or question wordings as headers, or entries under "
            "mapping.columns (or export.drop_columns) in wave.yaml",
        )
    seen = Counter(t.key for t in plan.values() if t is not None)
    twice = [
        (f"{q}/{OTHER_TEXT}" if other else f"{q}/{o}" if o else f"{q}/{place}" if place else q, key)
        for key, n in seen.items()
        for (q, o, other, place) in [key]
        if n > 1
    ]
    if twice:
        listed = "; ".join(
            f"{name}: " + ", ".join(repr(h) for h, t in plan.items() if t and t.key == key)
            for name, key in sorted(twice)
        )
        raise InputError(
            f"several export columns map to the same question or option ({listed})",
            file=wave.export_path,
            expected="one column per question or option (drop or map the others)",
        )


def plan_columns(raw: RawTable, wave: Wave, codebook: Codebook) -> dict[str, Target | None]:
    """Return, for every export header, its target (None: the id column or a dropped column).

    Raise one ``InputError`` listing every header that maps to nothing and every mapping entry
    that names an unknown question or option.
    """
    _check_mapping_entries(wave, codebook)
    matcher = HeaderMatcher(raw, wave, codebook)
    plan: dict[str, Target | None] = {}
    unmapped = []
    for header in raw.frame.columns:
        target = matcher.target(header)
        if target is False:
            unmapped.append(header)
        else:
            plan[header] = target
    one_reading_per_question(plan, raw.platform.one_cell_wins)
    _number_places(plan, wave)
    _check_targets(plan, unmapped, wave)
    _check_every_option_read(plan, wave)
    return plan


def _number_places(plan: dict[str, Target | None], wave: Wave) -> None:
    """Give a ranking's place columns their numbers, 1, 2, ... in the export's order.

    Kobo writes a rank group's levels in the form's order, the first place first. A place
    named by a mapping entry (``<question>/<n>``) keeps its number. Places that are not 1 to
    at most the codebook's ``ranks``, or beside a column per option, are an error.
    """
    ranked = [t for t in plan.values() if t is not None and t.question.kind.ranked]
    for qid in dict.fromkeys(t.question.id for t in ranked if not t.other_text):
        headers = [h for h, t in plan.items() if t and t.question.id == qid and not t.other_text]
        _one_shape(plan, headers, wave)
        places = [h for h in headers if plan[h].place is not None]
        if not places:
            continue
        q = plan[places[0]].question
        for n, header in enumerate(places, start=1):
            if plan[header].place == 0:
                plan[header] = Target(q, place=n)
        numbers = sorted(plan[h].place for h in places)
        if numbers != list(range(1, len(numbers) + 1)) or len(numbers) > q.kind.places(q):
            raise InputError(
                f"the ranking {qid!r} has place columns that do not fit it: "
                + ", ".join(f"{h!r} (place {plan[h].place})" for h in places),
                file=wave.export_path,
                expected=f"places 1 to at most {q.kind.places(q)} (the codebook's ranks), each one "
                "column, and no column per option beside them",
            )


def _one_shape(plan: dict[str, Target | None], headers: list[str], wave: Wave) -> None:
    """Refuse a ranking read in two shapes at once: its columns would overwrite each other."""
    shapes = {
        "a column per option" if plan[h].option else "places" if plan[h].place is not None
        else "one cell"
        for h in headers
    }  # fmt: skip
    if len(shapes) > 1:
        raise InputError(
            f"the ranking {plan[headers[0]].question.id!r} is read as "
            + " and as ".join(sorted(shapes))
            + ": "
            + ", ".join(repr(h) for h in headers),
            file=wave.export_path,
            expected="one shape: a column per option, a column per place, or one cell "
            "(drop the others: export.drop_columns)",
        )


def _check_every_option_read(plan: dict[str, Target | None], wave: Wave) -> None:
    """Raise when a multi-select read one column per option lacks an option's column.

    A choice the export holds no column for is unknown, not "not ticked". Only the "Other"
    choice may have no column of its own, where its typed text has one (it is chosen when
    a text was typed).
    """
    targets = [t for t in plan.values() if t is not None]
    missing = []
    for q in {t.question.id: t.question for t in targets if t.option is not None}.values():
        if q.kind.ranked and any(t.question.id == q.id and t.place for t in targets):
            continue
        read = {t.option for t in targets if t.question.id == q.id and t.option is not None}
        has_text = any(t.question.id == q.id and t.other_text for t in targets)
        other = q.other_option.code if q.other_option is not None and has_text else None
        missing += [f"{q.id}/{c}" for c in q.codes if c not in read and c != other]
    if missing:
        raise InputError(
            f"{len(missing)} option(s) of questions read one column per option have no column "
            "in the export (their answers would be unknown, not 0): " + ", ".join(missing),
            file=wave.export_path,
            expected="a column for each option (mapping.columns: '<header>': "
            "'<question>/<option>'), or a codebook version without those options",
        )


def one_reading_per_question(plan: dict[str, Target | None], one_cell_wins: bool) -> None:
    """Where a multi-select is both one cell and one column per option, read one of them.

    Kobo's option columns are exact; ODK Central's and SurveyCTO's say 0 for a skipped
    question and exist only for chosen options, so there the one cell is read.
    """
    one_cell = {
        t.question.id
        for t in plan.values()
        if t is not None and t.question.kind.several and t.option is None and not t.other_text
    }
    split = {t.question.id for t in plan.values() if t is not None and t.option is not None}
    for header, target in plan.items():
        if target is None or target.question.id not in one_cell & split or target.other_text:
            continue
        if (target.option is None) != one_cell_wins:
            plan[header] = None


def label_lookup(question: Question, wave: Wave | None, codes: bool = True) -> dict[str, str]:
    """Return normalised answer text -> option code: codes, labels in every language, mapping.

    ``codes`` False leaves the codes out: a platform that writes labels only (SurveyMonkey,
    Typeform) never writes a code, so a cell holding one was typed, not ticked.
    """
    lookup = {}
    for option in question.options:
        if codes:
            lookup[normalise(option.code)] = option.code
        for label in option.labels.values():
            lookup[normalise(label)] = option.code
    for label, code in (wave.mapping.labels.get(question.id, {}) if wave else {}).items():
        lookup[normalise(label)] = code
    if question.kind.one_of_nominal:
        lookup[NOT_REPORTED_CODE] = NOT_REPORTED_CODE  # reconstructed waves only
    return lookup


def split_labels(cell: str, lookup: dict[str, str], separator: str) -> list[str]:
    """Split a multi-select cell into its labels; labels that contain the separator stay whole.

    At each position the longest known label followed by the separator (or the end) wins;
    otherwise the text up to the next separator is one (unknown) piece.
    """
    pieces, position, text = [], 0, cell.strip()
    sep = separator.strip() or separator
    known = sorted({k for k in lookup}, key=len, reverse=True)
    while position < len(text):
        rest = text[position:]
        match = next(
            (
                k
                for k in known
                if normalise(rest[: len(k)]) == k
                and (len(rest) == len(k) or rest[len(k) :].lstrip().startswith(sep))
            ),
            None,
        )
        if match is not None:
            piece, consumed = rest[: len(match)], len(match)
        else:
            cut = rest.find(sep)
            piece, consumed = (rest, len(rest)) if cut < 0 else (rest[:cut], cut)
        pieces.append(piece.strip())
        position += consumed
        rest = text[position:]
        stripped = rest.lstrip()
        if stripped.startswith(sep):
            position += len(rest) - len(stripped) + len(sep)
        while position < len(text) and text[position] == " ":
            position += 1
    return [p for p in pieces if p]
