"""question_types: a new question type is one module, registered, and used by every layer.

A test type, ``approval`` (yes or no, read also from thumbs, with a net approval beside its
table and a codebook key of its own), is dropped into the package as one module. Nothing else
changes: the codebook accepts it and its key, cleaning reads its cells its own way (an
unknown cell is still an error naming it), the table, summary, sentences, table note and chart
axis are its own. The registry is restored after each test.
"""

from __future__ import annotations

import csv
import textwrap

import pytest
import yaml

import surveybrief.question_types as package
from surveybrief.analysis.tabulate import tabulate_question
from surveybrief.brief import charts, narrative, present
from surveybrief.clean.cleaner import clean_wave
from surveybrief.exceptions import InputError
from surveybrief.inputs import question_kind
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.question_kind import QuestionKind, question_kinds, register_kind
from surveybrief.inputs.wave import load_wave
from tests.helpers import (
    FIXTURES,
    RANKING_WAVE,
    ranking_codebook_edited,
    ranking_truth,
    write_ranking_wave,
)

APPROVAL = '''
"""Approval (a test type): yes or no, also written as thumbs; its net approval beside it."""

import pandas as pd

from surveybrief.inputs.question_kind import QuestionKind

THUMBS = {"\N{THUMBS UP SIGN}": "yes", "\N{THUMBS DOWN SIGN}": "no"}


class Net:
    def __init__(self, net):
        self.net = net

    def frame(self):
        return pd.DataFrame({"net_approval": [self.net]})


class Approval(QuestionKind):
    def problem(self, codes, none_marked):
        if sorted(codes) != ["no", "yes"]:
            return "an approval question's options are yes and no", codes
        return super().problem(codes, none_marked)

    def codebook_fields(self, entry, n_options, *, file, where):
        return {"bar": int(entry.get("bar", 50))}

    def convert_column(self, converter, header, target, values, distinct):
        mapping = {}
        for value in distinct.values:
            code = THUMBS.get(value.strip(), value.strip().lower())
            if code in ("yes", "no"):
                mapping[value] = code
            else:
                converter.note_unmapped(header, values, value, "not a thumb, yes or no")
        converter.pending[target.question.id] = (distinct, mapping)
        return True

    def summarise(self, responses, question):
        answers = responses[question.id].dropna()
        if answers.empty:
            return None
        return Net(round(100 * ((answers == "yes").mean() - (answers == "no").mean())))

    def describe(self, summary):
        return [f"Net approval: {summary.net:+d} points."]

    def table_note(self, question):
        return f"Approval bar: {question.extra['bar']}%."

    def axis_label(self, question):
        return "% approving or not"


KIND = Approval("approval", order=7, keys=frozenset({"bar"}), summary_suffix="net")
'''


@pytest.fixture
def approval(tmp_path, monkeypatch):
    """Drop the approval type into the package as one module; restore the registry after."""
    folder = tmp_path / "types"
    folder.mkdir()
    (folder / "approval.py").write_text(textwrap.dedent(APPROVAL), encoding="utf-8")
    monkeypatch.setattr(package, "__path__", [*package.__path__, str(folder)])
    monkeypatch.setattr(question_kind, "_KINDS", dict(question_kind._KINDS))
    package._register_all()
    yield question_kinds()["approval"]
    import sys

    sys.modules.pop("surveybrief.question_types.approval", None)


def _approval_wave(tmp_path, bar: int = 60, thumbs: bool = True):
    """Write the ranking survey's SYNTHETIC wave with ``outlook`` as an approval question."""
    codebook = load_codebook(FIXTURES / "ranking_survey", 1)
    rows = ranking_truth()
    root, folder = write_ranking_wave(tmp_path, codebook, "odk_central", rows)
    book = root / "codebook" / "v1.yaml"
    doc = yaml.safe_load(book.read_text(encoding="utf-8"))
    outlook = doc["sections"][0]["questions"][1]
    outlook.update({"type": "approval", "bar": bar})
    book.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    export = folder / "odk_central.csv"
    with export.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    column = table[0].index("water-outlook")
    for line in table[1:]:
        if thumbs and line[column] == "yes":
            line[column] = "\N{THUMBS UP SIGN}"
    with export.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(table)
    return root, rows


def test_a_type_dropped_in_as_one_module_is_registered_after_the_six(approval):
    assert list(question_kinds()) == [
        "single", "multi", "rating", "text", "profile", "ranking", "approval",
    ]  # fmt: skip
    assert isinstance(approval, QuestionKind) and approval.one_of_nominal


def test_every_layer_uses_the_new_types_own_way(tmp_path, approval):
    root, rows = _approval_wave(tmp_path)
    codebook = load_codebook(root, 1)
    q = codebook.question("outlook")
    assert (q.kind is approval, q.extra) == (True, {"bar": 60})
    result = clean_wave(load_wave(root, RANKING_WAVE), codebook)
    assert list(result.responses["outlook"]) == [o for _r, o in rows]  # thumbs read as yes
    table = tabulate_question(result.responses, q)
    yes = sum(o == "yes" for _r, o in rows)
    assert int(table.table.set_index("option").at["yes", "count"]) == yes
    summary = q.kind.summarise(result.responses, q)
    net = round(100 * (yes - (len(rows) - yes)) / len(rows))
    assert summary.frame()["net_approval"].tolist() == [net]
    assert q.kind.describe(summary) == [f"Net approval: {net:+d} points."]
    assert "Approval bar: 60%." in present.table_html(table, "Table 1.2")
    assert charts._axis_label(table) == "% approving or not"
    assert narrative.describe(table)  # the common sentences serve it too


def test_the_new_types_reading_refuses_what_it_cannot_read(tmp_path, approval):
    root, _rows = _approval_wave(tmp_path)
    export = root / "raw" / RANKING_WAVE / "odk_central.csv"
    text = export.read_text(encoding="utf-8").replace("\N{THUMBS UP SIGN}", "maybe", 1)
    export.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match="not a thumb, yes or no") as caught:
        clean_wave(load_wave(root, RANKING_WAVE), load_codebook(root, 1))
    assert "'water-outlook': 'maybe'" in str(caught.value)


def test_the_new_types_key_is_refused_on_another_type(tmp_path, approval):
    root = ranking_codebook_edited(tmp_path, "type: single", "type: single\n        bar: 70")
    with pytest.raises(InputError, match="bar is for approval questions"):
        load_codebook(root, 1)


def test_a_questions_unknown_key_is_an_error_naming_it(tmp_path):
    root = ranking_codebook_edited(tmp_path, "type: single", "type: single\n        hedline: true")
    with pytest.raises(InputError, match="question 'outlook': unknown key hedline"):
        load_codebook(root, 1)


def test_a_second_type_of_the_same_name_is_refused(monkeypatch):
    monkeypatch.setattr(question_kind, "_KINDS", dict(question_kind._KINDS))
    with pytest.raises(ValueError, match="'ranking' is registered twice"):
        register_kind(QuestionKind("ranking"))
