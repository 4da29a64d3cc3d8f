"""``make messages``: extract the briefing's messages and update the ru and kk catalogs.

Uses Babel's extractor and catalog update (what ``pybabel extract`` / ``pybabel update`` do),
so translations already made are kept, messages no longer in the code are marked obsolete and
new ones arrive empty, for translators to fill in any PO editor.
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.brief.i18n import (
    DOMAIN,
    KEYWORDS,
    LANGUAGES,
    LOCALE_DIR,
    LOCALES,
    METHODS,
    catalog_path,
)
from surveybrief.config import PACKAGE_DIR


def template():
    """Return the catalog template: every message the brief code marks, with its places."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    catalog = Catalog(project="surveybrief", domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR),
        method_map=METHODS,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def update_catalogs() -> list[Path]:
    """Write brief/locale/messages.pot and update each language's .po from it."""
    from babel.messages.pofile import read_po, write_po

    pot = template()
    written = []
    with open(LOCALE_DIR / f"{DOMAIN}.pot", "wb") as handle:
        write_po(handle, pot, width=100, sort_by_file=True)
    written.append(LOCALE_DIR / f"{DOMAIN}.pot")
    for lang in LANGUAGES:
        if lang == "en":
            continue
        path = catalog_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_file():
            with open(path, "rb") as handle:
                catalog = read_po(handle, locale=LOCALES[lang])
        else:
            from babel.messages.catalog import Catalog

            catalog = Catalog(locale=LOCALES[lang], domain=DOMAIN, project="surveybrief")
        catalog.update(pot, no_fuzzy_matching=True)
        with open(path, "wb") as handle:
            write_po(handle, catalog, width=100, sort_by_file=True, ignore_obsolete=True)
        written.append(path)
    return written
