"""Provenance: installed versions read from dist-info folders, never stale in one process."""

from __future__ import annotations

import os
import sys

from surveybrief.run import provenance


def test_versions_come_from_dist_info_folders_and_a_new_install_is_seen(tmp_path, monkeypatch):
    """A long-lived process (make preview) sees a package installed or upgraded after it began."""
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    (tmp_path / "Some_Package-1.0.dist-info").mkdir()
    assert provenance.installed_distributions() == {"some-package": "1.0"}
    assert provenance.package_versions(("some-package",)) == {"some-package": "1.0"}
    (tmp_path / "Some_Package-1.0.dist-info").rmdir()  # upgraded, as an installer does it
    (tmp_path / "Some_Package-1.1.dist-info").mkdir()
    stat = tmp_path.stat()  # a coarse clock could leave the folder's time as it was
    os.utime(tmp_path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert provenance.installed_distributions() == {"some-package": "1.1"}


def test_a_package_without_a_dist_info_folder_is_asked_of_its_metadata(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "path", [str(tmp_path)])
    egg = tmp_path / "eggy.egg-info"  # an older kind of install: no dist-info folder
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: eggy\nVersion: 3.2\n")
    assert provenance.package_versions(("eggy", "no-such-package-anywhere")) == {
        "eggy": "3.2",
        "no-such-package-anywhere": "not installed",
    }


def test_git_state_names_the_commit_and_whether_tracked_files_changed():
    state = provenance.git_state()
    assert set(state) == {"commit", "is_dirty"}
    assert state["commit"] == "unknown" or len(state["commit"]) == 40
