"""Show a notebook's HTML once per briefing language, each output tagged with its language.

Notebooks run once; their ``show`` formats the same results in every language of the run
(``langs``, e.g. "en,ru,kk"), so rendering the briefing in Russian or Kazakh repeats no
computation: ``brief.report`` keeps, per language, the outputs tagged with it. An output is
also tagged with the document it belongs to: the full report, or the short brief.
"""

from __future__ import annotations

from collections.abc import Callable

from surveybrief.brief.i18n import LANGUAGES, language
from surveybrief.brief.kazakh import harmonise
from surveybrief.exceptions import InputError

#: Where a displayed output's language is kept in the notebook (output metadata).
LANG_KEY = "surveybrief_lang"
#: Where a displayed output's document is kept: REPORT_DOC (untagged outputs too) or BRIEF_DOC.
DOC_KEY = "surveybrief_doc"
REPORT_DOC, BRIEF_DOC = "report", "brief"


def parse_langs(langs: str | tuple | list) -> tuple[str, ...]:
    """Return the languages of a run from "en,ru,kk" (the first is the default)."""
    found = tuple(
        dict.fromkeys(
            p.strip() for p in (langs.split(",") if isinstance(langs, str) else langs) if p.strip()
        )
    )
    unknown = [lang for lang in found if lang not in LANGUAGES]
    if not found or unknown:
        raise InputError("unknown briefing language", value=langs, expected=", ".join(LANGUAGES))
    return found


def show_html(
    langs: tuple[str, ...], render: Callable[[], list[str]], doc: str = REPORT_DOC
) -> None:
    """Display ``render()``'s HTML fragments in each language, tagged with it and ``doc``.

    Kazakh text has its case endings after numbers made to agree (``kazakh.harmonise``).
    """
    from IPython.display import HTML, display

    for lang in langs:
        with language(lang):
            for html in render():
                shown = harmonise(html) if lang == "kk" else html
                display(HTML(shown), metadata={LANG_KEY: lang, DOC_KEY: doc})
