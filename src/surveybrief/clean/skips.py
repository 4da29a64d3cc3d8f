"""Skipped or answered "none"? Read from the export where it tells, and counted.

A blank cell says little: the question may not have been shown, or been seen and left. Two
things in an export tell more, and are read here:

* **Missing codes**: values a platform writes for "no answer" (Qualtrics writes -99 for "seen
  but unanswered" when the export asks it to; other tools use -77, -98 ...). wave.yaml's
  ``export.missing_codes`` names them with their meaning; by default the platform's own
  (Qualtrics' -99, LimeSurvey's "N/A").
  Such a cell becomes blank (the respondent is not in the question's base) and is counted.
* **A "None of these" box** (``is_none`` in the codebook): where a multi-select question offers
  one, a respondent who ticked "None" answered (every other option 0), and one who ticked
  nothing at all skipped the question (out of its base), even where the export wrote 0s.

Without either, a row of explicit 0s (KoboToolbox) counts as answered, ticking nothing, and a
wholly blank row (Qualtrics, Google Forms) as not answered.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from surveybrief.clean.mapping import Target
from surveybrief.clean.readers import RawTable
from surveybrief.inputs.codebook import Codebook
from surveybrief.inputs.frames import fold
from surveybrief.inputs.wave import Wave

SKIP_COLUMNS = ["row", "question_id", "meaning"]
#: Open answers that say nothing (compared case-folded, without surrounding punctuation).
NON_ANSWERS = frozenset(
    {
        "n/a", "n.a", "na", "none", "no", "nothing", "no comment", "no comments", "-",
        "нет", "ничего", "без комментариев", "жоқ", "пікір жоқ",
    }
)  # fmt: skip


def is_comment(text: str) -> bool:
    """Return True for an answer that says something (not blank, not "N/A", "нет" ...)."""
    core = fold(text).strip().strip(".!-–— ")
    return bool(core) and core not in NON_ANSWERS and fold(text).strip() not in NON_ANSWERS


def comment_counts(responses: pd.DataFrame, codebook: Codebook) -> dict[str, int]:
    """Return, per open question, how many respondents wrote a comment (not a non-answer)."""
    return {
        q.id: sum(is_comment(str(text)) for text in responses[q.id].dropna())
        for q in codebook.questions
        if q.kind.open_text
    }


#: Why a row of a question with a "None of these" box is out of its base.
TICKED_NOTHING = "ticked nothing, not even “None of these”"


def missing_codes(raw: RawTable, wave: Wave) -> tuple[dict[str, str], bool]:
    """Return the export's missing codes and whether they apply to typed texts too.

    wave.yaml's codes, or the platform's own (LimeSurvey's "N/A" marks unshown choices only).
    """
    if wave.export.missing_codes is not None:
        return wave.export.missing_codes, True
    return dict(raw.platform.missing_codes), raw.platform.missing_codes_in_text


def blank_missing_codes(
    raw: RawTable, plan: dict[str, Target | None], codes: tuple[dict[str, str], bool]
) -> tuple[RawTable, pd.DataFrame]:
    """Return the export with missing codes blanked in answer columns, and where they were."""
    found = []
    frame = raw.frame
    codes, in_text = codes
    for header, target in plan.items():
        if target is None or not codes:
            continue
        if not in_text and (target.other_text or target.question.kind.open_text):
            continue
        values = frame[header].str.strip()
        hit = values.isin(list(codes)).fillna(False).to_numpy(dtype=bool)
        if not hit.any():
            continue
        if frame is raw.frame:
            frame = raw.frame.copy()
        frame[header] = frame[header].mask(hit)
        rows = [raw.rows[i] for i in hit.nonzero()[0]]
        found.append(
            pd.DataFrame(
                {
                    "row": rows,
                    "question_id": target.question.id,
                    "meaning": [codes[v] for v in values[hit]],
                }
            )
        )
    if frame is raw.frame:
        return raw, pd.DataFrame(columns=SKIP_COLUMNS)
    marks = pd.concat(found, ignore_index=True).drop_duplicates(["row", "question_id"])
    return dataclasses.replace(raw, frame=frame), marks


def skip_without_none(frame: pd.DataFrame, codebook: Codebook, rows: list[int]) -> pd.DataFrame:
    """Blank the answers of rows that ticked nothing where "None of these" was offered.

    ``frame`` holds codes as text ("0"/"1") and is changed in place; the rows blanked are
    returned (``rows`` gives each frame row's line in the export).
    """
    found = []
    for q in codebook.questions:
        if not q.kind.several or q.none_option is None:
            continue
        block = frame[q.option_columns]
        nothing = block.notna().any(axis=1) & ~(block == "1").any(axis=1)
        if nothing.any():
            frame.loc[nothing, q.option_columns] = pd.NA
            lines = [rows[i] for i in nothing.to_numpy().nonzero()[0]]
            found.append(
                pd.DataFrame({"row": lines, "question_id": q.id, "meaning": TICKED_NOTHING})
            )
    return pd.concat(found, ignore_index=True) if found else pd.DataFrame(columns=SKIP_COLUMNS)


def skip_counts(skips: pd.DataFrame, kept_rows) -> dict[str, dict[str, int]]:
    """Return, per question, how many kept rows are out of its base, and why."""
    kept = skips[skips["row"].isin(set(kept_rows))]
    counts: dict[str, dict[str, int]] = {}
    for (qid, meaning), n in kept.groupby(["question_id", "meaning"]).size().items():
        counts.setdefault(str(qid), {})[str(meaning)] = int(n)
    return counts
