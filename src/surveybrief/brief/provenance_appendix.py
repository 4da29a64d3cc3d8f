"""The briefing's provenance appendix, from the run's manifest (inputs, software, run).

Readers see each input by what it is (the survey's answers, the questionnaire, ...) with its
fingerprint, never a file of the project; the run's full record (file names, each step) is kept
with the outputs for the analyst.
"""

from __future__ import annotations

import re
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
    rows += [
        (_("{input} (sha256)").format(input=input_role(name, manifest["wave"])), digest)
        for name, digest in manifest["inputs"].items()
    ]
    rows += [(f"{name}", version) for name, version in manifest["key_packages"].items()]
    rows.append((_("Steps"), _steps_text(manifest["notebooks"])))
    title = escape(_("Appendix {letter}. Provenance").format(letter=letter))
    lead = escape(
        _("Inputs, software and run of this briefing; the run's full record is kept with it.")
    )
    return f'<h1 class="appendix">{title}</h1><p class="lead">{lead}</p>' + definition_table(
        rows, "provenance"
    )


def _steps_text(notebooks: list[dict]) -> str:
    """Say how many steps ran and how many were reused from an earlier run, and how long."""
    ran = sum(1 for nb in notebooks if nb["status"] == "ok")
    seconds = sum(float(nb["seconds"]) for nb in notebooks)
    return _("{ran} computed, {reused} reused unchanged from an earlier run; {seconds} s").format(
        ran=ran, reused=len(notebooks) - ran, seconds=fmt_decimal(seconds, 1)
    )


_ROLES = (
    (re.compile(r"raw/(?P<wave>[^/]+)/wave\.yaml"), N_("Description of wave {wave}")),
    (re.compile(r"raw/(?P<wave>[^/]+)/wave\.draft\.yaml"),
     N_("Draft description of wave {wave} (not read)")),
    (re.compile(r"raw/(?P<wave>[^/]+)/README[^/]*", re.I), N_("Notes on the data of wave {wave}")),
    (re.compile(r"raw/(?P<wave>[^/]+)/[^/]+\.(?P<format>csv|tsv|xlsx|xls|sav|txt)", re.I),
     N_("Answers of wave {wave} (the survey's export, {format})")),
    (re.compile(r"raw/(?P<wave>[^/]+)/.+"), N_("Other file of wave {wave}")),
    (re.compile(r"codebook/v(?P<version>\d+)\.yaml"), N_("Questionnaire, version {version}")),
    (re.compile(r"published/(?P<wave>[^/]+)\.yaml"), N_("Published figures of wave {wave}")),
    (re.compile(r"coding/(?P<wave>[^/]+)/(?P<question>[^/.]+)\.\w+"),
     N_("Coding of the open answers to {question}, wave {wave}")),
)  # fmt: skip


def input_role(name: str, wave: str) -> str:
    """Return what an input file is, in words a reader follows (never its path)."""
    for pattern, message in _ROLES:
        found = pattern.fullmatch(name)
        if found:
            return _(message).format(**found.groupdict())
    return _("Other input of wave {wave}").format(wave=wave)
