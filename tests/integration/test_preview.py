"""make preview: the HTML report served, a change shown after one re-run, a failure said."""

from __future__ import annotations

import json
import re
import threading
import time
import urllib.error
import urllib.request
from functools import partial

import pytest

from surveybrief.run.pipeline import run_pipeline
from surveybrief.run.preview import STATE_PATH, preview, warm_pool
from tests.helpers import WAVE, copy_data_root, copy_notebooks

pytestmark = pytest.mark.integration


def get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as answer:
        return answer.read().decode("utf-8")


def state(port: int) -> dict:
    return json.loads(get(port, STATE_PATH))


def until(check, limit: float = 240):
    start = time.monotonic()
    while time.monotonic() - start < limit:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("the preview did not get there")


def test_a_change_is_shown_and_a_failure_keeps_the_last_good_report(tmp_path):
    data = copy_data_root(tmp_path / "data")
    names = ["00_clean", "10_section", "70_open", "90_audit", "99_briefing"]
    notebooks = copy_notebooks(tmp_path / "notebooks", [f"{n}.ipynb" for n in names])
    out, lines, done = tmp_path / "preview", [], threading.Event()
    with warm_pool(notebooks, 2) as pool:
        run = partial(run_pipeline, wave=WAVE, data_root=data, outputs_root=out, pdf=False,
                      notebooks_dir=notebooks, pool=pool, log=lambda line: None)  # fmt: skip
        thread = threading.Thread(target=preview, kwargs=dict(
            run=run, data_root=data, wave=WAVE, notebooks_dir=notebooks, outputs_root=out,
            port=0, log=lines.append, stop=done.is_set))  # fmt: skip
        thread.start()
        try:
            said = until(lambda: [ln for ln in lines if "http://" in ln])[0]
            port = int(re.search(r"127\.0\.0\.1:(\d+)/", said).group(1))
            until(lambda: state(port)["version"] == 1)
            page = get(port, "/")  # redirected to the report, served with the reload script
            assert STATE_PATH in page and "Astana" in page
            assert not list((out / WAVE).glob("*.pdf"))  # HTML only: fast
            for private in ("/_builds/", f"/{WAVE}/../_builds/", "/processed/"):
                with pytest.raises(urllib.error.HTTPError) as refused:  # no respondent data
                    get(port, private)
                assert refused.value.code == 404
            other_site = urllib.request.Request(f"http://127.0.0.1:{port}/",
                                                headers={"Host": "attacker.example"})  # fmt: skip
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(other_site, timeout=30)
            assert refused.value.code == 403
            assert STATE_PATH not in (out / WAVE / "briefing.html").read_text(encoding="utf-8")
            wave_yaml = data / "raw" / WAVE / "wave.yaml"
            text = wave_yaml.read_text(encoding="utf-8")
            wave_yaml.write_text(text.replace("Astana Open Dialogue", "Astana Open Dialog", 1),
                                 encoding="utf-8")  # fmt: skip
            until(lambda: state(port)["version"] == 2)
            assert "Astana Open Dialog" in get(port, f"/{WAVE}/briefing.html")
            wave_yaml.write_text(text + "\nmax_invalid_share: 7\n", encoding="utf-8")
            error = until(lambda: state(port)["error"])
            assert "max_invalid_share" in error and state(port)["version"] == 2
            assert "Astana Open Dialog" in get(port, f"/{WAVE}/briefing.html")  # the last good one
            assert any("the last good report stays" in ln for ln in lines)
        finally:
            done.set()
            thread.join(timeout=60)
