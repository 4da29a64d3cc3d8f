"""The briefing's languages: gettext message catalogs (via Babel) and CLDR formats.

Every sentence a reader sees is a whole message with placeholders (``_("Of the {n} experts
who answered, ...")``), never English words glued together, so translators can reorder it.
Catalogs are standard gettext ``.po`` files under ``brief/locale/<lang>/LC_MESSAGES/``
(``make messages`` extracts the messages from the code and updates them; translators use any
PO editor). Plural forms, numbers, percentages and dates follow the language's CLDR rules
through Babel: 1 эксперт, 2 эксперта, 5 экспертов; 56 %; 9–16 июня 2025 г.

The language is the current one of a context (``with language("ru"): ...``), so the brief
code asks for it where it formats and never passes it through every call.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache

from surveybrief.config import PACKAGE_DIR
from surveybrief.exceptions import InputError
from surveybrief.text import N_ as N_  # the one marker, re-exported for the brief layer
from surveybrief.text import Percent, Phrase

LANGUAGES = ("en", "ru", "kk")
#: The CLDR locale of each language (British English: "9–16 June 2025").
LOCALES = {"en": "en_GB", "ru": "ru", "kk": "kk"}
LOCALE_DIR = PACKAGE_DIR / "brief" / "locale"
DOMAIN = "surveybrief"
#: Functions whose string arguments are messages (for extraction): _, N_ and ngettext.
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
#: Where messages are: the package's code (the brief's texts, and reasons made below it).
METHODS = [("tools/**.py", "ignore"), ("**.py", "python")]

_current: ContextVar[str] = ContextVar("surveybrief_language", default="en")


@contextmanager
def language(lang: str) -> Iterator[str]:
    """Make ``lang`` the language of everything formatted inside the block."""
    if lang not in LANGUAGES:
        raise InputError("unknown language", value=lang, expected=", ".join(LANGUAGES))
    token = _current.set(lang)
    try:
        yield lang
    finally:
        _current.reset(token)


def current() -> str:
    """Return the language being formatted."""
    return _current.get()


def catalog_path(lang: str):
    """Return the .po file of ``lang``."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """Return the translations of ``lang`` (English: the messages themselves)."""
    if lang == "en":
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from babel.support import Translations

    with open(catalog_path(lang), "rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def _(message: str) -> str:
    """Return ``message`` in the current language."""
    return translations(current()).gettext(message)


def translate(text: object) -> str:
    """Return a text made below the brief layer (a ``Phrase``) in the current language."""
    if isinstance(text, Phrase):
        values = {k: translate(v) for k, v in text.params.items()}
        return _(text.template).format(**values)
    if isinstance(text, Percent):
        return fmt_pct(float(text))
    return str(text)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Return the form of a message for ``n`` (CLDR plural rules: ru one/few/many, kk one/other)."""
    return translations(current()).ngettext(singular, plural, n)


def locale():
    """Return the Babel locale of the current language."""
    from babel import Locale

    return Locale.parse(LOCALES[current()])


def fmt_pct(value: float, decimals: int = 0) -> str:
    """Return a percentage (0-100) as the language writes it: 56%, 56 %."""
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    text = format_percent(value / 100, format=pattern, locale=locale())
    return text.replace("%", "\u00a0%") if current() == "ru" else text


def sentence(text: str) -> str:
    """Return a text from wave.yaml as a sentence to join others: with its final full stop.

    "45 answered" joined before "Respondents in the data: 45." would run on without it.
    """
    text = text.strip()
    return (
        text
        if not text or text[-1] in ".!?…" or text.endswith((".)", ".»", '."', ".”"))
        else text + "."
    )


def fmt_decimal(value: float, decimals: int = 1) -> str:
    """Return a number with the language's decimal sign: 3.2, 3,2."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale())


def fmt_date(day: dt.date) -> str:
    """Return a date in the language's long form: 16 June 2025, 16 июня 2025 г."""
    from babel.dates import format_date

    return format_date(day, "long", locale=locale())


def fmt_date_range(start: dt.date, end: dt.date) -> str:
    """Return a span of days: 9–16 June 2025, 9–16 июня 2025 г., 2025 ж. 9–16 маусым."""
    from babel.dates import format_date

    if (start.year, start.month) != (end.year, end.month):
        return f"{fmt_date(start)} – {fmt_date(end)}"
    pattern = locale().date_formats["long"].pattern
    days = f"'{start.day}–{end.day}'"
    return format_date(end, pattern.replace("d", days, 1), locale=locale())


#: A call of a translation keyword: a file without one has no message to extract.
_MARKED = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, KEYWORDS)) + r")\(")


@cache
def extracted_messages() -> frozenset[str | tuple[str, str]]:
    """Return every message the code marks for translation (singular or plural pair).

    Once per process, from the files that call a keyword (outside tools/): babel reads
    only those, as ``make messages`` reads them all.
    """
    from babel.messages.extract import extract_from_file

    found = set()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        relative = path.relative_to(PACKAGE_DIR)
        if relative.parts[0] == "tools" or not _MARKED.search(path.read_text(encoding="utf-8")):
            continue
        for _line, message, _comments, _context in extract_from_file(
            "python", str(path), keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else tuple(message))
    return frozenset(found)


def missing_messages(lang: str) -> list[str]:
    """Return the messages ``lang``'s catalog does not translate (empty for English)."""
    if lang == "en":
        return []
    from babel.messages.pofile import read_po

    if not catalog_path(lang).is_file():
        return sorted(str(m) for m in extracted_messages())
    with open(catalog_path(lang), "rb") as handle:
        catalog = read_po(handle, locale=LOCALES[lang])
    missing = []
    for message in extracted_messages():
        key = message if isinstance(message, str) else message[0]
        entry = catalog.get(key)
        strings = [] if entry is None else entry.string
        strings = [strings] if isinstance(strings, str) else list(strings)
        if entry is None or entry.fuzzy or not strings or not all(strings):
            missing.append(key)
    return sorted(missing)


def check_languages(langs: list[str]) -> None:
    """Refuse a language whose catalog misses messages: never silent English."""
    for lang in langs:
        if lang not in LANGUAGES:
            raise InputError("unknown language", value=lang, expected=", ".join(LANGUAGES))
        missing = missing_messages(lang)
        if missing:
            raise InputError(
                f"{len(missing)} message(s) have no {lang} translation: "
                + "; ".join(repr(m) for m in missing[:5]),
                file=catalog_path(lang),
                expected="a translation of every message (make messages, then translate)",
            )
