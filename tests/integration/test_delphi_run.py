"""A two-round Delphi panel: consensus leads the report, feedback sheets come out privately."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from surveybrief.clean.panel_key import KEY_ENV
from surveybrief.run import feedback
from surveybrief.run.pipeline import run_pipeline
from surveybrief.tools.synthetic_delphi import (
    N_ROUND_1,
    N_ROUND_2,
    ROUNDS,
    build_delphi_data,
    delphi_answers,
)
from tests.helpers import matched_claims, tree_digest, unbacked_claims

pytestmark = pytest.mark.integration
FIRST, SECOND = (wave for wave, _round in ROUNDS)
HEADINGS = {"en": "Where the panel agrees", "ru": "В чём панель согласна",
            "kk": "Панель неде келіседі"}  # fmt: skip


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("delphi")
    data = build_delphi_data(root / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", str(root / "config"))
        patch.delenv(KEY_ENV, raising=False)
        for wave in (FIRST, SECOND):
            manifest = run_pipeline(wave, data, root / "outputs", log=lambda line: None,
                                    langs="en,ru,kk", private_root=root / "private")  # fmt: skip
            assert manifest["status"] == "ok"
        alone = feedback.feedback_alone(data, SECOND, root / "alone", "en", root / "outputs")
    return root, alone


def test_consensus_and_stability_are_those_of_the_experts_answers(run):
    root, _alone = run
    tables = root / "outputs" / SECOND / "tables"
    consensus = pd.read_csv(tables / "consensus.csv").set_index("question_id")
    first, second = delphi_answers()
    for qid, row in consensus.iterrows():
        given = np.array([a[qid] for a in second.values()], dtype=float)
        q1, q3 = np.percentile(given, [25, 75])
        share = 100 * np.isin(given, [4, 5]).mean()
        assert (row["agree_count"], row["q1"], row["q3"]) == (np.isin(given, [4, 5]).sum(), q1, q3)
        assert row["is_reached"] == (share >= 70 and q3 - q1 <= 1) and row["round"] == 2
    tests = pd.read_csv(tables / "question_tests.csv")  # each statement as a whole, on the panel
    assert set(tests["test"]) == {"partially_overlapping_t"}  # 6 of round 1 did not answer again
    assert set(tests["n_paired"]) == {N_ROUND_2} and set(tests["only_from"]) == {6}
    stability = pd.read_csv(tables / "stability.csv").set_index("question_id")
    for qid, row in stability.iterrows():
        same = sum(first[w][qid] == second[w][qid] for w in second)
        assert (row["n_paired"], row["unchanged"], row["wave_from"]) == (N_ROUND_2, same, FIRST)


def test_where_the_panel_agrees_leads_the_report_in_every_language(run):
    root, _alone = run
    out = root / "outputs" / SECOND
    for lang, heading in HEADINGS.items():
        html = BeautifulSoup((out / f"briefing.{lang}.html").read_text("utf-8"), "html.parser")
        chapters = [h.get_text(" ", strip=True) for h in html.select("h1.chapter")]
        assert chapters[0] == heading, chapters
        text = html.get_text(" ", strip=True)
        assert unbacked_claims(text, out / "tables", lang) == []
        assert {"consensus", "question_test", "panel"} <= matched_claims(text, lang)
        brief = BeautifulSoup((out / f"brief.{lang}.html").read_text("utf-8"), "html.parser")
        assert "consensus" in matched_claims(brief.get_text(" ", strip=True), lang)
    text = BeautifulSoup((out / "briefing.en.html").read_text("utf-8"), "html.parser").get_text(
        " ", strip=True
    )
    reached = int(pd.read_csv(out / "tables" / "consensus.csv")["is_reached"].sum())
    edited = text.replace(f"agrees on {reached} of 4", f"agrees on {reached + 1} of 4")
    assert edited != text and unbacked_claims(edited, out / "tables") != []


def test_each_expert_gets_a_private_sheet_and_nothing_shared_names_one(run):
    root, alone = run
    sheets = root / "private" / "feedback" / SECOND
    assert len(list(sheets.glob("p*.html"))) == len(delphi_answers()[1])
    assert (sheets / feedback.MAIL_MERGE).is_file()
    assert tree_digest(sheets) == tree_digest(alone)  # make feedback writes the same sheets
    assert len(list((root / "private" / "feedback" / FIRST).glob("p*.html"))) == N_ROUND_1
    for path in (root / "outputs").rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".html", ".json", ".ipynb", ".md"):
            assert "example.org" not in path.read_text(encoding="utf-8", errors="replace"), path
        if path.suffix == ".parquet":
            assert "example.org" not in pd.read_parquet(path).to_csv(), path
        if path.suffix == ".xlsx":
            sheets = pd.read_excel(path, sheet_name=None, header=None)
            assert all("example.org" not in t.to_csv() for t in sheets.values()), path
        if path.suffix == ".pdf":
            text = "".join(page.extract_text() for page in PdfReader(path).pages)
            assert "example.org" not in text and "expert0" not in text, path


def test_who_answered_again_is_shown_by_group_and_attacked_before_publishing(run, tmp_path):
    import shutil

    from surveybrief.exceptions import PublicationError
    from surveybrief.run.publication import check_publication

    root, _alone = run
    out = root / "outputs" / SECOND
    table = pd.read_csv(out / "tables" / "attrition_by_sector.csv").set_index("group")
    assert table.at["Business", "Did not answer"] == pytest.approx(100 * 4 / 14)  # 4 of 14 left
    assert table.at["All respondents", "base"] == N_ROUND_1
    assert "International organisation" not in table.index  # 3 experts: only pooled
    text = BeautifulSoup((out / "briefing.en.html").read_text("utf-8"), "html.parser").get_text(
        " ", strip=True
    )
    assert "Experts of 2029-03 by Sector: who answered again in 2029-05 (%)" in text
    copy = tmp_path / "run"  # the build, with its processed data beside the tables
    shutil.copytree(out.resolve().parent, copy, symlinks=True)
    check_publication(copy / SECOND, root / "data", SECOND)  # as published: it passes
    path = copy / SECOND / "tables" / "attrition_by_sector.csv"
    rows = pd.read_csv(path)
    pooled = rows["group"].str.startswith("Other groups")
    unpooled = pd.DataFrame(
        [{"group": "Academia", "base": 10, "Answered again": 100.0, "Did not answer": 0.0},
         {"group": "International organisation", "base": 3, "Answered again": 100.0,
          "Did not answer": 0.0}]
    )  # fmt: skip
    pd.concat([rows[~pooled], unpooled]).to_csv(path, index=False)
    with pytest.raises(PublicationError, match=r"attrition_by_sector\.csv"):
        check_publication(copy / SECOND, root / "data", SECOND)
