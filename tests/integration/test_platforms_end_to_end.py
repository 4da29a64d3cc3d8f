"""Ten waves, each exported by another platform, briefed with trends by the real notebooks.

An institute that changes platforms every wave: Google Forms, Microsoft Forms, SurveyMonkey,
LimeSurvey, KoboToolbox, ODK Central, SurveyCTO, Qualtrics, SPSS, Typeform, each export as the
platform writes it (SYNTHETIC respondents) with a wave.yaml of disclosure facts only. The published
tables and trends hold the generated counts; nothing published or processed holds a name,
e-mail, phone, IP address, device or token.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ProcessPoolExecutor

import pandas as pd
import pytest
import yaml

from surveybrief.config import processed_dir
from surveybrief.exceptions import PublicationError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.run.pipeline import run_pipeline
from surveybrief.run.publication import check_publication
from surveybrief.tools.exports.by_platform import FIXTURE_VARIANTS, NAMES_RESPONDENTS, write_export
from surveybrief.tools.exports.respondents import people
from tests.helpers import FIXTURES

pytestmark = pytest.mark.integration
N = 40


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Write ten waves, one per platform, and brief the last; return what the test needs."""
    root = tmp_path_factory.mktemp("platforms")
    data = root / "data"
    shutil.copytree(FIXTURES / "energy_survey" / "codebook", data / "codebook")
    codebook = load_codebook(data, 1)
    truths = {}
    for month, platform in enumerate(FIXTURE_VARIANTS, 1):
        wave = f"2031-{month:02d}"
        crowd = people(codebook, N, 100 + month, names_in_comments=platform in NAMES_RESPONDENTS)
        folder = data / "raw" / wave
        path = write_export(platform, FIXTURE_VARIANTS[platform], crowd, codebook, folder)
        doc = {
            "wave": wave, "title": f"Energy cooperation, SYNTHETIC wave {wave}",
            "sponsor": "Test institute", "fieldwork": {"start": f"{wave}-09", "end": f"{wave}-16"},
            "population": "Energy experts", "sample": {"description": "Panel", "n_stated": N},
            "mode": f"Online ({platform})", "codebook_version": 1, "is_synthetic": True,
            "export": {"file": path.name},
        }  # fmt: skip
        (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), "utf-8")
        truths[wave] = crowd
    out = root / "outputs"
    shutdowns = []
    original = ProcessPoolExecutor.shutdown

    def recorded(pool, wait=True, **kwargs):
        shutdowns.append(wait)
        return original(pool, wait=wait, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ProcessPoolExecutor, "shutdown", recorded)
        manifest = run_pipeline(None, data, out, log=lambda line: None)
    # Shutting the pool without waiting dropped its pipes under its running manager thread
    # ("Bad file descriptor" after the outputs were written, exit 0): it is shut down waiting.
    assert shutdowns and all(shutdowns)
    return data, out / manifest["wave"], manifest, truths, codebook


def test_the_latest_waves_tables_hold_the_generated_counts(run):
    _, out, manifest, truths, codebook = run
    crowd = truths[manifest["wave"]]
    assert manifest["status"] == "ok" and manifest["wave"] == "2031-10"
    for qid in ("priority", "barriers", "country"):
        q = codebook.question(qid)
        name = f"profile_{qid}" if q.type == "profile" else qid
        table = pd.read_csv(out / "tables" / f"{name}.csv").set_index("option")
        for code in q.codes:
            if q.type == "multi":
                truth = int((crowd.answers[f"{qid}__{code}"] == "1").sum())
            else:
                truth = int((crowd.answers[qid] == code).sum())
            shown = table.loc[code, "count"]
            assert pd.isna(shown) or int(shown) == truth, (qid, code)
        assert table["count"].notna().sum() >= 2  # most cells are shown, not suppressed


def test_the_trends_compare_every_platforms_wave_with_its_own_counts(run):
    _, out, _, truths, _ = run
    trends = pd.read_csv(out / "tables" / "trends.csv")
    rows = trends[(trends["question_id"] == "priority") & (trends["option"] == "grid")]
    assert sorted(rows["wave"].astype(str)) == sorted(truths)
    for row in rows.itertuples():
        answers = truths[str(row.wave)].answers["priority"]
        expected = 100 * (answers == "grid").sum() / answers.notna().sum()
        assert row.pct == pytest.approx(expected, abs=0.051)


def test_every_wave_records_the_platform_that_wrote_it(run):
    _, out, *_ = run
    for month, platform in enumerate(FIXTURE_VARIANTS, 1):
        report = processed_dir(out, f"2031-{month:02d}") / "clean_report.json"
        assert f'"platform": "{platform}"' in report.read_text(encoding="utf-8")


def test_nothing_published_or_processed_holds_personal_data(run):
    data, out, _, truths, _ = run
    secrets = {v for crowd in truths.values() for v in crowd.personal_values}
    secrets |= {"@example.org", "+7 701", "203.0.113.", "Field Team A", "enumerator1"}
    places = list(out.resolve().parent.rglob("*"))  # the processed waves too, beside the build
    assert processed_dir(out, "2031-01").is_dir() and not (data / "processed").exists()
    for path in (p for p in places if p.is_file() and p.suffix != ".png"):
        text = path.read_bytes().decode("utf-8", errors="replace")
        if path.suffix == ".parquet":
            text = pd.read_parquet(path).astype("string").to_csv()
        found = sorted(s for s in secrets if s in text)
        assert found == [], path


def test_the_run_proved_its_publication_and_the_check_catches_a_revealed_cell(run, tmp_path):
    data, out, manifest, truths, codebook = run
    assert manifest["publication_check"]["breakdowns"] >= 2
    copy = tmp_path / manifest["wave"]
    shutil.copytree(out, copy)
    shutil.copytree(out.resolve().parent / "processed", tmp_path / "processed")  # beside it
    path = sorted((copy / "tables").glob("breakdown_priority_by_country.csv"))[0]
    table = pd.read_csv(path)
    country = codebook.question("country")
    pooled = table[table["group"].str.startswith("Other groups together")]
    assert len(pooled) == 1  # the fixture's small countries are shown together
    crowd = truths[manifest["wave"]].answers
    sizes = crowd["country"].value_counts()
    group = next(g for g in country.codes if 0 < sizes.get(g, 0) < 5)
    assert country.option_label(group) in pooled["group"].iloc[0]
    answered = crowd[(crowd["country"] == group) & crowd["priority"].notna()]
    row = {"group": country.option_label(group), "base": len(answered)}  # as a careless edit
    table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    table.to_csv(path, index=False)
    with pytest.raises(PublicationError) as err:
        check_publication(copy, data, manifest["wave"])
    assert f"row {group} is not a group this table may show" in str(err.value)


def test_the_check_catches_a_pooled_groups_size_printed_in_who_answered(run, tmp_path):
    data, out, manifest, truths, _ = run
    copy = tmp_path / manifest["wave"]
    shutil.copytree(out, copy)
    shutil.copytree(out.resolve().parent / "processed", tmp_path / "processed")
    path = copy / "tables" / "profile_country.csv"
    table = pd.read_csv(path, dtype={"option": "string"})
    member = table.index[table["is_pooled"]][0]
    size = int(truths[manifest["wave"]].answers["country"].eq(table.at[member, "option"]).sum())
    table.loc[member, ["count", "is_suppressed", "is_pooled"]] = [size, False, False]
    table.to_csv(path, index=False)
    with pytest.raises(PublicationError) as err:
        check_publication(copy, data, manifest["wave"])
    assert (
        f"group {table.at[member, 'option']}, shown only pooled or not at all, is printed"
        in str(err.value)
    )
