"""A few short quotes per theme, only where the wave allows quoting, and never identifying.

Rules (README "Open answers"): quoting is off unless wave.yaml says ``quotes: {allowed:
true}``, and then only from respondents whose consent answer allows it when a consent question
is named; each quote is scrubbed again (e-mails, phone numbers, URLs, national ids), shortened
at a sentence boundary with an ellipsis, kept in the language it was written in, and attributed
by profile group only where the group has at least 5 respondents, the profile table shows it,
and at least 5 of the group's commenters share the theme (the cell a breakdown would show),
and only when every quote of the theme can be so attributed (one "an expert" beside named
groups would name its group by elimination); otherwise to "an expert". A respondent is quoted
at most once.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

from surveybrief.analysis.breakdowns import MIN_CELL
from surveybrief.analysis.profile import profile_hidden
from surveybrief.analysis.themes import ThemeCoding
from surveybrief.clean.privacy import Scrubber
from surveybrief.inputs.codebook import Codebook, Question
from surveybrief.inputs.wave import QuotePolicy

QUOTE_COLUMNS = ["theme", "theme_label", "quote", "lang", "attribution", "profile", "group"]
KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")


def quote_language(text: str) -> str:
    """Return the language a quote is written in: kk, ru or en (by its letters)."""
    if any(ch in KAZAKH_LETTERS for ch in text):
        return "kk"
    return "ru" if re.search(r"[А-Яа-яЁё]", text) else "en"


def shorten(text: str, max_chars: int) -> str:
    """Return ``text`` cut at the last sentence end within ``max_chars``, with an ellipsis."""
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= max_chars:
        return text
    head = text[:max_chars]
    ends = [m.end() for m in SENTENCE_END.finditer(head)]
    if ends and ends[-1] >= max_chars // 3:
        return head[: ends[-1]].rstrip() + " …"
    cut = head.rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return cut + " …"


def _order(who: str) -> str:
    """Return a sort key that favours no one (not the first rows, not the longest answers)."""
    return hashlib.sha256(who.encode()).hexdigest()


def _consenting(responses: pd.DataFrame, policy: QuotePolicy) -> set[str]:
    ids = responses["respondent_id"].astype("string")
    if policy.consent_question is None:
        return set(ids.dropna())
    agreed = responses[policy.consent_question].astype("string") == policy.consent_code
    return set(ids[agreed.fillna(False).astype(bool)])


def _profile(responses: pd.DataFrame, codebook: Codebook) -> Question | None:
    """Return the first profile question with answers (the attribution), if any."""
    return next(
        (q for q in codebook.questions if q.kind.profile and responses[q.id].notna().any()),
        None,
    )


def _group(who: str, code: str, coding: ThemeCoding, groups: pd.Series, profile, hidden) -> str:
    """Return the profile group a quote may be attributed to ('' when it may not)."""
    group = groups.get(who)
    if profile is None or group is None or pd.isna(group) or group in hidden:
        return ""
    members = set(groups.index[groups == group])
    if len(members) < MIN_CELL:
        return ""
    sharing = coding.themes.index[coding.themes[code]].intersection(list(members))
    return str(group) if len(sharing) >= MIN_CELL else ""


def select_quotes(
    coding: ThemeCoding, responses: pd.DataFrame, codebook: Codebook, policy: QuotePolicy
) -> pd.DataFrame:
    """Return up to ``policy.per_theme`` quotes per theme (none when quoting is off)."""
    if not policy.allowed or not policy.per_theme or not coding.base:
        return pd.DataFrame(columns=QUOTE_COLUMNS)
    allowed = _consenting(responses, policy)
    profile = _profile(responses, codebook)
    groups = (
        pd.Series(responses[profile.id].to_numpy(), index=responses["respondent_id"])
        if profile is not None
        else pd.Series(dtype="string")
    )
    hidden = profile_hidden(responses, profile) if profile is not None else frozenset()
    scrub, quoted, rows = Scrubber(), set(), []
    shares = coding.themes.sum().sort_values(ascending=False, kind="stable")
    for code in shares.index[shares > 0]:
        theme = coding.target.frame.theme(code)
        candidates = [w for w in coding.themes.index[coding.themes[code]] if w in allowed]
        chosen = sorted((w for w in candidates if w not in quoted), key=_order)[: policy.per_theme]
        found = {w: _group(w, code, coding, groups, profile, hidden) for w in chosen}
        if not all(found.values()):  # one "an expert" beside named groups would name it too
            found = dict.fromkeys(found, "")
        for who in chosen:
            quoted.add(who)
            text = shorten(scrub(str(coding.answers[who])), policy.max_chars)
            group = found[who]
            label = profile.option(group).label().lower() if group else ""
            rows.append(
                {
                    "theme": code,
                    "theme_label": theme.label(),
                    "quote": text,
                    "lang": quote_language(text),
                    "attribution": f"an expert in {label}" if group else "an expert",
                    "profile": profile.id if group else "",
                    "group": group,
                }
            )
    return pd.DataFrame(rows, columns=QUOTE_COLUMNS)
