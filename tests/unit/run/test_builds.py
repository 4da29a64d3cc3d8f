"""Builds: readers see the previous complete result or the new one; leftovers are removed."""

import os

from surveybrief.run.builds import Builds

WAVE = "2030-01"


def _build(builds: Builds, files: dict[str, str]):
    staging = builds.start()
    for name, text in files.items():
        (staging / name).parent.mkdir(parents=True, exist_ok=True)
        (staging / name).write_text(text, encoding="utf-8")
    return staging


def test_publishing_swaps_the_link_whole_and_removes_the_previous_build(tmp_path):
    builds = Builds(tmp_path, WAVE)
    assert builds.current() is None and builds.clean() is None
    first = _build(builds, {"briefing.html": "one", "tables/a.csv": "1"})
    assert not builds.link.exists()  # nothing is visible before it is published
    builds.publish(first)
    assert (builds.link / "briefing.html").read_text() == "one" and builds.current() == first
    second = _build(builds, {"briefing.html": "two"})
    assert (builds.link / "briefing.html").read_text() == "one"  # still the previous set
    builds.publish(second)
    assert (builds.link / "briefing.html").read_text() == "two"
    assert not (builds.link / "tables" / "a.csv").exists()  # no file of the old set beside it
    assert not first.exists() and [p.name for p in builds.folder.iterdir()] == [second.parent.name]
    assert os.readlink(builds.link).startswith("_builds/")  # relative: the folder can move


def test_a_folder_from_before_builds_is_replaced_whole(tmp_path):
    builds = Builds(tmp_path, WAVE)
    (builds.link / "tables").mkdir(parents=True)
    (builds.link / "tables" / "old.csv").write_text("x", encoding="utf-8")
    assert builds.current() == builds.link
    builds.publish(_build(builds, {"briefing.html": "new"}))
    assert builds.link.is_symlink() and not (builds.link / "tables" / "old.csv").exists()
    assert len(list(builds.folder.iterdir())) == 1


def test_leftovers_are_removed_but_the_newest_build_with_a_record(tmp_path):
    builds = Builds(tmp_path, WAVE)
    builds.publish(_build(builds, {"briefing.html": "one"}))
    killed = _build(builds, {"tables/a.csv": "half"})  # no record: killed before a stage ended
    older = _build(builds, {".cache.json": "{}"})
    failed = _build(builds, {".cache.json": "{}", "executed/x.ipynb": "{}"})
    (tmp_path / f".{WAVE}.link-999").symlink_to("nowhere")
    assert builds.clean() == failed
    assert not killed.exists() and not older.exists() and failed.exists()
    assert not (tmp_path / f".{WAVE}.link-999").is_symlink()
    assert (builds.link / "briefing.html").read_text() == "one"


def test_a_discarded_build_leaves_nothing(tmp_path):
    builds = Builds(tmp_path, WAVE)
    staging = _build(builds, {"tables/a.csv": "1"})
    builds.discard(staging)
    assert list(builds.folder.iterdir()) == []


def test_coding_workbooks_an_earlier_version_wrote_in_the_wave_folder_are_kept(tmp_path):
    """Before builds, make coding wrote outputs/<wave>/coding/: those may be half coded."""
    legacy = tmp_path / "2025-06"
    (legacy / "coding").mkdir(parents=True)
    (legacy / "coding" / "comments.xlsx").write_bytes(b"coded by hand")
    builds = Builds(tmp_path, "2025-06")
    builds.publish(builds.start())
    kept = tmp_path / "coding" / "2025-06" / "comments.xlsx"
    assert kept.read_bytes() == b"coded by hand"
    assert builds.link.is_symlink()
