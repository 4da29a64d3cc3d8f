"""The front matter reads what the other notebooks wrote; it recomputes nothing."""

import pandas as pd
import pytest

from surveybrief import catalogue
from surveybrief.analysis.tabulate import table_of
from surveybrief.brief.front import open_front
from surveybrief.config import tables_dir
from tests.helpers import WAVE


def _edit_result(outputs, name: str, edit) -> None:
    """Change result ``name`` in the run's catalogue, as if its step had computed otherwise."""
    table = catalogue.read(outputs / WAVE, name)
    edit(table)
    table.to_parquet(catalogue.result_path(outputs / WAVE, name), index=False)


def test_the_cover_states_what_the_section_tables_and_the_audit_say(cleaned_root, outputs):
    front = open_front(WAVE, cleaned_root, outputs)
    findings = front.key_findings()
    table = pd.read_csv(tables_dir(outputs / WAVE) / "relations_state.csv")
    top = table.iloc[0]
    assert any(
        f"{top['pct']:.0f}% of experts ({top['count']} of {top['base']};" in f for f in findings
    )
    assert findings[-1] == (
        "Audit of the published figures: 28 of 31 are reproduced exactly. 8 cannot be whole "
        "counts of exactly 50 respondents. 4 are each possible on their own but not together "
        "with the other figures of their question, for any one number of respondents up to 50. "
        "See the appendix."
    )  # 43.5%, 23.5%, 23%, 10% of one question: each possible alone (tests/unit/analysis)


def test_a_changed_table_changes_the_cover_without_recomputing(cleaned_root, outputs):
    def edit(table):
        table.loc[0, ["count", "pct", "ci_low", "ci_high"]] = [49, 98.0, 89.5, 99.6]

    _edit_result(outputs, "relations_state", edit)
    findings = open_front(WAVE, cleaned_root, outputs).key_findings()
    assert any("98% of experts (49 of 50; 95% CI 90–100%)" in f for f in findings)


def test_the_published_tables_are_never_read_back(cleaned_root, outputs):
    """An edited or missing tables/*.csv changes nothing: the documents read the catalogue."""
    before = open_front(WAVE, cleaned_root, outputs).key_findings()
    for path in tables_dir(outputs / WAVE).glob("*.csv"):
        path.write_text("option,count\n=1+1,99\n", encoding="utf-8")
    assert open_front(WAVE, cleaned_root, outputs).key_findings() == before
    for path in tables_dir(outputs / WAVE).glob("*.csv"):
        path.unlink()
    assert open_front(WAVE, cleaned_root, outputs).key_findings() == before


def test_a_number_quoted_on_the_cover_keeps_its_chapters_flags(cleaned_root, outputs):
    """Small base, reconstructed wave, a published figure not reproduced: said on the cover too."""

    def edit(table):
        table["base"] = 12
        table["count"] = [11, 1] + [0] * (len(table) - 2)

    _edit_result(outputs, "relations_state", edit)
    front = open_front(WAVE, cleaned_root, outputs)
    front.clean_report["bases"]["relations_state"] = 12
    findings = front.key_findings(with_changes=False)
    small = [f for f in findings if "(11 of 12;" in f]
    assert len(small) == 1 and "indicative: base under 30" in small[0]
    assert all("reconstructed from published figures" in f for f in findings)
    assumed = {f.split(":")[0] for f in findings if "base assumed" in f}
    assert "Kazakhstan as a moderator of integration" in assumed  # 15, 30 or 45: as its chapter
    assert "Most realistic avenues of economic integration" not in assumed  # 50 alone fits
    assert sum("indicative" in f for f in findings) == 1  # the others' bases are 45 to 50
    assert not any("not reproduced" in f for f in findings)  # none is external_role
    role = front.codebook.question("external_role")
    result = table_of(catalogue.read(outputs / WAVE, "external_role"), role, 50)
    assert "a published figure of this question is not reproduced (Appendix A)" in front.flags(
        result
    )


def test_without_the_audit_tables_the_front_says_which_result_is_missing(cleaned_root, outputs):
    catalogue.result_path(outputs / WAVE, "reproduction").rename(outputs / "elsewhere.parquet")
    with pytest.raises(FileNotFoundError, match=r"no result 'reproduction'"):
        open_front(WAVE, cleaned_root, outputs).key_findings()


def test_the_methodology_box_takes_counts_and_bases_from_cleaning(cleaned_root, outputs):
    rows = dict(open_front(WAVE, cleaned_root, outputs).methodology_rows())
    assert "Respondents in the data: 50." in rows["Sample"]
    assert "Bases range from 30 to 50" in rows["Bases"]


def test_an_empty_methodology_item_is_left_out(cleaned_root, outputs):
    import dataclasses

    front = open_front(WAVE, cleaned_root, outputs)
    front.wave = dataclasses.replace(front.wave, limitations=())
    assert "Limitations" not in dict(front.methodology_rows())
    assert "Limitations" in dict(open_front(WAVE, cleaned_root, outputs).methodology_rows())
