"""The run's record, ``outputs/<wave>/manifest.json``: inputs, software, steps, outcome."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path

from surveybrief.run import provenance

MANIFEST_FILE = "manifest.json"


def now() -> str:
    """Return the current UTC time, to the second, as ISO 8601."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def new_manifest(wave_id: str, parameters: dict, inputs: dict, packages: dict) -> dict:
    """Return the manifest of a run that is starting (status 'running')."""
    return {
        "wave": wave_id,
        "parameters": parameters,
        "status": "running",
        "started_at": now(),
        "inputs": inputs,
        "git": provenance.git_state(),
        "python": sys.version.split()[0],
        "key_packages": provenance.package_versions(provenance.KEY_PACKAGES),
        "packages": packages,
        "notebooks": [],
        "kernels": [],  # start-up and warm-up seconds of each kernel started
        "outputs": {},
    }


def published_panel_keys(outputs_root: Path, waves: list[str]) -> dict[str, str]:
    """Return the panel key fingerprint each published wave of ``waves`` was linked with."""
    found = {}
    for wave in waves:
        record = Path(outputs_root) / wave / MANIFEST_FILE
        try:
            fingerprint = json.loads(record.read_text(encoding="utf-8")).get("panel_key")
        except (OSError, ValueError, AttributeError):
            fingerprint = None
        if fingerprint:
            found[wave] = fingerprint
    return found


def recorded_pages(build: Path, products: dict[str, str]) -> dict[str, int] | None:
    """Return the page counts an earlier build recorded for exactly these PDFs, or None.

    Only where that build's manifest names each PDF with the same content hash as the
    products verified for reuse: the counts belong to these bytes, so they need not be read
    again (pypdf takes about half a second a PDF).
    """
    try:
        manifest = json.loads((Path(build) / MANIFEST_FILE).read_text(encoding="utf-8"))
        pages, outputs = manifest["pages"], manifest["outputs"]
        counts = {name: int(pages[name]) for name in products if name.endswith(".pdf")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    same = all(outputs.get(name) == products[name] for name in counts)
    return counts if same and counts else None


def last_seconds(output_dir: Path) -> dict[str, float]:
    """Return each notebook's seconds in the previous run (to start the longest first)."""
    try:
        text = (Path(output_dir) / MANIFEST_FILE).read_text(encoding="utf-8")
        return {nb["name"]: float(nb["seconds"]) for nb in json.loads(text)["notebooks"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def log_summary(manifest: dict, out: Path, log: Callable[[str], None]) -> None:
    """Print one summary of what was written where and how long each step took."""
    steps = ", ".join(
        [f"kernel start {s:.1f} s" for s in manifest["kernels"]]
        + [f"{n['name']} {n['status']} {n['seconds']:.1f} s" for n in manifest["notebooks"]]
    )
    documents = ", ".join(manifest["outputs"]) or "briefing.html, briefing.pdf"
    log(
        f"written to {out}: {documents}, tables/, tables.xlsx, figures/, executed/, "
        f"quarantine.csv, checklist.md (the analyst's), manifest.json. Steps: {steps}"
    )
