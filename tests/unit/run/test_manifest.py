"""run.manifest: a reused briefing's page counts, taken only for the very same PDF bytes."""

from __future__ import annotations

import json

import pytest

from surveybrief.run.manifest import MANIFEST_FILE, recorded_pages

PRODUCTS = {"briefing.pdf": "aa", "briefing.html": "bb", "brief.en.pdf": "cc"}


def _build(tmp_path, manifest):
    (tmp_path / MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    return tmp_path


def test_the_counts_recorded_for_the_same_pdfs_are_taken(tmp_path):
    build = _build(tmp_path, {"pages": {"briefing.pdf": 16, "brief.en.pdf": 3},
                              "outputs": dict(PRODUCTS)})  # fmt: skip
    assert recorded_pages(build, PRODUCTS) == {"briefing.pdf": 16, "brief.en.pdf": 3}


@pytest.mark.parametrize(
    "manifest",
    [
        {"pages": {"briefing.pdf": 16, "brief.en.pdf": 3},
         "outputs": PRODUCTS | {"brief.en.pdf": "changed"}},  # other bytes: counted again
        {"pages": {"briefing.pdf": 16}, "outputs": dict(PRODUCTS)},  # a PDF not counted
        {"outputs": dict(PRODUCTS)},  # no pages
        {"pages": {"briefing.pdf": "x", "brief.en.pdf": 3}, "outputs": dict(PRODUCTS)},
        [],  # not a manifest
    ],
)  # fmt: skip
def test_anything_else_is_not_taken(tmp_path, manifest):
    assert recorded_pages(_build(tmp_path, manifest), PRODUCTS) is None


def test_a_build_without_a_manifest_has_no_counts(tmp_path):
    assert recorded_pages(tmp_path, PRODUCTS) is None
