"""JupyterLab's server sees the project kernel and notebooks, and runs each notebook top to bottom.

A real Jupyter server on 127.0.0.1 serves a copy of the checkout; through its REST API the test
checks the kernel spec and the notebooks, then executes every notebook, cell by cell, in a kernel
that server started (a session per notebook, so the kernel runs in notebooks/ as in JupyterLab).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid

import nbformat
import pytest
import websocket

from surveybrief.config import KERNEL_NAME, NOTEBOOKS_DIR
from surveybrief.run.plan import read_plan
from tests.helpers import copy_data_root

pytestmark = pytest.mark.integration
TOKEN = uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def api(port: int, path: str, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {TOKEN}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode()
    return json.loads(text) if text else None


def run_cell(ws, session: str, code: str) -> dict:
    msg_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "header": {
                    "msg_id": msg_id,
                    "username": "test",
                    "session": session,
                    "msg_type": "execute_request",
                    "version": "5.3",
                },
                "parent_header": {},
                "metadata": {},
                "channel": "shell",
                "buffers": [],
                "content": {
                    "code": code,
                    "silent": False,
                    "store_history": True,
                    "user_expressions": {},
                    "allow_stdin": False,
                    "stop_on_error": True,
                },
            }
        )
    )
    errors = []
    while True:
        msg = json.loads(ws.recv())
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        if msg["msg_type"] == "execute_reply":
            return {"status": msg["content"]["status"], "errors": errors}


@pytest.fixture
def server(tmp_path):
    copy_data_root(tmp_path / "data")
    shutil.copytree(NOTEBOOKS_DIR, tmp_path / "notebooks")
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "jupyter_server",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={tmp_path}",
        "--ServerApp.open_browser=False",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ, SURVEYBRIEF_WRITE="1")  # run by hand, asked to keep their files
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        for _ in range(120):
            try:
                api(port, "/api/status")
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("the Jupyter server did not start within 30 s")
        yield port, tmp_path
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_server_lists_kernel_and_notebooks_and_runs_each_notebook(server):
    port, root = server
    specs = api(port, "/api/kernelspecs")
    assert KERNEL_NAME in specs["kernelspecs"]
    listed = sorted(
        c["name"]
        for c in api(port, "/api/contents/notebooks")["content"]
        if c["type"] == "notebook"
    )
    expected = sorted([*(p.name for p in read_plan(NOTEBOOKS_DIR).paths), "explore.ipynb"])
    assert listed == expected
    for name in expected:
        nb = nbformat.reads(
            json.dumps(api(port, f"/api/contents/notebooks/{name}")["content"]), as_version=4
        )
        session = api(
            port,
            "/api/sessions",
            "POST",
            {
                "path": f"notebooks/{name}",
                "type": "notebook",
                "name": name,
                "kernel": {"name": KERNEL_NAME},
            },
        )
        kernel = session["kernel"]["id"]
        ws = websocket.create_connection(
            f"ws://127.0.0.1:{port}/api/kernels/{kernel}/channels?token={TOKEN}", timeout=120
        )
        try:
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                result = run_cell(ws, session["id"], cell.source)
                assert result["status"] == "ok", (name, cell.source[:60], result["errors"])
        finally:
            ws.close()
            api(port, f"/api/sessions/{session['id']}", "DELETE")
    assert (root / "outputs" / "2025-06" / "tables" / "reproduction.csv").is_file()
