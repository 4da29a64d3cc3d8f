import shutil

import pytest
import yaml

from surveybrief.brief.trend_chapter import codebook_change_lines
from surveybrief.config import DATA_DIR
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import compare_versions, load_codebook, load_codebooks


@pytest.fixture
def two_versions(tmp_path):
    shutil.copytree(DATA_DIR / "codebook", tmp_path / "codebook")
    doc = yaml.safe_load((tmp_path / "codebook" / "v1.yaml").read_text(encoding="utf-8"))
    doc["version"] = 2
    questions = {q["id"]: q for s in doc["sections"] for q in s["questions"]}
    questions["relations_state"]["wording"]["en"] = "How are relations today, in one phrase?"
    avenues = questions["economic_avenues"]["options"]
    for option in avenues:
        if option["code"] == "trade_fta":
            option["code"] = "free_trade"
    energy = next(o for o in avenues if o["code"] == "energy")
    avenues.remove(energy)
    avenues += [
        {"code": "energy_power", "label": {"en": "Power grids"}},
        {"code": "energy_water", "label": {"en": "Water and hydropower"}},
    ]
    doc["sections"][-1]["questions"] = [
        q for q in doc["sections"][-1]["questions"] if q["id"] != "comments"
    ]
    doc["changes"] = {
        "reworded": ["relations_state"],
        "dropped": ["comments"],
        "options": {
            "economic_avenues": {
                "renamed": {"trade_fta": "free_trade"},
                "split": {"energy": ["energy_power", "energy_water"]},
            }
        },
    }
    (tmp_path / "codebook" / "v2.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8"
    )
    return tmp_path


def test_latest_version_is_the_default(two_versions):
    assert load_codebook(two_versions).version == 2
    assert load_codebook(two_versions, 1).version == 1


def test_reworded_dropped_renamed_and_split(two_versions):
    books = load_codebooks(two_versions)
    assert not compare_versions(books, 1, 2, "relations_state").is_comparable
    assert compare_versions(books, 1, 2, "relations_state").reason == "reworded in codebook v2"
    assert compare_versions(books, 1, 2, "comments").reason == "not asked in both waves"
    avenues = compare_versions(books, 1, 2, "economic_avenues")
    assert avenues.is_comparable
    assert avenues.code_map["trade_fta"] == "free_trade"
    assert "energy" not in avenues.code_map
    assert compare_versions(books, 1, 2, "kz_moderator").code_map == {
        "leading_moderator": "leading_moderator",
        "partial_economic": "partial_economic",
    }
    lines = codebook_change_lines(books[2].changes, books[2])
    assert (
        "Option renamed in Most realistic avenues of economic integration: trade_fta → "
        "free_trade." in lines
    )


def test_file_name_and_version_must_agree(two_versions):
    path = two_versions / "codebook" / "v2.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("version: 2", "version: 3"), encoding="utf-8"
    )
    with pytest.raises(InputError, match="differs from its name"):
        load_codebook(two_versions, 2)


def test_two_options_whose_codes_are_swapped_stay_swapped():
    from surveybrief.inputs.questionnaire import Changes
    from surveybrief.inputs.versions import _follow

    code_map = {"a": "a", "b": "b", "c": "c"}
    _follow(code_map, Changes(renamed_options={"q": {"a": "b", "b": "a"}}), "q")
    assert code_map == {"a": "b", "b": "a", "c": "c"}
