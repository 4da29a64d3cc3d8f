"""The declared pipeline: steps, needs, conditions, places; parameters checked."""

import pytest
import yaml

from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.exceptions import InputError
from surveybrief.run.plan import check_parameters, load_plan, read_plan


def write_plan(folder, steps, notebooks=()):
    """Write a pipeline.yaml with ``steps`` and empty notebooks named in it."""
    for name in {s["notebook"] for s in steps} | set(notebooks):
        (folder / name).write_text("{}", encoding="utf-8")
    (folder / "pipeline.yaml").write_text(yaml.safe_dump({"steps": steps}), encoding="utf-8")
    return folder


def test_the_project_plan_runs_trends_and_audit_only_when_their_data_exist():
    names = lambda plan: [s.name for s in plan.steps]  # noqa: E731
    every = load_plan(NOTEBOOKS_DIR, has_earlier_waves=True, has_published=True, chapters=["a"])
    bare = load_plan(NOTEBOOKS_DIR, has_earlier_waves=False, has_published=False, chapters=["a"])
    assert set(names(every)) - set(names(bare)) == {"80_trends", "90_audit"}
    assert names(every)[0] == "00_clean" and names(every)[-1] == "99_briefing"


def test_briefing_order_is_front_chapters_appendix_and_stages_follow_needs(tmp_path):
    plan = read_plan(
        write_plan(
            tmp_path,
            [
                {"notebook": "00_clean.ipynb", "place": "none"},
                {"notebook": "10_a.ipynb", "needs": ["00_clean"]},
                {"notebook": "90_audit.ipynb", "needs": ["00_clean"], "place": "appendix"},
                {"notebook": "20_b.ipynb", "needs": ["00_clean"]},
                {"notebook": "99_front.ipynb", "needs": ["10_a", "20_b"], "place": "front"},
            ],
        )
    )
    assert [s.name for s in plan.briefing_order()] == ["99_front", "10_a", "20_b", "90_audit"]
    stages = [[s.name for s in stage] for stage in plan.stages()]
    assert stages == [["00_clean"], ["10_a", "90_audit", "20_b"], ["99_front"]]


def test_a_need_on_a_step_that_does_not_run_is_not_waited_for(tmp_path):
    write_plan(
        tmp_path,
        [
            {"notebook": "00_clean.ipynb", "place": "none"},
            {"notebook": "80_trends.ipynb", "needs": ["00_clean"], "when": "earlier_waves"},
            {"notebook": "99_front.ipynb", "needs": ["80_trends"], "place": "front"},
        ],
    )
    plan = load_plan(tmp_path, has_earlier_waves=False, has_published=False, chapters=[])
    assert [[s.name for s in stage] for stage in plan.stages()] == [["00_clean", "99_front"]]


@pytest.mark.parametrize(
    ("step", "message"),
    [
        ({"notebook": "10_a.ipynb", "needs": ["99_later"]}, "not declared before it"),
        ({"notebook": "10_a.ipynb", "when": "sometimes"}, "unknown when"),
        ({"notebook": "10_a.ipynb", "place": "middle"}, "unknown place"),
        ({"notebook": "10_a.ipynb", "colour": "red"}, "unknown keys"),
        ({"notebook": "../10_a.ipynb"}, "notebook not found"),
    ],
)
def test_a_plan_with_a_mistake_names_the_step_and_the_value(tmp_path, step, message):
    write_plan(tmp_path, [{"notebook": "00_clean.ipynb"}], notebooks=["10_a.ipynb"])
    doc = {"steps": [{"notebook": "00_clean.ipynb"}, step]}
    (tmp_path / "pipeline.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match=message) as err:
        read_plan(tmp_path)
    assert "pipeline.yaml" in str(err.value)


def test_a_missing_notebook_named_in_the_plan_is_an_error(tmp_path):
    doc = {"steps": [{"notebook": "00_clean.ipynb"}]}
    (tmp_path / "pipeline.yaml").write_text(yaml.safe_dump(doc), encoding="utf-8")
    with pytest.raises(InputError, match="notebook not found"):
        read_plan(tmp_path)


def test_unknown_parameters_are_refused():
    with pytest.raises(InputError, match="colour"):
        check_parameters(read_plan(NOTEBOOKS_DIR).paths[:1], {"wave": "2025-06", "colour": 1})


def test_a_notebook_run_per_chapter_becomes_one_step_per_chapter_of_the_codebook(tmp_path):
    (tmp_path / "extra").mkdir()  # survey-specific notebooks live here, declared in the plan
    steps = [
        {"notebook": "00_clean.ipynb", "place": "none"},
        {"notebook": "10_section.ipynb", "needs": ["00_clean"], "for_each": "chapter"},
        {"notebook": "extra/50_map.ipynb", "needs": ["10_section"], "place": "chapter"},
        {"notebook": "99_front.ipynb", "needs": ["10_section", "50_map"], "place": "front"},
    ]
    write_plan(tmp_path, steps)
    plan = load_plan(tmp_path, has_earlier_waves=False, has_published=False, chapters=["a", "b"])
    names = [s.name for s in plan.steps]
    assert names == ["00_clean", "10_section-a", "10_section-b", "50_map", "99_front"]
    assert [dict(s.parameters) for s in plan.steps[1:3]] == [{"section": "a"}, {"section": "b"}]
    assert [s.executed_name for s in plan.steps[1:3]] == [
        "10_section-a.ipynb",
        "10_section-b.ipynb",
    ]
    stages = [[s.name for s in stage] for stage in plan.stages()]
    assert stages == [["00_clean"], ["10_section-a", "10_section-b"], ["50_map"], ["99_front"]]
    assert [s.name for s in plan.briefing_order()][:1] == ["99_front"]


def test_the_project_plan_has_one_section_notebook_for_every_chapter(data_root):
    from surveybrief.inputs.codebook import load_codebook

    chapters = [s.id for s in load_codebook(data_root, 1).chapters]
    plan = load_plan(NOTEBOOKS_DIR, has_earlier_waves=False, has_published=True, chapters=chapters)
    sections = [s for s in plan.steps if s.notebook == "10_section"]
    assert [dict(s.parameters)["section"] for s in sections] == chapters
    assert {s.path.name for s in sections} == {"10_section.ipynb"}


def test_the_provenance_appendix_follows_the_others_in_lettering(tmp_path):
    from surveybrief.run.render import provenance_letter

    with_audit = load_plan(NOTEBOOKS_DIR, has_earlier_waves=False, has_published=True, chapters=[])
    without = load_plan(NOTEBOOKS_DIR, has_earlier_waves=False, has_published=False, chapters=[])
    assert provenance_letter(with_audit.briefing_order()) == "B"
    assert provenance_letter(without.briefing_order()) == "A"
