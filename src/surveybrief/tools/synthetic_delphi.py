"""A SYNTHETIC two-round Delphi panel: a codebook with consensus rules, two Google Forms exports.

For ``make demo`` and the tests. Four rating statements (1 = strongly disagree .. 5 = strongly
agree), each declaring its consensus rule in advance; 40 experts answer round 1, 34 of them
answer round 2 (6 leave, none join), and between rounds some experts move one point towards the
panel's median, as Delphi panels do. Known by construction: which statements reach consensus in
which round. Every file is marked SYNTHETIC.
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import yaml

#: (wave id, round) of the two rounds.
ROUNDS = (("2029-03", 1), ("2029-05", 2))
N_ROUND_1, N_ROUND_2 = 40, 34
SCALE = (
    ("1", {"en": "Strongly disagree", "ru": "Совершенно не согласен", "kk": "Мүлдем келіспеймін"}),
    ("2", {"en": "Disagree", "ru": "Не согласен", "kk": "Келіспеймін"}),
    ("3", {"en": "Neither", "ru": "Ни то ни другое", "kk": "Бейтарап"}),
    ("4", {"en": "Agree", "ru": "Согласен", "kk": "Келісемін"}),
    ("5", {"en": "Strongly agree", "ru": "Полностью согласен", "kk": "Толық келісемін"}),
)
#: id, title, wording (en, ru, kk), round-1 answer weights over points 1..5.
STATEMENTS = (
    ("binding_water", ("Binding water-sharing rules", "Обязательные правила вододеления",
                       "Су бөлудің міндетті ережелері"),
     ("Water-sharing rules among Central Asian states should be legally binding.",
      "Правила вододеления между государствами Центральной Азии должны быть юридически "
      "обязательными.",
      "Орталық Азия мемлекеттері арасындағы су бөлу ережелері заңды түрде міндетті болуы керек."),
     (0, 1, 4, 15, 20)),
    ("power_market", ("A regional electricity market", "Региональный рынок электроэнергии",
                      "Өңірлік электр энергиясы нарығы"),
     ("A regional electricity market can work by 2035.",
      "Региональный рынок электроэнергии может заработать к 2035 году.",
      "Өңірлік электр энергиясы нарығы 2035 жылға қарай жұмыс істей алады."),
     (1, 5, 11, 15, 8)),
    ("visa_free", ("Visa-free travel", "Безвизовые поездки", "Визасыз сапарлар"),
     ("Visa-free travel should cover every Central Asian state.",
      "Безвизовый режим должен охватывать все государства Центральной Азии.",
      "Визасыз режим Орталық Азияның барлық мемлекетін қамтуы керек."),
     (6, 10, 8, 10, 6)),
    ("common_fund", ("A common investment fund", "Общий инвестиционный фонд",
                     "Ортақ инвестициялық қор"),
     ("The region needs a common investment fund.",
      "Региону нужен общий инвестиционный фонд.",
      "Өңірге ортақ инвестициялық қор қажет."),
     (1, 3, 8, 17, 11)),
)  # fmt: skip
CONSENSUS = {"share": 70, "iqr": 1}
EMAIL = "Email Address"
#: The profile question: each expert's sector (round 1's 40: business 14, government 13,
#: academia 10 and international 3, the last
#: pooled in every table); of the 6 who leave after round 1, 4 are from business.
SECTORS = (
    ("government", {"en": "Government", "ru": "Государственный сектор",
                    "kk": "Мемлекеттік сектор"}),
    ("academia", {"en": "Academia", "ru": "Академическая среда", "kk": "Академиялық орта"}),
    ("business", {"en": "Business", "ru": "Бизнес", "kk": "Бизнес"}),
    ("international", {"en": "International organisation", "ru": "Международная организация",
                       "kk": "Халықаралық ұйым"}),
)  # fmt: skip
SECTOR_WORDING = {
    "en": "In which sector do you mainly work?",
    "ru": "В каком секторе вы в основном работаете?",
    "kk": "Сіз негізінен қай салада жұмыс істейсіз?",
}


def sector_of(index: int) -> str:
    """Return expert ``index``'s sector: the last six (who leave) are mostly from business."""
    if index >= N_ROUND_2:
        return "business" if index < N_ROUND_2 + 4 else "government"
    return ("government", "academia", "business")[index % 3] if index >= 3 else "international"


def delphi_codebook() -> dict:
    """Return the Delphi codebook: one chapter of rating statements with consensus rules."""
    options = [{"code": c, "label": labels} for c, labels in SCALE]
    questions = [
        {"id": qid, "type": "rating", "title": dict(zip(("en", "ru", "kk"), title, strict=True)),
         "wording": dict(zip(("en", "ru", "kk"), wording, strict=True)), "options": options,
         "consensus": dict(CONSENSUS)}
        for qid, title, wording, _weights in STATEMENTS
    ]  # fmt: skip
    sector = {"id": "sector", "type": "profile",
              "title": {"en": "Sector", "ru": "Сектор", "kk": "Сала"}, "wording": SECTOR_WORDING,
              "options": [{"code": c, "label": labels} for c, labels in SECTORS]}  # fmt: skip
    return {
        "version": 1, "languages": ["en", "ru", "kk"],
        "title": {"en": "Delphi panel on Central Asian cooperation (SYNTHETIC)",
                  "ru": "Дельфи-панель о центральноазиатском сотрудничестве (СИНТЕТИЧЕСКИЕ данные)",
                  "kk": "Орталық Азия ынтымақтастығы туралы Дельфи панелі (СИНТЕТИКАЛЫҚ деректер)"},
        "sections": [{"id": "statements", "number": 1, "is_chapter": True,
                      "title": {"en": "Statements", "ru": "Утверждения", "kk": "Тұжырымдар"},
                      "questions": questions},
                     {"id": "about", "number": 2, "is_chapter": False,
                      "title": {"en": "About the experts", "ru": "Об экспертах",
                                "kk": "Сарапшылар туралы"}, "questions": [sector]}],
    }  # fmt: skip


def delphi_answers(seed: int = 7) -> list[dict[str, dict[str, int]]]:
    """Return each round's answers: {e-mail: {statement: point}}; round 2 moves to the median."""
    rng = random.Random(seed)
    first = {f"expert{i:02d}@example.org": {} for i in range(N_ROUND_1)}
    for qid, _title, _wording, weights in STATEMENTS:
        points = [p for p, w in zip(range(1, 6), weights, strict=True) for _ in range(w)]
        rng.shuffle(points)
        for (_who, answers), point in zip(first.items(), points, strict=True):
            answers[qid] = point
    second = {}
    for who in list(first)[:N_ROUND_2]:
        second[who] = {}
        for qid, answers in first[who].items():
            median = sorted(a[qid] for a in first.values())[N_ROUND_1 // 2]
            step = (median > answers) - (median < answers)
            second[who][qid] = answers + step if rng.random() < 0.45 else answers
    return [first, second]


def write_round(data_root: Path, wave_id: str, number: int, answers: dict) -> Path:
    """Write one round's Google Forms export (linear scales as numbers) and its wave.yaml."""
    folder = data_root / "raw" / wave_id
    folder.mkdir(parents=True, exist_ok=True)
    wordings = [wording[0] for _qid, _title, wording, _weights in STATEMENTS]
    table = [["Timestamp", EMAIL, *wordings, SECTOR_WORDING["en"]]]
    labels = {code: names["en"] for code, names in SECTORS}
    for i, (who, given) in enumerate(answers.items()):
        stamp = f"{wave_id[:4]}/{wave_id[5:]}/1{i % 9} 09:{i % 60:02d}:00"
        sector = labels[sector_of(int(who[6:8]))]
        table.append([stamp, who, *(given[qid] for qid, *_rest in STATEMENTS), sector])
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(table)
    (folder / "export.csv").write_text(out.getvalue(), encoding="utf-8")
    doc = {
        "wave": wave_id,
        "title": {"en": f"Delphi panel, round {number} (SYNTHETIC)",
                  "ru": f"Дельфи-панель, раунд {number} (СИНТЕТИЧЕСКИЕ данные)",
                  "kk": f"Дельфи панелі, {number}-раунд (СИНТЕТИКАЛЫҚ деректер)"},
        "sponsor": {"en": "SYNTHETIC demo", "ru": "Синтетический пример",
                    "kk": "Синтетикалық мысал"},
        "population": {"en": "Invited experts on Central Asia",
                       "ru": "Приглашённые эксперты по Центральной Азии",
                       "kk": "Орталық Азия бойынша шақырылған сарапшылар"},
        "fieldwork": {"start": f"{wave_id}-01", "end": f"{wave_id}-14"},
        "sample": {"description": {"en": "an invited expert panel",
                                   "ru": "приглашённая экспертная панель",
                                   "kk": "шақырылған сарапшылар панелі"},
                   "n_stated": len(answers),
                   "method": {"en": "invited panel (not a probability sample)",
                              "ru": "приглашённая панель (не вероятностная выборка)",
                              "kk": "шақырылған панель (ықтималдық іріктеу емес)"}},
        "mode": {"en": "Google Forms", "ru": "Google Формы", "kk": "Google Формалар"},
        "weighting": {"en": "none", "ru": "нет", "kk": "жоқ"},
        "codebook_version": 1, "is_synthetic": True, "export": {"file": "export.csv"},
        "languages": ["en", "ru", "kk"], "panel": {"link_by": EMAIL}, "delphi": True,
        "round": number,
    }  # fmt: skip
    text = "# SYNTHETIC Delphi round (surveybrief.tools.synthetic_delphi)\n" + yaml.safe_dump(
        doc, sort_keys=False, allow_unicode=True
    )
    (folder / "wave.yaml").write_text(text, encoding="utf-8")
    return folder


def build_delphi_data(data_root: Path, seed: int = 7) -> Path:
    """Write the Delphi codebook and both rounds under ``data_root``."""
    (data_root / "codebook").mkdir(parents=True, exist_ok=True)
    text = "# SYNTHETIC Delphi codebook (surveybrief.tools.synthetic_delphi)\n" + yaml.safe_dump(
        delphi_codebook(), sort_keys=False, allow_unicode=True
    )
    (data_root / "codebook" / "v1.yaml").write_text(text, encoding="utf-8")
    for (wave_id, number), answers in zip(ROUNDS, delphi_answers(seed), strict=True):
        write_round(data_root, wave_id, number, answers)
    return data_root
