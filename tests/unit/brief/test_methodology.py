"""brief.methodology and the brief's note: words that fit the wave's numbers."""

from __future__ import annotations

import pytest

from surveybrief.brief.i18n import language, sentence
from surveybrief.brief.methodology import _bases_text, _precision_text
from surveybrief.brief.short import _precision_line
from tests.helpers import matched_claims, unbacked_claims


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_one_base_for_every_question_is_said_once(lang, tmp_path):
    """Never "Bases range from 12 to 12" nor "at n = 12 ...; at n = 12 ..."."""
    (tmp_path / "bases.csv").write_text(
        "question_id,type,base,comments,respondents\nq1,single,12,,12\nq2,multi,12,,12\n"
    )
    with language(lang):
        said = [_bases_text(12, 12, 2, 2), _precision_text(12, 12), _precision_line(12, 12, 2)]
    for text in said:
        assert text.count("12") == 1 and "12 to 12" not in text
        assert unbacked_claims(text, tmp_path, lang) == []
    assert "±25" in said[1] and "±25" in said[2]  # the widest Wilson interval at n = 12
    assert matched_claims(said[0], lang) == {"bases_one"}
    assert matched_claims(said[1], lang) == matched_claims(said[2], lang) == {"precision_one"}
    with language(lang):
        edited = _precision_text(12, 12).replace("25", "24")
    assert unbacked_claims(edited, tmp_path, lang) != []


def test_a_text_joined_to_another_keeps_its_full_stop():
    assert sentence("45 answered") == "45 answered."
    assert sentence("Invited panel.") == "Invited panel."
    assert sentence("as published (50).") == "as published (50)."
    assert sentence("«Более 50 экспертов».") == "«Более 50 экспертов»."
    assert sentence("") == ""


@pytest.mark.parametrize(("lang", "said"), [("en", "not stated"), ("ru", "не указано")])
def test_a_fact_wave_yaml_leaves_out_is_not_stated_never_guessed(lang, said, data_copy):
    """No weighting in wave.yaml: the reader reads "not stated", not a default of "none"."""
    from surveybrief.brief.methodology import wave_fact
    from surveybrief.inputs.wave import load_wave

    path = data_copy / "raw" / "2025-06" / "wave.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("weighting:")
    path.write_text(text[:start] + text[text.index("codebook_version:") :], encoding="utf-8")
    wave = load_wave(data_copy, "2025-06")
    assert wave.defaulted == ("weighting",)
    with language(lang):
        assert wave_fact(wave, "weighting", lang) == said
