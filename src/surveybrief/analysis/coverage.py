"""Whether two waves' answers to a question cover the same ground, so their shares compare.

A wave rebuilt from published percentages holds answers the source does not report; a later
wave with real data has none. Respondents of the first had answers the second lacked, so the
shares of the same option mean different things and are not compared.
"""

from __future__ import annotations

from surveybrief.clean.processed import CleanedWave
from surveybrief.config import NOT_REPORTED_CODE
from surveybrief.inputs.codebook import Question
from surveybrief.text import N_, Percent, Phrase


def unreported_count(data: CleanedWave, qid: str) -> int:
    """Return how many of a wave's answers to ``qid`` the source does not report (0 if none)."""
    column = data.responses.get(qid)
    if column is None or data.codebook.question(qid).kind.several:
        return 0
    return int((column.dropna() == NOT_REPORTED_CODE).sum())


def unreported_share(data: CleanedWave, qid: str) -> float:
    """Return the share of a wave's answers to ``qid`` the source does not report (0 if none)."""
    column = data.responses.get(qid)
    answered = 0 if column is None else int(column.notna().sum())
    return unreported_count(data, qid) / answered if answered else 0.0


def coverage_reason(q: Question, earlier: CleanedWave, current: CleanedWave, code_map: dict) -> str:
    """Return why two waves' answers to ``q`` cover different ground ('' when they do not).

    Shares are comparable only when both waves report every answer, or neither does: otherwise
    respondents of one wave had answers the other lacked. Options offered in one wave only are
    compared only when both waves left answers unreported (the option's share in the wave that
    lacked it is then bounded by those answers); an option dropped or split is never compared.
    """
    before = earlier.codebook.question(q.id).codes
    old, new = unreported_share(earlier, q.id), unreported_share(current, q.id)
    added = sorted(set(q.codes) - set(code_map.values()))
    dropped = sorted(set(before) - set(code_map))
    if dropped or (added and not (old > 0 and new > 0)):
        return Phrase(
            N_("options offered in one wave only ({options})"), options=", ".join(dropped or added)
        )
    if (old > 0) != (new > 0):
        wave, share = (earlier.wave.id, old) if old > 0 else (current.wave.id, new)
        return Phrase(
            N_(
                "answer coverage differs: in {wave}, {share} of answers went to options the "
                "source does not report"
            ),
            wave=wave,
            share=Percent(100 * share),
        )
    return ""
