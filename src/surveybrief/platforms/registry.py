"""The registered platforms, and which one wrote an export.

Every module of this package but ``base`` and ``registry`` defines one ``PLATFORM``; they are
found here by walking the package, so a new platform is one new module. An export is claimed
by exactly one platform's ``detect``, or by none (a hand-made table, read as ``generic``);
two claims, or a platform wave.yaml names that does not exist, are errors, never a guess.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from pathlib import Path

from surveybrief.exceptions import InputError
from surveybrief.platforms.base import Head, Platform

#: Modules of the package that are not platforms.
_NOT_PLATFORMS = {"base", "registry"}
#: The platform of an export no platform claims: headers are codebook ids or wordings.
GENERIC = "generic"


@cache
def platforms() -> dict[str, Platform]:
    """Return every registered platform by name (``generic`` among them)."""
    import surveybrief.platforms as package

    found: dict[str, Platform] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name in _NOT_PLATFORMS:
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        platform = module.PLATFORM
        found[platform.name] = platform
    return found


def platform_named(name: str, *, file: Path | None = None) -> Platform:
    """Return the platform wave.yaml names; raise naming the known ones."""
    known = platforms()
    if name not in known:
        raise InputError(
            "unknown platform",
            file=file,
            column="export.platform",
            value=name,
            expected=" | ".join(["auto", *sorted(known)]),
        )
    return known[name]


def detect_platform(head: Head, *, file: Path | None = None) -> Platform:
    """Return the one platform whose export ``head`` is (``generic`` when none claims it).

    A .sav file is SPSS's, whatever tool wrote it (the SPSS adapter knows their columns).
    """
    if head.format == "sav":
        return platforms()["spss"]
    claims = [p for n, p in platforms().items() if n != GENERIC and p.detect(head)]
    if len(claims) > 1:
        raise InputError(
            "the export looks like the export of several platforms: "
            + ", ".join(p.title for p in claims),
            file=file,
            column="export.platform",
            expected="export.platform in wave.yaml naming the one that wrote it ("
            + " | ".join(p.name for p in claims)
            + ")",
        )
    return claims[0] if claims else platforms()[GENERIC]
