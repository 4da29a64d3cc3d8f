"""Who of a panel answered again: the profile of those who left against those who stayed.

A panel that loses experts can change because of who left, not because anyone changed their
mind. For two waves of a linked panel (``panel.link_by``), each expert of the earlier wave either
answered the later one again ("stayed") or did not ("left"); this breaks that down by each
profile question of the earlier wave, exactly as any breakdown (``analysis.breakdowns``): the
profile's groups as the earlier wave's "Who answered" table shows them (groups of 1-4 pooled,
and every group the later wave pools too: those who answered again are most of it),
a group's share that stayed against the rest of the panel (Fisher's exact test, Holm over the
table), and nothing published that the publication check's reader could narrow to a person.
Experts the earlier wave did not link (no identifier) are in neither column.
"""

from __future__ import annotations

import pandas as pd

from surveybrief.analysis.breakdowns import Breakdown, breakdown
from surveybrief.analysis.profile import profile_hidden
from surveybrief.clean.cleaner import PANEL_ID
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.questionnaire import Option, Question

#: The published tables are named ``attrition_by_`` and the profile question id.
TABLE_PREFIX = "attrition_by_"
#: The column and answers of "did this expert of the earlier wave answer again?".
ANSWERED_AGAIN = "answered_again"
STAYED, LEFT = "stayed", "left"
STATUS = Question(
    id=ANSWERED_AGAIN,
    type="single",
    section_id="",
    titles={"en": "Answered again", "ru": "Ответили снова", "kk": "Қайта жауап берді"},
    wordings={
        "en": "Answered the later wave again",
        "ru": "Ответили в следующей волне",
        "kk": "Келесі толқында қайта жауап берді",
    },
    options=(
        Option(STAYED, {"en": "Answered again", "ru": "Ответили снова", "kk": "Қайта жауап берді"}),
        Option(LEFT, {"en": "Did not answer", "ru": "Не ответили", "kk": "Жауап бермеді"}),
    ),
)


def with_status(before: CleanedWave, after: CleanedWave) -> pd.DataFrame | None:
    """Return the earlier wave's answers with each linked expert's status (None: no panel)."""
    frames = (before.responses, after.responses)
    if any(PANEL_ID not in f or f[PANEL_ID].isna().all() for f in frames):
        return None
    again = set(after.responses[PANEL_ID].dropna())
    ids = before.responses[PANEL_ID]
    status = ids.map(lambda i: pd.NA if pd.isna(i) else STAYED if i in again else LEFT)
    return before.responses.assign(**{ANSWERED_AGAIN: status.astype("string")})


def attrition_breakdowns(before: CleanedWave, after: CleanedWave) -> list[Breakdown]:
    """Return who stayed and who left by each profile question of the earlier wave.

    Empty when the waves link no panel or nobody left; a table the disclosure rule cannot
    protect (``is_empty``) is left out.
    """
    responses = with_status(before, after)
    if responses is None or not (responses[ANSWERED_AGAIN] == LEFT).any():
        return []
    profiles = [q for q in before.codebook.questions if q.kind.profile and q.id in responses]
    found = [breakdown(responses, STATUS, p, pooled_later(after, p)) for p in profiles]
    return [b for b in found if not b.is_empty]


def pooled_later(after: CleanedWave, profile: Question) -> frozenset[str]:
    """Return the groups the later wave's tables do not show as themselves.

    Those who answered again are most of the later wave: a group the later wave pools, shown
    here with its count that answered again, could un-pool it there. So it is pooled here too.
    """
    if profile.id not in after.responses:
        return frozenset()
    return profile_hidden(after.responses, profile)
