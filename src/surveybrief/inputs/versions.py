"""Codebook versions: what a version changed (``changes``) and what stays comparable.

A later codebook records the questions it added, dropped or reworded and the options it renamed
or split since the previous version; ``compare_versions`` follows a question from one version to
another and says whether (and under which codes) its answers can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from surveybrief.exceptions import InputError
from surveybrief.inputs.questionnaire import Changes, Codebook
from surveybrief.text import N_, Phrase


def parse_changes(raw: dict | None, path: Path) -> Changes:
    """Return the ``changes`` entry of a codebook file (nothing changed when absent)."""
    if not raw:
        return Changes()
    if not isinstance(raw, dict):
        raise InputError("changes must be a mapping", file=path, column="changes")
    renamed, split = {}, {}
    for qid, entry in (raw.get("options") or {}).items():
        renamed[str(qid)] = {str(k): str(v) for k, v in (entry.get("renamed") or {}).items()}
        split[str(qid)] = {
            str(k): tuple(map(str, v)) for k, v in (entry.get("split") or {}).items()
        }
    return Changes(
        added=tuple(map(str, raw.get("added") or ())),
        dropped=tuple(map(str, raw.get("dropped") or ())),
        reworded=tuple(map(str, raw.get("reworded") or ())),
        renamed_options={q: r for q, r in renamed.items() if r},
        split_options={q: r for q, r in split.items() if r},
    )


@dataclass(frozen=True)
class Comparability:
    """Whether a question can be compared between two codebook versions, and how its codes map."""

    is_comparable: bool
    reason: str
    #: option code in the older version -> code in the newer one (comparable options only)
    code_map: dict[str, str] = field(default_factory=dict)


def _follow(code_map: dict[str, str], changes: Changes, qid: str) -> None:
    """Apply one version's renamed and split options of ``qid`` to ``code_map`` (in place)."""
    renamed = changes.renamed_options.get(qid, {})
    for k, v in list(code_map.items()):  # all at once: two codes swapped stay swapped
        if v in renamed:
            code_map[k] = renamed[v]
    for old_code in changes.split_options.get(qid, {}):
        for k, v in list(code_map.items()):
            if v == old_code:
                del code_map[k]


def compare_versions(codebooks: dict[int, Codebook], old: int, new: int, qid: str) -> Comparability:
    """Return whether question ``qid`` is comparable from codebook ``old`` to ``new``.

    Not comparable when it is missing from either version or was reworded in between; options
    renamed in between map to their new code; options split in between are left out.
    """
    try:
        before = codebooks[old].question(qid)
        after = codebooks[new].question(qid)
    except KeyError:
        return Comparability(False, Phrase(N_("not asked in both waves")))
    code_map = {c: c for c in before.codes}
    for version in range(old + 1, new + 1):
        changes = codebooks[version].changes if version in codebooks else Changes()
        if qid in changes.reworded:
            return Comparability(
                False, Phrase(N_("reworded in codebook v{version}"), version=version)
            )
        _follow(code_map, changes, qid)
    code_map = {k: v for k, v in code_map.items() if v in after.codes}
    if not code_map:
        return Comparability(False, Phrase(N_("no option in common")))
    return Comparability(True, "comparable", code_map)
