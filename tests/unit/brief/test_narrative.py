import pandas as pd

from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.brief.narrative import describe, key_finding, strength
from surveybrief.brief.section import SectionRun
from surveybrief.inputs.codebook import load_codebook
from surveybrief.tools.reconstruct import reconstruct_wave


def row(pct, low, high):
    return {"pct": pct, "ci_low": low, "ci_high": high}


def test_majority_only_when_the_whole_interval_is_above_half():
    assert strength(row(87, 74, 94)) == "a clear majority"
    assert strength(row(56, 42, 69)).startswith("more than half")
    assert strength(row(44, 31, 58)).startswith("under half")
    assert strength(row(30, 19, 44)) == "a minority"
    assert strength(row(48, 35, 62)) == "about half"


def responses_for(codebook, values: dict) -> pd.DataFrame:
    frame = {
        "respondent_id": pd.array(
            [f"R{i}" for i in range(len(next(iter(values.values()))))], "string"
        )
    }
    for q in codebook.questions:
        for column in q.columns:
            frame[column] = pd.array(
                values.get(column, [None] * len(frame["respondent_id"])),
                "Int8" if q.kind.per_option else "string",
            )
    return pd.DataFrame(frame)


def test_changing_the_data_changes_the_narrative(data_root):
    codebook = load_codebook(data_root)
    q = codebook.question("kz_moderator")
    before = responses_for(
        codebook, {"kz_moderator": ["leading_moderator"] * 9 + ["partial_economic"]}
    )
    after = responses_for(
        codebook, {"kz_moderator": ["leading_moderator"] * 3 + ["partial_economic"] * 7}
    )
    text_before = " ".join(describe(tabulate_question(before, q)))
    text_after = " ".join(describe(tabulate_question(after, q)))
    assert "90% (9 of 10" in text_before and "Yes, given political will" in text_before
    assert "70% (7 of 10" in text_after and "Partially, mainly" in text_after
    assert "small (n = 10" in text_after
    assert key_finding(tabulate_question(before, q)) != key_finding(tabulate_question(after, q))


def test_section_html_follows_the_data(data_root, tmp_path):
    codebook = load_codebook(data_root)
    from surveybrief.inputs.published import load_published
    from surveybrief.inputs.wave import load_wave

    wave = load_wave(data_root, "2025-06")
    frame, _ = reconstruct_wave(codebook, load_published(data_root, "2025-06", codebook), 50, "x")
    from surveybrief.clean.cleaner import type_responses

    responses = type_responses(frame, codebook)
    run = SectionRun(codebook.section("outlook"), codebook, wave, responses, tmp_path)
    html = run.question_html("scenario_2035")
    assert "50% (15 of 30" in html
    responses.loc[responses["scenario_2035"] == "fragmentation", "scenario_2035"] = (
        "economic_integration"
    )
    changed = SectionRun(codebook.section("outlook"), codebook, wave, responses, tmp_path)
    assert "60% (18 of 30" in changed.question_html("scenario_2035")
    changed.write_tables()
    written = pd.read_csv(tmp_path / "tables" / "scenario_2035.csv").set_index("option")
    assert written.loc["economic_integration", "count"] == 18
    assert (tmp_path / "figures" / "scenario_2035.svg").is_file()


def test_a_rating_narrative_leads_with_the_most_chosen_point_not_the_first_of_the_scale():
    from surveybrief.analysis.scales import summarise_scale
    from surveybrief.analysis.tabulate import tabulate_question
    from surveybrief.brief.narrative import describe, describe_scale
    from surveybrief.inputs.codebook import Option, Question

    labels = ["Not at all ready", "Slightly ready", "Moderately ready", "Ready", "Very ready"]
    options = tuple(Option(str(i), {"en": label}) for i, label in enumerate(labels, 1))
    q = Question("ready", "rating", "s", {"en": "Readiness"}, {"en": "How ready?"}, options)
    answers = ["1"] * 2 + ["2"] * 10 + ["3"] * 8 + ["4"] * 14 + ["5"] * 6
    frame = pd.DataFrame({"ready": answers})
    result = tabulate_question(frame, q)
    assert list(result.table["option"]) == ["1", "2", "3", "4", "5"]  # the table keeps scale order
    text = " ".join(describe(result))
    assert "chose “Ready”" in text and "35% (14 of 40" in text
    assert "ahead of “Slightly ready” (25%)" in text
    assert "“Not at all ready”: a minority. It comes ahead" not in text
    scale = " ".join(describe_scale(summarise_scale(frame, q)))
    assert "1–5 scale, the mean answer is 3.3 (95% CI 2.9–3.7) and the median 3.5" in scale
    assert "50% (20 of 40; 95% CI 35–65%) chose one of the two highest points" in scale


def test_an_unreported_option_is_said_as_its_bounds(tmp_path):
    from surveybrief.inputs.codebook import Option, Question
    from tests.helpers import matched_claims, unbacked_claims

    question = Question(
        "q", "single", "s", {"en": "Q"}, {"en": "W"},
        (Option("a", {"en": "A"}), Option("b", {"en": "B"}, is_reported=False)),
    )  # fmt: skip
    responses = pd.DataFrame({"q": pd.array(["a"] * 6 + ["not_reported"] * 4, "string")})
    text = " ".join(describe(tabulate_question(responses, question)))
    assert (
        "names “B” without figures; they are not quantified here (each between 0% and 40%" in text
    )
    tabulate_question(responses, question).table.to_csv(tmp_path / "q.csv", index=False)
    assert {"unreported", "unquantified"} <= matched_claims(text)  # the generated check reads it
    assert unbacked_claims(text, tmp_path) == []
    assert len(unbacked_claims(text.replace("and 40%", "and 41%"), tmp_path)) == 1


def test_a_reconstructed_wave_is_never_broken_down_by_a_profile(data_root, tmp_path):
    """Its profile answers, where published, are rebuilt apart from every other answer."""
    from surveybrief.brief.section import SectionRun
    from surveybrief.clean.cleaner import type_responses
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.inputs.wave import load_wave

    codebook = load_codebook(data_root)
    wave = load_wave(data_root, "2025-06")
    ids = pd.DataFrame({"respondent_id": [f"r{i}" for i in range(40)]})
    responses = type_responses(ids.reindex(columns=["respondent_id", *codebook.columns]), codebook)
    responses["expert_field"] = pd.array(["economics", "politics"] * 20, "string")
    responses["relations_state"] = pd.array(["stable_competitive"] * 40, "string")
    run = SectionRun(codebook.section("relations"), codebook, wave, responses, tmp_path)
    assert wave.is_reconstructed and run.breakdowns == {q.id: [] for q in run.section.questions}


def test_a_breakdown_no_pooling_can_protect_is_said_not_published(data_root, tmp_path):
    from dataclasses import replace

    from surveybrief.clean.cleaner import type_responses
    from surveybrief.inputs.published import load_published
    from surveybrief.inputs.wave import load_wave

    codebook = load_codebook(data_root)
    wave = replace(load_wave(data_root, "2025-06"), is_reconstructed=False)  # as if surveyed
    frame, _ = reconstruct_wave(codebook, load_published(data_root, "2025-06", codebook), 50, "x")
    responses = type_responses(frame, codebook)
    fields = ["economics"] * 3 + ["education"] * (len(responses) - 3)  # one group of 5 or more
    responses["expert_field"] = pd.array(fields, dtype="string")
    run = SectionRun(codebook.section("outlook"), codebook, wave, responses, tmp_path)
    assert run.breakdowns["scenario_2035"] == [] and run.withheld
    html = run.question_html("scenario_2035")
    assert "Not broken down by field of expertise: it has one group of 5 or more" in html
    responses["expert_field"] = pd.array(
        ["economics"] * 3 + ["politics"] * 4 + ["education"] * (len(responses) - 7), "string"
    )
    pooled = SectionRun(codebook.section("outlook"), codebook, wave, responses, tmp_path)
    assert "Other groups together" in pooled.question_html("scenario_2035")
    assert not pooled.withheld


def test_a_reconstructed_questions_words_hold_at_every_base_its_figures_allow(data_root):
    """70% and 30% are whole counts of 10, 20, ..., 50: "a clear majority" at 50 (35 of 50,
    CI 56-81%) is not one at 10 (7 of 10, CI 40-89%), so the chapter must not say it."""
    from surveybrief.analysis.uncertain_base import interval_envelope
    from surveybrief.inputs.published import Publication, PublishedFigure

    codebook = load_codebook(data_root)
    q = codebook.question("kz_moderator")
    figures = tuple(
        PublishedFigure(f"f{i}", q.id, option, value, 0, f"{value:.0f}%", "", "")
        for i, (option, value) in enumerate(
            [("leading_moderator", 70.0), ("partial_economic", 30.0)]
        )
    )
    ends = interval_envelope(Publication("2025-06", {}, figures, data_root), q, 50)
    assert round(ends["leading_moderator"][0], 1) == 39.7  # at 10 (statsmodels: 0.3968)
    assert round(ends["partial_economic"][1], 1) == 60.3
    answers = ["leading_moderator"] * 35 + ["partial_economic"] * 15
    result = tabulate_question(responses_for(codebook, {"kz_moderator": answers}), q)
    assert "a clear majority" in " ".join(describe(result))  # at the assumed 50 alone
    text = " ".join(describe(result, ends))
    assert "more than half, though the interval does not rule out a minority" in text
    assert "clearly ahead" not in text and "a gap within the uncertainty" in text


def test_a_reconstructed_ratings_top_two_words_hold_at_every_base(data_root):
    """40% + 30% in the top two points: 35 of 50 is "a clear majority", 7 of 10 is not."""
    from surveybrief.analysis.scales import summarise_scale
    from surveybrief.analysis.uncertain_base import interval_envelope
    from surveybrief.brief.narrative import TOP_TWO, describe_scale
    from surveybrief.inputs.codebook import Option, Question
    from surveybrief.inputs.published import Publication, PublishedFigure

    options = tuple(Option(str(i), {"en": f"Point {i}"}) for i in range(1, 6))
    q = Question("ready", "rating", "s", {"en": "Readiness"}, {"en": "How ready?"}, options)
    shares = {"1": 10.0, "2": 10.0, "3": 10.0, "4": 40.0, "5": 30.0}  # whole at 10, 20, ... 50
    figures = tuple(
        PublishedFigure(f"f{c}", "ready", c, v, 0, f"{v:.0f}%", "", "") for c, v in shares.items()
    )
    frame = pd.DataFrame({"ready": [c for c, v in shares.items() for _ in range(int(v / 2))]})
    summary = summarise_scale(frame, q)
    assert " a clear majority" in " ".join(describe_scale(summary))  # at the assumed 50 alone
    ends = interval_envelope(Publication("w", {}, figures, data_root), q, 50, {TOP_TWO: ("4", "5")})
    assert round(ends[TOP_TWO][0], 1) == 39.7  # 7 of 10
    text = " ".join(describe_scale(summary, ends))
    assert "more than half, though the interval does not rule out a minority" in text


def test_a_question_without_answers_is_said_in_words_that_fit_the_wave(data_root):
    """A wave with respondent data: nobody answered (not the article's "the source gives no
    figures"); a wave rebuilt from a source: the codebook's note on what the source gave."""
    codebook = load_codebook(data_root)
    q = codebook.question("kz_moderator")
    empty = responses_for(codebook, {"kz_moderator": [None] * 5})
    result = tabulate_question(empty, q)
    said = " ".join(describe(result))
    assert "Nobody answered this question in this wave" in said
    assert "source" not in said and "article" not in said
    rebuilt = " ".join(describe(result, from_source=True))
    assert "No respondent-level answers are available." in rebuilt


def test_two_answers_with_the_same_share_are_said_level_never_one_ahead():
    from surveybrief.inputs.codebook import Option, Question

    options = (Option("yes", {"en": "Yes"}), Option("no", {"en": "No"}))
    q = Question("deepen", "single", "s", {"en": "Deepen"}, {"en": "Will it?"}, options)
    level = " ".join(describe(tabulate_question(pd.DataFrame({"deepen": ["yes", "no"] * 12}), q)))
    assert "“No” has the same share (50%)." in level and "ahead" not in level
    ahead = " ".join(
        describe(tabulate_question(pd.DataFrame({"deepen": ["yes"] * 13 + ["no"] * 11}), q))
    )
    assert "It comes ahead of “No” (46%)" in ahead
