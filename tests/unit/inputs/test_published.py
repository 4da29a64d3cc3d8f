import re

import pytest

from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.published import load_published
from tests.helpers import SEED_DIR


@pytest.fixture(scope="module")
def publication(data_root):
    return load_published(data_root, "2025-06", load_codebook(data_root))


def test_all_31_percentages_of_the_article_are_recorded(publication):
    assert len(publication.figures) == 31
    assert [f.id for f in publication.figures] == [f"F{i:02d}" for i in range(1, 32)]


def test_printed_text_value_and_precision_agree(publication):
    for f in publication.figures:
        if f.printed == "half":
            assert (f.value, f.precision) == (50, 0)
            continue
        number = f.printed.rstrip("%")
        assert float(number) == f.value
        assert f.precision == (len(number.split(".")[1]) if "." in number else 0)
        assert f.printed in f.quote


@pytest.mark.skipif(not SEED_DIR.is_dir(), reason="the source article (shared/seed) is not here")
def test_quotes_are_verbatim_and_every_percentage_is_covered(publication):
    article = " ".join(p.read_text(encoding="utf-8") for p in sorted(SEED_DIR.glob("*.txt")))
    flat = re.sub(r"\s+", " ", article)
    for f in publication.figures:
        assert f.quote in flat, f.id
    printed = re.findall(r"\d+(?:\.\d+)?%", flat)
    recorded = [f.printed for f in publication.figures if f.printed != "half"]
    assert sorted(printed) == sorted(recorded)
