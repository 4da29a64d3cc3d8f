"""Code frames of open answers: themes with stable codes, labels by language, keyword rules.

A frame belongs to a text question (``frame:`` in the codebook) or to the "Other, please
specify" text of a question (``other_frame:``). Keyword rules give a first automatic pass:
each keyword is a word stem, matched at the start of a word whatever follows (``вод`` finds
вода, воды, водных; ``integrat`` finds integration, integrated), case and ё/е ignored; a
keyword of several words matches them in sequence. Human coders then decide (``coding``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from surveybrief.exceptions import InputError
from surveybrief.inputs.yamlio import check_keys, require

#: The code a coder gives an answer that fits no theme (it counts as commented, no theme).
NO_THEME = "no_theme"
FRAME_KEYS = frozenset({"themes"})
THEME_KEYS = frozenset({"code", "label", "keywords"})
CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def fold(text: str) -> str:
    """Return text for keyword matching: case-folded, ё as е."""
    return text.casefold().replace("ё", "е")


@dataclass(frozen=True)
class Theme:
    """One theme of a code frame."""

    code: str
    labels: dict[str, str]
    keywords: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        """Return the label in ``lang``, falling back to English."""
        return self.labels.get(lang) or self.labels["en"]

    @cached_property
    def pattern(self) -> re.Pattern | None:
        """Return the regular expression of the keywords (None without keywords), built once."""
        stems = sorted({fold(k) for words in self.keywords.values() for k in words}, key=len)
        if not stems:
            return None
        parts = [r"\s+".join(re.escape(w) for w in s.split()) + r"\w*" for s in reversed(stems)]
        return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")

    def matches(self, text: str) -> bool:
        """Return True if the keyword rules find this theme in ``text``."""
        pattern = self.pattern
        return bool(pattern and pattern.search(fold(text)))


@dataclass(frozen=True)
class CodeFrame:
    """The themes of one open question."""

    themes: tuple[Theme, ...]

    @property
    def codes(self) -> list[str]:
        """Return the theme codes in frame order."""
        return [t.code for t in self.themes]

    def theme(self, code: str) -> Theme:
        """Return the theme with ``code``."""
        return next(t for t in self.themes if t.code == code)


def parse_frame(raw: object, *, file: Path, where: str) -> CodeFrame:
    """Return a checked code frame from its codebook entry."""
    if not isinstance(raw, dict):
        raise InputError(f"{where}: a code frame is a mapping with themes", file=file, value=raw)
    check_keys(raw, FRAME_KEYS, file=file, where=where)
    themes = []
    for entry in require(raw, "themes", file=file, where=where, kind=list):
        code = str(require(entry, "code", file=file, where=where))
        at = f"{where} theme {code!r}"
        check_keys(entry, THEME_KEYS, file=file, where=at)
        if not CODE_PATTERN.match(code) or code == NO_THEME:
            raise InputError(
                f"{at}: invalid theme code", file=file, value=code,
                expected=f"lower-case letters, digits and _ (not the reserved {NO_THEME})",
            )  # fmt: skip
        labels = require(entry, "label", file=file, where=at, kind=dict)
        if not str(labels.get("en", "")).strip():
            raise InputError(f"{at}: needs an English label", file=file, column="label.en")
        keywords = entry.get("keywords") or {}
        if not isinstance(keywords, dict):
            raise InputError(f"{at}: keywords are lists by language", file=file, value=keywords)
        themes.append(
            Theme(
                code=code,
                labels={str(k): str(v) for k, v in labels.items()},
                keywords={str(k): tuple(str(w) for w in v or ()) for k, v in keywords.items()},
            )
        )
    codes = [t.code for t in themes]
    if not themes or len(set(codes)) != len(codes):
        raise InputError(f"{where}: themes need distinct codes", file=file, value=codes)
    return CodeFrame(tuple(themes))
