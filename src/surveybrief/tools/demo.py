"""``make demo``: a three-wave briefing from SYNTHETIC waves, in a temporary data root.

The waves come in three export shapes and two codebook versions (the third wave is asked with a
v2 that rewords one question and renames one option), so the demo shows ingest, trends and the
codebook-change notes together. Nothing under ``data/`` is touched.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml

from surveybrief.config import DATA_DIR, OUTPUTS_DIR
from surveybrief.inputs.codebook import load_codebook
from surveybrief.tools.synthetic import write_wave

#: (wave id, export shape, respondents, seed, drift, codebook version)
DEMO_WAVES = (
    ("2026-06", "google_csv", 60, 1, 0.0, 1),
    ("2027-06", "kobo_xlsx", 80, 2, 0.12, 1),
    ("2028-06", "spss_sav", 120, 3, 0.25, 2),
)


def write_demo_codebook_v2(data_root: Path) -> None:
    """Write a v2 codebook: v1 with one question reworded and one option renamed."""
    doc = yaml.safe_load((data_root / "codebook" / "v1.yaml").read_text(encoding="utf-8"))
    doc["version"] = 2
    for section in doc["sections"]:
        for q in section["questions"]:
            if q["id"] == "relations_state":
                q["wording"]["en"] = "In one phrase, how are relations among Central Asian states?"
            if q["id"] == "economic_avenues":
                for option in q["options"]:
                    if option["code"] == "trade_fta":
                        option["code"] = "free_trade"
    doc["changes"] = {
        "reworded": ["relations_state"],
        "options": {"economic_avenues": {"renamed": {"trade_fta": "free_trade"}}},
    }
    text = "# SYNTHETIC demo codebook v2 (written by surveybrief.tools.demo)\n" + yaml.safe_dump(
        doc, sort_keys=False, allow_unicode=True
    )
    (data_root / "codebook" / "v2.yaml").write_text(text, encoding="utf-8")


def build_demo_data(data_root: Path) -> Path:
    """Write the demo's codebooks and three synthetic waves under ``data_root``."""
    (data_root / "codebook").mkdir(parents=True, exist_ok=True)
    shutil.copy(DATA_DIR / "codebook" / "v1.yaml", data_root / "codebook" / "v1.yaml")
    write_demo_codebook_v2(data_root)
    for wave_id, shape, n, seed, drift, version in DEMO_WAVES:
        codebook = load_codebook(data_root, version)
        write_wave(
            codebook,
            data_root,
            wave_id,
            n=n,
            seed=seed,
            shape=shape,
            messy=shape.endswith("_csv"),
            drift=drift,
        )
    return data_root


def run_demo(outputs_root: Path = OUTPUTS_DIR / "demo") -> dict:
    """Build the demo waves in a temporary folder and render the latest wave's briefing."""
    from surveybrief.run.pipeline import run_pipeline

    with tempfile.TemporaryDirectory(prefix="surveybrief-demo-") as tmp:
        data_root = build_demo_data(Path(tmp) / "data")
        return run_pipeline(wave=DEMO_WAVES[-1][0], data_root=data_root, outputs_root=outputs_root)
