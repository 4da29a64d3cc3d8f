"""Helpers the tests share (one module: no test file imports another)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import yaml
from pypdf import PdfReader

from surveybrief.config import DATA_DIR, PROJ_ROOT
from surveybrief.inputs.digest import sha256_file

SEED_DIR = PROJ_ROOT.parent / "shared" / "seed"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WAVE = "2025-06"


def copy_data_root(target: Path) -> Path:
    """Copy codebook, published figures and raw waves (not processed) to ``target``."""
    for name in ("codebook", "published", "raw"):
        shutil.copytree(DATA_DIR / name, target / name)
    return target


def register_export(data_root: Path, wave: str) -> None:
    """Record the current sha256 of a wave's export in its wave.yaml (after a test edits it)."""
    path = Path(data_root) / "raw" / wave / "wave.yaml"
    text = path.read_text(encoding="utf-8")
    export = Path(data_root) / "raw" / wave / "responses.csv"
    text = re.sub(r"(?m)^  sha256: .*$", f"  sha256: {sha256_file(export)}", text)
    path.write_text(text, encoding="utf-8")


def data_root_with_codebook(root: Path, add_other: bool = False) -> Path:
    """Start a data root with the committed codebook (optionally with an Other option)."""
    shutil.copytree(DATA_DIR / "codebook", root / "codebook")
    if add_other:
        path = root / "codebook" / "v1.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in doc["sections"]:
            for q in section["questions"]:
                if q["id"] == "economic_avenues":
                    q["options"].append(
                        {"code": "other", "label": {"en": "Other"}, "is_other": True}
                    )
                    q["other_frame"] = {  # themes of the "Other, please specify" texts
                        "themes": [
                            {"code": "water_treaty", "label": {"en": "Water agreements"},
                             "keywords": {"en": ["water", "treat"], "ru": ["вод"]}},
                            {"code": "finance", "label": {"en": "Finance"},
                             "keywords": {"en": ["financ", "bank"]}},
                        ]
                    }  # fmt: skip
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return root


def tree_digest(root: Path) -> dict[str, str]:
    """Return sha256 of every file under ``root`` (to show nothing was written there)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def assert_fit_to_print(pdf_file: Path, scratch: Path) -> None:
    """Render every page (pdftoppm): none blank, nothing in the side, top or bottom margins."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf_file), str(scratch / "page")], check=True
    )
    pages = sorted(scratch.glob("page-*.png"))
    assert len(pages) == len(PdfReader(pdf_file).pages)
    margin = round(15 / 25.4 * 50)  # 15 mm of the 17 mm side margins, at 50 dpi
    for path in pages:
        image = Image.open(path).convert("L")
        width, height = image.size
        ink = image.point(lambda v: 255 if v < 200 else 0)
        assert ink.getbbox() is not None, f"{path.name} is blank"
        for box in ((0, 0, margin, height), (width - margin, 0, width, height)):
            assert ink.crop(box).getbbox() is None, f"{path.name}: something drawn in a margin"
        band = round(18 / 25.4 * 50)  # 18 mm of the 20 mm top and bottom margins
        top = ink.crop((0, 0, width, band)).getbbox()
        if top is not None:  # only the running header, at the top right
            assert top[0] > width / 2, f"{path.name}: something in the top margin"
        bottom = ink.crop((0, height - band, width, height)).getbbox()
        assert bottom is not None, f"{path.name}: no page number"
        assert width * 0.3 < bottom[0] and bottom[2] < width * 0.7, (
            f"{path.name}: something beside the page number in the bottom margin"
        )


def copy_notebooks(target: Path, names: list[str]) -> Path:
    """Copy some project notebooks to ``target`` with a pipeline.yaml declaring only them."""
    from surveybrief.config import NOTEBOOKS_DIR

    target.mkdir(parents=True, exist_ok=True)
    doc = yaml.safe_load((NOTEBOOKS_DIR / "pipeline.yaml").read_text(encoding="utf-8"))
    steps = [s for s in doc["steps"] if s["notebook"] in names]
    kept = {Path(s["notebook"]).stem for s in steps}
    for step in steps:
        step["needs"] = [n for n in step.get("needs", []) if n in kept]
        shutil.copy(NOTEBOOKS_DIR / step["notebook"], target / step["notebook"])
    (target / "pipeline.yaml").write_text(yaml.safe_dump({"steps": steps}), encoding="utf-8")
    return target
