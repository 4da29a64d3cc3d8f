import os

import pytest

from surveybrief.writers import atomic_path, write_text_atomic


def test_failed_write_leaves_the_previous_file(tmp_path):
    target = tmp_path / "briefing.html"
    target.write_text("good")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("killed")
    assert target.read_text() == "good"
    assert [p.name for p in tmp_path.iterdir()] == ["briefing.html"]


def test_text_round_trips_exactly(tmp_path):
    text = 'quote " comma , CR\r LF\n emoji 🙂 Қазақстан N/A None'
    write_text_atomic(tmp_path / "t.txt", text)
    assert (tmp_path / "t.txt").read_bytes().decode("utf-8") == text


def test_csv_with_bare_carriage_return_reads_back_exactly(tmp_path):
    import pandas as pd

    from surveybrief.writers import write_csv_atomic

    frame = pd.DataFrame({"text": ["a\rb", 'q"uote', "N/A", "None", "Қазақстан 🙂"], "n": range(5)})
    write_csv_atomic(tmp_path / "t.csv", frame)
    back = pd.read_csv(tmp_path / "t.csv", dtype={"text": "string"}, keep_default_na=False)
    assert list(back["text"]) == list(frame["text"]) and list(back["n"]) == list(range(5))


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(tmp_path):
    import pandas as pd

    from surveybrief.writers import write_csv_atomic

    frame = pd.DataFrame(
        {
            "text": [
                '=HYPERLINK("http://x")',
                "+1+cmd|' /C calc'!A0",
                "-2+3",
                "@SUM(A1)",
                "\tx",
                "\rx",
                "-3",
                "+4.5",
                "plain",
            ],
            "n": [-1, 2, 3, 4, 5, 6, 7, 8, 9],
        }
    )
    write_csv_atomic(tmp_path / "t.csv", frame)
    back = pd.read_csv(tmp_path / "t.csv", dtype={"text": "string"}, keep_default_na=False)
    assert list(back["text"]) == [
        '\'=HYPERLINK("http://x")',
        "'+1+cmd|' /C calc'!A0",
        "'-2+3",
        "'@SUM(A1)",
        "'\tx",
        "'\rx",
        "-3",
        "+4.5",
        "plain",
    ]
    assert list(back["n"]) == [-1, 2, 3, 4, 5, 6, 7, 8, 9]


def test_workbook_stores_formulas_as_text_and_numbers_as_numbers(tmp_path):
    import pandas as pd
    from openpyxl import load_workbook

    from surveybrief import catalogue
    from surveybrief.run.render import write_tables_workbook

    out = tmp_path / "2031-06"
    frame = pd.DataFrame(
        {"label": ["=cmd|' /C calc'!A0", "plain"], "count": [3, 4], "pct": [12.5, None]}
    )
    catalogue.publish(out, "q1", frame)
    assert (out / "tables" / "q1.csv").read_text().splitlines()[1].startswith("'=cmd")
    write_tables_workbook(out, tmp_path / "tables.xlsx")
    sheet = load_workbook(tmp_path / "tables.xlsx")["q1"]
    assert sheet["A2"].value == "=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == 12.5 and sheet["C3"].value is None


def test_every_file_written_is_listed_while_a_products_log_is_set(tmp_path):
    import pandas as pd

    from surveybrief.writers import record_products, write_csv_atomic, write_json_atomic

    log = tmp_path / "products.log"
    write_json_atomic(tmp_path / "before.json", {})
    record_products(log)
    try:
        write_csv_atomic(tmp_path / "tables" / "a.csv", pd.DataFrame({"x": [1]}))
        write_json_atomic(tmp_path / "b.json", {"a": 1})
    finally:
        record_products(None)
    write_json_atomic(tmp_path / "after.json", {})
    listed = log.read_text(encoding="utf-8").splitlines()
    assert listed == [str((tmp_path / name).resolve()) for name in ("tables/a.csv", "b.json")]


def test_a_hand_run_writes_nothing_into_a_published_result_and_says_so_once(tmp_path):
    """``outputs/<wave>`` links to one run's whole build: a notebook run by hand leaves it be."""
    import pandas as pd

    from surveybrief import writers

    build = tmp_path / "outputs" / "_builds" / "2025-06" / "run1" / "2025-06"
    (build / "tables").mkdir(parents=True)
    (build / "tables" / "q.csv").write_text("published")
    link = tmp_path / "outputs" / "2025-06"
    link.symlink_to(build.relative_to(link.parent))
    with pytest.warns(writers.PublishedResultWarning, match="writes nothing there") as told:
        write_text_atomic(link / "tables" / "q.csv", "by hand")
        writers.write_parquet_atomic(link / "processed" / "p.parquet", pd.DataFrame({"a": [1]}))
    assert len(told) == 1  # one notice per published result
    assert (build / "tables" / "q.csv").read_text() == "published"
    assert sorted(p.name for p in build.rglob("*")) == ["q.csv", "tables"]
    executed = build / "executed" / "copy.ipynb"  # an executed copy run again by hand
    write_text_atomic(executed, "by hand")  # the build's own path: still not written
    assert not executed.exists()
    os.environ[writers.BUILD_ENV] = str(build.parent.resolve())  # the run that owns it writes
    try:
        write_text_atomic(build / "tables" / "q.csv", "a run's")
    finally:
        del os.environ[writers.BUILD_ENV]
    assert (build / "tables" / "q.csv").read_text() == "a run's"
    elsewhere = tmp_path / "lab" / "2025-06" / "tables" / "q.csv"  # another outputs_root
    write_text_atomic(elsewhere, "by hand")
    assert elsewhere.read_text() == "by hand"
