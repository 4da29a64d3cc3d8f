"""The briefing's provenance appendix, from the run's manifest (inputs, software, run)."""

from __future__ import annotations

from html import escape

from surveybrief.brief.i18n import N_, _, fmt_decimal
from surveybrief.brief.present import definition_table


def provenance_html(manifest: dict, letter: str = "B") -> str:
    """Return the provenance appendix: inputs (sha256), software, commit, each notebook's run.

    ``letter`` is its letter: B after the audit appendix, A when the wave has no audit.
    """
    dirty = _(" (with uncommitted changes)") if manifest["git"]["is_dirty"] else ""
    rows = [
        (_("Wave"), manifest["wave"]),
        (_("Generated"), manifest["started_at"]),
        (_("Git commit"), f"{manifest['git']['commit']}{dirty}"),
    ]
    rows += [(f"sha256 {name}", digest) for name, digest in manifest["inputs"].items()]
    rows += [(f"{name}", version) for name, version in manifest["key_packages"].items()]
    if manifest["kernels"]:
        seconds = ", ".join(f"{fmt_decimal(s, 1)} s" for s in manifest["kernels"])
        rows.append(
            (
                _("Kernels"),
                _("{n}, each reused across notebooks (start-up and imports: {seconds})").format(
                    n=len(manifest["kernels"]), seconds=seconds
                ),
            )
        )
    rows += [
        (
            _("Notebook {name}").format(name=nb["name"]),
            "{status}, {seconds} s".format(
                status=_(nb["status"]), seconds=fmt_decimal(nb["seconds"], 1)
            ),
        )
        for nb in manifest["notebooks"]
    ]
    title = escape(_("Appendix {letter}. Provenance").format(letter=letter))
    lead = escape(
        _("Inputs, software and run of this briefing; the run's full record is kept with it.")
    )
    return f'<h1 class="appendix">{title}</h1><p class="lead">{lead}</p>' + definition_table(
        rows, "provenance"
    )


#: Step statuses as the provenance shows them (for the extractor).
STATUSES = (N_("ok"), N_("failed"), N_("reused"))
