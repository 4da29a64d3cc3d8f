"""``make demo``: a three-wave briefing from SYNTHETIC waves, and a two-round Delphi panel.

The waves come in three export shapes and two codebook versions (the third wave is asked with a
v2 that rewords one question and renames one option), so the demo shows ingest, trends and the
codebook-change notes together. The latest wave allows quoting, and its open answers (English,
Russian, Kazakh) come back coded by two SYNTHETIC coders (the keyword pass, with a few
deterministic disagreements), so the open-answers chapter shows themes, agreement and quotes.
Then a SYNTHETIC two-round Delphi panel (``tools.synthetic_delphi``): the second round's
briefing leads with where the panel agrees, and each expert's feedback sheet is written to a
private folder. Nothing under ``data/`` is touched, nor the user's panel key (the Delphi demo
links its SYNTHETIC experts with a key of its own).
"""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import yaml

from surveybrief.config import DATA_DIR, OUTPUTS_DIR, PRIVATE_DIR
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.coding import CODE_COLUMNS, SHEET, coding_file
from surveybrief.inputs.frames import NO_THEME, CodeFrame
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.synthetic import write_wave

#: (wave id, export shape, respondents, seed, drift, codebook version)
DEMO_WAVES = (
    ("2026-06", "google_csv", 60, 1, 0.0, 1),
    ("2027-06", "kobo_xlsx", 80, 2, 0.12, 1),
    ("2028-06", "spss_sav", 120, 3, 0.25, 2),
)


#: The demo's "Other, please specify" option of economic_avenues, and the frame of its texts.
OTHER_OPTION = {"code": "other", "label": {"en": "Other (please specify)"}, "is_other": True}
OTHER_FRAME = {
    "themes": [
        {"code": "finance", "label": {"en": "Finance and investment", "ru": "Финансы и инвестиции",
                                      "kk": "Қаржы және инвестиция"},
         "keywords": {"en": ["financ", "bank", "invest"], "ru": ["банк", "инвест", "финанс"],
                      "kk": ["қаржы", "банк", "инвест"]}},
        {"code": "digital", "label": {"en": "Digital links", "ru": "Цифровые связи",
                                      "kk": "Цифрлық байланыс"},
         "keywords": {"en": ["digital", "online"], "ru": ["цифр"], "kk": ["цифрлық"]}},
        {"code": "tourism", "label": {"en": "Tourism", "ru": "Туризм", "kk": "Туризм"},
         "keywords": {"en": ["touris"], "ru": ["туриз"], "kk": ["туризм"]}},
        {"code": "water_energy", "label": {"en": "Water and energy", "ru": "Вода и энергетика",
                                           "kk": "Су және энергетика"},
         "keywords": {"en": ["water", "energy"], "ru": ["вод", "энерг"], "kk": ["энерги"]}},
    ]
}  # fmt: skip


def write_demo_codebook_v1(data_root: Path) -> None:
    """Write the demo's v1: the committed v1 with an "Other, please specify" option."""
    doc = yaml.safe_load((DATA_DIR / "codebook" / "v1.yaml").read_text(encoding="utf-8"))
    for section in doc["sections"]:
        for q in section["questions"]:
            if q["id"] == "economic_avenues":
                q["options"].append(dict(OTHER_OPTION))
                q["other_frame"] = OTHER_FRAME
    text = "# SYNTHETIC demo codebook v1 (written by surveybrief.tools.demo)\n" + yaml.safe_dump(
        doc, sort_keys=False, allow_unicode=True
    )
    (data_root / "codebook" / "v1.yaml").write_text(text, encoding="utf-8")


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
    write_demo_codebook_v1(data_root)
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


def allow_quotes(data_root: Path, wave_id: str) -> None:
    """Let a demo wave quote its (synthetic) open answers."""
    path = data_root / "raw" / wave_id / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["quotes"] = {"allowed": True, "per_theme": 1}
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _disagrees(who: str) -> bool:
    return int(hashlib.sha256(who.encode()).hexdigest(), 16) % 6 == 0


def code_like_two_coders(book_path: Path, returned: Path, frame: CodeFrame) -> Path:
    """Fill a coding workbook as two SYNTHETIC coders would, and save it where it is returned.

    Coder 1 takes the keyword suggestion (or no_theme); coder 2 agrees except on about one
    answer in six, where a theme is dropped or one added.
    """
    from openpyxl import load_workbook

    book = load_workbook(book_path)
    sheet = book[SHEET]
    header = [c.value for c in sheet[1]]
    at = {name: header.index(name) + 1 for name in header}
    for row in range(2, sheet.max_row + 1):
        who = str(sheet.cell(row, at["respondent"]).value)
        suggested = [c for c in str(sheet.cell(row, at["suggested"]).value or "").split(", ") if c]
        first = suggested[:3] or [NO_THEME]
        second = list(first)
        if _disagrees(who) and len(first) > 1:
            second = first[1:]  # coder 2 leaves out a theme
        elif _disagrees(who):
            second = [c for c in frame.codes if c not in first][:1]  # and sees another here
        for role, given in (("coder1", first), ("coder2", second)):
            for column, code in zip(CODE_COLUMNS[role], given, strict=False):
                sheet.cell(row, at[column], code).data_type = "s"
    returned.parent.mkdir(parents=True, exist_ok=True)
    book.save(returned)
    return returned


def code_demo_answers(data_root: Path, wave_id: str, scratch: Path) -> list[Path]:
    """Clean a demo wave, write its coding workbooks and return them coded."""
    from surveybrief.brief.coding_book import write_coding_workbooks
    from surveybrief.clean.cleaner import run_clean_all

    run_clean_all(data_root, wave_id, scratch)  # processed data into the scratch folder
    codebook = load_codebook(data_root, load_wave(data_root, wave_id).codebook_version)
    return [
        code_like_two_coders(
            path, coding_file(data_root, wave_id, path.stem), codebook.open_target(path.stem).frame
        )
        for path in write_coding_workbooks(data_root, wave_id, scratch, scratch / "coding")
    ]


def run_demo(outputs_root: Path = OUTPUTS_DIR / "demo") -> dict:
    """Build the demo waves in a temporary folder and render the latest wave's briefing."""
    from surveybrief.run.pipeline import run_pipeline

    with tempfile.TemporaryDirectory(prefix="surveybrief-demo-") as tmp:
        data_root = build_demo_data(Path(tmp) / "data")
        latest = DEMO_WAVES[-1][0]
        allow_quotes(data_root, latest)
        code_demo_answers(data_root, latest, Path(tmp) / "scratch")
        return run_pipeline(wave=DEMO_WAVES[-1][0], data_root=data_root, outputs_root=outputs_root)


#: The Delphi demo's own panel key: its SYNTHETIC experts never touch the user's key.
DEMO_PANEL_KEY = "SYNTHETIC demo panel key, not secret"


def run_delphi_demo(
    outputs_root: Path = OUTPUTS_DIR / "demo-delphi",
    private_root: Path = PRIVATE_DIR / "demo-delphi",
) -> dict:
    """Render both rounds of the SYNTHETIC Delphi panel; the second with feedback sheets."""
    import os

    from surveybrief.clean.panel_key import KEY_ENV
    from surveybrief.run.pipeline import run_pipeline
    from surveybrief.tools.synthetic_delphi import ROUNDS, build_delphi_data

    before = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = DEMO_PANEL_KEY
    try:
        with tempfile.TemporaryDirectory(prefix="surveybrief-delphi-") as tmp:
            data_root = build_delphi_data(Path(tmp) / "data")
            for wave_id, _round in ROUNDS:
                manifest = run_pipeline(wave_id, data_root, outputs_root, private_root=private_root)
            return manifest
    finally:
        os.environ.pop(KEY_ENV, None)
        if before is not None:
            os.environ[KEY_ENV] = before
