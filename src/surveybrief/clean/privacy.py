"""Respondent privacy at ingest: PII columns dropped, ids pseudonymised, open text scrubbed.

Experts answered under a promise of anonymity. Before anything is written (processed data,
tables, quarantine, notebooks, briefing) the export's name, e-mail and phone columns are
dropped, respondent ids become stable pseudonyms, and open-ended answers lose e-mail addresses,
phone numbers, URLs and the names of the wave's respondents (from an optional roster).
"""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

from surveybrief.exceptions import InputError

#: Export headers treated as personal data when no codebook question claims them.
PII_HEADER = re.compile(
    r"(^|[\s_/-])(e-?mail|email address|name|full name|first name|last name|surname|phone|"
    r"telephone|mobile|ip ?address|ipaddress|location ?latitude|location ?longitude)($|[\s_/-])",
    re.IGNORECASE,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
URL = re.compile(r"\b(?:https?://|www\.)[^\s<>()\"']*[^\s<>()\"'.,;:!?]", re.IGNORECASE)
#: A 12-digit national identity number (Kazakhstan's IIN/BIN, and the like).
NATIONAL_ID = re.compile(r"(?<![\w+])\d{12}(?!\w)")
PHONE = re.compile(r"(?<![\w/])\+?\(?\d(?:[\s().-]*\d){8,}(?!\w)")


#: Headers of columns holding people's names, whatever the platform (they scrub open answers).
NAME_HEADER = re.compile(
    r"^(name|full name|first name|last name|surname|given name|family name|respondent name|"
    r"имя|фамилия|фио|аты|тегі|аты-жөні)$",
    re.IGNORECASE,
)


def is_name_header(header: str) -> bool:
    """Return True for a header such as 'Name', 'Full name', 'Фамилия' (names of people)."""
    return bool(NAME_HEADER.match(re.sub(r"\s+", " ", header).strip()))


def is_pii_header(header: str) -> bool:
    """Return True for headers such as 'Email Address', 'Name', 'Phone number', 'IPAddress'."""
    return bool(PII_HEADER.search(header.strip()))


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


def _name_patterns(names: list[str]) -> list[re.Pattern]:
    terms = set()
    for name in names:
        if "@" in name:
            terms.add(name)
            continue
        parts = name.split()
        terms.add(name)
        if len(parts) > 1:
            terms.add(" ".join(reversed(parts)))
        terms.update(p for p in parts if len(p) >= 4)
    ordered = sorted(terms, key=len, reverse=True)
    return [re.compile(rf"(?<!\w){re.escape(t)}(?!\w)", re.IGNORECASE) for t in ordered]


class Scrubber:
    """Remove e-mails, URLs, phone numbers and roster names from open-ended text."""

    def __init__(self, roster_names: list[str] | None = None) -> None:
        self.patterns = _name_patterns(roster_names or [])

    def __call__(self, text: str) -> str:
        """Return ``text`` with personal data replaced by [email], [url], [id], [phone], [name]."""
        text = EMAIL.sub("[email]", text)
        text = URL.sub("[url]", text)
        text = NATIONAL_ID.sub("[id]", text)
        text = PHONE.sub("[phone]", text)
        for pattern in self.patterns:
            text = pattern.sub("[name]", text)
        return text
