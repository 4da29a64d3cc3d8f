"""Ingest keeps every text exactly as exported."""

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from surveybrief.clean.cleaner import clean_wave
from surveybrief.clean.privacy import Scrubber
from surveybrief.inputs.codebook import load_codebook
from surveybrief.inputs.wave import load_wave
from surveybrief.writers import to_csv_text
from tests.helpers import copy_data_root, register_export

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


CELL = st.text(alphabet=st.sampled_from(list('ab ,;"\n\rÆжқ1-=')), max_size=8)


@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda width: st.lists(st.lists(CELL, min_size=width, max_size=width), max_size=6)
    )
)
def test_arrows_reader_gives_every_cell_as_written(records):
    """Every CSV goes through Arrow's reader (other encodings decoded first): cells as written."""
    import csv
    import io

    from surveybrief.clean.csv_reader import _read_csv_fast

    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows([["h"] * len(records[0]) if records else ["h"], *records])
    text = buffer.getvalue()
    arrow = _read_csv_fast(text.encode("utf-8"), ",", text)
    assert arrow is not None
    expected = [[c if c != "" else None for c in row] for row in records]
    cells = arrow.iloc[1:].astype(object).where(arrow.iloc[1:].notna(), None).values.tolist()
    assert cells == expected
