"""Kazakh case endings after numbers: "42-ден 69-ға дейін", not one ending for every number.

A Kazakh case ending follows the sound of the word it is attached to: its last vowel (back
a/ы/о/ұ or front е/і/ө/ү/ә) and its last sound (a vowel or voiced consonant, a voiceless one,
a nasal). A number is read aloud, so the ending of "69" is that of "тоғыз" (nine): -дан,
-ға; of "42" that of "екі": -ден, -ге; of "56%" that of "пайыз": -дан, -ға. The catalogs write
one ending after a placeholder ("{low}-ден"); ``harmonise`` gives each number its own, in the
text as shown, for the ablative (-дан) and the dative (-ға).
"""

from __future__ import annotations

import re

#: The last word read aloud of a units digit, tens digit, and of round numbers: is its vowel
#: back, and how does it end (vowel or voiced consonant, voiceless consonant, nasal).
UNITS = {
    1: (False, "voiced"),  # бір
    2: (False, "vowel"),  # екі
    3: (False, "voiceless"),  # үш
    4: (False, "voiceless"),  # төрт
    5: (False, "voiceless"),  # бес
    6: (True, "vowel"),  # алты
    7: (False, "vowel"),  # жеті
    8: (False, "voiced"),  # сегіз
    9: (True, "voiced"),  # тоғыз
}
TENS = {
    1: (True, "nasal"),  # он
    2: (True, "vowel"),  # жиырма
    3: (True, "voiced"),  # отыз
    4: (True, "voiceless"),  # қырық
    5: (False, "vowel"),  # елу
    6: (True, "voiceless"),  # алпыс
    7: (False, "voiceless"),  # жетпіс
    8: (False, "nasal"),  # сексен
    9: (True, "nasal"),  # тоқсан
}
ZERO, HUNDRED, THOUSAND = (False, "voiced"), (False, "voiced"), (True, "nasal")  # нөл, жүз, мың
PERCENT = (True, "voiced")  # пайыз
#: The endings: ablative and dative, back and front, by how the word ends.
ABLATIVE = {"vowel": "д", "voiced": "д", "voiceless": "т", "nasal": "н"}
DATIVE = {"vowel": "ғг", "voiced": "ғг", "nasal": "ғг", "voiceless": "қк"}
SUFFIX = re.compile(
    r"(?P<number>\d+(?:[.,]\d+)?)(?P<percent>\s?%)?-(?P<ending>[дтн][ае]н|[ғгқк][ае])"
    r"(?![а-яёәғқңөұүһі])",
    re.IGNORECASE,
)


def sound(number: str) -> tuple[bool, str]:
    """Return how the last word of ``number`` read aloud sounds (back vowel?, its ending)."""
    digits = re.sub(r"\D", "", number.rstrip("0") if re.search(r"[.,]", number) else number)
    n = int(digits or "0")
    if n == 0:
        return ZERO
    if n % 10:
        return UNITS[n % 10]
    if n % 100:
        return TENS[n % 100 // 10]
    return HUNDRED if n % 1000 else THOUSAND


def ending(word: tuple[bool, str], ablative: bool) -> str:
    """Return the ablative (-дан) or dative (-ға) ending that follows ``word``."""
    back, kind = word
    if ablative:
        return ABLATIVE[kind] + ("ан" if back else "ен")
    consonant = DATIVE[kind][0 if back else 1]
    return consonant + ("а" if back else "е")


def harmonise(text: str) -> str:
    """Return ``text`` with each case ending after a number (or a percentage) made to agree."""

    def agree(m: re.Match) -> str:
        word = PERCENT if m["percent"] else sound(m["number"])
        ablative = m["ending"].lower().endswith("н")
        return f"{m['number']}{m['percent'] or ''}-{ending(word, ablative)}"

    return SUFFIX.sub(agree, text)
