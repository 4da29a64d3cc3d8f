"""The respondent profile: how many experts fall in each group of a profile question, safely.

The same disclosure rule as the breakdowns holds here (``breakdowns.hide_groups``): a group of
1 to 4 respondents is not shown, and more groups are hidden until the shown sizes and the total
leave every hidden one a wide range. The breakdowns hide the groups this table hides, so no
table recomputes another's. Respondents who did not answer the profile question form a group
of their own (their number counts towards the total like any group).
"""

from __future__ import annotations

import pandas as pd

from surveybrief.analysis.breakdowns import hide_groups
from surveybrief.inputs.codebook import Question

#: Columns of ``tables/profile_<question>.csv`` (count and pct blank where suppressed).
PROFILE_COLUMNS = ["option", "label", "count", "pct", "is_suppressed"]
NOT_ANSWERED = "not_answered"


def hidden_groups(counts: dict[str, int]) -> set[str]:
    """Return the groups not to show: those of 1-4, and more until none can be recomputed.

    The total (every respondent) is shown, so the rule of ``breakdowns.hide_groups`` applies.
    """
    return hide_groups(counts, sum(counts.values()))


def profile_hidden(responses: pd.DataFrame, question: Question) -> frozenset[str]:
    """Return the groups (and ``not_answered``) that a profile question's table hides."""
    values = responses[question.id].astype("string")
    counts = {code: int((values == code).sum()) for code in question.codes}
    counts[NOT_ANSWERED] = int(values.isna().sum())
    return frozenset(hidden_groups(counts))  # NOT_ANSWERED included: the breakdowns ask


def profile_table(responses: pd.DataFrame, question: Question, lang: str = "en") -> pd.DataFrame:
    """Return the group sizes of a profile question (% of all respondents), small ones hidden."""
    values = responses[question.id].astype("string")
    counts = {code: int((values == code).sum()) for code in question.codes}
    counts[NOT_ANSWERED] = int(values.isna().sum())
    hidden = hidden_groups(counts)
    total = len(responses)
    rows = []
    for code, n in counts.items():
        if code == NOT_ANSWERED and n == 0:
            continue
        label = "Not answered" if code == NOT_ANSWERED else question.option_label(code, lang)
        shown = code not in hidden
        rows.append(
            {
                "option": code,
                "label": label,
                "count": n if shown else None,
                "pct": 100 * n / total if shown and total else None,
                "is_suppressed": not shown,
            }
        )
    table = pd.DataFrame(rows, columns=PROFILE_COLUMNS)
    table["count"] = table["count"].astype("Int64")
    return table
