"""explore.wave: the wave as data, the briefing's statistics and disclosure, writing nothing."""

from __future__ import annotations

import pytest

from surveybrief import explore
from surveybrief.analysis.breakdowns import breakdown
from surveybrief.analysis.profile import profile_hidden
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from tests.helpers import tree_digest


def test_a_wave_is_cleaned_in_memory_and_the_data_root_is_left_as_it_was(two_waves):
    before = tree_digest(two_waves)
    w = explore.wave("latest", two_waves)
    assert w.id == "2027-06" and len(w.responses) == 80
    assert tree_digest(two_waves) == before
    meta = load_wave(two_waves, "2027-06")
    same = clean_wave(meta, load_codebook(two_waves, meta.codebook_version)).responses
    assert w.responses.equals(same)  # as 00_clean cleans it
    assert explore.wave("2027-06", two_waves) is w  # loaded once while the inputs are unchanged


def test_questions_tables_and_crosstabs_are_the_briefings(two_waves):
    w = explore.wave("latest", two_waves)
    assert {"obstacles", "expert_field"} <= set(w.questions.index)
    table = w.table("obstacles")
    reference = tabulate_question(w.responses, w.codebook.question("obstacles")).table
    assert table.frame.equals(reference)
    assert "95% CI" in table._repr_html_()
    cross = w.crosstab("obstacles", by="expert_field")
    profile = w.codebook.question("expert_field")
    same = breakdown(w.responses, w.codebook.question("obstacles"), profile)
    assert cross.breakdown.suppressed.equals(same.suppressed)  # the same disclosure rule
    assert cross.breakdown.counts.equals(same.counts)  # small groups pooled as the briefing does
    for group in profile_hidden(w.responses, profile):  # a pooled group shows nothing of itself
        if group in profile.codes:
            assert profile.option_label(group) not in cross.frame.index
    assert "<svg" in cross.chart()._repr_svg_() and table.chart().figure is not None


def test_a_comparison_is_the_trends_chapters(two_waves):
    w = explore.wave("latest", two_waves)
    view = w.compare("relations_state")
    assert set(view.frame["wave"]) == {"2026-06", "2027-06"}
    changes = view.changes
    assert len(changes) and changes["p_holm"].notna().any()
    assert (changes["p_holm"].dropna() >= changes["p_value"].dropna().min()).all()
    assert view.chart() is not None and "Holm" in view._repr_html_()


def test_a_wrong_pick_names_what_fits(two_waves):
    w = explore.wave("latest", two_waves)
    with pytest.raises(InputError) as err:
        w.crosstab("obstacles", by="no_such_question")
    assert "expert_field" in str(err.value)
    with pytest.raises(InputError):
        w.crosstab("expert_field", by="expert_field")
    with pytest.raises(InputError) as err:
        w.compare("obstacles", with_wave="2031-06")
    assert "2026-06" in str(err.value)


def test_a_reconstructed_wave_is_never_cross_tabulated(data_root):
    w = explore.wave("2025-06", data_root)
    assert w.is_reconstructed
    with pytest.raises(InputError) as err:
        w.crosstab("relations_state", by="kz_moderator")
    assert "reconstructed" in str(err.value)
    assert type(w.example()).__name__ == "TableView"  # its worked example is a table
    assert "RECONSTRUCTED" in w.example()._repr_html_()


def test_the_runs_cleaned_data_are_read_only_when_made_from_the_current_inputs(two_waves, tmp_path):
    import importlib
    import shutil

    from surveybrief.clean.cleaner import run_clean

    module = importlib.import_module("surveybrief.explore.explored_wave")

    run_dir = tmp_path / "outputs" / "2026-06"
    run_clean(two_waves, "2026-06", run_dir)
    read = module._processed(two_waves, tmp_path / "outputs", "2026-06",
                             load_codebook(two_waves, 1))  # fmt: skip
    assert read is not None and len(read) == 60
    stale = tmp_path / "stale"
    shutil.copytree(two_waves, stale)
    export = next((stale / "raw" / "2026-06").glob("*.csv"))
    export.write_bytes(export.read_bytes() + b"\n")  # the inputs changed since that run
    assert module._processed(stale, tmp_path / "outputs", "2026-06",
                             load_codebook(stale, 1)) is None  # fmt: skip


def test_a_ranking_shows_its_mean_ranks_and_is_not_cross_tabulated(tmp_path):
    """Its table comes with mean ranks and first places; a cross-tab is refused, not guessed."""
    from surveybrief.explore.explored_wave import wave
    from tests.helpers import FIXTURES, RANKING_WAVE, ranking_truth, write_ranking_wave

    codebook = load_codebook(FIXTURES / "ranking_survey", 1)
    root, _folder = write_ranking_wave(tmp_path, codebook, "qualtrics", ranking_truth())
    explored = wave(RANKING_WAVE, root)
    view = explored.table("priorities")
    assert view.summary is not None and view.summary.base == view.result.base == 23
    html = view._repr_html_()
    assert "Mean rank" in html and "Ranked first" in html and "top 2" in html
    with pytest.raises(InputError, match="a ranking is not cross-tabulated"):
        explored.crosstab("priorities", "outlook")
    example = explored.example()  # no profile to break down by: the first table, with ranks
    assert example.result.question.id == "priorities" and example.summary is not None


def test_compare_tests_a_linked_panel_on_its_pairs_with_the_runs_key(tmp_path, monkeypatch):
    from surveybrief.clean.panel_key import KEY_ENV
    from surveybrief.explore import explored_wave
    from surveybrief.tools.synthetic_delphi import N_ROUND_2, ROUNDS, build_delphi_data

    data = build_delphi_data(tmp_path / "data")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv(KEY_ENV, "the run's key")
    changes = explored_wave.wave(ROUNDS[1][0], data).compare("binding_water").changes
    assert set(changes["test"]) == {"partially_overlapping_z"}
    assert set(changes["n_paired"]) == {N_ROUND_2}
    monkeypatch.delenv(KEY_ENV)  # no key: nobody linked, and none made by exploring
    changes = explored_wave.wave(ROUNDS[1][0], data).compare("binding_water").changes
    assert set(changes["test"]) == {"newcombe_fisher"}
    assert not (tmp_path / "config" / "surveybrief").exists()
