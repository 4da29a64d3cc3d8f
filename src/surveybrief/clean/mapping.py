"""Map an export to the codebook: what each header holds, which code each answer label means.

Headers match by a ``mapping.columns`` entry, a codebook column id or a question wording (in any
language, or an SPSS variable label); answers by option code, label in any language or a
``mapping.labels`` entry. Matching ignores case and repeated or trailing spaces. Problems
(headers that map to nothing, entries naming unknown ids) are listed together in one error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from surveybrief.clean.privacy import is_pii_header
from surveybrief.clean.readers import RawTable
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook, Question
from surveybrief.inputs.wave import Wave

#: Most problems named in one error message.
MAX_LISTED = 20


def normalise(text: object) -> str:
    """Return text for matching: trimmed, inner spaces collapsed, case-folded, '2.0' as '2'."""
    value = re.sub(r"\s+", " ", str(text)).strip().casefold()
    return re.sub(r"^(-?\d+)\.0+$", r"\1", value)


@dataclass(frozen=True)
class Target:
    """What an export column holds: a whole question, or one option of a multi-select."""

    question: Question
    option: str | None = None


def _parse_target(spec: str, codebook: Codebook) -> Target | None:
    qid, _, option = spec.replace("__", "/").partition("/")
    try:
        question = codebook.question(qid.strip())
    except KeyError:
        return None
    option = option.strip() or None
    if option is not None and (question.type != "multi" or option not in question.codes):
        return None
    return Target(question, option)


def _check_mapping_entries(wave: Wave, codebook: Codebook) -> None:
    """Raise one error listing every mapping entry that names no codebook question or option."""
    bad = [
        f"{h!r}: {t!r}"
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


class _HeaderMatcher:
    """Finds what an export header holds: by mapping entry, codebook id, wording or label."""

    def __init__(self, raw: RawTable, wave: Wave, codebook: Codebook) -> None:
        spec = wave.export
        self.raw, self.codebook = raw, codebook
        self.by_column = {normalise(c): c for c in codebook.columns}
        self.by_wording = {normalise(t): q for q in codebook.questions for t in q.wordings.values()}
        self.mapping = {normalise(h): t for h, t in wave.mapping.columns.items()}
        self.ignored = {normalise(h) for h in spec.drop_columns}
        if spec.respondent_id is not None:
            self.ignored.add(normalise(spec.respondent_id))
        self.pii = {normalise(h) for h in spec.pii_columns}

    def target(self, header: str) -> Target | bool | None:
        """Return the header's target, None for a column not read, False when nothing matches."""
        key = normalise(header)
        label = normalise(self.raw.header_labels.get(header, ""))
        if key in self.ignored:
            return None
        if key in self.mapping:
            return _parse_target(self.mapping[key], self.codebook)
        if key in self.by_column:
            return _parse_target(self.by_column[key], self.codebook)
        if key in self.by_wording or label in self.by_wording:
            return Target(self.by_wording.get(key) or self.by_wording[label])
        if key in self.pii or is_pii_header(header):
            return None  # personal data: never read further
        return False


def _check_targets(plan: dict[str, Target | None], unmapped: list[str], wave: Wave) -> None:
    """Raise for a missing id column, headers that map to nothing, or two columns on one target."""
    spec = wave.export
    headers = {normalise(h) for h in plan} | {normalise(h) for h in unmapped}
    if spec.respondent_id is not None and normalise(spec.respondent_id) not in headers:
        raise InputError(
            "no respondent id column",
            file=wave.export_path,
            column=spec.respondent_id,
            expected="the header named by export.respondent_id in wave.yaml (or null)",
        )
    if unmapped:
        raise InputError(
            f"{len(unmapped)} column(s) map to no codebook question: "
            + ", ".join(repr(h) for h in unmapped[:MAX_LISTED]),
            file=wave.export_path,
            expected="codebook ids or question wordings as headers, or entries under "
            "mapping.columns (or export.drop_columns) in wave.yaml",
        )
    seen = Counter((t.question.id, t.option) for t in plan.values() if t is not None)
    twice = sorted(f"{q}/{o}" if o else q for (q, o), n in seen.items() if n > 1)
    if twice:
        raise InputError(
            "several export columns map to the same question or option",
            file=wave.export_path,
            column=", ".join(twice),
        )


def plan_columns(raw: RawTable, wave: Wave, codebook: Codebook) -> dict[str, Target | None]:
    """Return, for every export header, its target (None: the id column or a dropped column).

    Raise one ``InputError`` listing every header that maps to nothing and every mapping entry
    that names an unknown question or option.
    """
    _check_mapping_entries(wave, codebook)
    matcher = _HeaderMatcher(raw, wave, codebook)
    plan: dict[str, Target | None] = {}
    unmapped = []
    for header in raw.frame.columns:
        target = matcher.target(header)
        if target is False:
            unmapped.append(header)
        else:
            plan[header] = target
    _check_targets(plan, unmapped, wave)
    return plan


def label_lookup(question: Question, wave: Wave) -> dict[str, str]:
    """Return normalised answer text -> option code: codes, labels in every language, mapping."""
    lookup = {}
    for option in question.options:
        lookup[normalise(option.code)] = option.code
        for label in option.labels.values():
            lookup[normalise(label)] = option.code
    for label, code in wave.mapping.labels.get(question.id, {}).items():
        lookup[normalise(label)] = code
    if question.type in ("single", "profile"):
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
