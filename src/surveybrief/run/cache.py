"""The cache: a step is reused only when nothing it depends on changed and its products verify.

A step's key is the fingerprint of the run's parameters (not where it writes), every input file
(codebooks, published figures, the raw folders and coding workbooks of this and earlier waves),
the package's code, the installed package versions, the Python version, the notebook's own
source and parameters, and the content of the products of every step it needs (directly or
not; executed notebooks aside, which record times). Each step's record holds its key and the
sha256 of every file it produced (what it wrote through ``surveybrief.writers``, and its
executed notebook). A step is reused only when its key is unchanged and every product, copied
from the published build into the new one, still has the recorded hash (as Bazel's action
cache verifies outputs rather than assuming them); otherwise it runs again. The records live
in the build they describe (``.cache.json``), so a result and its cache never part.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from dataclasses import asdict, dataclass, field
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
from surveybrief.run.builds import CACHE_RECORD
from surveybrief.run.plan import Step
from surveybrief.writers import write_json_atomic

CACHE_FILE = CACHE_RECORD
#: The record format; a cache file of another format is not read (nothing is reused).
FORMAT = 2
#: The record of the rendered documents and the workbook.
BRIEFING_KEY = "briefing"
#: Products that say when they were made, not what: left out of the keys of later steps.
TIMED = ("executed/",)


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


def input_files(data_root: Path, wave_id: str) -> list[Path]:
    """Return every input a wave's notebooks read: codebooks, published, raw waves, coding.

    Earlier waves count too, since the trends read them; so do returned coding workbooks.
    """
    files = sorted(codebook_dir(data_root).glob("*.yaml"))
    files += sorted(published_dir(data_root).glob("*.yaml"))
    for wave in list_waves(data_root):
        if wave <= wave_id:
            files += sorted(p for p in raw_dir(data_root, wave).rglob("*") if p.is_file())
            files += sorted(p for p in coding_dir(data_root, wave).glob("*.xlsx") if p.is_file())
    return files


def common_key(parameters: dict, inputs: dict, packages: dict) -> str:
    """Return the part of every step's key that the whole run shares."""
    return fingerprint(parameters, inputs, code_fingerprint(), packages, sys.version)


@dataclass
class Record:
    """What the cache knows of a step that succeeded: its keys and its products' hashes."""

    #: The step's own part of the key (run, notebook, parameters), known before it runs.
    own: str
    key: str
    products: dict[str, str] = field(default_factory=dict)


def own_key(common: str, step: Step) -> str:
    """Return the part of a step's key known before the steps it needs have run."""
    return fingerprint(common, sha256_file(step.path), step.parameters)


def step_key(own: str, needed: list[Record]) -> str:
    """Return a step's key: its own part and the products of the steps it needs."""
    products = {
        name: digest
        for record in needed
        for name, digest in record.products.items()
        if not name.startswith(TIMED)
    }
    return fingerprint(own, products)


def read_cache(build: Path | None, use_cache: bool) -> dict[str, Record]:
    """Return the records of a build (empty when not using the cache, or none readable)."""
    path = Path(build) / CACHE_FILE if build is not None else None
    if not use_cache or path is None or not path.is_file():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if doc.get("format") != FORMAT:
            return {}
        return {name: Record(**entry) for name, entry in doc["records"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}


def write_cache(build: Path, records: dict[str, Record]) -> None:
    """Write the records of the steps that succeeded into their build."""
    doc = {"format": FORMAT, "records": {n: asdict(r) for n, r in records.items()}}
    write_json_atomic(Path(build) / CACHE_FILE, doc)


def product_name(build: Path, path: Path) -> str:
    """Return a product's name: its path from the build (``../processed/...`` beside it)."""
    return product_names(build, [path])[0]


def product_names(build: Path, paths: list[Path]) -> list[str]:
    """Return the names of ``paths`` (``product_name``), the build resolved once for all."""
    start = Path(build).resolve()
    return [Path(os.path.relpath(Path(p).resolve(), start)).as_posix() for p in paths]


def hash_products(build: Path, paths: list[Path]) -> dict[str, str]:
    """Return sha256 of each product by its name (``product_name``)."""
    ordered = sorted(set(paths))
    return dict(zip(product_names(build, ordered), map(sha256_file, ordered), strict=True))


def _copy_verified(source: Path, target: Path, digest: str) -> bool:
    """Bring ``source`` to ``target`` if its content has hash ``digest``; return whether it did.

    A hard link where the file system allows (every product is written whole and renamed into
    place, never changed in place, so two builds may share it), else a copy; the hash is
    checked on what ``target`` holds.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        try:
            os.link(source, target)
        except OSError:
            if not source.is_file():
                return False
            shutil.copy2(source, target)
        if sha256_file(target) == digest:
            return True
    except OSError:
        pass
    target.unlink(missing_ok=True)
    return False


def carry_over(record: Record, previous: Path, build: Path) -> list[str]:
    """Copy a step's products from the previous build into the new one, verifying each.

    Return the products that are missing or changed since they were made (nothing is copied
    then: the step runs again and writes them all).
    """
    copied, bad = [], []
    for name, digest in sorted(record.products.items()):
        target = Path(build) / name
        if _copy_verified(Path(previous) / name, target, digest):
            copied.append(target)
        else:
            bad.append(name)
    if bad:
        for target in copied:
            target.unlink(missing_ok=True)
    return bad
