"""Show a notebook's HTML once per briefing language, each output tagged with its language.

Notebooks run once; their ``show`` formats the same results in every language of the run
(``langs``, e.g. "en,ru,kk"), so rendering the briefing in Russian or Kazakh repeats no
computation: ``brief.report`` keeps, per language, the outputs tagged with it.
"""

from __future__ import annotations

from collections.abc import Callable

from surveybrief.brief.i18n import LANGUAGES, language
from surveybrief.exceptions import InputError

#: Where a displayed output's language is kept in the notebook (output metadata).
LANG_KEY = "surveybrief_lang"


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


def show_html(langs: tuple[str, ...], render: Callable[[], list[str]]) -> None:
    """Display ``render()``'s HTML fragments in each language, tagged with it."""
    from IPython.display import HTML, display

    for lang in langs:
        with language(lang):
            for html in render():
                display(HTML(html), metadata={LANG_KEY: lang})
