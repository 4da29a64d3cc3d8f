"""wave.yaml: a Delphi round is a numbered wave of a linked panel, refused otherwise."""

import pytest
import yaml

from surveybrief.exceptions import InputError
from surveybrief.inputs.wave import load_wave
from surveybrief.tools.synthetic_delphi import ROUNDS, build_delphi_data


def _edit(data, wave_id, **changes):
    path = data / "raw" / wave_id / "wave.yaml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key, value in changes.items():
        if value is None:
            doc.pop(key, None)
        else:
            doc[key] = value
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")


def test_a_delphi_round_is_read_with_its_number(tmp_path):
    data = build_delphi_data(tmp_path / "data")
    wave = load_wave(data, ROUNDS[1][0])
    assert (wave.delphi, wave.round, wave.panel_link) == (True, 2, "Email Address")


@pytest.mark.parametrize(
    ("changes", "column", "says"),
    [
        ({"round": None}, "delphi", "needs its round"),
        ({"panel": None}, "delphi", "a linked panel"),
        ({"round": 0}, "round", "round must be a whole number from 1"),
        ({"round": "two"}, "round", "round must be a whole number from 1"),
        ({"delphi": "yes"}, "delphi", "delphi must be true or false"),
    ],
)
def test_a_delphi_round_without_its_number_or_panel_is_refused(tmp_path, changes, column, says):
    data = build_delphi_data(tmp_path / "data")
    _edit(data, ROUNDS[0][0], **changes)
    with pytest.raises(InputError, match=says) as err:
        load_wave(data, ROUNDS[0][0])
    assert "wave.yaml" in str(err.value) and column in str(err.value)


def test_a_wave_links_a_panel_when_it_or_an_earlier_wave_says_so(tmp_path):
    """Read from wave.yaml alone (a run with nothing to do asks it without loading pandas)."""
    from surveybrief.inputs.wave import links_panel

    data = build_delphi_data(tmp_path / "data")
    first, second = ROUNDS[0][0], ROUNDS[1][0]
    assert links_panel(data, first) and links_panel(data, second)
    _edit(data, second, panel=None, delphi=None, round=None)
    assert links_panel(data, second)  # the earlier round links it
    _edit(data, first, panel=None, delphi=None, round=None)
    assert not links_panel(data, second)
