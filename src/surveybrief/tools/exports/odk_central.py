"""ODK Central exports: Submissions > Download, the main table as CSV.

``SubmissionDate`` (UTC, ``Z``), the form's ``start`` and ``end``, its fields with their
group path joined by "-" (``outlook-priority``; ``csv_no_groups``: "Remove group names"),
``meta-instanceID``, then ``KEY``, ``SubmitterID``, ``SubmitterName``, ``AttachmentsPresent``,
``AttachmentsExpected``, ``Status``, ``ReviewState``, ``DeviceID``, ``Edits``, ``FormVersion``.
Choice names, a select_multiple as names separated by spaces; ``or_other`` texts in
``<field>_other``; skipped fields empty. ``csv_split``: "Split select multiple choices into
columns" adds ``<field>/<name>`` columns (1/0, only for names someone chose, 0 also where the
question was skipped). One submission was rejected by a reviewer. Comma-separated, LF, no
byte-order mark.
"""

from __future__ import annotations

from pathlib import Path

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.files import write_csv
from surveybrief.tools.exports.respondents import People

VARIANTS = ("csv", "csv_split", "csv_no_groups")
TAIL = ("meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
        "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
        "FormVersion")  # fmt: skip


def _columns(people: People, codebook: Codebook, variant: str) -> list[tuple[str, tuple]]:
    found = []
    for q in codebook.questions:
        name = q.id if variant == "csv_no_groups" else f"{q.section_id}-{q.id}"
        found.append((name, ("answer", q)))
        if q.kind.several and variant == "csv_split":
            seen = sorted(
                {c for r in range(len(people.answers)) for c in people.chosen(q, r) or []}
            )
            found += [(f"{name}/{c}", ("tick", q, c)) for c in seen]
        if q.other_option is not None:
            found.append((f"{name}_other", ("other_text", q)))
    return found


def _cell(people: People, row: int, what: tuple) -> str | None:
    q = what[1]
    if what[0] == "other_text":
        return people.value(f"{q.id}__other_text", row)
    if q.kind.several:
        chosen = people.chosen(q, row)
        if what[0] == "tick":
            return "1" if chosen and what[2] in chosen else "0"
        return None if chosen is None else " ".join(chosen)
    return people.value(q.id, row)


def write(people: People, codebook: Codebook, folder: Path, variant: str = "csv") -> Path:
    """Write the export of ``variant`` into ``folder``; one extra submission is rejected."""
    columns = _columns(people, codebook, variant)
    rows = [["SubmissionDate", "start", "end", *(h for h, _ in columns), *TAIL]]
    for row in [*range(len(people.answers)), 1]:  # the last: row 1 again, rejected
        serial = len(rows)
        who = people.who.loc[row]
        start = who["started"]
        key = f"uuid:{serial:08d}-4b1c-4d2e-9f3a-{7919 * serial:012d}"
        rows.append(
            [
                f"{start:%Y-%m-%dT%H:%M:%S}.123Z",
                f"{start:%Y-%m-%dT%H:%M:%S}.456+05:00",
                f"{start:%Y-%m-%dT%H:%M}:59.789+05:00",
                *(_cell(people, row, w) for _, w in columns),
                key, key, "5", "Field Team A", "0", "0", None,
                "rejected" if serial > len(people.answers) else ("approved" if row % 3 else None),
                who["device"], "0", "2026061001",
            ]
        )  # fmt: skip
    return write_csv(folder / "energy_survey.csv", rows, line_end="\n")
