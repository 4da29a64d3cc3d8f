"""Several answers in one cell: read exactly at the platform's separator, never guessed."""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from surveybrief.clean.cells import Vocabulary, read_cell, read_column, split_cell
from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import FIXTURES

LABELS = {"a": "a", "trade, free zones": "trade", "water": "water", "other": "other"}


def vocab(other_in_cell: bool = True) -> Vocabulary:
    return Vocabulary(dict(LABELS), "other", other_in_cell, frozenset({"other"}))


@pytest.mark.parametrize(
    ("cell", "separator", "pieces"),
    [
        ("a;water;", ";", ["a", "water"]),
        ("trade, free zones, water", ", ", ["trade, free zones", "water"]),
        ("a\n\nwater", "\n", ["a", "water"]),
        ("a | water |", "|", ["a", "water"]),
        ("a;;water", ";", ["a", "water"]),
        ("\n", "\n", []),
    ],
)
def test_a_cell_splits_at_its_separator_and_labels_holding_it_stay_whole(cell, separator, pieces):
    assert split_cell(cell, vocab(), separator) == pieces


def test_a_piece_of_joined_labels_is_never_an_other_text():
    reading = read_cell("a;water;", vocab(), ", ")
    assert reading.unknown == ("a;water;",) and reading.other_text is None
    assert read_cell("my own idea", vocab(), ", ").codes == frozenset({"other"})
    assert read_cell("my own idea", vocab(other_in_cell=False), ", ").unknown == ("my own idea",)


def test_the_platforms_separator_wins_another_only_when_it_alone_fits():
    own = read_column(["a;water", "water"], vocab(), (";", ", "))
    assert own.separator == ";" and not own.is_inferred
    inferred = read_column(["a|water|", "water|"], vocab(), (", ",))
    assert inferred.separator == "|" and inferred.is_inferred
    assert inferred.cells["a|water|"].codes == frozenset({"a", "water"})


def test_cells_no_separator_reads_are_listed_not_guessed():
    reading = read_column(["a;water", "a, water", "zzz|a"], vocab(other_in_cell=False), (", ",))
    assert reading.separator is None
    assert set(reading.failed) == {"a;water", "a, water", "zzz|a"} - {"a, water"}


def test_a_label_that_also_splits_into_labels_is_ambiguous():
    labels = Vocabulary({"a": "a", "b": "b", "a, b": "ab"})
    assert read_cell("a, b", labels, ", ").is_ambiguous


# --- the property of the issue: labels joined by any separator give exact counts or an error


@pytest.fixture(scope="module")
def energy():
    return load_codebook(FIXTURES / "energy_survey", 1)


SEPARATORS = st.sampled_from([",", ", ", ";", "; ", "|", "\n", " | "])
PLATFORM_HEADS = st.sampled_from(["generic", "google_forms", "microsoft_forms"])


def _export(tmp, codebook, cells: list[str], platform: str) -> None:
    """Write a one-question export as a platform without respondent ids writes it."""
    q = codebook.question("barriers")
    header = [q.wording()]
    rows = [[c] for c in cells]
    if platform == "google_forms":
        header, rows = ["Timestamp", *header], [["2026/06/09 9:00:00 AM GMT+5", c] for c in cells]
    elif platform == "microsoft_forms":
        header = ["ID", "Start time", "Completion time", "Email", "Name", *header]
        rows = [[str(i), "6/9/26 9:00", "6/9/26 9:05", "anonymous", "", c]
                for i, c in enumerate(cells, 1)]  # fmt: skip
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    folder = tmp / "raw" / "2031-01"
    folder.mkdir(parents=True)
    (folder / "export.csv").write_text(buffer.getvalue(), encoding="utf-8")
    _wave_yaml(folder)


def _wave_yaml(folder) -> None:
    """Write a wave.yaml holding only the disclosure facts (the export is recognised)."""
    (folder / "wave.yaml").write_text(
        "wave: '2031-01'\ntitle: t\nsponsor: s\nfieldwork: {start: 2031-01-01, end: 2031-01-02}\n"
        "population: p\nsample: {description: d, n_stated: 9}\nmode: m\ncodebook_version: 1\n"
        "is_synthetic: true\nexport: {file: export.csv}\n",
        encoding="utf-8",
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@example(  # a label holding the platform's ", " and a trailing "|": once read as "Other"
    picks=[["tarif"]], languages=["en"] * 6, separator="|", trailing=True, platform="google_forms"
)
@given(
    picks=st.lists(
        st.lists(st.sampled_from(["fin", "tarif", "trust", "data"]), min_size=1, unique=True),
        min_size=1,
        max_size=6,
    ),
    languages=st.lists(st.sampled_from(["en", "ru", "kk"]), min_size=6, max_size=6),
    separator=SEPARATORS,
    trailing=st.booleans(),
    platform=PLATFORM_HEADS,
)
def test_labels_joined_by_any_separator_give_exact_counts_or_one_error_never_other(
    tmp_path_factory, energy, picks, languages, separator, trailing, platform
):
    q = energy.question("barriers")
    cells = [
        separator.join(q.option(c).label(lang) for c in chosen) + (separator if trailing else "")
        for chosen, lang in zip(picks, languages, strict=False)
    ]
    root = tmp_path_factory.mktemp("cells")
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", root / "codebook")
    _export(root, energy, cells, platform)
    try:
        result = clean_wave(load_wave(root, "2031-01"), energy)
    except InputError as err:
        event("refused with one error")
        assert "map to no codebook option" in str(err)
        return
    event("read exactly")
    got = result.responses
    assert (got["barriers__other"] == 0).all()
    assert got["barriers__other_text"].isna().all()
    for code in ("fin", "tarif", "trust", "data"):
        assert got[f"barriers__{code}"].tolist() == [int(code in p) for p in picks]
    native = {"generic": (",",), "google_forms": (";", ","), "microsoft_forms": (";",)}
    fits_natively = (separator.strip() or separator) in native[platform]
    # A trailing separator that is only whitespace is trimmed like any blank, not a guess.
    multi = any(len(p) > 1 for p in picks) or (trailing and bool(separator.strip()))
    separators = [d for d in result.decisions if "separated by" in d["decision"]]
    assert bool(separators) == (multi and not fits_natively)


def test_the_issues_three_cells_are_counted_not_called_other(tmp_path, energy):
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", tmp_path / "codebook")
    q = energy.question("barriers")
    a, b, c = (q.option(x).label() for x in ("fin", "tarif", "trust"))
    _export(tmp_path, energy, [f"{a};{b};", f"{a};", f"{b};{c};"], "generic")
    result = clean_wave(load_wave(tmp_path, "2031-01"), energy)
    got = result.responses
    assert got[["barriers__fin", "barriers__tarif", "barriers__trust"]].sum().tolist() == [2, 2, 1]
    assert int(got["barriers__other"].sum()) == 0
    decision = next(d for d in result.decisions if "separated by" in d["decision"])
    assert decision["question_id"] == "barriers" and "';'" in decision["decision"]
    assert result.report["decisions"] == list(result.decisions)


def test_labels_joined_by_two_separators_in_one_column_are_one_error(tmp_path, energy):
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", tmp_path / "codebook")
    q = energy.question("barriers")
    a, b = (q.option(x).label() for x in ("fin", "trust"))
    _export(tmp_path, energy, [f"{a};{b}", f"{a}|{b}", a], "generic")
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(tmp_path, "2031-01"), energy)
    message = str(err.value)
    assert message.count("map to no codebook option") == 1
    assert f"{a};{b}" in message and f"{a}|{b}" in message and "row" in message


def test_a_single_choice_holding_two_labels_is_an_error_not_other(tmp_path, energy):
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", tmp_path / "codebook")
    q = energy.question("priority")
    folder = tmp_path / "raw" / "2031-01"
    folder.mkdir(parents=True)
    two = f"{q.option('grid').label()};{q.option('hydro').label()}"
    frame = pd.DataFrame({"Timestamp": ["t1", "t2"], q.wording(): [two, "My own idea"]})
    frame.to_csv(folder / "export.csv", index=False)
    _wave_yaml(folder)
    with pytest.raises(InputError) as err:
        clean_wave(load_wave(tmp_path, "2031-01"), energy)
    assert "several answers" in str(err.value) and "My own idea" not in str(err.value)
