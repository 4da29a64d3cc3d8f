"""The interface every platform adapter fills: recognise an export, read its headers, its habits.

A ``Platform`` is told the export's first rows (``Head``) and answers:

* ``detect``: is this export mine? (by the columns and header rows only this platform writes);
* ``header_rows``: how many rows at the top are headers (Qualtrics 3, SurveyMonkey 2, most 1);
* ``column``: what one header says (a ``Column``): the platform's own column, personal data,
  the respondent id, or an answer column naming a question, one of its options or its
  "Other, please specify" text, by name (``BARR``, ``group/q``) and by text (the wording);
* how it writes answers: the separator of several choices in one cell, whether a typed
  "Other" text stands in the answer cell, the words that mark an option ticked or not, codes
  that mean "no answer", rows its own review marked as tests or rejected.

Everything is matched on ``normalise``d text (case, spaces and a trailing ".0" ignored).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from surveybrief.inputs.export_spec import RowFilter

#: How platforms name the "Other, please specify" choice (normalised), in our three languages.
OTHER_WORDS = frozenset(
    {"other", "other (please specify)", "other, please specify", "другое", "другое (укажите)",
     "басқа", "басқасы"}
)  # fmt: skip
#: What a column holds.
ANSWER, META, PERSONAL, IDENTIFIER = "answer", "meta", "personal", "id"
#: Which part of a question an answer column holds.
WHOLE, OPTION, OTHER_TEXT, COMMENT = "whole", "option", "other_text", "comment"
#: A column that is a choice's ticks when its label names a choice other than "Other", and
#: the typed "Other" text otherwise (SurveyMonkey heads both "Other ...").
CHOICE_OR_OTHER = "choice_or_other"


def normalise(text: object) -> str:
    """Return text for matching: trimmed, inner spaces collapsed, case-folded, '2.0' as '2'."""
    value = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return re.sub(r"^(-?\d+)\.0+$", r"\1", value)


@dataclass(frozen=True)
class Reading:
    """One way to read a header: a question (by name or wording), and which part of it.

    ``question`` lists what may name the question (its name or code, its wording), most
    specific first; ``option`` likewise for one option of a question written one column per
    option (its code, its label: the text a ticked cell holds).
    """

    question: tuple[str, ...]
    part: str = WHOLE
    option: tuple[str, ...] = ()


@dataclass(frozen=True)
class Column:
    """What one column of an export holds, as its platform's headers say.

    An answer column has one or more ``readings``, tried in order against the codebook (a
    Kobo header ``g/q/c`` is an option ``c`` of question ``q``, or else question ``c``).
    """

    header: str
    kind: str = ANSWER
    readings: tuple[Reading, ...] = ()
    #: Personal data whose values are people's names (they scrub open answers like a roster).
    holds_names: bool = False


def answer(header: str, *readings: Reading) -> Column:
    """Return an answer column read as ``readings`` (or as the question the header names)."""
    return Column(header, ANSWER, readings or (Reading((header,)),))


def path_readings(
    segments: list[str], other_suffix: str = "_other", options: bool = True
) -> tuple[Reading, ...]:
    """Return the readings of a grouped header split into its segments (``g``, ``q``, ``c``).

    The last segment may be an option of the question the segment before names (where
    ``options``: the path's separator also joins choices), the text of an "Other" choice
    (``q_other``), or a question itself; group names are optional.
    """
    found = []
    if options and len(segments) >= 2:
        question = _suffixes(segments[:-1])
        found.append(Reading(question, OPTION, (segments[-1],)))
    last = segments[-1]
    if other_suffix and last.endswith(other_suffix) and len(last) > len(other_suffix):
        stem = [*segments[:-1], last[: -len(other_suffix)]]
        found.append(Reading(_suffixes(stem), OTHER_TEXT))
    found.append(Reading(_suffixes(segments)))
    return tuple(found)


def _suffixes(segments: list[str]) -> tuple[str, ...]:
    """Return a path and its shorter tails, the whole path first (``g/q``, ``q``)."""
    return tuple("/".join(segments[i:]) for i in range(len(segments)))


@dataclass(frozen=True)
class Head:
    """The top of an export: its first row and the rows under it, as text (None for blanks)."""

    format: str
    header: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    #: SPSS variable labels (the question texts), by variable name.
    variable_labels: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> set[str]:
        """Return the first row's headers, normalised."""
        return {normalise(h) for h in self.header}

    def values(self, column: int) -> list[str]:
        """Return the filled cells of a column in the rows shown (headers included)."""
        return [r[column] for r in self.rows if column < len(r) and r[column] not in (None, "")]

    def row(self, index: int) -> tuple[str | None, ...]:
        """Return the ``index``-th row under the header (blanks where the file has none)."""
        if index < len(self.rows):
            return self.rows[index]
        return (None,) * len(self.header)


class Platform:
    """An export platform: how to recognise its exports and how they are written.

    Subclasses set the class attributes and override ``detect`` (and ``column`` or
    ``header_rows`` where the platform's headers need more than a look-up).
    """

    #: Short name, as wave.yaml's ``export.platform`` names it.
    name = "generic"
    #: The platform's name as people write it.
    title = "a table with one row per respondent"
    #: The export settings this adapter reads (said in the README and by init-wave).
    settings = "headers are codebook ids or question wordings"
    #: Headers of its own columns (no answers, no personal data), normalised.
    meta: frozenset[str] = frozenset()
    #: Headers of its columns holding personal data, normalised.
    personal: frozenset[str] = frozenset()
    #: Personal columns holding people's names (a subset of ``personal``), normalised.
    names: frozenset[str] = frozenset()
    #: Respondent id columns, tried in this order, normalised.
    ids: tuple[str, ...] = ("respondent_id",)
    #: Separators of several choices written in one cell, as the platform writes them (the
    #: first that fits every cell of a question is used; another one only when it alone fits,
    #: and then it is reported).
    multi_separators: tuple[str, ...] = ()
    #: Where one cell and one column per option both hold a select_multiple, read the cell.
    one_cell_wins = False
    #: A ranking's columns under it that name no option are its places, first place first
    #: (KoboToolbox's Ranking group). Elsewhere such a column is unmatched, not guessed: a
    #: column per option whose label was reworded would otherwise be read as a place.
    ranks_by_place = False
    #: Answers are written as labels, never as codes (a text equal to a code is typed).
    writes_labels_only = False
    #: The text typed for "Other, please specify" stands in the answer cell itself.
    writes_other_in_cell: bool = False
    #: Cell values and header parts that say "Other" (its text is in a column of its own).
    other_words: frozenset[str] = OTHER_WORDS
    #: Words in a one-column-per-option cell that mean ticked / not ticked, normalised.
    ticked: frozenset[str] = frozenset({"1", "true", "yes", "selected", "checked", "x"})
    unticked: frozenset[str] = frozenset({"0", "false", "no", "not selected", "unchecked"})
    #: Only a choice's own label (or code) marks it ticked in its column (no 0/1 words).
    ticks_are_labels = False
    #: Values the platform writes for "no answer", with what they mean.
    missing_codes: Mapping[str, str] = MappingProxyType({})
    #: Whether those values also mean "no answer" in typed texts (a comment, an Other text).
    missing_codes_in_text = True
    #: Rows the platform marks as previews, tests or rejected (set aside, with the reason).
    row_rules: tuple[RowFilter, ...] = ()

    def detect(self, head: Head) -> bool:
        """Return True when ``head`` is an export of this platform."""
        return False

    def header_rows(self, head: Head) -> int:
        """Return how many rows at the top of the export are headers."""
        return 1

    def columns(self, head: Head, header_rows: int) -> list[Column]:
        """Return what each column holds, from the header rows."""
        under = [head.row(i) for i in range(header_rows - 1)]
        return [
            self.column(str(h), tuple(r[i] for r in under), head) for i, h in enumerate(head.header)
        ]

    def column(self, header: str, under: tuple[str | None, ...], head: Head) -> Column:
        """Return what the column headed ``header`` holds (``under``: further header rows)."""
        return self.own_column(header) or answer(header)

    def own_column(self, header: str) -> Column | None:
        """Return the platform's own, personal or id column ``header`` is, else None."""
        key = normalise(header)
        if key in self.ids:
            return Column(header, IDENTIFIER)
        if key in self.personal:
            return Column(header, PERSONAL, holds_names=key in self.names)
        if key in self.meta:
            return Column(header, META)
        return None

    def __repr__(self) -> str:
        return f"<platform {self.name}>"


class LabelsOnly(Platform):
    """A platform that writes answers as labels only: a ticked choice's cell holds its label.

    Any other text in a choice column is an error (no 0/1 or yes/no words), and a text equal
    to an option's code is typed, not that option (SurveyMonkey, Typeform).
    """

    writes_labels_only = True
    ticked: frozenset[str] = frozenset()
    unticked: frozenset[str] = frozenset()
    ticks_are_labels = True


def numbered(columns: list[Column]) -> list[Column]:
    """Return the columns with repeated headers numbered ("<header> (2)"), read as before.

    Platforms repeat headers where two questions share a wording or a label ("Specify
    other."); the numbers keep each column apart in messages and in wave.yaml's mapping.
    """
    seen: dict[str, int] = {}
    result = []
    for column in columns:
        seen[column.header] = seen.get(column.header, 0) + 1
        if seen[column.header] > 1:
            header = f"{column.header} ({seen[column.header]})"
            column = Column(header, column.kind, column.readings, column.holds_names)
        result.append(column)
    return result


def keys(*headers: str) -> frozenset[str]:
    """Return headers as a set of normalised keys (for the class attributes above)."""
    return frozenset(normalise(h) for h in headers)
