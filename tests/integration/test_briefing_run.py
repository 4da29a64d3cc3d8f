"""Run the real notebooks with papermill on the 2025-06 wave and read what a user gets."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from surveybrief.analysis.tabulate import TABLE_COLUMNS
from surveybrief.config import NOTEBOOKS_DIR
from surveybrief.exceptions import NotebookError
from surveybrief.inputs.codebook import load_codebook
from surveybrief.run.pipeline import run_pipeline
from surveybrief.run.plan import load_plan
from tests.helpers import (
    assert_fit_to_print,
    assert_reads_in_chromium,
    copy_data_root,
    copy_notebooks,
    register_export,
    tree_digest,
)

pytestmark = pytest.mark.integration
WAVE = "2025-06"
AAPOR_ITEMS = [
    "Sponsor",
    "Published source",
    "Fieldwork",
    "Population",
    "Sample",
    "Mode",
    "Question wording",
    "Bases",
    "Precision",
    "Tests",
    "Confidentiality",
    "Weighting",
    "Processing",
    "Data",
    "Limitations",
]


def make_immutable(folder: Path, on: bool) -> bool:
    """Make a folder immutable even for root (chattr +i); return whether that worked."""
    import subprocess

    flag = "+i" if on else "-i"
    done = subprocess.run(["chattr", "-R", flag, str(folder)], capture_output=True)
    return done.returncode == 0


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("run")
    data = copy_data_root(base / "data")
    raw_before = tree_digest(data / "raw")
    lines: list[str] = []
    # The pipeline runs with raw/ read-only: immutable, since file modes do not bind root.
    locked = make_immutable(data / "raw", True)
    try:
        manifest = run_pipeline(WAVE, data, base / "outputs", log=lines.append)
    finally:
        if locked:
            make_immutable(data / "raw", False)
    return {
        "data": data,
        "out": base / "outputs" / WAVE,
        "manifest": manifest,
        "log": lines,
        "raw_before": raw_before,
    }


@pytest.fixture(scope="module")
def soup(run):
    return BeautifulSoup((run["out"] / "briefing.html").read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def pdf(run):
    return PdfReader(run["out"] / "briefing.pdf")


def test_progress_is_shown_per_notebook(run):
    assert run["log"][0].startswith("surveybrief: wave 2025-06")
    assert any(re.match(r"\[1/10\] 00_clean ok \(", line) for line in run["log"])
    assert any(line.startswith("briefing: ok") for line in run["log"])
    assert run["log"][-1].startswith("written to ")


def test_raw_data_is_not_written(run):
    assert tree_digest(run["data"] / "raw") == run["raw_before"]


def test_html_has_cover_findings_methodology_every_chapter_and_appendix(run, soup, data_root):
    codebook = load_codebook(data_root)
    h1 = [h.get_text(" ", strip=True) for h in soup.find_all("h1")]
    chapters = [f"{s.number}. {s.title()}" for s in codebook.chapters]
    assert [h for h in h1 if h in chapters] == chapters
    assert "Appendix A. Audit of the published figures" in h1
    assert "Appendix B. Provenance" in h1
    findings = soup.select("ul.key-findings li")
    assert 4 <= len(findings) <= 6
    items = [th.get_text(strip=True) for th in soup.select("aside.methodology th")]
    assert items == AAPOR_ITEMS
    assert "RECONSTRUCTED" in soup.select_one("aside.methodology").get_text()


def test_html_carries_no_code_and_is_self_contained(soup):
    assert soup.find("script") is None
    assert soup.find(class_=re.compile("input_area|jp-InputArea")) is None
    assert "open_section" not in soup.get_text()
    images = soup.find_all("img")
    assert len(images) == 8
    for img in images:
        assert img["src"].startswith("data:image/svg+xml;base64,")
        assert img.get("alt", "").startswith("Bar chart of")


def test_key_numbers_are_in_html_and_pdf(soup, pdf):
    text = soup.get_text(" ")
    pdf_text = " ".join(page.extract_text() for page in pdf.pages)
    for number in (
        "56% (28 of 50",
        "52% (26 of 50",
        "50% (25 of 50",
        "90% (43 of 48",
        "87% (39 of 45",
        "50% (15 of 30",
    ):
        assert number in text, number
        assert number in re.sub(r"\s+", " ", pdf_text), number
    assert "43.5%, 23.5%, 23%" in text


def test_pdf_is_a4_numbered_with_every_chapter_and_embedded_fonts(pdf, data_root):
    codebook = load_codebook(data_root)
    assert 8 <= len(pdf.pages) <= 24
    for page in pdf.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pdf.pages))
    for section in codebook.chapters:
        assert f"{section.number}. {section.title()}" in text
    assert f"Page 1 of {len(pdf.pages)}" in text
    fonts = set()
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    assert fonts and all(f.startswith("DejaVu") for f in fonts)
    assert sum(len(page.images) for page in pdf.pages) == 0  # charts are vector, not raster


def test_tables_and_reproduction_follow_the_design(run):
    tables = run["out"] / "tables"
    for question in (
        "relations_state",
        "obstacles",
        "economic_avenues",
        "external_role",
        "competing_blocs",
        "humanitarian_tools",
        "kz_moderator",
        "scenario_2035",
    ):
        frame = pd.read_csv(tables / f"{question}.csv")
        assert list(frame.columns) == TABLE_COLUMNS
    reproduction = pd.read_csv(tables / "reproduction.csv")
    assert list(reproduction.columns) == [
        "figure_id",
        "question_id",
        "option",
        "published_pct",
        "computed_pct",
        "base",
        "status",
    ]
    assert reproduction["status"].value_counts().to_dict() == {"match": 28, "unattainable": 3}
    for name in ("relations_state.svg", "relations_state.png"):
        assert (run["out"] / "figures" / name).stat().st_size > 1000


def test_manifest_records_inputs_packages_commit_and_notebooks(run):
    manifest = json.loads((run["out"] / "manifest.json").read_text())
    assert manifest["status"] == "ok" and manifest["wave"] == WAVE
    data = run["data"]
    for name, digest in manifest["inputs"].items():
        assert hashlib.sha256((data / name).read_bytes()).hexdigest() == digest
    assert "raw/2025-06/responses.csv" in manifest["inputs"]
    assert manifest["packages"]["papermill"] and manifest["git"]["commit"]
    assert [n["status"] for n in manifest["notebooks"]] == ["ok"] * 11  # 10 and the rendering
    executed = sorted(p.name for p in (run["out"] / "executed").iterdir())
    assert executed[0] == "00_clean.ipynb" and len(executed) == 10
    assert 1 <= len(manifest["kernels"]) <= 2  # warm kernels, one per worker, not one per notebook


def cell_outputs(path: Path, outputs_root: Path) -> list:
    """Return each code cell's source and outputs, with the outputs folder written as <out>."""
    cells = nbformat.read(path, as_version=4).cells
    text = json.dumps(
        [
            (c.source, c.get("outputs", []))
            for c in cells
            if c.cell_type == "code" and "injected-parameters" not in c.metadata.get("tags", [])
        ]
    )
    return json.loads(text.replace(str(outputs_root), "<out>"))


def _fresh(job):
    """Run one notebook by papermill's own route, a new kernel of its own.

    Two kernels started at once may pick the same free TCP port (jupyter_client chooses ports
    before binding them): the loser dies before replying; it is started once more.
    """
    import papermill

    path, output, parameters = job
    for attempt in range(2):
        try:
            papermill.execute_notebook(
                str(path), str(output), parameters=parameters, cwd=str(path.parent),
                progress_bar=False,
            )  # fmt: skip
            return
        except RuntimeError as exc:
            if "Kernel died before replying" not in str(exc) or attempt:
                raise


def test_warm_kernels_give_every_notebook_the_outputs_of_a_fresh_kernel(run, tmp_path, monkeypatch):
    """The pipeline reuses kernels; papermill's own route (a new kernel each) must agree."""
    from concurrent.futures import ProcessPoolExecutor

    fresh_root = tmp_path / "outputs"
    monkeypatch.setenv("SURVEYBRIEF_WRITE", "1")  # run by hand, asked to write its files
    parameters = {"wave": WAVE, "data_root": str(run["data"]), "outputs_root": str(fresh_root)}
    names = sorted(p.name for p in (run["out"] / "executed").iterdir())
    plan = load_plan(
        NOTEBOOKS_DIR,
        has_earlier_waves=False,
        has_published=True,
        chapters=["relations", "economic", "external", "humanitarian", "kazakhstan", "outlook"],
        open_questions=["comments"],
    )
    assert sorted(s.executed_name for s in plan.steps) == names
    for stage in plan.stages():  # in the plan's order: each stage reads what the last wrote
        jobs = [
            (
                s.path,
                tmp_path / s.executed_name,
                parameters | ({} if s.place == "none" else {"langs": "en"}) | dict(s.parameters),
            )
            for s in stage
        ]
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_fresh, jobs))
    for name in names:
        warm = cell_outputs(run["out"] / "executed" / name, run["out"].parent)
        assert warm == cell_outputs(tmp_path / name, fresh_root), name
        assert warm and any(outputs for _, outputs in warm), name


def test_failing_notebook_stops_the_run_and_keeps_the_good_briefing(run, tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS_DIR, notebooks)
    path = notebooks / "10_section.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise ValueError('chart broke')"))
    nbformat.write(nb, path)
    before = tree_digest(run["out"])  # every published file: none replaced, none added
    with pytest.raises(NotebookError) as err:
        run_pipeline(
            WAVE, run["data"], run["out"].parent, notebooks_dir=notebooks, log=lambda line: None
        )
    message = str(err.value)
    assert "10_section-relations" in message and "ValueError: chart broke" in message
    assert f"cell {len(nb.cells)} of notebooks/10_section.ipynb" in message  # 1-based
    assert tree_digest(run["out"]) == before
    assert json.loads((run["out"] / "manifest.json").read_text())["status"] == "ok"
    failed_copy = err.value.executed_path  # kept in the unpublished build, named by the error
    assert str(failed_copy) in message and "_builds" in failed_copy.parts
    failed = nbformat.read(failed_copy, as_version=4)
    assert any(
        o.get("output_type") == "error"
        for c in failed.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    manifest = json.loads((failed_copy.parents[1] / "manifest.json").read_text())
    assert (
        manifest["status"] == "failed" and manifest["error"]["notebook"] == "10_section-relations"
    )


def test_changed_data_changes_the_briefing_text(tmp_path):
    data = copy_data_root(tmp_path / "data")
    export = data / "raw" / WAVE / "responses.csv"
    frame = pd.read_csv(export, dtype="string", keep_default_na=False)
    frame.loc[frame["relations_state"] == "not_reported", "relations_state"] = "fragile"
    frame.to_csv(export, index=False, lineterminator="\n")
    register_export(data, WAVE)
    notebooks = copy_notebooks(tmp_path / "notebooks", ["00_clean.ipynb", "10_section.ipynb"])
    run_pipeline(WAVE, data, tmp_path / "outputs", notebooks_dir=notebooks, log=lambda line: None)
    text = (tmp_path / "outputs" / WAVE / "briefing.html").read_text(encoding="utf-8")
    assert "Fragile and vulnerable to external influence” (42%)" in text  # 1 + 20 unreported
    assert "56% (28 of 50" in text
    assert "not report what the other" not in text


def test_a_run_killed_midway_leaves_the_previous_briefing(run):
    import os
    import signal
    import subprocess
    import sys

    before = {n: (run["out"] / n).read_bytes() for n in ("briefing.html", "briefing.pdf")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "surveybrief",
            "briefing",
            "--no-cache",
            "--wave",
            WAVE,
            "--data",
            str(run["data"]),
            "--out",
            str(run["out"].parent),
        ],
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    for line in process.stdout:
        if line.startswith("[3/10]"):
            break
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    for name, content in before.items():
        assert (run["out"] / name).read_bytes() == content
    assert not list(run["out"].glob(".briefing.*"))  # no half-written briefing beside it


def test_ctrl_c_stops_the_run_at_once_quietly_and_leaves_no_process(run):
    import os
    import signal
    import subprocess
    import sys
    import time

    import psutil

    before = {n: (run["out"] / n).read_bytes() for n in ("briefing.html", "briefing.pdf")}
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "surveybrief", "briefing", "--no-cache", "--wave", WAVE),
            *("--data", str(run["data"]), "--out", str(run["out"].parent)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a terminal's Ctrl-C reaches it
        # as a terminal's job gets it: a background job of a script (make test &) ignores SIGINT,
        # and Python started that way never raises KeyboardInterrupt
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = []
    for line in process.stdout:
        seen.append(line)
        if line.startswith("[2/10]"):  # the section notebooks are running in the workers
            break
    assert process.poll() is None, "the run ended before Ctrl-C:\n" + "".join(seen)
    family = [process.pid] + [c.pid for c in psutil.Process(process.pid).children(recursive=True)]
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "interrupted: nothing was published" in out
    assert "Traceback" not in err, err[-2000:]
    deadline = time.monotonic() + 10  # kernels notice their worker is gone within a second
    while time.monotonic() < deadline and any(psutil.pid_exists(p) for p in family):
        time.sleep(0.2)
    alive = [p for p in family if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]
    assert not alive, "processes left behind by an interrupted run"
    for name, content in before.items():
        assert (run["out"] / name).read_bytes() == content


def test_pdf_pages_as_images_are_fit_to_print(run, tmp_path):
    assert_fit_to_print(run["out"] / "briefing.pdf", tmp_path)


def test_no_table_is_cut_across_pages(run, soup, pdf):
    """A short table stays on one page; a long one repeats its header on every page it spans."""
    pages = [re.sub(r"\s+", " ", page.extract_text()) for page in pdf.pages]
    for table in soup.select("table.freq, table.audit"):
        caption = table.find("caption")
        rows = table.select("tbody tr")
        if caption is None or not rows:
            continue
        label = caption.get_text(" ", strip=True)[:40]
        last = rows[-1].find(["th", "td"]).get_text(" ", strip=True)
        where = [i for i, text in enumerate(pages) if label in text]
        assert where, f"caption {label!r} not found in the PDF"
        page = where[0]
        if last in pages[page][pages[page].index(label) :]:
            continue  # the whole table is on its caption's page
        assert len(rows) > 20, f"{label!r}: a short table is split after page {page + 1}"
        header = " ".join(th.get_text(" ", strip=True) for th in table.select("thead th")[:3])
        end = next(i for i in range(page + 1, len(pages)) if last in pages[i])
        for i in range(page + 1, end + 1):
            assert header in pages[i], f"{label!r}: page {i + 1} continues without its header"


def test_briefing_in_headless_chromium_at_desktop_and_phone_width(run):
    shots = assert_reads_in_chromium([run["out"] / "briefing.html"], run["out"] / "checks")
    assert [p.name for p in shots] == ["briefing-1280px.png", "briefing-390px.png"]


def test_every_share_a_sentence_states_is_a_row_of_a_table(run):
    """Generated from the run: the cover, chapters and short brief state only what tables hold."""
    from tests.helpers import unbacked_numbers

    for name in ("briefing.html", "brief.en.html"):
        html = (run["out"] / name).read_text(encoding="utf-8")
        assert unbacked_numbers(html, run["out"] / "tables") == [], name
    html = (run["out"] / "briefing.html").read_text(encoding="utf-8")  # the cover's audit count
    edited = re.sub(
        r"(Audit of the published figures: )(\d+)", lambda m: f"{m[1]}{int(m[2]) + 1}", html
    )
    assert edited != html and len(unbacked_numbers(edited, run["out"] / "tables")) == 1
