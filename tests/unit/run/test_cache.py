"""Cache keys: a step's key follows its own source and the earlier outputs it reads."""

from surveybrief.run import cache
from surveybrief.run.plan import Step


def test_a_step_key_changes_with_what_it_reads_and_nothing_else(tmp_path):
    notebook = tmp_path / "99_front.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    out = tmp_path / "out"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "a.csv").write_text("x\n1\n", encoding="utf-8")
    step = Step("99_front", notebook, reads=("tables/*.csv",))
    key = cache.step_key("common", step, out)
    (out / "figures").mkdir()
    (out / "figures" / "a.svg").write_text("<svg/>", encoding="utf-8")  # not read
    assert cache.step_key("common", step, out) == key
    (out / "tables" / "a.csv").write_text("x\n2\n", encoding="utf-8")  # read, changed
    changed = cache.step_key("common", step, out)
    assert changed != key
    notebook.write_text('{"cells": []}', encoding="utf-8")  # its own source changed
    assert cache.step_key("common", step, out) != changed
    assert cache.step_key("other run", step, out) != cache.step_key("common", step, out)


def test_a_broken_cache_file_means_nothing_is_reused(tmp_path):
    (tmp_path / cache.CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert cache.read_cache(tmp_path, use_cache=True) == {}
    cache.write_cache(tmp_path, {"00_clean": "k"})
    assert cache.read_cache(tmp_path, use_cache=True) == {"00_clean": "k"}
    assert cache.read_cache(tmp_path, use_cache=False) == {}
