"""Real JupyterLab: open notebooks/explore.ipynb in headless Chromium, run all, change a picker.

JupyterLab is started on a free port with a token (its news prompt off), Debian's Chromium
opens the notebook, runs every cell through JupyterLab's own command, picks a breakdown in the
pickers and checks that the chart and the table redraw; no error in the page or the kernel.
A screenshot is kept (``tmp_path/explore.png``; the README's comes from this test).
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from surveybrief.config import DATA_DIR, NOTEBOOKS_DIR
from surveybrief.inputs.codebook import load_codebook
from surveybrief.tools.synthetic import write_wave
from tests.helpers import CHROMIUM_FLAGS, _devtools, _errors

pytestmark = pytest.mark.integration

CELLS_RAN = (
    "(() => { const p = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')]"
    ".map(e => e.textContent); return p.length > 0 && p.every(x => /\\[\\d+\\]/.test(x)); })()"
)
PICK_BREAKDOWN = (
    "(() => { const s = document.querySelectorAll('.widget-dropdown select')[2];"
    " s.value = 'expert_field'; s.dispatchEvent(new Event('change', {bubbles: true}));"
    " return s.value; })()"
)
REDRAWN = (
    "(() => { const h = document.querySelector('.widget-output').innerHTML;"
    " return h.includes('Other groups together') && h; })()"
)
KERNEL_ERRORS = (
    '[...document.querySelectorAll(\'[data-mime-type="application/vnd.jupyter.stderr"],'
    ' [data-mime-type="application/vnd.jupyter.error"]\')].map(e => e.textContent)'
)


def project(root):
    """Lay out a checkout: two SYNTHETIC waves under data/, explore.ipynb under notebooks/."""
    shutil.copytree(DATA_DIR / "codebook", root / "data" / "codebook")
    codebook = load_codebook(root / "data", 1)
    write_wave(codebook, root / "data", "2026-06", n=60, seed=1, shape="google_csv")
    write_wave(codebook, root / "data", "2027-06", n=80, seed=2, shape="kobo_csv", drift=0.12)
    (root / "notebooks").mkdir()
    shutil.copy(NOTEBOOKS_DIR / "explore.ipynb", root / "notebooks")
    settings = root / ".lab-settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false"}')


def start_lab(root, token: str):
    """Start JupyterLab on a free port; return the process and its port once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(root / ".lab-settings"),
               JUPYTER_RUNTIME_DIR=str(root / ".runtime"))  # fmt: skip
    env.pop("SURVEYBRIEF_WRITE", None)
    with open(root / "lab.log", "w") as log:  # the child keeps its own copy of the handle
        lab = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
             "--ip=127.0.0.1", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root}",
             "--allow-root", "--expose-app-in-browser"],
            env=env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}")
            return lab, port
        except OSError:
            time.sleep(0.3)
    lab.terminate()
    raise AssertionError((root / "lab.log").read_text())


def run_all(tools, tries: int = 3) -> None:
    """Run every cell until each has its execution count.

    A run-all sent while the kernel is still starting (a loaded machine) can be lost; it is
    sent again then (the notebook writes nothing, so running a cell twice changes nothing).
    """
    for attempt in range(tries):
        tools.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        try:
            wait(tools, CELLS_RAN, 60 if attempt < tries - 1 else 120)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise


def wait(tools, expression: str, limit: float = 120):
    """Evaluate ``expression`` in the page until it is truthy; return its value."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        value = tools.evaluate(expression)
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"not within {limit} s: {expression}")


def test_explore_runs_in_jupyterlab_and_a_picker_redraws(tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is installed by .ci/system-deps"
    root = tmp_path / "checkout"
    project(root)
    lab, port = start_lab(root, "explore-test")
    profile = tmp_path / "chromium"
    browser = subprocess.Popen([chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}",
                                "about:blank"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        tools = _devtools(profile)
        tools.call("Emulation.setDeviceMetricsOverride", width=1280, height=1000,
                   deviceScaleFactor=1, mobile=False)  # fmt: skip
        url = f"http://127.0.0.1:{port}/lab/tree/notebooks/explore.ipynb?token=explore-test"
        tools.call("Page.navigate", url=url)
        wait(tools, "!!(window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell'))")
        wait(tools, "!!document.querySelector('.jp-Notebook-ExecutionIndicator')", 60)
        time.sleep(2)  # the kernel is started with the notebook
        run_all(tools)
        wait(tools, "document.querySelectorAll('.widget-dropdown select').length >= 4", 60)
        table = wait(tools, "document.querySelector('.widget-output').innerHTML", 60)
        assert "svg" in table and "<table" in table  # the first question: chart and table
        assert tools.evaluate(PICK_BREAKDOWN) == "expert_field"
        redrawn = wait(tools, REDRAWN, 60)
        assert "svg" in redrawn and "Field of expertise" in redrawn
        assert tools.evaluate(KERNEL_ERRORS) == []
        assert [e for e in _errors(tools)] == []
        tools.evaluate("document.querySelector('.widget-dropdown').scrollIntoView()")
        shot = tools.call("Page.captureScreenshot", format="png")
        (tmp_path / "explore.png").write_bytes(base64.b64decode(shot["data"]))
        target = os.environ.get("SURVEYBRIEF_SCREENSHOT")
        if target:  # the README's screenshot: SURVEYBRIEF_SCREENSHOT=docs/exploring-a-wave.png
            shutil.copy(tmp_path / "explore.png", target)
    finally:
        browser.terminate()
        lab.terminate()
        lab.wait(timeout=30)
