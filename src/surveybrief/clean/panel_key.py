"""The panel key: links the same expert across waves without keeping who they are.

A wave that declares ``panel: {link_by: <column>}`` (an e-mail, a token, a platform contact id)
gets a ``panel_id`` per respondent: HMAC-SHA256 of the normalised identifier under a secret key
kept outside the repository and the outputs: ``SURVEYBRIEF_PANEL_KEY`` in the environment, or
the key file ``$XDG_CONFIG_HOME/surveybrief/panel.key`` (``~/.config/...``), created (mode
0600, 32 random bytes) the first time a panel wave is cleaned. Without the key nothing
processed or published can be joined back to the identifiers, not even by trying every e-mail
address one can think of. The same key gives the same ``panel_id`` in every wave; a run whose
earlier waves were published linked with a key refuses to go on without that same key (their
experts would no longer be linked), and names what to restore. The key's fingerprint (not the
key) enters the run's cache key, its record and the cleaning report, so a changed key is
never served from the cache.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from surveybrief.exceptions import InputError

#: The environment variable that holds the key (any text; it wins over the key file).
KEY_ENV = "SURVEYBRIEF_PANEL_KEY"


def key_file() -> Path:
    """Return where the key is kept: the user's configuration folder, never the project."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "surveybrief" / "panel.key"


def existing_key() -> bytes | None:
    """Return the key from the environment or the key file, or None when there is none."""
    given = os.environ.get(KEY_ENV, "").strip()
    if given:
        return given.encode("utf-8")
    path = key_file()
    if path.is_file():
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text.encode("utf-8")
    return None


def new_key() -> bytes:
    """Create the key file (32 random bytes, hex, readable by its owner only) and return it."""
    path = key_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = secrets.token_hex(32)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(text + "\n")
    return text.encode("utf-8")


def panel_key(wave_id: str, linked_with: dict[str, str] | None = None) -> bytes:
    """Return the key for ``wave_id``; make one on first use; refuse a lost or another key.

    ``linked_with``: the earlier waves already published with a panel, and the fingerprint of
    the key each was linked with (their run's record). Without that key their experts could no
    longer be followed, so a missing key, or one with another fingerprint, stops the run.
    """
    linked_with = linked_with or {}
    key = existing_key()
    if key is None and not linked_with:
        return new_key()
    if key is not None and all(f == fingerprint(key) for f in linked_with.values()):
        return key
    waves = ", ".join(sorted(linked_with))
    problem = ("is not here" if key is None
               else f"is another one (fingerprint {fingerprint(key)})")  # fmt: skip
    raise InputError(
        f"wave {wave_id} follows experts of earlier waves ({waves}), but the panel key they "
        f"were linked with (fingerprint {', '.join(sorted(set(linked_with.values())))}) {problem}",
        file=key_file(),
        expected=f"that key restored to {key_file()}, or set in {KEY_ENV}; a new key would "
        "link no expert to their earlier answers",
    )


def fingerprint(key: bytes) -> str:
    """Return a short fingerprint of the key (says which key, reveals nothing of it)."""
    return hmac.new(key, b"surveybrief panel key fingerprint", hashlib.sha256).hexdigest()[:12]


def panel_ids(key: bytes, identifiers) -> list[str | None]:
    """Return each identifier's panel id (None for a blank one); trimmed, case ignored."""
    found = []
    for value in identifiers:
        text = "" if value is None else str(value).strip().casefold()
        digest = hmac.new(key, text.encode("utf-8"), hashlib.sha256).hexdigest()
        found.append(f"p{digest[:20]}" if text else None)
    return found
