"""SPSS exports: a ``.sav`` file as Qualtrics writes one ("SPSS" in Export data).

Variables named as the CSV's export tags (``Q1``, ``Q1_4_TEXT``, ``Q3_1`` ...;
``Duration__in_seconds_``), labelled with the CSV's second row (``<question> - Selected
Choice - <choice>``), choice questions as numbers with value labels (the choice texts), a
ticked choice 1 (labelled with its text) and an unticked one missing, texts as strings; the
own and personal variables (``ResponseId``, ``IPAddress``, recipients' names and e-mail).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from surveybrief.inputs.codebook import Codebook
from surveybrief.tools.exports.qualtrics import _question_columns
from surveybrief.tools.exports.respondents import People

VARIANTS = ("sav",)
OWN = (("ResponseId", "Response ID"), ("IPAddress", "IP Address"),
       ("Duration__in_seconds_", "Duration (in seconds)"),
       ("RecipientLastName", "Recipient Last Name"),
       ("RecipientFirstName", "Recipient First Name"),
       ("RecipientEmail", "Recipient Email"))  # fmt: skip


def _variable(people: People, what: tuple) -> tuple[list, dict | None]:
    """Return a variable's values and its value labels (None for a string variable)."""
    kind, q = what[0], what[1]
    n = len(people.answers)
    if kind == "other_text" or q.kind.open_text:
        column = f"{q.id}__other_text" if kind == "other_text" else q.id
        return [people.value(column, r) or "" for r in range(n)], None
    if kind == "tick":
        values = [1.0 if what[2] in (people.chosen(q, r) or []) else np.nan for r in range(n)]
        return values, {1.0: q.option(what[2]).label()}
    index = {c: float(i) for i, c in enumerate(q.codes, 1)}
    values = [index.get(people.value(q.id, r), np.nan) for r in range(n)]
    return values, {v: q.option(c).label() for c, v in index.items()}


def write(people: People, codebook: Codebook, folder: Path, variant: str = "sav") -> Path:
    """Write the ``.sav`` into ``folder``; return its path."""
    import pyreadstat

    who = people.who
    data = {
        "ResponseId": [f"R_{7919 * (r + 3):015d}" for r in range(len(who))],
        "IPAddress": list(who["ip"]),
        "Duration__in_seconds_": [59.0] * len(who),
        "RecipientLastName": list(who["last"]),
        "RecipientFirstName": list(who["first"]),
        "RecipientEmail": list(who["email"]),
    }
    labels = [label for _, label in OWN]
    value_labels = {}
    for n, q in enumerate(codebook.questions, 1):
        for tag, label, _, what in _question_columns(n, q, split=True):
            data[tag], value_labels_of = _variable(people, what)
            labels.append(label)
            if value_labels_of is not None:
                value_labels[tag] = value_labels_of
    path = folder / "Energy+survey_June+9,+2026.sav"
    frame = pd.DataFrame(data)
    pyreadstat.write_sav(frame, str(path), column_labels=labels, variable_value_labels=value_labels)
    return path
