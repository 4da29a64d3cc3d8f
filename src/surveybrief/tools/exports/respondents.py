"""SYNTHETIC respondents for platform exports: answers (the truth), and who they are.

The answers come from ``synthetic_answers`` (codes, with "Other" texts and open comments in
English, Russian and Kazakh; every respondent who answers a multiple choice ticks at least
one option). Each respondent also gets a language (the labels their export cells are written
in, where the platform writes labels), a name, an e-mail, an IP address, a phone, a device
and an access token — personal data that must never reach processed data or outputs — and
some comments carry their writer's e-mail, phone and (where the export names respondents)
name, which the pipeline must scrub.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveybrief.inputs.codebook import Codebook, Question
from surveybrief.tools.synthetic_answers import generate_answers, seed_of

LANGUAGES = ("en", "ru", "kk")
#: SYNTHETIC people: nobody real.
FIRST_NAMES = ("Dana", "Ivan", "Aigerim", "Timur", "Olga", "Nurlan", "Madina", "Sergei")
LAST_NAMES = ("Aliyeva", "Petrov", "Seitkali", "Karimov", "Smirnova", "Bekov", "Omarova")


@dataclass(frozen=True)
class People:
    """The respondents of one export: their answers (codes) and their personal data."""

    answers: pd.DataFrame
    #: first, last, email, ip, phone, device, token, lang, started (a datetime), per row.
    who: pd.DataFrame
    #: Whether comments carry their writer's name (only where the export names respondents).
    names_in_comments: bool

    def label(self, q: Question, code: str, row: int) -> str:
        """Return the label of ``code`` in the language of respondent ``row``."""
        return q.option(code).label(self.who.at[row, "lang"])

    def chosen(self, q: Question, row: int) -> list[str] | None:
        """Return the codes a respondent ticked (None when they skipped the question)."""
        first = self.answers.at[row, f"{q.id}__{q.codes[0]}"]
        if pd.isna(first):
            return None
        return [c for c in q.codes if self.answers.at[row, f"{q.id}__{c}"] == "1"]

    def in_cell(self, q: Question, row: int, joiner: str, trailing: bool = False) -> str | None:
        """Return an answer as forms write it: labels, the typed Other text in its place.

        Several choices are joined by ``joiner`` (and end with it, where ``trailing``); a
        rating is its number, a text itself.
        """
        other = q.other_option.code if q.other_option is not None else None
        text = self.value(f"{q.id}__other_text", row) if other is not None else None
        if q.kind.several:
            chosen = self.chosen(q, row)
            if chosen is None:
                return None
            labels = [text if c == other else self.label(q, c, row) for c in chosen]
            return joiner.join(labels) + (joiner if trailing else "")
        value = self.value(q.id, row)
        if value is None or (q.kind.open_text or q.kind.ordered):
            return value
        return text if value == other else self.label(q, value, row)

    def value(self, column: str, row: int) -> str | None:
        """Return one answer cell of the truth (None when blank)."""
        value = self.answers.at[row, column]
        return None if pd.isna(value) else str(value)

    @property
    def personal_values(self) -> list[str]:
        """Return every personal value an export may carry (none may reach an output)."""
        cells = self.who[["first", "last", "email", "ip", "phone", "device", "token"]]
        full = (self.who["first"] + " " + self.who["last"]).tolist()
        return sorted({str(v) for v in cells.to_numpy().ravel()} | set(full))


def _who(n: int, seed: int) -> pd.DataFrame:
    """Return the personal data of ``n`` SYNTHETIC respondents."""
    rng = np.random.default_rng(seed_of(seed, "who"))
    first = [FIRST_NAMES[i % len(FIRST_NAMES)] for i in rng.permutation(n)]
    last = [LAST_NAMES[i % len(LAST_NAMES)] + ("" if i < 7 else str(i)) for i in range(n)]
    start = dt.datetime(2026, 6, 9, 9, 0, 0)
    return pd.DataFrame(
        {
            "first": first,
            "last": last,
            "email": [
                f"{f.lower()}.{la.lower()}@example.org" for f, la in zip(first, last, strict=True)
            ],
            "ip": [f"203.0.113.{10 + i % 240}" for i in range(n)],
            "phone": [f"+7 701 555 {1000 + i:04d}" for i in range(n)],
            "device": [f"collect:{seed_of(seed, i):08x}{i:08x}" for i in range(n)],
            "token": [f"tk{seed_of(seed, 'token', i):010d}" for i in range(n)],
            "lang": [LANGUAGES[k] for k in rng.integers(0, 3, n)],
            "started": [start + dt.timedelta(minutes=37 * i) for i in range(n)],
        }
    )


def _tick_one(answers: pd.DataFrame, codebook: Codebook) -> None:
    """Make every respondent who answered a multiple choice tick at least one option."""
    for q in codebook.questions:
        if not q.kind.several:
            continue
        block = answers[[f"{q.id}__{c}" for c in q.codes]]
        nothing = block.notna().all(axis=1) & ~(block == "1").any(axis=1)
        answers.loc[nothing, f"{q.id}__{q.codes[0]}"] = "1"


def _sign_comments(answers, who, codebook: Codebook, names: bool) -> None:
    """Let every third commenter sign: e-mail or phone in turn, and their name when ``names``."""
    for q in codebook.questions:
        if not q.kind.open_text:
            continue
        commenters = [r for r in range(len(answers)) if len(str(answers.at[r, q.id])) >= 6]
        for k, row in enumerate(commenters[::3]):
            person = who.loc[row]
            sign = f"{person['first']} {person['last']}, " if names else ""
            contact = person["email"] if k % 2 == 0 else person["phone"]
            answers.at[row, q.id] = f"{answers.at[row, q.id]} — {sign}{contact}"


def people(codebook: Codebook, n: int, seed: int, *, names_in_comments: bool) -> People:
    """Return ``n`` SYNTHETIC respondents of ``codebook`` (same seed, same people)."""
    answers = generate_answers(codebook, n, seed).frame
    _tick_one(answers, codebook)
    who = _who(n, seed)
    _sign_comments(answers, who, codebook, names_in_comments)
    for q in codebook.questions:  # "Other" texts only where Other was chosen
        if q.other_option is not None and q.kind.several:
            chose = answers[f"{q.id}__{q.other_option.code}"] == "1"
            answers.loc[~chose.fillna(False), f"{q.id}__other_text"] = pd.NA
    return People(answers, who, names_in_comments)
