"""A wave with a ranking question, from KoboToolbox's export to the briefing in three languages.

The real notebooks run on a SYNTHETIC wave (``tests/fixtures/ranking_survey``: rank the top
three of five, the table counting the top two). The published tables hold what the rankings
say, computed here independently; they are the same whatever the languages shown; every
sentence with a number, in every language, is a row of them (``unbacked_numbers``), and the
ranking's own sentences are among those checked.
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from surveybrief.run.pipeline import run_pipeline
from tests.helpers import RANKING_WAVE as WAVE
from tests.helpers import matched_claims, ranking_truth, unbacked_numbers, write_ranking_wave

pytestmark = pytest.mark.integration
LANGS = ("en", "ru", "kk")
TRANSLATED = {
    "title": {"en": "Water cooperation, SYNTHETIC test wave",
              "ru": "Водное сотрудничество, СИНТЕТИЧЕСКАЯ тестовая волна",
              "kk": "Су ынтымақтастығы, СИНТЕТИКАЛЫҚ сынақ толқыны"},
    "sponsor": {"en": "Test institute", "ru": "Тестовый институт", "kk": "Сынақ институты"},
    "population": {"en": "Water experts", "ru": "Эксперты по водным ресурсам",
                   "kk": "Су ресурстары сарапшылары"},
    "mode": {"en": "Online questionnaire", "ru": "Онлайн-анкета", "kk": "Онлайн сауалнама"},
    "weighting": {"en": "none", "ru": "нет", "kk": "жоқ"},
}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from surveybrief.inputs.codebook import load_codebook
    from tests.helpers import FIXTURES

    root = tmp_path_factory.mktemp("ranking")
    codebook = load_codebook(FIXTURES / "ranking_survey", 1)
    data, folder = write_ranking_wave(root, codebook, "kobotoolbox", ranking_truth())
    doc = yaml.safe_load((folder / "wave.yaml").read_text(encoding="utf-8"))
    doc |= TRANSLATED
    doc["sample"] |= {
        "description": {"en": "Invited panel", "ru": "Приглашённая панель",
                        "kk": "Шақырылған панель"},
        "method": {"en": "Invited", "ru": "По приглашению", "kk": "Шақыру бойынша"},
    }  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    manifest = run_pipeline(WAVE, data, root / "out", log=lambda line: None, langs=",".join(LANGS))
    assert manifest["status"] == "ok"
    return root / "out" / WAVE


def test_the_tables_hold_what_the_rankings_say(run):
    answered = [r for r, _o in ranking_truth() if r]
    top = pd.read_csv(run / "tables" / "priorities.csv").set_index("option")
    ranks = pd.read_csv(run / "tables" / "priorities_ranks.csv").set_index("option")
    for code in ("quotas", "hydro", "irrigation", "data", "aral"):
        assert top.at[code, "count"] == sum(code in r[:2] for r in answered)
        assert top.at[code, "base"] == len(answered)
        assert ranks.at[code, "first_count"] == sum(r[0] == code for r in answered)
        places = [r.index(code) + 1 if code in r else (len(r) + 6) / 2 for r in answered]
        assert ranks.at[code, "mean_rank"] == pytest.approx(sum(places) / len(places))
    assert list(ranks["mean_rank"]) == sorted(ranks["mean_rank"])
    assert top["label"].str.contains("[А-Яа-я]").sum() == 0  # tables are language-free


@pytest.mark.parametrize("lang", LANGS)
def test_every_ranking_sentence_is_backed_by_the_tables(run, lang):
    name = "briefing.html" if lang == "en" else f"briefing.{lang}.html"
    html = (run / name).read_text(encoding="utf-8")
    assert unbacked_numbers(html, run / "tables", lang) == []
    from bs4 import BeautifulSoup

    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert {"best_mean_rank", "ranked_first", "unranked_place"} <= matched_claims(text, lang)
    assert (run / f"briefing.{lang}.pdf").stat().st_size > 10_000


def test_an_edited_mean_rank_or_first_place_is_caught(run):
    html = (run / "briefing.html").read_text(encoding="utf-8")
    ranks = pd.read_csv(run / "tables" / "priorities_ranks.csv")
    best = f"{ranks['mean_rank'].min():.1f}"
    edited = html.replace(f"best mean rank, {best}", "best mean rank, 1.9", 1)
    assert edited != html
    assert any("best mean rank" in w for w in unbacked_numbers(edited, run / "tables"))
    most = ranks.loc[ranks["first_count"].idxmax()]
    said = f"({int(most['first_count'])} of {int(most['base'])};"
    assert said in html
    moved = html.replace(said, f"({int(most['first_count']) - 1} of {int(most['base'])};")
    assert unbacked_numbers(moved, run / "tables") != []
