"""The publication check, on tables written the way a run writes them (and carelessly)."""

from types import SimpleNamespace

import pandas as pd

from surveybrief.analysis.profile import POOLED, profile_table
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


def test_a_pool_whose_sizes_a_reader_knowing_the_rule_can_tell_fails(tmp_path):
    rows = [("a", "A", 5, False, False), ("b", "B", None, True, True),
            ("c", "C", None, True, True), ("d", "D", 30, False, False),
            (POOLED, "Other groups together: B, C", 8, False, False)]  # fmt: skip
    table = pd.DataFrame(rows, columns=["option", "label", "count", "is_suppressed", "is_pooled"])
    table.insert(3, "pct", 100 * table["count"] / 43)
    problems = _checked(tmp_path, _responses(), table)
    assert "can tell that group b has exactly 4 respondents" in "\n".join(problems)
    assert "can tell that group c has exactly 4 respondents" in "\n".join(problems)
