"""The cache: a step's key follows its own source and what the steps it needs produced; its
products are copied into a new build only when each still has the hash recorded for it."""

import pytest

from surveybrief.run import cache
from surveybrief.run.cache import Record
from surveybrief.run.plan import Step


def test_a_step_key_changes_with_the_products_it_reads_and_nothing_else(tmp_path):
    notebook = tmp_path / "99_front.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    step = Step("99_front", notebook)
    clean = Record("o", "k", {"tables/a.csv": "1", "executed/00_clean.ipynb": "t1"})
    own = cache.own_key("common", step)
    key = cache.step_key(own, [clean])
    clean.products["executed/00_clean.ipynb"] = "t2"  # a new run time only: not what it reads
    assert cache.step_key(own, [clean]) == key
    clean.products["tables/a.csv"] = "2"  # a product it reads changed
    changed = cache.step_key(own, [clean])
    assert changed != key
    notebook.write_text('{"cells": []}', encoding="utf-8")  # its own source changed
    assert cache.own_key("common", step) != own
    assert cache.own_key("other run", step) != cache.own_key("common", step)


def test_a_broken_or_older_cache_file_means_nothing_is_reused(tmp_path):
    (tmp_path / cache.CACHE_FILE).write_text("{not json", encoding="utf-8")
    assert cache.read_cache(tmp_path, use_cache=True) == {}
    (tmp_path / cache.CACHE_FILE).write_text('{"00_clean": "k"}', encoding="utf-8")  # format 1
    assert cache.read_cache(tmp_path, use_cache=True) == {}
    records = {"00_clean": Record("o", "k", {"processed/w/responses.parquet": "ab"})}
    cache.write_cache(tmp_path, records)
    assert cache.read_cache(tmp_path, use_cache=True) == records
    assert cache.read_cache(tmp_path, use_cache=False) == {}
    assert cache.read_cache(None, use_cache=True) == {}


@pytest.fixture
def made(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    for name, text in {"tables/a.csv": "x\n1\n", "figures/a.svg": "<svg/>"}.items():
        (old / name).parent.mkdir(parents=True, exist_ok=True)
        (old / name).write_text(text, encoding="utf-8")
    new.mkdir()
    made = [old / "tables/a.csv", old / "figures/a.svg"]
    record = Record("o", "k", cache.hash_products(old, made))
    return old, new, record


def test_products_that_verify_are_copied_into_the_new_build(made):
    old, new, record = made
    assert cache.carry_over(record, old, new) == []
    assert (new / "tables/a.csv").read_text(encoding="utf-8") == "x\n1\n"
    copied = [new / "tables/a.csv", new / "figures/a.svg"]
    assert cache.hash_products(new, copied) == record.products


@pytest.mark.parametrize("damage", ["edit", "delete", "truncate"])
def test_a_damaged_product_is_named_and_nothing_of_the_step_is_copied(made, damage):
    old, new, record = made
    target = old / "tables/a.csv"
    if damage == "edit":
        target.write_text("x\n9\n", encoding="utf-8")
    elif damage == "delete":
        target.unlink()
    else:
        target.write_bytes(target.read_bytes()[:2])
    assert cache.carry_over(record, old, new) == ["tables/a.csv"]
    assert not any(p.is_file() for p in new.rglob("*"))  # the step runs again, whole


def test_every_steps_key_covers_the_translation_catalogs():
    """A run with nothing to do skips the translation check: the catalogs are in every key."""
    from surveybrief.config import PACKAGE_DIR
    from surveybrief.run.cache import code_fingerprint

    covered = code_fingerprint()
    catalogs = sorted(p.relative_to(PACKAGE_DIR) for p in PACKAGE_DIR.rglob("*.po"))
    assert catalogs and all(str(c) in covered for c in catalogs)
