"""Inputs read once: every input file's hash and identity taken at the start, checked at the end.

The manifest and the provenance appendix name each input by the sha256 taken when the run
starts. A file replaced, edited, added or removed while the run reads the data would make
them name another file than the one used, so before anything is published every input's
identity (inode, size, modification and change times: a rename or a write changes them) is
compared with the start; any difference stops the run, and nothing is published.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from surveybrief.exceptions import InputError
from surveybrief.inputs.digest import sha256_file
from surveybrief.run.cache import input_files


def identity(path: Path) -> tuple[int, int, int, int]:
    """Return what a write or a replacement of the file changes: inode, size, mtime, ctime."""
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


@dataclass(frozen=True)
class Inputs:
    """The inputs of one run as they were when it started."""

    data_root: Path
    wave_id: str
    #: sha256 by path under the data root.
    hashes: dict[str, str]
    identities: dict[str, tuple[int, int, int, int]]

    @classmethod
    def take(cls, data_root: Path, wave_id: str) -> Inputs:
        """Hash every input of the run, noting each file's identity before reading it."""
        hashes, identities = {}, {}
        for path in input_files(data_root, wave_id):
            name = str(path.relative_to(data_root))
            identities[name] = identity(path)
            hashes[name] = sha256_file(path)
        return cls(Path(data_root), wave_id, hashes, identities)

    def changed(self) -> list[str]:
        """Return the inputs added, removed or changed since the start (empty: none)."""
        now = {
            str(p.relative_to(self.data_root)): p for p in input_files(self.data_root, self.wave_id)
        }
        found = sorted(set(now) ^ set(self.identities))
        for name in sorted(set(now) & set(self.identities)):
            try:
                if identity(now[name]) != self.identities[name]:
                    found.append(name)
            except OSError:
                found.append(name)
        return found

    def check_unchanged(self) -> None:
        """Raise when an input changed during the run (nothing is then published)."""
        changed = self.changed()
        if changed:
            raise InputError(
                "inputs changed while the run read them; nothing was published (the results "
                "would not match the hashes recorded for them)",
                file=self.data_root / changed[0],
                value=", ".join(changed[:5]) + (" and more" if len(changed) > 5 else ""),
                expected="no change to the data root during a run: run again once the files "
                "are in place",
            )
