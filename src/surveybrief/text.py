"""Texts made below the brief layer (reasons, notes), kept translatable.

The analysis and inputs layers say why something is not compared in English; the briefing
says it in the reader's language. A ``Phrase`` is the English text (it is a ``str``), with the
template and the values it was made from, so ``brief.i18n.translate`` can re-make it from the
template's translation; ``N_`` marks a template for the message extractor.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` as translatable where it is defined (translated where it is shown)."""
    return message


class Percent(float):
    """A share in percent (0-100), formatted in the reader's language where it is shown."""

    def __str__(self) -> str:
        return f"{float(self):.0f}%"


class Phrase(str):
    """An English text made from a template and values; translatable as a whole."""

    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Phrase:
        """Return the English text of ``template`` filled with ``params``."""
        text = super().__new__(cls, template.format(**{k: str(v) for k, v in params.items()}))
        text.template, text.params = template, params
        return text
