"""``make bench``, the analyst's loop: the pickers' redraw and the preview's update, timed.

* Pickers: a SYNTHETIC 10,000-respondent wave (and a 200-respondent one before it) in the
  pickers of notebooks/explore.ipynb; each pick (a question's table, a cross-tab by a
  profile, a comparison with the earlier wave, each for two questions) is timed from the
  pick to the chart and table drawn, as ``Pickers.redraw`` records it. Opening the pickers
  (the first draw, which imports seaborn, and the comparison with the wave before, prepared
  in the background) is reported apart.
* Preview: ``make preview`` on the shipped wave (its warm workers kept across runs); a
  notebook, the codebook's text and wave.yaml are changed in turn and the time from saving
  the file to the new report being served is measured (the watcher's poll included).
"""

from __future__ import annotations

import shutil
import statistics
import threading
import time
from functools import partial
from pathlib import Path

from surveybrief.config import DATA_DIR, NOTEBOOKS_DIR

#: Respondents of the wave the pickers are timed on.
PICKER_RESPONDENTS = 10_000
#: (question, breakdown, comparison wave) picked in turn; "" for none.
PICKS = (
    ("obstacles", "", ""),
    ("obstacles", "expert_field", ""),
    ("relations_state", "expert_field", ""),
    ("relations_state", "", "2026-06"),
    ("obstacles", "", "2026-06"),
    ("kz_moderator", "", ""),
)


def pickers_bench(tmp: Path) -> dict:
    """Return the pickers' redraw times (ms) on a 10,000-respondent SYNTHETIC wave."""
    import matplotlib

    from surveybrief.explore.pickers import NONE, Pickers
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.tools.synthetic import write_wave

    matplotlib.use("agg")
    data = tmp / "explore-data"
    shutil.copytree(DATA_DIR / "codebook", data / "codebook")
    codebook = load_codebook(data, 1)
    write_wave(codebook, data, "2026-06", n=200, seed=1, shape="google_csv")
    write_wave(codebook, data, "2027-06", n=PICKER_RESPONDENTS, seed=2, shape="kobo_csv")
    start = time.perf_counter()
    pickers = Pickers(data)
    pickers.redraw()
    pickers.ready()  # the comparisons it prepares when it opens
    opened = time.perf_counter() - start
    times = []
    for question, by, compare in PICKS:
        pickers.pick(question, by or NONE, compare or NONE)  # one pick, one redraw
        times.append(round(1000 * pickers.last_redraw_s))
    return {
        "respondents": PICKER_RESPONDENTS,
        "open_seconds": round(opened, 2),
        "redraw_ms": times,
        "median_ms": round(statistics.median(times)),
        "max_ms": max(times),
    }


def _changes(data: Path, notebooks: Path) -> dict:
    """Return, per kind of change, a function that saves one such change."""

    def notebook() -> None:
        path = notebooks / "10_section.ipynb"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("# 10 · A chapter", "# 10 · One chapter", 1), encoding="utf-8")

    def codebook() -> None:
        path = data / "codebook" / "v1.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Factors slowing", "Factors that slow", 1), encoding="utf-8")

    def wave_yaml() -> None:
        path = next((data / "raw").glob("*/wave.yaml"))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("Open Dialogue", "Open Forum", 1), encoding="utf-8")

    return {"notebook": notebook, "codebook_text": codebook, "wave_yaml": wave_yaml}


def preview_bench(tmp: Path) -> dict:
    """Return the seconds from saving a change to the preview serving the new report."""
    from surveybrief.run.pipeline import run_pipeline
    from surveybrief.run.preview import PreviewState, preview, warm_pool

    data, notebooks, out = tmp / "preview-data", tmp / "preview-notebooks", tmp / "preview"
    for name in ("codebook", "published", "raw"):
        shutil.copytree(DATA_DIR / name, data / name)
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    state, done = PreviewState(), threading.Event()
    with warm_pool(notebooks) as pool:
        run = partial(run_pipeline, data_root=data, outputs_root=out, notebooks_dir=notebooks,
                      pdf=False, pool=pool, log=lambda line: None)  # fmt: skip
        thread = threading.Thread(target=preview, kwargs=dict(
            run=run, data_root=data, wave=None, notebooks_dir=notebooks, outputs_root=out,
            port=0, log=lambda line: None, stop=done.is_set, state=state))  # fmt: skip
        thread.start()
        try:
            seconds = {
                kind: _timed(save, state) for kind, save in _changes(data, notebooks).items()
            }
        finally:
            done.set()
            thread.join(timeout=120)
    return {"seconds": seconds, "max_seconds": max(seconds.values())}


def _timed(save, state, limit: float = 300) -> float:
    """Return the seconds from ``save()`` to the preview publishing the next version.

    A run that fails on the way (the save caught half-written) is run again by the preview
    when the file settles: only no new version within ``limit`` is a failure.
    """
    while state.version == 0:  # the first run, not timed
        if state.error:
            raise RuntimeError(f"the preview's first run failed: {state.error}")
        time.sleep(0.05)
    before = state.version
    time.sleep(0.5)  # a second apart from the last save, as an analyst's edits are
    start = time.perf_counter()
    save()
    while state.version == before:
        if time.perf_counter() - start > limit:
            raise RuntimeError(f"the preview did not update: {state.error}")
        time.sleep(0.02)
    return round(time.perf_counter() - start, 2)


def loop_targets(m: dict) -> dict:
    """Return the analyst's-loop targets: picks under 300 ms, a preview within 5 s."""
    targets = {}
    if "pickers" in m:
        worst = m["pickers"]["max_ms"]
        targets["pickers_redraw_under_300ms_at_10000_respondents"] = {
            "value": worst,
            "holds": worst < 300,
        }
    if "preview" in m:
        worst = m["preview"]["max_seconds"]
        targets["preview_shows_a_change_within_5s"] = {"value": worst, "holds": worst <= 5}
    return targets


def loop_lines(m: dict) -> list[str]:
    """Return the table's lines for the pickers and the preview."""
    lines = []
    if "pickers" in m:
        p = m["pickers"]
        lines.append(
            f"pickers ({p['respondents']:,} respondents): opened in {p['open_seconds']:.1f} s; "
            f"picks {p['redraw_ms']} ms (median {p['median_ms']}, max {p['max_ms']})"
        )
    if "preview" in m:
        changes = ", ".join(f"{k} {v:.1f} s" for k, v in m["preview"]["seconds"].items())
        lines.append(f"preview: saved -> served: {changes}")
    return lines
