"""SYNTHETIC respondents: answers drawn from the codebook with a seed (same seed, same answers)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import Codebook

#: SYNTHETIC open answers in English, Russian and Kazakh, touching the themes of the v1 code
#: frame (and a few non-answers); written for testing, nobody said them.
COMMENTS = [
    "Integration needs patience, trust and money.",
    "Водные споры решаются только вместе.",
    "Қазақстан өңірлік интеграцияда маңызды рөл атқара алады.",
    'Transport first; "soft" issues later.',
    "Shared water and energy grids would do more than any summit. Start with irrigation.",
    "Without political will and dialogue between capitals nothing moves.",
    "Russia and China will keep shaping the region; we need our own agenda.",
    "Student exchanges and joint universities build the next generation of trust.",
    "A permanent secretariat would turn summit promises into mechanisms.",
    "Транспортные коридоры и транзит через Каспий — главный шанс региона.",
    "Без доверия между лидерами интеграция останется декларацией.",
    "Внешние игроки, особенно Россия и Китай, ограничивают наше пространство для манёвра.",
    "Нужны совместные университеты и обмен студентами. Молодёжь уже думает регионально.",
    "Энергетика и водные ресурсы — основа любого союза в Центральной Азии.",
    "Су ресурстары мен энергетика бойынша ортақ келісім қажет.",
    "Көлік дәліздері мен сауда аймақты біріктіреді.",
    "Саяси сенім болмаса, интеграция алға баспайды.",
    "Жастар мен студенттер алмасуы мәдени жақындықты күшейтеді.",
    "Сыртқы державалардың ықпалы әлі де күшті.",
    "Trade rules first, then a customs mechanism, then everything else.",
    "N/A",
    "None",
    "нет",
]


#: SYNTHETIC "Other, please specify" texts (no commas: Google Forms separates choices by them).
OTHER_TEXTS = [
    "A regional water and energy treaty",
    "Совместный инвестиционный банк",
    "Ортақ цифрлық платформа",
    "Cross-border tourism routes",
]


@dataclass(frozen=True)
class SyntheticAnswers:
    """Respondent-level answers as option codes (the truth the export encodes)."""

    frame: pd.DataFrame  # respondent_id, then codebook columns (codes, 0/1, text)


def seed_of(*parts: object) -> int:
    """Return a seed derived from ``parts`` (stable across runs and machines)."""
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _refuse_unwritten(codebook: Codebook) -> None:
    """Refuse a ranking question: no SYNTHETIC export shape writes one yet (never wrongly)."""
    for q in codebook.questions:
        if q.kind.ranked:
            raise InputError(
                "SYNTHETIC answers and export shapes do not cover ranking questions yet",
                file=codebook.path,
                column=q.id,
                value=q.type,
                expected="a codebook without ranking questions",
            )


def generate_answers(
    codebook: Codebook, n: int, seed: int, drift: float = 0.0, comments: list[str] | None = None
) -> SyntheticAnswers:
    """Return ``n`` synthetic respondents; ``drift`` moves every distribution (for trends).

    About 8% of respondents stop half-way (later questions missing), as in real panels. Open
    answers are drawn from ``comments`` (default ``COMMENTS``).
    """
    comments = COMMENTS if comments is None else comments
    _refuse_unwritten(codebook)
    rng = np.random.default_rng(seed)
    ids = [f"S{seed % 1000:03d}-{i:05d}" for i in range(1, n + 1)]
    data: dict[str, object] = {"respondent_id": ids}
    questions = [q for q in codebook.questions]
    stop_at = np.where(rng.random(n) < 0.08, rng.integers(1, len(questions), n), len(questions))
    for position, q in enumerate(questions):
        q_rng = np.random.default_rng(seed_of(seed, q.id))
        base_rng = np.random.default_rng(seed_of("shape", q.id))  # same shape in every wave
        answered = stop_at > position
        if q.kind.several:
            probs = np.clip(
                base_rng.uniform(0.1, 0.7, len(q.options))
                + drift * base_rng.normal(0, 1, len(q.options)),
                0.02,
                0.95,
            )
            for option, p in zip(q.options, probs, strict=True):
                chosen = q_rng.random(n) < p
                column = np.where(answered, np.where(chosen, "1", "0"), None)
                data[f"{q.id}__{option.code}"] = column
            continue
        if q.kind.open_text:
            picks = q_rng.integers(0, len(comments), n)
            leave = q_rng.random(n) < 0.5
            data[q.id] = [
                comments[k] if a and not lv else None
                for k, a, lv in zip(picks, answered, leave, strict=True)
            ]
            continue
        weights = base_rng.dirichlet(np.ones(len(q.options)) * 2)
        weights = np.clip(weights + drift * base_rng.normal(0, 1, len(weights)), 0.01, None)
        weights = weights / weights.sum()
        codes = q_rng.choice(q.codes, size=n, p=weights)
        data[q.id] = [c if a else None for c, a in zip(codes, answered, strict=True)]
    for q in questions:
        if q.other_option is not None:
            data[f"{q.id}__other_text"] = _other_texts(q, data, seed, n)
    return SyntheticAnswers(pd.DataFrame(data, dtype="string"))


def _other_texts(q, data: dict, seed: int, n: int) -> list[str | None]:
    """Return the "Other" text of each respondent who chose the question's Other option."""
    picks = np.random.default_rng(seed_of(seed, q.id, "other")).integers(0, len(OTHER_TEXTS), n)
    other = q.other_option.code
    chose = (
        [v == "1" for v in data[f"{q.id}__{other}"]]
        if q.kind.several
        else [v == other for v in data[q.id]]
    )
    return [OTHER_TEXTS[k] if c else None for k, c in zip(picks, chose, strict=True)]
