"""The briefing's provenance appendix, from the run's manifest (inputs, software, run)."""

from __future__ import annotations

from surveybrief.brief.present import definition_table


def provenance_html(manifest: dict, letter: str = "B") -> str:
    """Return the provenance appendix: inputs (sha256), software, commit, each notebook's run.

    ``letter`` is its letter: B after the audit appendix, A when the wave has no audit.
    """
    rows = [
        ("Wave", manifest["wave"]),
        ("Generated", manifest["started_at"]),
        (
            "Git commit",
            f"{manifest['git']['commit']}"
            + (" (with uncommitted changes)" if manifest["git"]["is_dirty"] else ""),
        ),
    ]
    rows += [(f"sha256 {name}", digest) for name, digest in manifest["inputs"].items()]
    rows += [(f"{name}", version) for name, version in manifest["key_packages"].items()]
    if manifest["kernels"]:
        rows.append(
            (
                "Kernels",
                f"{len(manifest['kernels'])}, each reused across notebooks (start-up and "
                f"imports: {', '.join(f'{s:.1f} s' for s in manifest['kernels'])})",
            )
        )
    rows += [
        (f"Notebook {nb['name']}", f"{nb['status']}, {nb['seconds']:.1f} s")
        for nb in manifest["notebooks"]
    ]
    return (
        f'<h1 class="appendix">Appendix {letter}. Provenance</h1>'
        '<p class="lead">Inputs, software and run of this briefing; manifest.json holds the '
        "full record.</p>" + definition_table(rows, "provenance")
    )
