"""Linking experts across waves with a secret key kept outside the project."""

import csv
import io
import json
import stat

import pandas as pd
import pytest
import yaml

from surveybrief.clean import panel_key
from surveybrief.clean.cleaner import PANEL_ID, run_clean_all
from surveybrief.exceptions import InputError
from tests.helpers import data_root_with_codebook, tree_digest

FIELD = "What is your main field of expertise?"
WAVES = {  # e-mail, field: two waves sharing three experts, one leaving, one new
    "2030-06": [("Aigerim@Example.org", "Economics"), ("b@example.org", "Politics"),
                ("c@example.org", "Education"), ("gone@example.org", "Economics")],
    "2031-06": [(" aigerim@example.org", "Politics"), ("b@example.org", "Politics"),
                ("c@example.org", "Economics"), ("new@example.org", "Education")],
}  # fmt: skip


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """The key goes to a scratch configuration folder, never the user's own."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv(panel_key.KEY_ENV, raising=False)
    return tmp_path / "config"


def _write_panel(root, wave: str, rows, link: bool = True) -> None:
    folder = root / "raw" / wave
    folder.mkdir(parents=True)
    out = io.StringIO()
    table = [["Timestamp", "Email Address", FIELD]]
    table += [[f"{wave[:4]}/06/10 10:0{i}:00", e, f] for i, (e, f) in enumerate(rows)]
    csv.writer(out, lineterminator="\r\n").writerows(table)
    (folder / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    doc = {
        "wave": wave, "title": "Panel test (SYNTHETIC)", "sponsor": "Test",
        "fieldwork": {"start": f"{wave}-10", "end": f"{wave}-12"}, "population": "None",
        "sample": {"description": "4 rows", "n_stated": 4}, "mode": "Google Forms",
        "codebook_version": 1, "is_synthetic": True, "export": {"file": "export.csv"},
    }  # fmt: skip
    if link:
        doc["panel"] = {"link_by": "Email Address"}
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")


@pytest.fixture
def panel_root(tmp_path):
    root = data_root_with_codebook(tmp_path / "data")
    for wave, rows in WAVES.items():
        _write_panel(root, wave, rows)
    return root


def test_the_key_is_made_once_readable_by_its_owner_only_and_the_environment_wins(
    private_home, monkeypatch
):
    key = panel_key.panel_key("2030-06")
    path = private_home / "surveybrief" / "panel.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and len(key) == 64
    known = {"2030-06": panel_key.fingerprint(key)}  # as the published wave's record says
    assert panel_key.panel_key("2031-06", known) == key  # found, not made again
    monkeypatch.setenv(panel_key.KEY_ENV, "from the environment")
    assert panel_key.existing_key() == b"from the environment"


def test_a_lost_or_another_key_stops_a_later_wave_naming_what_to_restore(private_home, monkeypatch):
    known = {"2030-06": panel_key.fingerprint(panel_key.panel_key("2030-06"))}
    (private_home / "surveybrief" / "panel.key").unlink()
    with pytest.raises(InputError, match="is not here") as caught:
        panel_key.panel_key("2031-06", known)
    assert panel_key.KEY_ENV in str(caught.value) and "panel.key" in str(caught.value)
    assert not (private_home / "surveybrief" / "panel.key").exists()  # no new key made
    monkeypatch.setenv(panel_key.KEY_ENV, "a different key")
    with pytest.raises(InputError, match="is another one"):
        panel_key.panel_key("2031-06", known)


def test_panel_ids_are_stable_private_and_ignore_case_and_spaces():
    first, second = b"k" * 32, b"other key"
    ids = panel_key.panel_ids(first, ["A@x.org", " a@X.org ", "", None, "b@x.org"])
    assert ids[0] == ids[1] and ids[2] is None and ids[3] is None and ids[0] != ids[4]
    assert panel_key.panel_ids(second, ["a@x.org"])[0] != ids[0]
    assert "x.org" not in "".join(i for i in ids if i)


def test_waves_sharing_experts_get_the_same_panel_ids_and_no_e_mail_is_kept(panel_root, tmp_path):
    raw_before = tree_digest(panel_root / "raw")
    run_dir = tmp_path / "out" / "2031-06"
    results = run_clean_all(panel_root, "2031-06", run_dir)
    ids = {w: set(r.responses[PANEL_ID]) for w, r in results.items()}
    assert len(ids["2030-06"] & ids["2031-06"]) == 3  # Aigerim (case, space), b and c
    assert len(ids["2030-06"] | ids["2031-06"]) == 5
    processed = "".join(
        pd.read_parquet(p).to_csv() for p in (tmp_path / "out").rglob("*.parquet")
    ) + "".join(p.read_text() for p in (tmp_path / "out").rglob("*.json"))
    assert "example.org" not in processed.casefold() and "aigerim" not in processed.casefold()
    reports = [json.loads(p.read_text()) for p in (tmp_path / "out").rglob("clean_report.json")]
    assert len(reports) == 2 and len({r["panel"]["key"] for r in reports}) == 1  # one key
    assert [r["panel"]["linked"] for r in reports] == [4, 4]
    assert tree_digest(panel_root / "raw") == raw_before


def test_another_key_links_nobody(panel_root, tmp_path, monkeypatch):
    first = run_clean_all(panel_root, "2031-06", tmp_path / "a" / "2031-06")
    monkeypatch.setenv(panel_key.KEY_ENV, "another key entirely")
    second = run_clean_all(panel_root, "2031-06", tmp_path / "c" / "2031-06")
    old, new = (set(r["2031-06"].responses[PANEL_ID]) for r in (first, second))
    assert not old & new


def test_the_same_expert_twice_in_one_wave_is_an_error_naming_the_rows(tmp_path):
    root = data_root_with_codebook(tmp_path / "data")
    _write_panel(root, "2030-06", [("a@x.org", "Economics"), ("A@x.org ", "Politics")])
    with pytest.raises(InputError, match="the same expert twice") as caught:
        run_clean_all(root, "2030-06", tmp_path / "out" / "2030-06")
    assert "rows 2, 3" in str(caught.value) and "Email Address" in str(caught.value)


def test_a_link_column_missing_from_the_export_is_named(tmp_path):
    root = data_root_with_codebook(tmp_path / "data")
    _write_panel(root, "2030-06", WAVES["2030-06"])
    path = root / "raw" / "2030-06" / "wave.yaml"
    path.write_text(path.read_text().replace("link_by: Email Address", "link_by: Token"))
    with pytest.raises(InputError, match="the panel's link column is not in the export") as e:
        run_clean_all(root, "2030-06", tmp_path / "out" / "2030-06")
    assert "Token" in str(e.value)
