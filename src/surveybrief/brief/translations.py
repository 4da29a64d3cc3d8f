"""Check, before a run in Russian or Kazakh, that every text a reader sees is translated.

The message catalogs cover the code's sentences; the codebook (titles, wordings, notes, option
and theme labels) and wave.yaml (title, sponsor, population, sample, mode, weighting,
limitations, the reconstruction's method) cover the survey's own words. A missing translation
stops the run with the list of what is missing: never silent English.
"""

from __future__ import annotations

from surveybrief.brief.i18n import check_languages
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.wave import Wave

#: How many missing keys an error lists (the count says how many there are in all).
LISTED = 8


def codebook_gaps(codebook: Codebook, lang: str) -> list[str]:
    """Return the codebook texts that have no ``lang`` version, as dotted keys."""
    gaps = [] if codebook.titles.get(lang) else ["title"]
    gaps += [f"{s.id}.title" for s in codebook.sections if not s.titles.get(lang)]
    for q in codebook.questions:
        gaps += [f"{q.id}.title"] if not q.titles.get(lang) else []
        gaps += [f"{q.id}.wording"] if not q.wordings.get(lang) else []
        gaps += [f"{q.id}.note"] if q.notes and not q.notes.get(lang) else []
        gaps += [f"{q.id}.{o.code}" for o in q.options if not o.labels.get(lang)]
        for frame in (q.frame, q.other_frame):
            gaps += [
                f"{q.id}.theme.{t.code}"
                for t in (frame.themes if frame else ())
                if not t.labels.get(lang)
            ]
    if codebook.wording_notes and not codebook.wording_notes.get(lang):
        gaps.append("wording_note")
    return gaps


def wave_gaps(wave: Wave, lang: str) -> list[str]:
    """Return the wave.yaml texts that have no ``lang`` version."""
    names = ["title", "sponsor", "population", "mode", "weighting", "sample_description"]
    names += ["sampling"] if wave.sampling else []
    names = [n for n in names if n not in wave.defaulted]  # said as "not stated", translated
    gaps = [n for n in names if not wave.translations.get(n, {}).get(lang)]
    if wave.limitations and not wave.translations.get("limitations", {}).get(lang):
        gaps.append("limitations")
    method = wave.reconstruction.get("method")
    if wave.is_reconstructed and method and not (isinstance(method, dict) and method.get(lang)):
        gaps.append("reconstruction.method")
    return gaps


def check_translations(langs: tuple[str, ...], codebook: Codebook, wave: Wave) -> None:
    """Refuse a run whose languages miss any message, codebook text or wave text."""
    check_languages(list(langs))
    for lang in langs:
        if lang == "en":
            continue
        for where, gaps in (
            (codebook.path, codebook_gaps(codebook, lang)),
            (wave.path, wave_gaps(wave, lang)),
        ):
            if gaps:
                raise InputError(
                    f"{len(gaps)} text(s) have no {lang} translation: " + ", ".join(gaps[:LISTED]),
                    file=where,
                    expected=f"a {lang} text beside each en one ({{en: ..., {lang}: ...}})",
                )
