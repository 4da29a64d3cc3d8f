"""Content digests of input files (registered exports, cache keys, the manifest)."""

from __future__ import annotations

import hashlib
from pathlib import Path


def wave_inputs_digest(raw_folder: Path, codebook_file: Path) -> str:
    """Return one sha256 over a wave's raw files (names and bytes) and its codebook's bytes.

    What the cleaned data were made from: the same digest later means the same inputs.
    """
    digest = hashlib.sha256()
    files = sorted(p for p in Path(raw_folder).rglob("*") if p.is_file())
    for path in [*files, Path(codebook_file)]:
        digest.update(path.name.encode() + b"\0" + sha256_file(path).encode())
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
