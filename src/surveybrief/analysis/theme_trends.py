"""The themes of open answers across waves, compared like a multi-select question.

Themes take part in the trends only when they measure the same thing in both waves: the same
open question, a code frame with the same theme (code and English label), and the same kind of
coding (a keyword pass is not compared with human coding, nor one coder with two). Otherwise
the trends chapter says why not.
"""

from __future__ import annotations

import pandas as pd

from surveybrief.analysis.themes import STATUS_WORDS, ThemeCoding, wave_themes
from surveybrief.analysis.trends import Trends, decide, question_changes, series_rows
from surveybrief.clean.processed import CleanedWave
from surveybrief.inputs.questionnaire import OpenTarget
from surveybrief.text import N_, Phrase


def _why_not(before: ThemeCoding | None, after: ThemeCoding) -> str:
    """Return why two waves' themes are not comparable ('' when they are)."""
    if before is None:
        return Phrase(N_("no code frame for these answers in the earlier wave"))
    if not before.base:
        return Phrase(N_("no comments in the earlier wave"))
    old = {t.code: t.label() for t in before.target.frame.themes}
    new = {t.code: t.label() for t in after.target.frame.themes}
    if old != new:
        return Phrase(N_("the code frame changed between the waves"))
    if before.status != after.status:
        was, now = STATUS_WORDS[before.status], STATUS_WORDS[after.status]
        return Phrase(N_("coded differently: {was}, then {now}"), was=was, now=now)
    return ""


def _coding(returned: dict, data: CleanedWave, target_id: str) -> ThemeCoding | None:
    try:
        target: OpenTarget = data.codebook.open_target(target_id)
    except KeyError:
        return None
    if target.frame is None:
        return None
    return wave_themes(data.responses, target, returned.get((data.wave.id, target.id)))


def add_theme_trends(trends: Trends, returned: dict) -> Trends:
    """Add the themes of every open question with a frame to the series and the changes.

    ``returned``: the waves' returned codings by (wave id, question id)
    (``inputs.coding.returned_codings``); a question without one is the keyword pass.
    """
    series, changes = [trends.series], [trends.changes]
    for target in trends.current.codebook.open_targets:
        after = _coding(returned, trends.current, target.id)
        if after is None or not after.base:
            continue
        q = after.question()
        identity = {c: c for c in q.codes}
        rows, previous, reason = [], None, None
        for data in trends.earlier:
            before = _coding(returned, data, target.id)
            why = _why_not(before, after)
            if why:
                reason = reason or why
                continue
            rows += series_rows(q, data, identity, before.table().table.set_index("option"))
            previous = data.wave.id
        rows += series_rows(q, trends.current, identity, after.table().table.set_index("option"))
        trends.extra[q.id] = q
        if reason:
            trends.not_compared[q.id] = reason
        series.append(pd.DataFrame(rows, columns=trends.series.columns))
        if previous is not None:
            found = question_changes(q, rows, previous, trends.current.wave.id)
            changes.append(pd.DataFrame(found, columns=trends.changes.columns))
    trends.series = pd.concat([f for f in series if len(f)] or series[:1], ignore_index=True)
    merged = pd.concat([f for f in changes if len(f)] or changes[:1], ignore_index=True)
    trends.changes = decide(merged)  # the themes join the chapter's one family of tests
    return trends
