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

from surveybrief.clean import platforms
from surveybrief.clean.platforms import ID_COLUMNS
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
    """What an export column holds: a question, an option, or an "Other, please specify" text."""

    question: Question
    option: str | None = None
    other_text: bool = False

    @property
    def key(self) -> tuple:
        """Return what the column fills (two columns may not fill the same)."""
        return (self.question.id, self.option, self.other_text)


#: The option part of a mapping target naming the "Other" free text (``<question>/other_text``).
OTHER_TEXT = "other_text"


def _parse_target(spec: str, codebook: Codebook) -> Target | None:
    qid, _, option = spec.replace("__", "/").partition("/")
    try:
        question = codebook.question(qid.strip())
    except KeyError:
        return None
    option = option.strip() or None
    if option == OTHER_TEXT:
        return Target(question, None, True) if question.other_option is not None else None
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


def id_header(raw: RawTable, wave: Wave) -> str | None:
    """Return the export's respondent id column, or None when rows are numbered instead.

    ``auto`` (the default) takes ``respondent_id`` or a platform's own id (Kobo ``_uuid``,
    Qualtrics ``ResponseId``) when the export has one.
    """
    wanted = wave.export.respondent_id
    if wanted is None:
        return None
    names = [wanted] if wanted != "auto" else list(ID_COLUMNS)
    for name in names:
        found = [h for h in raw.frame.columns if normalise(h) == normalise(name)]
        if found:
            return found[0]
    if wanted == "auto":
        return None
    raise InputError(
        "no respondent id column",
        file=wave.export_path,
        column=wanted,
        expected="the header named by export.respondent_id in wave.yaml (or null, or auto)",
    )


class HeaderMatcher:
    """Finds what an export header holds: by mapping entry, codebook id, wording or label.

    Kobo's group paths (``group/question``, ``group/question/option``), Qualtrics' second header
    row (``wording - choice``) and the platforms' own columns are understood without mapping.
    """

    def __init__(self, raw: RawTable, wave: Wave, codebook: Codebook) -> None:
        spec = wave.export
        self.raw, self.codebook = raw, codebook
        self.by_column = {normalise(c): c for c in codebook.columns}
        self.by_wording = {normalise(t): q for q in codebook.questions for t in q.wordings.values()}
        self.mapping = {normalise(h): t for h, t in wave.mapping.columns.items()}
        self.ignored = {normalise(h) for h in spec.drop_columns}
        respondent = id_header(raw, wave)
        if respondent is not None:
            self.ignored.add(normalise(respondent))
        self.pii = {normalise(h) for h in spec.pii_columns}

    def _by_path(self, key: str) -> Target | None:
        """Return the target of a Kobo header: its last segment an id, or the last two q/option.

        Kobo writes the text of an "or_other" choice as ``group/<question>_other``.
        """
        parts = key.split("/")
        if len(parts) < 2:
            return None
        last = parts[-1]
        specs = ["/".join(parts[-2:]), last]
        if last.endswith("_other"):
            specs.append(f"{last.removesuffix('_other')}/{OTHER_TEXT}")
        found = (_parse_target(spec, self.codebook) for spec in specs)
        return next((t for t in found if t is not None), None)

    def _by_text_label(self, label: str) -> Target | None:
        """Return the "Other" text of a Qualtrics column labelled "<wording> - <Other> - Text"."""
        head, sep, tail = label.rpartition(" - ")
        option = self._by_choice_label(head) if sep and tail == "text" else None
        if option is None or option.question.other_option is None:
            return None
        is_other = option.option == option.question.other_option.code
        return Target(option.question, None, True) if is_other else None

    def _by_choice_label(self, label: str) -> Target | None:
        """Return the option of a multi-select column labelled "<wording> - <choice>"."""
        wording, sep, choice = label.rpartition(" - ")
        question = self.by_wording.get(wording) if sep else None
        if question is None or question.type != "multi":
            return None
        code = label_lookup(question, None).get(choice)
        return Target(question, code) if code in question.codes else None

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
        by_text = (
            self._by_path(key)
            or self._by_text_label(label)
            or self._by_choice_label(label)
            or self._by_choice_label(key)
        )
        if by_text is not None:
            return by_text
        if key in self.by_wording or label in self.by_wording:
            return Target(self.by_wording.get(key) or self.by_wording[label])
        if platforms.is_meta(header):
            return None  # the platform's own column: no answer
        if key in self.pii or is_pii_header(header) or platforms.is_personal(header):
            return None  # personal data: never read further
        return False


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
    twice = sorted(
        f"{q}/{OTHER_TEXT}" if other else f"{q}/{o}" if o else q
        for (q, o, other), n in seen.items()
        if n > 1
    )
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
    matcher = HeaderMatcher(raw, wave, codebook)
    plan: dict[str, Target | None] = {}
    unmapped = []
    for header in raw.frame.columns:
        target = matcher.target(header)
        if target is False:
            unmapped.append(header)
        else:
            plan[header] = target
    split = {t.question.id for t in plan.values() if t is not None and t.option is not None}
    for header, target in plan.items():  # Kobo: the one-cell column beside the split ones
        one_cell = target is not None and target.option is None and not target.other_text
        if one_cell and target.question.id in split:
            plan[header] = None
    _check_targets(plan, unmapped, wave)
    return plan


def label_lookup(question: Question, wave: Wave | None) -> dict[str, str]:
    """Return normalised answer text -> option code: codes, labels in every language, mapping."""
    lookup = {}
    for option in question.options:
        lookup[normalise(option.code)] = option.code
        for label in option.labels.values():
            lookup[normalise(label)] = option.code
    for label, code in (wave.mapping.labels.get(question.id, {}) if wave else {}).items():
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
