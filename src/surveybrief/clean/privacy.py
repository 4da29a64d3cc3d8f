"""Respondent privacy at ingest: PII columns dropped, ids pseudonymised, open text scrubbed.

Experts answered under a promise of anonymity. Before anything is written (processed data,
tables, quarantine, notebooks, briefing) the export's name, e-mail and phone columns are
dropped, respondent ids become stable pseudonyms, and open-ended answers lose e-mail addresses,
phone numbers, URLs and the names of the wave's respondents (from an optional roster).
"""

from __future__ import annotations

import csv
import difflib
import hashlib
import re
from pathlib import Path

from surveybrief.exceptions import InputError

#: Export headers treated as personal data when no codebook question claims them: the whole
#: header names a personal field ("Email", "Your name", "Phone number", "IP address"); a
#: question or option that merely mentions such a word is not one (it must map or be listed).
PII_HEADER = re.compile(
    r"^(your |respondent'?s? |contact )?(e-?mail( address)?|(full |first |last |given |family )?"
    r"name|surname|(mobile |tele)?phone( number)?|mobile|telephone|ip ?address|"
    r"location ?(latitude|longitude)|эл\.? ?почта|электронная почта|телефон|имя|фамилия|фио|"
    r"аты|тегі|аты-жөні|электрондық пошта)[\s:?*.]*$",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']*[^\s<>()\"'.,;:!?]", re.IGNORECASE)
#: A 12-digit national identity number (Kazakhstan's IIN/BIN, and the like).
NATIONAL_ID = re.compile(r"(?<![\w+])\d{12}(?!\w)")
PHONE = re.compile(r"(?<![\w/])\+?\(?\d(?:[\s().-]*\d){8,}(?!\w)")


#: Headers of columns holding people's names, whatever the platform (they scrub open answers).
NAME_HEADER = re.compile(
    r"^(your |respondent'?s? )?((full |first |last |given |family )?name|surname|имя|фамилия|"
    r"фио|аты|тегі|аты-жөні|name and surname|имя и фамилия)[\s:?*.]*$",
    re.IGNORECASE,
)


def is_name_header(header: str) -> bool:
    """Return True for a header such as 'Name', 'Full name', 'Фамилия' (names of people)."""
    return bool(NAME_HEADER.match(re.sub(r"\s+", " ", header).strip()))


def is_pii_header(header: str) -> bool:
    """Return True for headers such as 'Email Address', 'Name', 'Phone number', 'IPAddress'."""
    return bool(PII_HEADER.match(re.sub(r"\s+", " ", header).strip()))


def pseudonym(salt: str, raw_id: str) -> str:
    """Return a stable pseudonym for a respondent id (same salt and id, same pseudonym)."""
    digest = hashlib.sha256(f"{salt}\x00{raw_id.strip()}".encode()).hexdigest()
    return f"P{digest[:12]}"


def pseudonyms(salt: str, raw_ids) -> list[str | None]:
    """Return :func:`pseudonym` of each id, and None for a missing or blank id."""
    return [None if i is None or not i.strip() else pseudonym(salt, i) for i in raw_ids]


def load_roster(path: Path) -> list[str]:
    """Return the names (and e-mails) listed in a roster CSV with a 'name' column."""
    if not path.is_file():
        raise InputError("roster file not found", file=path, expected="the file named in wave.yaml")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = {f.strip().lower(): f for f in reader.fieldnames or []}
        if "name" not in fields:
            raise InputError("roster has no 'name' column", file=path, expected="a header 'name'")
        entries = []
        for row in reader:
            for key in ("name", "email"):
                if key in fields and (row.get(fields[key]) or "").strip():
                    entries.append(row[fields[key]].strip())
    return entries


#: A name's last letter that Russian and Kazakh inflection replaces (Алиева -> Алиевой).
FINAL_VOWEL = re.compile(r"[аяеиоыуюэәөұүіaeiouy]$", re.IGNORECASE)


def _inflected(part: str) -> str:
    """Return a pattern for a name part in any case form: ``Петров``, ``Петровым``, ``Алиевой``.

    A part of five letters or more matches its stem (a final vowel dropped) followed by up
    to four letters; a shorter one matches only as written.
    """
    if len(part) < 5:
        return re.escape(part)
    stem = part[:-1] if FINAL_VOWEL.search(part) else part
    return re.escape(stem) + r"\w{0,4}"


def _name_patterns(names: list[str]) -> list[re.Pattern]:
    """Return patterns for whole names (either order) first, then each part in any form."""
    whole, parts = set(), set()
    for name in names:
        words = name.split()
        whole.add(re.escape(name))
        if len(words) > 1 and "@" not in name:
            whole.add(re.escape(" ".join(reversed(words))))
            parts.update(_inflected(p) for p in words if len(p) >= 4)
        elif "@" not in name and len(name) >= 4:
            parts.add(_inflected(name))
    ordered = sorted(whole, key=len, reverse=True) + sorted(parts, key=len, reverse=True)
    return [re.compile(rf"(?<!\w){t}(?!\w)", re.IGNORECASE) for t in ordered]


#: Russian and Kazakh letters in Latin (names match across scripts: Алиева ~ Aliyeva).
LATIN = str.maketrans(
    {
        "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
        "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y", "і": "i", "к": "k", "қ": "k",
        "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h",
        "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e",
        "ю": "yu", "я": "ya",
    }
)  # fmt: skip
WORD = re.compile(r"\w{4,}")
#: A social-media handle, and a passport-like number (letters then 6 to 9 digits).
HANDLE = re.compile(r"(?<![\w.])@[A-Za-z0-9_.]{2,}")
DOCUMENT = re.compile(r"(?<!\w)[A-Z]{1,2} ?\d{6,9}(?!\w)")


#: Spellings that romanisations of one name differ by (Aliyeva, Alieva; Kh, H).
SPELLINGS = (("iy", "i"), ("yu", "u"), ("ya", "a"), ("yo", "o"), ("ye", "e"), ("kh", "h"),
             ("dzh", "j"), ("zh", "j"))  # fmt: skip


def _latin(word: str) -> str:
    """Return a word in Latin letters as names are compared (``Алиевой`` -> ``alievoy``)."""
    latin = word.casefold().translate(LATIN)
    for written, plain in SPELLINGS:
        latin = latin.replace(written, plain)
    return latin


def _stems(names: list[str]) -> dict[str, list[str]]:
    """Return the Latin stems of the name parts of four letters or more, by their first three."""
    stems: dict[str, set[str]] = {}
    for name in names:
        for part in name.split():
            if len(part) >= 4 and "@" not in part:
                latin = _latin(part)
                stem = latin[:-1] if len(latin) >= 5 and latin[-1] in "aeiouy" else latin
                stems.setdefault(stem[:3], set()).add(stem)
    return {k: sorted(v) for k, v in stems.items()}


def _is_name(word: str, stems: dict[str, list[str]]) -> bool:
    """Return True when a word is a name in another script or case form (a stem, +4 letters)."""
    latin = _latin(word)
    for stem in stems.get(latin[:3], ()):
        if 0 <= len(latin) - len(stem) <= 4 or (len(stem) - len(latin) == 1):
            head = latin[: len(stem)]
            if difflib.SequenceMatcher(None, stem, head).ratio() >= 0.85:
                return True
    return False


class Scrubber:
    """Remove e-mails, URLs, phones, handles, document numbers and known names from text.

    Names (from a roster or the export's name columns) are found as written, in their Russian
    and Kazakh case forms, and in the other script (a Latin name written in Cyrillic).
    """

    def __init__(self, roster_names: list[str] | None = None) -> None:
        self.patterns = _name_patterns(roster_names or [])
        self.stems = _stems(roster_names or [])

    def __call__(self, text: str) -> str:
        """Return ``text`` with personal data replaced by [email], [url], [id], [phone], [name]."""
        text = EMAIL.sub("[email]", text)
        text = URL.sub("[url]", text)
        text = HANDLE.sub("[handle]", text)
        text = NATIONAL_ID.sub("[id]", text)
        text = DOCUMENT.sub("[id]", text)
        text = PHONE.sub("[phone]", text)
        for pattern in self.patterns:
            text = pattern.sub("[name]", text)
        if self.stems:
            text = WORD.sub(lambda m: "[name]" if _is_name(m[0], self.stems) else m[0], text)
        return text
