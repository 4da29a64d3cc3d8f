"""Answers written as text in one cell: which option each names — read exactly, never guessed.

Several choices in one cell are split at their separator: the platform's own (Google Forms
";" or ", ", Microsoft Forms ";", Kobo and ODK a space), or wave.yaml's. Labels that hold the
separator stay whole: at each place the longest known label wins. A piece that is no label
goes to "Other" only when the platform writes typed "Other" texts into the cell (or the piece
says "Other: ..."), the question has an "Other" choice, and the piece holds no option label
(labels joined by another separator, "A;B;" read with ", ", are not an "Other" text). A
separator other than the platform's is taken only when it alone fits every cell of the
question, and it is reported; otherwise every cell that fits none is listed in one error.
A cell that two readings fit (labels that hold the separator) is an error too.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from surveybrief.platforms.base import normalise

#: Separators tried when the platform's own do not fit a question's cells, in this order (a
#: space joins words, so it is tried only where the platform writes it: Kobo, ODK).
OTHER_SEPARATORS = (",", ";", "|", "\n")
#: Separators that may join labels inside a piece (a space joins words, not labels).
JOINERS = (",", ";", "|", "\n")
_JOINER_CHARS = frozenset("".join(JOINERS))
#: How alike two words, and what share of a label's words a piece must hold, for the piece to
#: be the label reworded, not an "Other" text typed in its place ("storage & pipelines").
RESEMBLES = 0.8
#: An explicit "Other: ..." (any platform, any question with an "Other" choice).
OTHER_PREFIX = re.compile(r"^\s*other\s*(\(please specify\))?\s*[:\-–]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Vocabulary:
    """What the cells of one question may say: labels and codes, and the "Other" rule."""

    #: Normalised label or code -> option code (every language, wave.yaml's labels).
    lookup: dict[str, str]
    #: The "Other" choice's code, when the question has one.
    other: str | None = None
    #: The platform writes the text typed for "Other" into the answer cell itself.
    other_in_cell: bool = False
    #: Normalised labels of the "Other" choice itself (not evidence of a joined label).
    other_labels: frozenset[str] = frozenset()
    known: tuple[str, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.lookup, key=len, reverse=True))
        object.__setattr__(self, "known", ordered)

    def code(self, piece: str) -> str | None:
        """Return the option a piece names exactly (case and spaces aside), else None."""
        return self.lookup.get(normalise(piece))

    def holds_label(self, piece: str) -> bool:
        """Return True when a piece is, or joins, option labels (by any separator)."""
        if self.code(piece) is not None:
            return True
        for joiner in JOINERS:
            for part in split_cell(piece, self, joiner):
                key = normalise(part)
                if key in self.lookup and key not in self.other_labels:
                    return True
        return False

    def other_text(self, piece: str) -> str | None:
        """Return the "Other" text a piece is, or None when it may not be one."""
        if self.other is None:
            return None
        if OTHER_PREFIX.match(piece):
            return OTHER_PREFIX.sub("", piece).strip()
        if _edged_by_joiner(piece):  # "prices|": a piece of a cell split at the wrong separator
            return None
        if self.other_in_cell and not self.holds_label(piece) and self.resembles(piece) is None:
            return piece.strip()
        return None

    def resembles(self, piece: str) -> str | None:
        """Return the label a piece rewords or extends, else None (then it may be typed).

        A label whose words (of three letters or more) nearly all appear in the piece, each
        as it is or nearly ("financing" ~ "finance", "and" ~ "&" aside): "Lack of finance",
        "Gas transit, storage & pipelines", "A common electricity market (single grid)".
        """
        words = _words(piece)
        for label in self.known:
            wanted = _words(label)
            if label in self.other_labels or not wanted:
                continue
            found = sum(any(_alike(w, p) for p in words) for w in wanted)
            if found / len(wanted) >= RESEMBLES:
                return label
        return None


def _edged_by_joiner(piece: str) -> bool:
    """Return True when a piece starts or ends with a separator (never how a typed text ends).

    A cell read at the wrong separator leaves one on a piece's edge: "Tariffs, subsidies and
    prices|" read at ", " gives "subsidies and prices|", which is then no "Other" text.
    """
    text = piece.strip()
    return bool(text) and (text[0] in _JOINER_CHARS or text[-1] in _JOINER_CHARS)


def _words(text: str) -> list[str]:
    """Return a text's words of three letters or more, case-folded."""
    return [w for w in re.findall(r"\w+", text.casefold()) if len(w) >= 3]


def _alike(a: str, b: str) -> bool:
    """Return True for the same word, one inflected (a shared stem) or misspelt."""
    stem = next(
        (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b))
    )
    if stem >= max(4, 0.75 * min(len(a), len(b))):
        return True
    return difflib.SequenceMatcher(None, a, b).ratio() >= RESEMBLES


def split_cell(cell: str, vocabulary: Vocabulary, separator: str) -> list[str]:
    """Split a cell at ``separator``; a known label that holds the separator stays whole.

    At each place the longest known label followed by the separator (or the end) wins;
    otherwise the text up to the next separator is one piece. Spaces around a separator, and
    a separator at the end ("A;B;"), are ignored.
    """
    text, pieces, position = cell.strip(), [], 0
    sep = separator.strip() or separator
    while position < len(text):
        start, rest = position, text[position:]
        match = _longest_label(rest, vocabulary.known, sep)
        if match is None:
            cut = rest.find(sep)
            match = len(rest) if cut < 0 else cut
        pieces.append(rest[:match].strip())
        position += match
        after = text[position:].lstrip(" ")
        if after.startswith(sep):
            position = len(text) - len(after) + len(sep)
        while position < len(text) and text[position] == " ":
            position += 1
        position = max(position, start + 1)  # always move on (a separator of whitespace)
    return [p for p in pieces if p]


def _longest_label(rest: str, known: tuple[str, ...], sep: str) -> int | None:
    """Return the length of the longest known label at the start of ``rest``, else None."""
    for label in known:
        if normalise(rest[: len(label)]) != label:
            continue
        after = rest[len(label) :]
        if not after or after.startswith(sep) or after.lstrip(" ").startswith(sep):
            return len(label)
    return None


@dataclass(frozen=True)
class CellReading:
    """What one cell says under one separator: the options, the "Other" text, what is wrong."""

    codes: frozenset[str]
    other_text: str | None = None
    #: Pieces that name no option and may not be an "Other" text.
    unknown: tuple[str, ...] = ()
    #: The cell reads two ways (a label that holds the separator, or the labels it joins).
    is_ambiguous: bool = False

    @property
    def fits(self) -> bool:
        """Return True when every piece was read and read one way."""
        return not self.unknown and not self.is_ambiguous


def read_cell(cell: str, vocabulary: Vocabulary, separator: str) -> CellReading:
    """Return what a cell of several choices says, read at ``separator``."""
    codes, texts, unknown, ambiguous = set(), [], [], False
    for piece in split_cell(cell, vocabulary, separator):
        code = vocabulary.code(piece)
        if code is not None:
            if code == vocabulary.other and normalise(piece) not in vocabulary.other_labels:
                texts.append(piece)  # a text wave.yaml maps to "Other": kept as its text
            codes.add(code)
            ambiguous |= _joins_labels(piece, vocabulary, separator)
            continue
        text = vocabulary.other_text(piece)
        if text is None:
            unknown.append(piece)
        else:
            codes.add(vocabulary.other)
            texts.append(text)
    other = "; ".join(t for t in texts if t) or None
    return CellReading(frozenset(codes), other, tuple(unknown), ambiguous)


def _joins_labels(piece: str, vocabulary: Vocabulary, separator: str) -> bool:
    """Return True when a label holding the separator also splits into other labels."""
    sep = separator.strip() or separator
    if sep not in piece:
        return False
    parts = [p.strip() for p in piece.split(sep) if p.strip()]
    return len(parts) > 1 and all(vocabulary.code(p) is not None for p in parts)


def read_codes(cell: str, codes: list[str]) -> frozenset[str] | None:
    """Return the options of a cell of option codes separated by spaces (Kobo, ODK), else None."""
    tokens = cell.split()
    return frozenset(tokens) if tokens and all(t in codes for t in tokens) else None


@dataclass(frozen=True)
class ColumnReading:
    """How a question's one-cell answers were read: per distinct cell, and the separator used."""

    cells: dict[str, CellReading]
    separator: str | None
    #: True when the separator is not the platform's (or wave.yaml's): it is reported.
    is_inferred: bool = False
    #: Cells no separator reads (each with its reading at the first separator tried).
    failed: dict[str, CellReading] = field(default_factory=dict)
    #: Separators that each fit every cell but read them differently (then nothing is read).
    rival_separators: tuple[str, ...] = ()


def read_column(
    values: list[str],
    vocabulary: Vocabulary,
    own: tuple[str, ...],
    codes: list[str] | None = None,
) -> ColumnReading:
    """Read every distinct cell of a question; choose the one separator that fits them all.

    ``own`` are the separators the platform (or wave.yaml) writes; ``codes`` the option codes
    when the platform may write them separated by spaces. The first of ``own`` that fits
    every cell is used; failing that, another separator only if it alone fits (reported).
    """
    coded = {v: read_codes(v, codes) for v in values} if codes else {}
    rest = [v for v in values if coded.get(v) is None]
    fixed = {v: CellReading(c) for v, c in coded.items() if c is not None}
    if not rest:
        return ColumnReading(fixed, own[0] if own else None)
    tried = {s: {v: read_cell(v, vocabulary, s) for v in rest} for s in own}
    for separator, cells in tried.items():
        if all(c.fits for c in cells.values()):
            return ColumnReading(fixed | cells, separator)
    others = [s for s in OTHER_SEPARATORS if s.strip() not in {o.strip() for o in own}]
    fitting = {}
    for separator in others:
        cells = {v: read_cell(v, vocabulary, separator) for v in rest}
        if all(c.fits for c in cells.values()):
            fitting[separator] = cells
    readings = {tuple(sorted((v, c.codes, c.other_text) for v, c in cells.items()))
                for cells in fitting.values()}  # fmt: skip
    if len(fitting) >= 1 and len(readings) == 1:
        separator = next(iter(fitting))
        return ColumnReading(fixed | fitting[separator], separator, is_inferred=True)
    if len(readings) > 1:  # several separators fit, and read the cells differently
        differ = {v for v in rest if len({c[v].codes for c in fitting.values()}) > 1}
        failed = {v: fitting[next(iter(fitting))][v] for v in differ}
        return ColumnReading(fixed, None, failed=failed, rival_separators=tuple(fitting))
    first = tried[own[0]] if own else {v: read_cell(v, vocabulary, ",") for v in rest}
    return ColumnReading(fixed, None, failed={v: c for v, c in first.items() if not c.fits})
