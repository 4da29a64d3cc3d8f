"""Every export shape people actually get reads into the same wave; mapping errors list all."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.privacy import pseudonym
from surveybrief.config import DATA_DIR
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.synthetic import SHAPES, generate_answers, write_wave
from tests.helpers import FIXTURES, data_root_with_codebook

#: The open answers the committed fixtures were generated with (before the generator's
#: comments grew to three languages and every theme of the code frame).
FIXTURE_COMMENTS = [
    "Integration needs patience, trust and money.",
    "Водные споры решаются только вместе.",
    "Қазақстан өңірлік интеграцияда маңызды рөл атқара алады.",
    'Transport first; "soft" issues later.',
    "N/A",
    "None",
]


def expected_answers(
    codebook, n, seed, google: bool, wave: str = "2030-06", comments=None
) -> pd.DataFrame:
    """The generated answers, indexed by the pseudonyms ingest gives their respondents."""
    truth = generate_answers(codebook, n, seed, comments=comments).frame
    truth["respondent_id"] = [pseudonym(wave, i) for i in truth["respondent_id"]]
    truth = truth.set_index("respondent_id")
    if google:  # a blank multi-select cell cannot say "answered, chose nothing"
        for q in codebook.questions:
            if q.type == "multi":
                cols = q.option_columns
                none = (truth[cols] == "0").all(axis=1)
                truth.loc[none, cols] = pd.NA
    return truth


CASES = [(s, False) for s in SHAPES] + [(s, True) for s in SHAPES if s.endswith("_csv")]


@pytest.mark.parametrize(
    ("shape", "messy"), CASES, ids=[f"{s}{'-messy' if m else ''}" for s, m in CASES]
)
def test_every_shape_reads_back_the_generated_answers(tmp_path, shape, messy):
    root = data_root_with_codebook(tmp_path)
    codebook = load_codebook(root)
    write_wave(codebook, root, "2030-06", n=40, seed=11, shape=shape, messy=messy)
    wave = load_wave(root, "2030-06")
    assert wave.is_synthetic
    result = clean_wave(wave, codebook)
    got = result.responses.set_index("respondent_id")
    # Google Forms and Qualtrics leave every cell blank when nothing was selected.
    truth = expected_answers(codebook, 40, 11, google=shape.startswith(("google", "qualtrics")))
    assert sorted(got.index) == sorted(truth.index)
    for q in codebook.questions:
        for column in q.option_columns:
            expected = truth.loc[got.index, column].astype("string")
            actual = got[column].astype("string")
            assert expected.fillna("<NA>").tolist() == actual.fillna("<NA>").tolist(), column
    if shape.startswith("qualtrics"):
        assert list(result.excluded["reason"]) == ["test submission (Status)"]
    if messy and shape.startswith("google"):
        reasons = sorted(result.excluded["reason"].str.split(" \\(").str[0])
        assert reasons == ["duplicate respondent_id", "no answers"]


def test_synthetic_generator_is_deterministic(tmp_path):
    codebook = load_codebook(DATA_DIR)
    for name in ("a", "b"):
        write_wave(
            codebook, tmp_path / name, "2030-06", n=30, seed=5, shape="google_csv", messy=True
        )
    first, second = (tmp_path / n / "raw" / "2030-06" for n in ("a", "b"))
    for file in ("export.csv", "wave.yaml"):
        assert (first / file).read_bytes() == (second / file).read_bytes()


@pytest.fixture
def google_fixture(tmp_path) -> Path:
    root = data_root_with_codebook(tmp_path, add_other=True)
    shutil.copytree(FIXTURES / "google_forms_messy", root / "raw" / "2026-06")
    return root


def test_messy_google_forms_export(google_fixture):
    codebook = load_codebook(google_fixture)
    result = clean_wave(load_wave(google_fixture, "2026-06"), codebook)
    got = result.responses.set_index("respondent_id")
    emails = [f"{x}.expert@example.org" for x in "acbe"]
    assert list(got.index) == [pseudonym("2026-06", e) for e in emails]
    got.index = emails  # read on by e-mail for clarity
    excluded = result.excluded.set_index("row")["reason"].to_dict()
    assert excluded == {
        3: "test submission (Email Address)",
        4: "duplicate respondent_id (kept row 6, keep last)",
        7: "no answers (empty or abandoned response)",
    }
    a, b, e = (got.loc[f"{x}.expert@example.org"] for x in "abe")
    assert a["economic_avenues__trade_fta"] == 1  # a label containing ", " stays whole
    assert a["economic_avenues__transport_corridors"] == 1
    assert a["economic_avenues__energy"] == 0
    assert b["relations_state"] == "fragile"  # the later submission wins
    assert b["comments"] == "Changed my mind, see this one.\r\nSecond line."
    assert e["economic_avenues__other"] == 1
    assert e["economic_avenues__other_text"] == "a water-sharing treaty"
    assert e["economic_avenues__settlement_systems"] == 1
    assert e["comments"] == "N/A"  # text, not missing
    c = got.loc["c.expert@example.org"]
    assert c["relations_state"] == "fragile" and pd.isna(c["economic_avenues__energy"])
    assert got.loc["a.expert@example.org", "relations_state"] == "stable_competitive"


def rewrite_wave_yaml(root: Path, wave: str, edit) -> None:
    path = root / "raw" / wave / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_unmapped_columns_are_listed_together(google_fixture):
    def edit(doc):
        doc["export"].update(drop_columns=[], respondent_id=None)
        doc["mapping"] = {"columns": {}}

    rewrite_wave_yaml(google_fixture, "2026-06", edit)
    path = google_fixture / "raw" / "2026-06" / "export.csv"
    lines = path.read_bytes().split(b"\r\n")  # two columns more, in the header and every row
    lines = [
        line.replace(b"Timestamp;", b"Timestamp;Extra;Note;", 1) if i == 0 else b";;" + line
        for i, line in enumerate(lines)
        if line
    ]
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))
    # Google's "Timestamp" is a platform column and "Email Address" personal data: both dropped
    # without being asked, never reported as unmapped
    assert "2 column(s) map to no codebook question: 'Extra', 'Note'" in str(err.value)


def test_mapping_entries_naming_unknown_ids_are_listed_together(google_fixture):
    def edit(doc):
        doc["mapping"] = {
            "columns": {"Timestamp": "when_answered", "X": "obstacles/nope"},
            "labels": {"kz_moderator": {"Ja": "maybe"}},
        }

    rewrite_wave_yaml(google_fixture, "2026-06", edit)
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))
    message = str(err.value)
    assert "3 mapping entries name no codebook question or option" in message
    assert "'when_answered'" in message and "'obstacles/nope'" in message
    assert "'Ja' -> unknown option 'maybe'" in message


def test_label_mapping_from_wave_yaml(google_fixture):
    path = google_fixture / "raw" / "2026-06" / "export.csv"
    path.write_bytes(
        path.read_bytes().replace(
            b"Partially, mainly in economics and logistics", b"Partly (economy)"
        )
    )
    with pytest.raises(InputError, match="'Partly \\(economy\\)' \\(rows 4, 6\\)"):
        clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))
    rewrite_wave_yaml(
        google_fixture,
        "2026-06",
        lambda d: d.update(
            mapping={"labels": {"kz_moderator": {"Partly (economy)": "partial_economic"}}}
        ),
    )
    result = clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))
    assert (
        result.responses.set_index("respondent_id").loc[
            pseudonym("2026-06", "b.expert@example.org"), "kz_moderator"
        ]
        == "partial_economic"
    )


def test_wrong_encoding_is_one_clear_error(google_fixture):
    path = google_fixture / "raw" / "2026-06" / "export.csv"
    path.write_bytes(path.read_bytes().decode("utf-8").encode("cp1251", errors="replace"))
    with pytest.raises(InputError, match="not valid utf-8 text \\(byte offset"):
        clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))


def test_binary_garbage_is_refused(google_fixture):
    (google_fixture / "raw" / "2026-06" / "export.csv").write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(InputError, match="binary, not CSV"):
        clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))


@pytest.mark.parametrize("shape", SHAPES)
def test_committed_fixture_of_each_shape_reads_back_its_answers(tmp_path, shape):
    """tests/fixtures/<shape>/: files as a platform exports them (12 SYNTHETIC respondents)."""
    root = data_root_with_codebook(tmp_path)
    shutil.copytree(FIXTURES / shape, root / "raw" / "2030-06")
    codebook = load_codebook(root)
    result = clean_wave(load_wave(root, "2030-06"), codebook)
    got = result.responses.set_index("respondent_id")
    google = shape.startswith(("google", "qualtrics"))
    truth = expected_answers(codebook, 12, 42, google=google, comments=FIXTURE_COMMENTS)
    assert sorted(got.index) == sorted(truth.index)
    for q in codebook.questions:
        for column in q.columns:
            assert truth.loc[got.index, column].astype("string").fillna("<NA>").tolist() == (
                got[column].astype("string").fillna("<NA>").tolist()
            ), column


def test_two_columns_for_one_question_are_refused(google_fixture):
    rewrite_wave_yaml(
        google_fixture,
        "2026-06",
        lambda d: d.update(
            mapping={"columns": {"Timestamp": "kz_moderator"}},
            export={**d["export"], "drop_columns": []},
        ),
    )
    with pytest.raises(InputError, match="several export columns map to the same question"):
        clean_wave(load_wave(google_fixture, "2026-06"), load_codebook(google_fixture))


def test_platform_exports_need_no_mapping_and_keep_no_personal_column(tmp_path):
    root = data_root_with_codebook(tmp_path)
    codebook = load_codebook(root)
    for shape in ("kobo_csv", "kobo_xlsx", "qualtrics_csv"):
        folder = write_wave(codebook, root, "2030-06", n=20, seed=3, shape=shape)
        doc = yaml.safe_load((folder / "wave.yaml").read_text(encoding="utf-8"))
        assert doc["mapping"] == {} and "drop_columns" not in doc["export"], shape
        assert "header_rows" not in doc["export"] and "respondent_id" not in doc["export"]
        got = clean_wave(load_wave(root, "2030-06"), codebook).responses
        assert list(got.columns) == ["respondent_id", *codebook.columns], shape
        shutil.rmtree(folder)


def test_names_in_the_export_s_own_name_columns_scrub_open_answers(tmp_path):
    import csv
    import io

    root = data_root_with_codebook(tmp_path)
    codebook = load_codebook(root)
    folder = write_wave(codebook, root, "2030-06", n=12, seed=4, shape="qualtrics_csv")
    path = folder / "export.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    comments = rows[1].index(codebook.question("comments").wording("en"))
    rows[4][comments] = "Ask Dana Aliyeva, or Petrov, at dana.aliyeva@example.org."
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    got = clean_wave(load_wave(root, "2030-06"), codebook).responses
    texts = " ".join(got["comments"].dropna())
    assert "Ask [name], or [name], at [email]." in texts
    assert not any(s in texts for s in ("Dana", "Aliyeva", "Petrov", "example.org"))


@pytest.mark.parametrize("shape", SHAPES)
def test_other_please_specify_texts_come_through_every_shape(tmp_path, shape):
    """Google writes the text in the cell, Kobo `<q>_other`, Qualtrics `_TEXT`, SPSS a string."""
    root = data_root_with_codebook(tmp_path, add_other=True)
    codebook = load_codebook(root)
    write_wave(codebook, root, "2030-06", n=40, seed=11, shape=shape)
    got = clean_wave(load_wave(root, "2030-06"), codebook).responses.set_index("respondent_id")
    truth = expected_answers(codebook, 40, 11, google=shape.startswith(("google", "qualtrics")))
    for column in ("economic_avenues__other", "economic_avenues__other_text"):
        expected = truth.loc[got.index, column].astype("string").fillna("<NA>").tolist()
        assert expected == got[column].astype("string").fillna("<NA>").tolist(), column
    assert got["economic_avenues__other_text"].notna().sum() >= 5
