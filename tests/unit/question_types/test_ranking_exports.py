"""Ranking questions read from four platforms' exports, written the way each writes them.

SYNTHETIC respondents rank the top three of five options (some only two). Qualtrics' Rank Order
writes a column per option holding its rank; KoboToolbox's Ranking question a column per place
(its ``rank__level`` rows) holding the choice's name; the XLSForm ``rank`` widget (ODK Central)
one cell of names in rank order; Microsoft Forms one cell of labels each followed by ";". Each
reads back to the same rank per option, row for row; a ranking that is no ranking (a rank
twice, a place skipped, an option placed twice) sets its row aside with its column and values,
and a cell naming no option is an error naming it.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.exports.files import write_csv
from tests.helpers import (
    FIXTURES,
    RANKED_ITEMS,
    RANKING_N,
    RANKING_WAVE,
    RANKING_WRITERS,
    kobo_ranking,
    qualtrics_ranking,
    ranking_truth,
    write_ranking_wave,
)

WAVE, N, ITEMS, WRITERS = RANKING_WAVE, RANKING_N, RANKED_ITEMS, RANKING_WRITERS


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(FIXTURES / "ranking_survey", 1)


def expected_ranks(rows) -> pd.DataFrame:
    def rank(ranked: list[str], code: str):
        return (ranked.index(code) + 1 if code in ranked else 0) if ranked else pd.NA

    table = [{f"priorities__{c}": rank(ranked, c) for c in ITEMS} for ranked, _o in rows]
    return pd.DataFrame(table).astype("Int8")


@pytest.mark.parametrize("platform", sorted(WRITERS))
def test_each_platforms_ranking_reads_back_to_the_ranks_given(tmp_path, codebook, platform):
    rows = ranking_truth()
    root, _ = write_ranking_wave(tmp_path, codebook, platform, rows)
    result = clean_wave(load_wave(root, WAVE), codebook)
    assert result.platform == platform
    assert result.validation.quarantine.empty
    got = result.responses[[f"priorities__{c}" for c in ITEMS]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected_ranks(rows), check_names=False)
    assert list(result.responses["outlook"]) == [o for _r, o in rows]


@pytest.mark.parametrize(
    ("platform", "ranked", "said"),
    [
        ("odk_central", ["quotas", "quotas", "data"], "one option placed at ranks 1 and 2"),
        ("kobotoolbox", ["hydro", None, "data"], "ranks skip a place"),
    ],
)
def test_a_ranking_that_is_no_ranking_sets_its_row_aside(
    tmp_path, codebook, platform, ranked, said
):
    rows = ranking_truth()
    rows[0] = (ranked, "yes")
    if platform == "odk_central":
        rows[0] = ([r for r in ranked if r], "yes")
    root, _ = write_ranking_wave(tmp_path, codebook, platform, rows)
    result = clean_wave(load_wave(root, WAVE), codebook)
    quarantine = result.validation.quarantine
    assert list(quarantine["column"]) == ["priorities"]
    assert said in quarantine["reason"].iloc[0]
    assert int(quarantine["row"].iloc[0]) == 2  # the export's line: its first answer row
    assert len(result.responses) == N - 1


def test_a_rank_twice_in_qualtrics_sets_its_row_aside(tmp_path, codebook):
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "qualtrics", rows)
    table = qualtrics_ranking(rows, codebook)
    table[3][3:8] = ["1", "1", None, "2", None]
    write_csv(folder / "qualtrics.csv", table)
    result = clean_wave(load_wave(root, WAVE), codebook)
    quarantine = result.validation.quarantine
    assert "rank 1 given to more than one option" in quarantine["reason"].iloc[0]
    assert quarantine["value"].iloc[0] == "quotas=1, hydro=1, data=2"


def test_a_place_naming_no_option_is_an_error_naming_column_value_and_row(tmp_path, codebook):
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "kobotoolbox", rows)
    table = kobo_ranking(rows, codebook)
    table[4][2] = "fisheries"
    write_csv(folder / "kobotoolbox.csv", table, delimiter=";", quote_all=True)
    with pytest.raises(InputError) as caught:
        clean_wave(load_wave(root, WAVE), codebook)
    said = str(caught.value)
    assert "'water/priorities/_2nd_choice': 'fisheries' (row 5)" in said
    assert "names no option of the ranking" in said


def _four_ranks(table):
    table[3][3:8] = ["1", "2", "3", "4", None]


def _reworded(table):
    table[1][3] = table[1][3].replace("Water-sharing quotas", "Water quotas")


@pytest.mark.parametrize(
    ("edit", "said"),
    [
        (_four_ranks, r"'Q1_4': '4' \(row 4\) \[not a rank from 1 to 3\]"),
        # only KoboToolbox writes places: elsewhere a column naming no option is unmatched
        (_reworded, r"1 column\(s\) map to no codebook question: 'Q1_1'"),
    ],
    ids=["a rank beyond the ranks asked", "a reworded option label"],
)
def test_a_qualtrics_ranking_that_does_not_fit_is_an_error(tmp_path, codebook, edit, said):
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "qualtrics", rows)
    table = qualtrics_ranking(rows, codebook)
    edit(table)
    write_csv(folder / "qualtrics.csv", table)
    with pytest.raises(InputError, match=said):
        clean_wave(load_wave(root, WAVE), codebook)


def test_a_kobo_labels_export_maps_its_places_by_number(tmp_path, codebook):
    """Headers without the group ("1st choice") are mapped as ``<question>/<n>``."""
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "kobotoolbox", rows)
    table = kobo_ranking(rows, codebook)
    table[0][1:4] = ["1st choice", "2nd choice", "3rd choice"]
    write_csv(folder / "kobotoolbox.csv", table, delimiter=";", quote_all=True)
    with pytest.raises(InputError, match="map to no codebook question"):
        clean_wave(load_wave(root, WAVE), codebook)
    doc = yaml.safe_load((folder / "wave.yaml").read_text(encoding="utf-8"))
    doc["mapping"] = {"columns": {"1st choice": "priorities/1", "2nd choice": "priorities/2",
                                  "3rd choice": "priorities/3"}}  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    result = clean_wave(load_wave(root, WAVE), codebook)
    got = result.responses[[f"priorities__{c}" for c in ITEMS]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got, expected_ranks(rows), check_names=False)


def test_a_ranking_of_only_zeros_is_a_skipped_question_not_a_lost_respondent(tmp_path, codebook):
    """Qualtrics can recode seen-but-unanswered as 0: that respondent stays, out of the base."""
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "qualtrics", rows)
    table = qualtrics_ranking(rows, codebook)
    table[3][3:8] = ["0"] * 5
    write_csv(folder / "qualtrics.csv", table)
    result = clean_wave(load_wave(root, WAVE), codebook)
    assert result.validation.quarantine.empty and len(result.responses) == N
    first = result.responses.iloc[0]
    assert all(pd.isna(first[f"priorities__{c}"]) for c in ITEMS)
    assert first["outlook"] == rows[0][1]
    said = [d for d in result.decisions if d["question_id"] == "priorities"]
    assert len(said) == 1 and said[0]["decision"].startswith("1 ranking(s) of only 0s")


def test_a_ranking_read_in_two_shapes_is_refused(tmp_path, codebook):
    """A one-cell column beside a column per option would overwrite it: an error names both."""
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "qualtrics", rows)
    table = qualtrics_ranking(rows, codebook)
    table[0].append("Q9")
    table[1].append("Priorities as one cell")
    table[2].append('{"ImportId":"QID9"}')
    for line in table[3:]:
        line.append("quotas,hydro")
    write_csv(folder / "qualtrics.csv", table)
    doc = yaml.safe_load((folder / "wave.yaml").read_text(encoding="utf-8"))
    doc["mapping"] = {"columns": {"Q9": "priorities"}}
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="read as a column per option and as one cell"):
        clean_wave(load_wave(root, WAVE), codebook)


@pytest.mark.parametrize("entry", ["priorities/0", "priorities/²", "priorities/x"])
def test_a_mapping_entry_names_a_place_by_a_whole_number_from_1(tmp_path, codebook, entry):
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "kobotoolbox", rows)
    doc = yaml.safe_load((folder / "wave.yaml").read_text(encoding="utf-8"))
    doc["mapping"] = {"columns": {"water/priorities/_1st_choice": entry}}
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="name no codebook question or option"):
        clean_wave(load_wave(root, WAVE), codebook)
