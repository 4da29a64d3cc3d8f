"""Ranking: each respondent ranks the top k of n options (1 the first); a column per option.

A respondent's answer is the rank given to each option (``1`` .. ``k``), ``0`` for an option
left unranked, blank for a respondent who did not answer. ``rank_problem`` is the rule a
ranking must keep, whatever the platform wrote: ranks 1 to m (m <= k), each given once.
Summaries (mean rank, share ranked first, share in the top t) are ``analysis.rankings``.
"""

from __future__ import annotations

from surveybrief.inputs.question_types.question_kind import QuestionKind

KIND = QuestionKind("ranking", ranked=True, trended=False, order=6)


def rank_problem(ranks: list[int], positions: int) -> str | None:
    """Return why one respondent's ranks (one per option, 0 unranked) are not a ranking, or None.

    A ranking gives ranks 1 to m, each once, with 1 <= m <= ``positions`` (the ranks asked).
    """
    given = sorted(r for r in ranks if r)
    if not given:
        return "no option ranked (every rank is 0)"
    if any(r < 0 or r > positions for r in given):
        return f"ranks run from 1 to {positions}"
    if len(set(given)) < len(given):
        twice = sorted({r for r in given if given.count(r) > 1})
        return "rank " + ", ".join(map(str, twice)) + " given to more than one option"
    if given != list(range(1, len(given) + 1)):
        return "ranks skip a place: " + ", ".join(map(str, given)) + " (1 to m, each once)"
    return None
