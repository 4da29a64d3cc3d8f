"""The publication check, on tables written the way a run writes them (and carelessly)."""

from types import SimpleNamespace

import pandas as pd

from surveybrief.analysis.profile import profile_table
from surveybrief.config import tables_dir
from surveybrief.inputs.codebook import Option, Question
from surveybrief.run.publication import Report, _check_profiles

FIELD = Question("field", "profile", "s", {"en": "Field"}, {"en": "Field?"},
                 tuple(Option(g, {"en": g.upper()}) for g in "abcd"))  # fmt: skip
SIZES = {"a": 5, "b": 4, "c": 4, "d": 30}  # pooling b and c alone: 8 in two groups of 1-4


def _checked(out, responses, table: pd.DataFrame) -> list[str]:
    tables_dir(out).mkdir(parents=True)
    table.to_csv(tables_dir(out) / "profile_field.csv", index=False)
    wave = SimpleNamespace(codebook=SimpleNamespace(questions=[FIELD]), responses=responses)
    report = Report()
    _check_profiles(out, wave, report)
    return report.problems


def _responses() -> pd.DataFrame:
    field = [g for g, n in SIZES.items() for _ in range(n)]
    return pd.DataFrame({"field": pd.array(field, dtype="string")})


def test_the_runs_own_who_answered_table_passes(tmp_path):
    responses = _responses()
    table = profile_table(responses, FIELD)
    assert set(table.loc[table["is_pooled"], "option"]) == {"a", "b", "c"}
    assert _checked(tmp_path, responses, table) == []


def test_a_weaker_pooling_rule_is_caught_by_a_reader_replaying_it(tmp_path, monkeypatch):
    """Were the run to pool by the rule before (sums only), b and c would be pooled alone: a
    reader replaying that rule finds only 4 + 4 gives a pool of 8, and the check says so."""
    from surveybrief.analysis import profile

    rule = profile.hide_groups
    monkeypatch.setattr(
        profile, "hide_groups", lambda *a, **k: rule(*a, **k | {"rule_aware": False})
    )
    responses = _responses()
    table = profile_table(responses, FIELD)
    assert set(table.loc[table["is_pooled"], "option"]) == {"b", "c"}
    problems = "\n".join(_checked(tmp_path, responses, table))
    assert "can tell that group b has exactly 4 respondents" in problems
    assert "can tell that group c has exactly 4 respondents" in problems


def test_one_quantity_two_values_is_caught_a_group_size_and_the_commenters(tmp_path):
    """The trends give a group another size than Who answered; the themes count "N/A" too."""
    from surveybrief.run.publication import _reconcile

    comments = Question("comments", "text", "s", {"en": "Comments"}, {"en": "Anything?"}, ())
    responses = _responses()
    responses["comments"] = pd.array(["Water."] * 20 + ["N/A", "нет", "-"] + [None] * 20, "string")
    tables = tmp_path / "tables"
    tables.mkdir()
    profile_table(responses, FIELD).to_csv(tables / "profile_field.csv", index=False)
    trend = {"question_id": "field", "option": "d", "wave": "2031-06", "count": 29, "base": 43}
    pd.DataFrame([trend]).to_csv(tables / "trends.csv", index=False)
    pd.DataFrame({"option": ["water"], "base": [23]}).to_csv(tables / "comments_themes.csv")
    codebook = SimpleNamespace(questions=[FIELD, comments])
    wave = SimpleNamespace(
        codebook=codebook, responses=responses, wave=SimpleNamespace(id="2031-06")
    )
    report = Report()
    _reconcile(tmp_path, wave, report)
    assert report.problems == [
        "trends.csv: field group d counts 29 where profile_field.csv shows 30",
        "comments_themes.csv: 23 commenters, not 20",
    ]
