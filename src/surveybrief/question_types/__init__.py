"""The question types a codebook may use, one module each, registered on import.

Each module defines one ``KIND``: what the type is (several answers or one, a scale, a ranking,
free text, a respondent profile), which options and codebook keys it takes, and, where it
answers otherwise than the layers' common way, how it reads, checks, tabulates, describes and
charts its answers (the hooks of ``inputs.question_kind.QuestionKind``). A new type is one
module here plus its tests: importing this package registers every module in it.
"""

from __future__ import annotations

import importlib
import pkgutil

from surveybrief.inputs.question_kind import register_kind


def _register_all() -> None:
    """Import every type module of this package and register its ``KIND``."""
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        register_kind(importlib.import_module(f"{__name__}.{info.name}").KIND)


_register_all()
