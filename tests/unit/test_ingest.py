"""Ingest keeps every text exactly as exported."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveybrief.clean import clean_wave
from surveybrief.codebook import load_codebook
from surveybrief.export import to_csv_text
from surveybrief.privacy import Scrubber
from surveybrief.wave import load_wave
from tests.conftest import copy_data_root, register_export

TEXTS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() != "")


def clean_with_comments(data, comments):
    """Write ``comments`` into the 2025-06 export of a data copy and clean the wave."""
    path = data / "raw" / "2025-06" / "responses.csv"
    frame = pd.read_csv(path, dtype="string", keep_default_na=False)
    frame["comments"] = comments
    path.write_text(to_csv_text(frame), encoding="utf-8")
    register_export(data, "2025-06")
    return clean_wave(load_wave(data, "2025-06"), load_codebook(data))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(comments=st.lists(TEXTS, min_size=50, max_size=50))
def test_open_text_round_trips_exactly(tmp_path_factory, comments):
    data = copy_data_root(tmp_path_factory.mktemp("d") / "data")
    result = clean_with_comments(data, comments)
    # exactly as written, except personal data scrubbed on purpose (e.g. long digit runs)
    assert list(result.responses["comments"]) == [Scrubber()(c) for c in comments]


def test_special_texts_round_trip_unchanged(tmp_path):
    special = [
        'say "hi", then; go',
        "two\nlines",
        "bare\rreturn",
        "CRLF\r\nend",
        "🙂 emoji",
        "Қазақстан, Кыргызстан",
        "N/A",
        "None",
        "null",
        "  padded  ",
        "=1+1",
    ]
    comments = (special * 5)[:50]
    data = copy_data_root(tmp_path / "data")
    result = clean_with_comments(data, comments)
    assert list(result.responses["comments"]) == comments
