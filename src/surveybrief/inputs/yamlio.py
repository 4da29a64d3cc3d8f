"""Read YAML files with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from surveybrief.exceptions import InputError

#: libyaml's safe loader when PyYAML was built with it (ten times faster), else the Python one.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(path: Path) -> Any:
    """Parse a YAML file; a missing file or a syntax error becomes an ``InputError``."""
    path = Path(path)
    if not path.is_file():
        raise InputError("file not found", file=path, expected="a YAML file")
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", file=path, expected="a UTF-8 YAML file") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(f"YAML syntax error: {problem}", file=path, row=row) from exc


def require(mapping: dict, key: str, *, file: Path, where: str, kind: type | tuple = object):
    """Return ``mapping[key]``, raising an ``InputError`` that names the entry if it is absent."""
    if not isinstance(mapping, dict) or key not in mapping:
        raise InputError(f"{where}: missing key {key!r}", file=file, expected=f"a {key!r} entry")
    value = mapping[key]
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InputError(
            f"{where}: key {key!r} has the wrong type", file=file, value=value, expected=names
        )
    return value


def check_keys(mapping: dict, known: set[str] | frozenset[str], *, file: Path, where: str) -> None:
    """Refuse keys a file's entry does not know (a typo would otherwise be silently ignored)."""
    unknown = sorted(str(k) for k in mapping if k not in known)
    if unknown:
        raise InputError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}",
            file=file,
            column=where,
            expected="one of " + ", ".join(sorted(known)),
        )
