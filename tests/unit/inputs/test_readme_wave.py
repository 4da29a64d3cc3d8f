"""The complete wave.yaml shown in the README works as written."""

import csv
import re
import shutil

from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.privacy import pseudonym
from surveybrief.config import DATA_DIR, PROJ_ROOT
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave


def readme_wave_yaml() -> str:
    text = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("A complete `wave.yaml`")
    return re.search(r"```yaml\n(.*?)```", text[start:], flags=re.S)[1]


def test_readme_example_reads_a_qualtrics_export(tmp_path):
    shutil.copytree(DATA_DIR / "codebook", tmp_path / "codebook")
    folder = tmp_path / "raw" / "2026-06"
    folder.mkdir(parents=True)
    (folder / "wave.yaml").write_text(readme_wave_yaml(), encoding="utf-8")
    header = ["StartDate", "Status", "ResponseId", "Finished", "Q1", "Q2_1", "Q2_2", "Q2_3", "Q5"]
    texts = [
        "Start Date",
        "Response Type",
        "Response ID",
        "Finished",
        "How would you describe relations?",
        "Factors - water",
        "Factors - external",
        "Factors - institutions",
        "Kazakhstan as moderator?",
    ]
    rows = [
        [
            "2026-06-08",
            "Survey Preview",
            "R_test",
            "True",
            "Fragile and vulnerable to external influence",
            "Disputes over water and energy resources",
            "",
            "",
            "Yes",
        ],
        [
            "2026-06-09",
            "IP Address",
            "R_1",
            "True",
            "Stable but competitive",
            "Disputes over water and energy resources",
            "",
            "",
            "Yes",
        ],
        [
            "2026-06-09",
            "IP Address",
            "R_2",
            "False",
            "stable but competitive ",
            "",
            "",
            "Lack of institutional mechanisms for cross-border projects",
            "Partly (economy, logistics)",
        ],
        ["2026-06-10", "IP Address", "R_3", "True", "", "", "", "", ""],
    ]
    # the columns every real Qualtrics export carries, which the README's example never lists
    header += ["IPAddress", "RecipientLastName", "RecipientFirstName", "RecipientEmail"]
    texts += ["IP Address", "Recipient Last Name", "Recipient First Name", "Recipient Email"]
    for i, row in enumerate(rows):
        row += [f"198.51.100.{i}", "Aliyeva", "Dana", "dana@example.org"]
    with open(folder / "Central_Asia_June_2026.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerows([header, texts, ['{"ImportId":"x"}'] * len(header), *rows])
    wave = load_wave(tmp_path, "2026-06")
    result = clean_wave(wave, load_codebook(tmp_path, wave.codebook_version))
    got = result.responses.set_index("respondent_id")
    assert list(got.index) == [pseudonym("2026-06", "R_1"), pseudonym("2026-06", "R_2")]
    got.index = ["R_1", "R_2"]
    assert got.loc["R_1", "kz_moderator"] == "leading_moderator"
    assert got.loc["R_2", "kz_moderator"] == "partial_economic"
    assert got.loc["R_2", "relations_state"] == "stable_competitive"
    assert got.loc["R_1", "obstacles__water_energy"] == 1
    assert got.loc["R_1", "obstacles__no_institutions"] == 0  # blank means not selected
    assert got.loc["R_2", "obstacles__no_institutions"] == 1
    reasons = sorted(result.excluded["reason"])
    assert reasons == [  # the preview: set aside by the platform's rule, before wave.yaml's
        "a preview, test or spam response (Status)",
        "no answers (empty or abandoned response)",
    ]


def test_the_readme_reference_documents_every_key_the_code_reads():
    from surveybrief.config import PROJ_ROOT
    from surveybrief.inputs.export_spec import EXCLUDE_KEYS, EXPORT_KEYS, MAPPING_KEYS
    from surveybrief.inputs.wave import FIELDWORK_KEYS, QUOTE_KEYS, SAMPLE_KEYS, WAVE_KEYS

    readme = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### wave.yaml reference") : readme.index("### Open answers")]
    keys = {f"`{k}`" for k in WAVE_KEYS - {"fieldwork", "sample", "export", "mapping", "quotes"}}
    keys |= {f"`quotes.{k}`" for k in QUOTE_KEYS}
    keys |= {f"`fieldwork.{k}`" for k in FIELDWORK_KEYS} | {f"`sample.{k}`" for k in SAMPLE_KEYS}
    keys |= {f"`export.{k}`" for k in EXPORT_KEYS} | {f"`mapping.{k}`" for k in MAPPING_KEYS}
    missing = sorted(k for k in keys if k not in section and k.replace("`", "") not in section)
    assert missing == []
    assert all(k in section for k in EXCLUDE_KEYS)
