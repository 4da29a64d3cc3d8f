"""brief.section: a chapter's step computes and writes once; showing it writes nothing."""

from __future__ import annotations

import base64
import re

from surveybrief.brief.i18n import language
from surveybrief.brief.section import HEADING, open_section
from tests.helpers import WAVE, tree_digest


def test_charts_are_written_by_the_step_in_each_language_and_showing_writes_nothing(
    cleaned_root, cleaned_outputs, cleaned_2025, tmp_path
):
    import shutil

    shutil.copytree(cleaned_outputs / "processed", tmp_path / "processed")
    section = cleaned_2025.codebook.chapters[0]
    run = open_section(section.id, WAVE, cleaned_root, tmp_path, langs="en,ru,kk")
    out = tmp_path / WAVE
    first = next(q.id for q in section.questions if run.result(q.id).has_data)
    for name in (f"{first}.svg", f"{first}.ru.svg", f"{first}.kk.png"):
        assert (out / "figures" / name).is_file(), name
    before = tree_digest(tmp_path)
    for lang in ("en", "ru", "kk"):
        with language(lang):
            html = "".join(run.part_html(p) for p in (HEADING, *run.results))
        embedded = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)[1]
        name = f"{first}.svg" if lang == "en" else f"{first}.{lang}.svg"
        assert base64.b64decode(embedded) == (out / "figures" / name).read_bytes()
    assert tree_digest(tmp_path) == before  # presentation wrote nothing
