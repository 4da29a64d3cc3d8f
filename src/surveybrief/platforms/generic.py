"""A table no platform claims: one row per respondent, headers that are codebook ids or wordings.

Made by hand or by a tool this package does not know. Nothing is assumed about it: a header
must be a codebook id (``q``, ``q__option``, ``q__other_text``), a path ``q/option``, a
question's wording, or be mapped in wave.yaml; several choices in one cell must be separated
by ", " (or another separator that fits every cell, which is then reported).
"""

from __future__ import annotations

from surveybrief.platforms.base import Platform


class Generic(Platform):
    """An export without a platform's marks."""

    name = "generic"
    title = "a table with one row per respondent (no platform recognised)"
    settings = (
        "one header row of codebook ids (`q`, `q__option`) or question wordings; several "
        'choices in one cell separated by ", "'
    )
    multi_separators = (", ",)


PLATFORM = Generic()
