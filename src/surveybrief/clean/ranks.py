"""A ranking question's answers as platforms write them, read into a rank per option.

Three shapes, each read exactly (anything else is reported with its rows, never guessed):

* a column per option holding the rank it was given: Qualtrics' Rank Order (``Q5_1``,
  ``Q5_2`` ... under "<question> - <choice>"), blank where a "rank k of n" left it unranked;
* a column per place holding the option ranked there: KoboToolbox's Ranking question, a group
  whose levels (``rank__level``: "1st choice", "2nd choice" ...) are select_one columns
  ``group/level`` holding the choice's name or label, in the form's order;
* one cell listing the options in rank order: the XLSForm ``rank`` widget of ODK and Enketo
  (choice names joined by spaces).

Places become ranks here (``assemble``): the option in the n-th place column, or n-th in a
cell's list, has rank n; an option no place names has rank 0 when the respondent ranked any.
An option placed twice keeps both places ("1 and 2") for validation to set the row aside.
"""

from __future__ import annotations

import re

import pandas as pd

from surveybrief.inputs.codebook import MULTI_SEP, Question, multi_column
from surveybrief.platforms.base import normalise

RANK = re.compile(r"\d+")


def place_column(question_id: str, place: int) -> str:
    """Return the working column of a ranking's n-th place (dropped by ``assemble``)."""
    return f"{question_id}{MULTI_SEP}@{place}"


def rank_value(value: str, positions: int) -> str | None:
    """Return a rank cell as its rank ("0": not ranked), or None when it is no rank 0..k."""
    key = normalise(value)
    if RANK.fullmatch(key) and int(key) <= positions:
        return str(int(key))
    return None


def listed_codes(value: str, lookup: dict[str, str], separators: tuple[str, ...]) -> list | None:
    """Return the options one cell lists in rank order, or None when a piece names none.

    The first separator whose every piece names an option reads the cell.
    """
    whole = lookup.get(normalise(value))
    if whole is not None:
        return [whole]
    for separator in separators:
        pieces = [p for p in value.split(separator) if p.strip()]
        codes = [lookup.get(normalise(p)) for p in pieces]
        if pieces and None not in codes:
            return codes
    return None


def assemble(frame: pd.DataFrame, question: Question) -> None:
    """Turn a ranking's place columns (option codes) into a rank column per option, in place.

    A respondent with any place filled answered: an option in no place gets "0"; an option in
    several places gets them all ("1 and 3"), which validation refuses with the row.
    """
    stem = f"{question.id}{MULTI_SEP}@"
    places = sorted(int(c.removeprefix(stem)) for c in frame.columns if c.startswith(stem))
    if not places:
        return
    held = {n: frame[place_column(question.id, n)] for n in places}
    answered = pd.concat(held.values(), axis=1).notna().any(axis=1)
    for code in question.codes:
        at = pd.concat({n: (v == code).fillna(False) for n, v in held.items()}, axis=1)
        ranks = at.apply(lambda row: " and ".join(str(n) for n in row.index[row]), axis=1)
        ranks = ranks.mask(ranks.eq("") & answered, "0").mask(~answered)
        frame[multi_column(question.id, code)] = ranks.astype("string")
    for n in places:
        del frame[place_column(question.id, n)]
