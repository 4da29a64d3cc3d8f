"""``make preview``: serve the HTML report and show a change to its inputs within seconds.

A preview is a run of the pipeline, its warm workers kept from one run to the next (no kernel
starts again), into its own outputs root (``outputs/preview``, never the
published one) with the HTML only, unless asked for the PDFs too. It then watches what the run
reads — the notebooks and ``pipeline.yaml``, the codebook, the wave's raw folder (``wave.yaml``
and the export), published figures and coding workbooks — and runs again when a file changes:
the cache re-runs only the steps whose inputs changed. The report is served on
``http://127.0.0.1:<port>/``; a small script added to the page as it is served (the file itself
is not changed) asks the server for the preview's version four times a second and reloads the
page when a new run has been published, or shows the error of a run that failed, keeping the
last good report on screen.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from surveybrief.config import OUTPUTS_DIR, codebook_dir, raw_dir, resolve_wave
from surveybrief.exceptions import InputError, SurveyBriefError

#: How often the watcher looks at the inputs (seconds).
POLL_SECONDS = 0.1
#: The path the page asks for the preview's state.
STATE_PATH = "/__preview__"
RELOAD_SCRIPT = """<script>  // added by make preview as the page is served
(function () {
  let seen = null;
  async function look() {
    try {
      const state = await (await fetch("STATE_PATH", {cache: "no-store"})).json();
      if (seen !== null && state.version !== seen) { location.reload(); return; }
      seen = state.version;
      let box = document.getElementById("preview-error");
      if (state.error && !box) {
        box = document.createElement("pre"); box.id = "preview-error";
        box.style.cssText = "position:fixed;bottom:0;left:0;right:0;margin:0;padding:1em;" +
          "background:#fff3cd;color:#000;border-top:2px solid #a15c00;" +
          "white-space:pre-wrap;z-index:9";
        document.body.appendChild(box);
      }
      if (box) { box.textContent = state.error || ""; box.hidden = !state.error; }
    } catch (e) {}
    setTimeout(look, 250);
  }
  look();
})();
</script>""".replace("STATE_PATH", STATE_PATH)


class PreviewState:
    """What the page asks for: the version published last, and the last run's error."""

    def __init__(self) -> None:
        self.version = 0
        self.error = ""
        self.lock = threading.Lock()

    def published(self) -> None:
        """Record a new run published: the page reloads."""
        with self.lock:
            self.version += 1
            self.error = ""

    def failed(self, message: str) -> None:
        """Record why the last run failed: the page shows it over the last good report."""
        with self.lock:
            self.error = message

    def as_json(self) -> bytes:
        """Return the state as the page reads it."""
        with self.lock:
            return json.dumps({"version": self.version, "error": self.error}).encode()


class _Handler(SimpleHTTPRequestHandler):
    """Serve the preview's outputs; HTML pages get the reload script, the state its JSON."""

    def __init__(self, *args, state: PreviewState, wave: str, **kwargs) -> None:
        self.state, self.wave = state, wave
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        """Answer the state, the report with the reload script, or a file of the wave's build.

        Nothing else of the outputs root is served (not the builds' processed data), and only
        to a page opened as 127.0.0.1 or localhost (no other site's page can ask).
        """
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0]
        if host not in ("127.0.0.1", "localhost"):
            return self.send_error(403)
        if self.path == STATE_PATH:
            return self._send(self.state.as_json(), "application/json")
        if self.path in ("/", ""):
            self.send_response(302)
            self.send_header("Location", f"/{self.wave}/briefing.html")
            return self.end_headers()
        parts = self.path.split("?", 1)[0].strip("/").split("/")
        if parts[0] != self.wave or "processed" in parts or "_builds" in parts:
            return self.send_error(404)
        target = Path(self.translate_path(self.path))
        if target.suffix == ".html" and target.is_file():
            html = target.read_text(encoding="utf-8").replace("</body>", RELOAD_SCRIPT + "</body>")
            return self._send(html.encode(), "text/html")
        return super().do_GET()

    def _send(self, body: bytes, kind: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:  # the console is for the runs
        return


@contextmanager
def warm_pool(notebooks_dir: Path, size: int | None = None) -> Iterator:
    """Yield a pool of warm workers kept across the preview's runs (no kernel start per run)."""
    from surveybrief.run.kernels import notebook_imports
    from surveybrief.run.plan import read_plan
    from surveybrief.run.workers import new_pool

    scratch = Path(tempfile.mkdtemp(prefix="surveybrief-preview-"))
    modules = notebook_imports(read_plan(Path(notebooks_dir)).paths)
    pool = new_pool(notebooks_dir, scratch / "sockets", modules, size or os.cpu_count() or 1)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(scratch, ignore_errors=True)


def watched_files(data_root: Path, wave_id: str, notebooks_dir: Path) -> dict[str, tuple]:
    """Return every file a run of the wave reads, with its size and modification time."""
    roots = [
        Path(notebooks_dir),
        codebook_dir(data_root),
        raw_dir(data_root, wave_id).parent,  # this wave and the earlier ones the trends read
        Path(data_root) / "published",
        Path(data_root) / "coding",
    ]
    found = {}
    for root in roots:
        for path in root.rglob("*") if root.is_dir() else []:
            if path.is_file() and ".ipynb_checkpoints" not in path.parts:
                stat = path.stat()
                found[str(path)] = (stat.st_size, stat.st_mtime_ns)
    return found


def serve(outputs_root: Path, wave_id: str, state: PreviewState, port: int) -> ThreadingHTTPServer:
    """Start serving ``outputs_root`` on ``port`` (0: any free one) in a thread; return it."""
    handler = partial(_Handler, state=state, wave=wave_id, directory=str(outputs_root))
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def preview(
    run: Callable[[], dict],
    data_root: Path,
    wave: str | None,
    notebooks_dir: Path,
    outputs_root: Path = OUTPUTS_DIR / "preview",
    port: int = 8000,
    log: Callable[[str], None] = print,
    stop: Callable[[], bool] = lambda: False,
    state: PreviewState | None = None,
) -> None:
    """Run, serve, and run again on every change of the inputs until ``stop()`` (or Ctrl-C).

    ``run`` runs the pipeline into ``outputs_root`` (HTML only unless asked) and returns its
    manifest; a failed run is shown on the page and in the console, the last good report stays.
    ``state``: the preview's state, when the caller watches it too (the bench).
    """
    wave_id = resolve_wave(Path(data_root), wave or "latest")
    outputs_root.mkdir(parents=True, exist_ok=True)
    state = state or PreviewState()
    try:
        server = serve(outputs_root, wave_id, state, port)
    except OSError as exc:
        said = f"the preview cannot listen on port {port}: {exc.strerror}"
        raise InputError(said, value=port, expected="a free port: make preview PORT=8001") from None
    log(f"preview: http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C ends it)")
    seen: dict = {}
    try:
        while not stop():
            now = watched_files(data_root, wave_id, notebooks_dir)
            if now != seen:
                time.sleep(POLL_SECONDS)  # a file still being saved settles before a run reads it
                if watched_files(data_root, wave_id, notebooks_dir) != now:
                    continue
                seen = now
                _once(run, state, log)
            time.sleep(POLL_SECONDS)
    finally:
        server.shutdown()
        server.server_close()


def _once(run: Callable[[], dict], state: PreviewState, log: Callable[[str], None]) -> None:
    """Run the pipeline once; publish the new version, or show why it failed."""
    start = time.perf_counter()
    try:
        run()
    except (SurveyBriefError, OSError) as exc:
        state.failed(str(exc))
        log(f"preview: the run failed, the last good report stays: {exc}")
        return
    except Exception as exc:  # a dead worker, a bug: said, and the preview must be restarted
        state.failed(f"{type(exc).__name__}: {exc}. Restart make preview.")
        raise
    state.published()
    log(f"preview: updated in {time.perf_counter() - start:.1f} s")
