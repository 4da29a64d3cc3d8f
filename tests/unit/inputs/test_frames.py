import pytest
import yaml

from surveybrief.config import DATA_DIR
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.frames import Theme, parse_frame
from tests.helpers import data_root_with_codebook


def test_keywords_are_stems_tolerant_of_case_and_inflection():
    water = Theme("water", {"en": "Water"}, {"en": ["water"], "ru": ["вод"], "kk": ["су ресурс"]})
    assert water.matches("WATERS and rivers")
    assert water.matches("Водные споры; без воды нет роста")
    assert water.matches("Су ресурстары ортақ")  # a phrase: its last word is a stem too
    assert not water.matches("Freshwater")  # a stem starts a word
    assert Theme("t", {"en": "T"}, {"ru": ["ёлк"]}).matches("ЕЛКА")  # ё and е alike


def test_the_committed_frame_finds_its_themes_in_three_languages():
    frame = load_codebook(DATA_DIR, 1).open_target("comments").frame
    found = {
        text: [t.code for t in frame.themes if t.matches(text)]
        for text in (
            "Railway transit is key",
            "Транспортные коридоры важнее всего",
            "Көлік дәліздері қажет",
        )
    }
    assert all(codes == ["transport_trade"] for codes in found.values()), found


def test_a_bad_frame_is_one_clear_error(tmp_path):
    with pytest.raises(InputError, match="invalid theme code"):
        parse_frame(
            {"themes": [{"code": "Bad Code", "label": {"en": "x"}}]}, file=tmp_path, where="q"
        )
    with pytest.raises(InputError, match="reserved"):
        parse_frame(
            {"themes": [{"code": "no_theme", "label": {"en": "x"}}]}, file=tmp_path, where="q"
        )
    with pytest.raises(InputError, match="distinct codes"):
        parse_frame(
            {"themes": [{"code": "a", "label": {"en": "A"}}, {"code": "a", "label": {"en": "B"}}]},
            file=tmp_path,
            where="q",
        )
    with pytest.raises(InputError, match="unknown key keyword"):
        parse_frame(
            {"themes": [{"code": "a", "label": {"en": "A"}, "keyword": ["x"]}]},
            file=tmp_path,
            where="q",
        )


def test_a_frame_belongs_to_a_text_question(tmp_path):
    root = data_root_with_codebook(tmp_path)
    path = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    doc["sections"][0]["questions"][0]["frame"] = {"themes": [{"code": "a", "label": {"en": "A"}}]}
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError, match="frame is for text questions"):
        load_codebook(root)
