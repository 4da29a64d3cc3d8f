"""Cache keys: a notebook is reused when nothing it depends on changed since its last success.

A step's key is the fingerprint of the run's parameters, every input file (codebooks, published
figures, the raw folders of this and earlier waves), the package's code, the installed package
versions, the Python version, the notebook's own source and the content of the earlier outputs
it reads (its ``reads`` in the plan). The keys of the last successful run are kept in
``outputs/<wave>/.cache.json``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from surveybrief.config import (
    PACKAGE_DIR,
    codebook_dir,
    coding_dir,
    list_waves,
    published_dir,
    raw_dir,
)
from surveybrief.inputs.digest import sha256_file
from surveybrief.run.plan import Step
from surveybrief.writers import write_json_atomic

CACHE_FILE = ".cache.json"
#: The cache entry of the rendered HTML and PDF.
BRIEFING_KEY = "briefing"


def fingerprint(*parts: object) -> str:
    """Return the sha256 of ``parts`` as canonical JSON."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def code_fingerprint() -> dict[str, str]:
    """Return sha256 of every file of the package (code, template, stylesheet)."""
    return {
        str(p.relative_to(PACKAGE_DIR)): sha256_file(p)
        for p in sorted(PACKAGE_DIR.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def data_fingerprint(data_root: Path, wave_id: str) -> dict[str, str]:
    """Return sha256 of every input a wave's notebooks read: codebooks, published, raw waves.

    Earlier waves count too, since the trends read them; so do returned coding workbooks.
    """
    files = sorted(codebook_dir(data_root).glob("*.yaml"))
    files += sorted(published_dir(data_root).glob("*.yaml"))
    for wave in list_waves(data_root):
        if wave <= wave_id:
            files += sorted(p for p in raw_dir(data_root, wave).rglob("*") if p.is_file())
            files += sorted(p for p in coding_dir(data_root, wave).glob("*.xlsx") if p.is_file())
    return {str(p.relative_to(data_root)): sha256_file(p) for p in files}


def common_key(parameters: dict, inputs: dict, packages: dict) -> str:
    """Return the part of every step's key that the whole run shares."""
    return fingerprint(parameters, inputs, code_fingerprint(), packages, sys.version)


def reads_digest(step: Step, output_dir: Path) -> dict[str, str]:
    """Return sha256 of the earlier outputs a step reads (files matching its ``reads``)."""
    files = sorted({p for pattern in step.reads for p in Path(output_dir).glob(pattern)})
    return {str(p.relative_to(output_dir)): sha256_file(p) for p in files if p.is_file()}


def step_key(common: str, step: Step, output_dir: Path) -> str:
    """Return a step's key; call it once the steps it needs are done (their outputs count)."""
    own = (sha256_file(step.path), step.parameters)
    return fingerprint(common, own, reads_digest(step, output_dir))


def read_cache(output_dir: Path, use_cache: bool) -> dict[str, str]:
    """Return the keys of the last successful run (empty when not using the cache)."""
    path = Path(output_dir) / CACHE_FILE
    if not use_cache or not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return {}


def write_cache(output_dir: Path, keys: dict[str, str]) -> None:
    """Record the keys of the steps that succeeded."""
    write_json_atomic(Path(output_dir) / CACHE_FILE, keys)
