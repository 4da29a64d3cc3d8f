"""The index of published documents lists every wave's documents from their records."""

import json

from bs4 import BeautifulSoup

from surveybrief.run.published_index import published_waves, write_index


def _publish(root, wave: str, manifest: dict, files: dict[str, int]) -> None:
    folder = root / "_builds" / wave / "run" / wave
    folder.mkdir(parents=True)
    for name, size in files.items():
        lang = name.split(".")[1] if name.count(".") == 2 else "en"
        head = f'<!DOCTYPE html>\n<html lang="{lang}">'.encode() if name.endswith(".html") else b""
        (folder / name).write_bytes(head + b"x" * (size - len(head)))
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (root / wave).symlink_to(folder.relative_to(root))


def test_every_published_wave_is_listed_newest_first_with_sizes_pages_and_state(tmp_path):
    # 2030-06 has one language: its report is briefing.html|pdf, without a language suffix
    _publish(tmp_path, "2030-06", {"status": "ok", "final": True, "finished_at":
             "2030-07-01T10:00:00+00:00", "pages": {"briefing.pdf": 17, "brief.en.pdf": 3}},
             {"briefing.html": 2_400_000, "briefing.pdf": 900_000, "brief.en.html": 500,
              "brief.en.pdf": 40_000, "tables.xlsx": 12_000})  # fmt: skip
    draft = {"status": "ok", "final": False, "finished_at": "2031-07-01",
             "pages": {"brief.ru.pdf": 4}}  # fmt: skip
    _publish(tmp_path, "2031-06", draft, {"brief.ru.html": 900, "brief.ru.pdf": 1_000})
    _publish(tmp_path, "2032-06", {"status": "failed"}, {"brief.en.html": 1})  # not published
    (tmp_path / "preview").mkdir()  # not a wave
    assert [w.wave for w in published_waves(tmp_path)] == ["2031-06", "2030-06"]
    soup = BeautifulSoup(write_index(tmp_path).read_text(encoding="utf-8"), "html.parser")
    assert soup.html["lang"] == "en" and soup.title.get_text() == "Published briefings"
    captions = [c.get_text() for c in soup.select("caption")]
    assert captions == ["Wave 2031-06: published 2031-07-01, DRAFT",
                        "Wave 2030-06: published 2030-07-01 10:00:00 UTC, final"]  # fmt: skip
    cells = {a["href"]: " ".join(a.parent.get_text().split()) for a in soup.select("a")}
    assert cells["2030-06/briefing.pdf"] == "Full report, English, PDF (900 kB, 17 pages)"
    assert cells["2030-06/briefing.html"] == "Full report, English, web page (2.4 MB)"
    assert cells["2031-06/brief.ru.pdf"] == "Short brief, Russian (Русский), PDF (1 kB, 4 pages)"
    assert "2030-06/tables.xlsx" in cells and "2031-06/tables.xlsx" not in cells
    assert all(th.get("scope") in ("row", "col") for th in soup.select("th"))


def test_an_index_that_cannot_be_written_is_said_and_never_undoes_a_publication(
    tmp_path, monkeypatch
):
    """The wave is published before the index is written: a failure there is a warning."""
    from surveybrief.run import pipeline, published_index

    def full(_root):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(published_index, "write_index", full)
    said = []
    pipeline._write_index(tmp_path, said.append)
    assert said and said[0].startswith("warning: outputs/index.html not rewritten")
