"""Helpers the tests share (one module: no test file imports another)."""

from __future__ import annotations

import hashlib
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from pypdf import PdfReader

from surveybrief.config import DATA_DIR, PROJ_ROOT
from surveybrief.inputs.digest import sha256_file
from surveybrief.tools.exports.files import write_csv

SEED_DIR = PROJ_ROOT.parent / "shared" / "seed"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
WAVE = "2025-06"


def copy_data_root(target: Path) -> Path:
    """Copy codebook, published figures and raw waves (not processed) to ``target``."""
    for name in ("codebook", "published", "raw"):
        shutil.copytree(DATA_DIR / name, target / name)
    return target


def register_export(data_root: Path, wave: str) -> None:
    """Record the current sha256 of a wave's export in its wave.yaml (after a test edits it)."""
    path = Path(data_root) / "raw" / wave / "wave.yaml"
    text = path.read_text(encoding="utf-8")
    export = Path(data_root) / "raw" / wave / "responses.csv"
    text = re.sub(r"(?m)^  sha256: .*$", f"  sha256: {sha256_file(export)}", text)
    path.write_text(text, encoding="utf-8")


def data_root_with_codebook(root: Path, add_other: bool = False) -> Path:
    """Start a data root with the committed codebook (optionally with an Other option)."""
    shutil.copytree(DATA_DIR / "codebook", root / "codebook")
    if add_other:
        path = root / "codebook" / "v1.yaml"
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for section in doc["sections"]:
            for q in section["questions"]:
                if q["id"] == "economic_avenues":
                    q["options"].append(
                        {"code": "other", "label": {"en": "Other"}, "is_other": True}
                    )
                    q["other_frame"] = {  # themes of the "Other, please specify" texts
                        "themes": [
                            {"code": "water_treaty", "label": {"en": "Water agreements"},
                             "keywords": {"en": ["water", "treat"], "ru": ["вод"]}},
                            {"code": "finance", "label": {"en": "Finance"},
                             "keywords": {"en": ["financ", "bank"]}},
                        ]
                    }  # fmt: skip
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return root


def tree_digest(root: Path) -> dict[str, str]:
    """Return sha256 of every file under ``root`` (to show nothing was written there)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def assert_fit_to_print(pdf_file: Path, scratch: Path) -> None:
    """Render every page (pdftoppm): none blank, nothing in the side, top or bottom margins."""
    from PIL import Image

    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf_file), str(scratch / "page")], check=True
    )
    pages = sorted(scratch.glob("page-*.png"))
    assert len(pages) == len(PdfReader(pdf_file).pages)
    margin = round(15 / 25.4 * 50)  # 15 mm of the 17 mm side margins, at 50 dpi
    for path in pages:
        image = Image.open(path).convert("L")
        width, height = image.size
        ink = image.point(lambda v: 255 if v < 200 else 0)
        assert ink.getbbox() is not None, f"{path.name} is blank"
        for box in ((0, 0, margin, height), (width - margin, 0, width, height)):
            assert ink.crop(box).getbbox() is None, f"{path.name}: something drawn in a margin"
        band = round(18 / 25.4 * 50)  # 18 mm of the 20 mm top and bottom margins
        top = ink.crop((0, 0, width, band)).getbbox()
        if top is not None:  # the running header (top right) and a draft's mark (top left)
            assert top[3] < band * 0.75, f"{path.name}: the body runs into the top margin"
        bottom = ink.crop((0, height - band, width, height)).getbbox()
        assert bottom is not None, f"{path.name}: no page number"
        assert width * 0.3 < bottom[0] and bottom[2] < width * 0.7, (
            f"{path.name}: something beside the page number in the bottom margin"
        )


def ink_fills(pdf_file: Path, scratch: Path) -> list[float]:
    """Return how far down each page's body is drawn (0-1), from the page as an image.

    The body is the page inside its 20 mm top and bottom margins (running header, DRAFT mark
    and page number left out); measured on pdftoppm's rendering, not on the layout.
    """
    from PIL import Image

    scratch.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf_file), str(scratch / "fill")],
                   check=True)  # fmt: skip
    fills = []
    for path in sorted(scratch.glob("fill-*.png")):
        image = Image.open(path).convert("L")
        width, height = image.size
        band = round(20 / 25.4 * 40)
        body = image.crop((0, band, width, height - band)).point(lambda v: 255 if v < 200 else 0)
        box = body.getbbox()
        fills.append(0.0 if box is None else box[3] / (height - 2 * band))
        path.unlink()
    return fills


def copy_notebooks(target: Path, names: list[str]) -> Path:
    """Copy some project notebooks to ``target`` with a pipeline.yaml declaring only them."""
    from surveybrief.config import NOTEBOOKS_DIR

    target.mkdir(parents=True, exist_ok=True)
    doc = yaml.safe_load((NOTEBOOKS_DIR / "pipeline.yaml").read_text(encoding="utf-8"))
    steps = [s for s in doc["steps"] if s["notebook"] in names]
    kept = {Path(s["notebook"]).stem for s in steps}
    for step in steps:
        step["needs"] = [n for n in step.get("needs", []) if n in kept]
        shutil.copy(NOTEBOOKS_DIR / step["notebook"], target / step["notebook"])
    (target / "pipeline.yaml").write_text(yaml.safe_dump({"steps": steps}), encoding="utf-8")
    return target


class DevTools:
    """A minimal Chrome DevTools Protocol client over one page's websocket."""

    def __init__(self, url: str) -> None:
        import websocket

        self.ws = websocket.create_connection(url, timeout=60)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str) -> None:
        while not any(e.get("method") == method for e in self.events):
            self.events.append(json.loads(self.ws.recv()))

    def evaluate(self, expression: str):
        return self.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"][
            "value"
        ]


CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
]


def _devtools(process_profile: Path) -> DevTools:
    """Return a DevTools client on the page of a chromium started with ``process_profile``."""
    import time
    import urllib.request

    port_file = process_profile / "DevToolsActivePort"
    for _ in range(200):
        if port_file.is_file() and port_file.read_text().strip():
            break
        time.sleep(0.1)
    port = int(port_file.read_text().split()[0])
    targets = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list").read())
    page = next(t for t in targets if t["type"] == "page")
    tools = DevTools(page["webSocketDebuggerUrl"])
    for domain in ("Runtime", "Log", "Network", "Page"):
        tools.call(f"{domain}.enable")
    return tools


def _errors(tools: DevTools) -> list[dict]:
    return [
        e
        for e in tools.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]


def _check_page(tools: DevTools, page: Path, width: int, images: bool = True) -> bytes:
    """Load ``page`` at ``width`` px; assert it reads well there; return its screenshot.

    ``images``: the page must show images (charts), each loaded and with its alt text.
    """
    import base64

    tools.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=900,
        deviceScaleFactor=1,
        mobile=width < 500,
    )
    tools.events.clear()
    tools.call("Page.navigate", url=page.as_uri())
    tools.wait_for("Page.loadEventFired")
    assert _errors(tools) == [], (page.name, _errors(tools))
    requests = [
        e["params"]["request"]["url"]
        for e in tools.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert all(r.startswith(("file:", "data:")) for r in requests), requests
    found = tools.evaluate(
        "[...document.images].map(i => [i.complete && i.naturalWidth > 0, i.alt])"
    )
    assert all(ok and alt.strip() for ok, alt in found), page.name
    assert found or not images, f"{page.name}: no image"
    levels = tools.evaluate("[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])")
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), page.name
    overflow = tools.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"{page.name}: horizontal scrolling at {width} px: {overflow} px"
    violations = axe_violations(tools)
    assert violations == [], f"{page.name} at {width} px: {violations}"
    shot = tools.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
    return base64.b64decode(shot["data"])


#: axe-core, installed into the virtual environment by ``make test`` (.ci/axe-core).
AXE = Path(sys.prefix) / "share" / "axe-core" / "axe.min.js"
#: The rules axe-core checks: WCAG 2.0 and 2.1, levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(tools: DevTools) -> list[tuple]:
    """Return axe-core's WCAG 2.1 A/AA violations on the loaded page: (rule, impact, where)."""
    assert AXE.is_file(), f"{AXE} is missing: make test installs it (bash .ci/axe-core {AXE})"
    tools.call("Runtime.evaluate", expression=AXE.read_text(encoding="utf-8"))
    only = json.dumps({"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    run = (
        f"axe.run(document, {only}).then(r => r.violations.map("
        "v => [v.id, v.impact, v.nodes.slice(0, 3).map(n => n.target.join(' '))]))"
    )
    found = tools.call("Runtime.evaluate", expression=run, awaitPromise=True, returnByValue=True)
    return [tuple(v) for v in found["result"]["value"]]


def assert_reads_in_chromium(pages: list[Path], checks: Path, images: bool = True) -> list[Path]:
    """Open each HTML page in headless chromium at desktop and phone width and check it.

    No script error, nothing fetched from outside, every image loaded with alt text, headings
    in order, no sideways scrolling, no violation of axe-core's WCAG 2.1 A/AA rules; a
    screenshot of each (``checks/<page>-<width>px.png``).
    """
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "chromium is installed by .ci/system-deps"
    checks.mkdir(parents=True, exist_ok=True)
    profile = checks / ".profile"
    process = subprocess.Popen(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    shots = []
    try:
        tools = _devtools(profile)
        for page in pages:
            for width in (1280, 390):
                shot = checks / f"{page.stem}-{width}px.png"
                shot.write_bytes(_check_page(tools, page, width, images))
                shots.append(shot)
    finally:
        process.terminate()
        process.wait(timeout=30)
        shutil.rmtree(profile, ignore_errors=True)
    return shots


def stated_share(lang: str = "en") -> re.Pattern:
    """Return the pattern of a share as the briefing states it in ``lang``, from its catalog.

    "56% (28 of 50; 95% CI 42–69%)", "56% of experts (...)", "56 % (28 из 50; 95 % ДИ 42–69 %)",
    "56% (50 ішінен 28; 95% СА 42–69%)": named groups pct, count, base, low, high.
    """
    from surveybrief.brief.i18n import _, fmt_pct, language

    with language(lang):
        phrase, ci, pct = (
            _("{pct} ({count} of {base}; {ci})"),
            _("95% CI {low}–{high}"),
            fmt_pct(56),
        )
    pct, ci, phrase = (t.replace("\u00a0", " ") for t in (pct, ci, phrase))  # spaces made plain

    def number(name: str) -> str:
        return rf"(?P<{name}>\d+)"

    def percent(name: str) -> str:
        return re.escape(pct).replace("56", number(name))

    ci_re = re.escape(ci).replace(r"\{low\}", number("low")).replace(r"\{high\}", percent("high"))
    paren = re.escape(phrase[phrase.index("(") :])
    paren = paren.replace(r"\{count\}", number("count")).replace(r"\{base\}", number("base"))
    return re.compile(percent("pct") + r"[^()\d%]{0,30}?" + paren.replace(r"\{ci\}", ci_re))


#: A base as the chapters state it (English; ``stated_bases`` gives every language's).
STATED_BASE = re.compile(r"Of the (\d+) experts who answered")
#: A change as the trends state it: "from 34% to 2% (-32 points; 95% CI -44 to -22".
STATED_CHANGE = re.compile(
    r"from (\d+)% to (\d+)% \(([+-]?\d+) points; 95% CI ([+-]?\d+) to ([+-]?\d+)"
)
SIGNED = r"[+\-−]?\d+"


def _in_language(lang: str, make):
    from surveybrief.brief.i18n import language

    with language(lang):
        return make()


def _percent_re(lang: str, name: str) -> str:
    """Return the pattern of a whole percentage as ``fmt_pct`` writes it in ``lang``."""
    from surveybrief.brief.i18n import fmt_pct

    pct = _in_language(lang, lambda: fmt_pct(56)).replace("\u00a0", " ")
    return re.escape(pct).replace("56", rf"(?P<{name}>\d+)")


def _between(message: str, fields: dict[str, str]) -> str:
    """Return the pattern of ``message`` from the first to the last of ``fields``' placeholders.

    In whatever order the language puts them ("28 of 31" is "31 ішінен 28" in Kazakh); each
    placeholder becomes its named group. Raises if a placeholder is missing from the message.
    """
    message = message.replace("\u00a0", " ")  # the text is read with its spaces made plain
    spots = [(message.index("{" + name + "}"), name) for name in fields]
    start, end = min(spots)[0], max(spots)[0] + len(max(spots)[1]) + 2
    pattern = re.escape(message[start:end])
    # a Kazakh ending after a number agrees with it as shown (brief/kazakh.py): any of them
    pattern = re.sub(r"\\-[дтн][ае]н", "-[дтн][ае]н", pattern)
    pattern = re.sub(r"\\-[ғгқк][ае]", "-[ғгқк][ае]", pattern)
    for name, field in fields.items():
        pattern = pattern.replace(re.escape("{" + name + "}"), field)
    return pattern


def _head(message: str, fields) -> str:
    """Return the pattern of the words before the first of ``fields``' placeholders."""
    message = message.replace("\u00a0", " ")
    return re.escape(message[: min(message.index("{" + name + "}") for name in fields)])


#: The messages that state a detectable change (msgids, English).
CHANGE_MESSAGES = (
    "Between {start} and {end}, “{label}” rose from {before} to {after} ({points} "
    "points; 95% CI {low} to {high}; Fisher's exact test, Holm-adjusted {p}).",
    "Between {start} and {end}, “{label}” fell from {before} to {after} ({points} "
    "points; 95% CI {low} to {high}; Fisher's exact test, Holm-adjusted {p}).",
    "Between {start} and {end}, “{label}” rose from {before} to {after} ({points} "
    "points; 95% CI {low} to {high}; {test}, Holm-adjusted {p}).",
    "Between {start} and {end}, “{label}” fell from {before} to {after} ({points} "
    "points; 95% CI {low} to {high}; {test}, Holm-adjusted {p}).",
    "Change since {since}: “{label}” ({title}) rose from {before} to {after} "
    "({points} points; 95% CI {low} to {high}).",
    "Change since {since}: “{label}” ({title}) fell from {before} to {after} "
    "({points} points; 95% CI {low} to {high}).",
)
#: The messages that state a question's base before its share (msgids: singular, plural).
BASE_MESSAGES = (
    (
        "Of the {n} expert who answered, {share} chose “{label}”: {strength}.",
        "Of the {n} experts who answered, {share} chose “{label}”: {strength}.",
    ),
    (
        "Asked this question, {n} expert could choose several answers. “{label}” was "
        "chosen most often: {share}, {strength} of respondents.",
        "Asked this question, {n} experts could choose several answers. “{label}” was "
        "chosen most often: {share}, {strength} of respondents.",
    ),
    (
        "Asked to rank the options, {n} expert placed “{label}” in the top {top} most often: "
        "{share}, {strength} of respondents.",
        "Asked to rank the options, {n} experts placed “{label}” in the top {top} most often: "
        "{share}, {strength} of respondents.",
    ),
)


def stated_bases(lang: str = "en") -> list[re.Pattern]:
    """Return the patterns of a question's base as the chapters state it, every plural form."""
    from surveybrief.brief.i18n import ngettext

    found = set()
    for one, many in BASE_MESSAGES:
        for n in (1, 2, 5, 21):
            text = _in_language(lang, lambda one=one, many=many, n=n: ngettext(one, many, n))
            after = text.index("{n}") + len("{n}")
            head = text[: text.index("{", after)]  # up to the next placeholder
            if head.index("{n}") < len(head) - 3:  # the words after the base fix its meaning
                found.add(re.escape(head).replace(re.escape("{n}"), r"(?P<n>\d+)"))
    return [re.compile(p) for p in sorted(found)]


def stated_list_items(lang: str = "en") -> re.Pattern:
    """Return the pattern of one item of "Other answers, in order": a label and its share."""
    from surveybrief.brief.i18n import _

    item = _in_language(lang, lambda: _("“{label}” {pct}")).replace("\u00a0", " ")
    pattern = re.escape(item).replace(re.escape("{label}"), r"(?P<label>[^“”«»;]+)")
    return re.compile(pattern.replace(re.escape("{pct}"), _percent_re(lang, "pct") + r"(?![\d(])"))


def stated_scales(lang: str = "en") -> list[re.Pattern]:
    """Return the patterns of a rating's mean and median sentence (numbers d or d.d).

    The mean with its interval ("2.4 (95% CI 2.3–2.5)") or, at a base of 1, alone.
    """
    from surveybrief.brief.i18n import _

    message, mean = _in_language(
        lang,
        lambda: (
            _(
                "On the {first}–{last} scale, the mean answer is {mean} and the median {median} "
                "(95% CI {median_low}–{median_high})."
            ),
            _("{mean} (95% CI {low}–{high})"),
        ),
    )
    number = r"\d+(?:[.,]\d)?"
    names = ("median", "median_low", "median_high")
    fields = {k: rf"(?P<{k}>{number})" for k in names}
    with_ci = re.escape(mean.replace("\u00a0", " "))
    for k in ("mean", "low", "high"):
        name = "mean" if k == "mean" else f"mean_{k}"
        with_ci = with_ci.replace(re.escape("{" + k + "}"), rf"(?P<{name}>{number})")
    return [
        re.compile(_between(message, fields | {"mean": m}))
        for m in (with_ci, rf"(?P<mean>{number})")
    ]


def _table_rows(tables: Path, skip: tuple[str, ...] = ()) -> tuple[set, set, set]:
    """Return the question tables' rows as printed, their (label, %) and the scales' values.

    ``skip``: tables left out (``trends``: earlier waves' shares, not this wave's).
    """
    import pandas as pd

    rows, labelled, scales = set(), set(), set()
    for path in (p for p in tables.glob("*.csv") if p.stem not in skip):
        frame = pd.read_csv(path)
        if {"count", "base", "pct", "ci_low", "ci_high"} <= set(frame.columns):
            for r in frame.dropna(subset=["count", "base", "pct"]).itertuples():
                rows.add(
                    (int(r.count), int(r.base), round(r.pct), round(r.ci_low), round(r.ci_high))
                )
                labelled.add((str(getattr(r, "label", "")), round(r.pct)))
        if {"first_count", "first_pct", "base"} <= set(frame.columns):  # a ranking's first places
            for r in frame.itertuples():
                ends = (round(r.first_pct), round(r.first_low), round(r.first_high))
                rows.add((int(r.first_count), int(r.base), *ends))
        if {"statistic", "value", "ci_low", "ci_high"} <= set(frame.columns):
            for r in frame.itertuples():
                scales |= {(r.statistic, k, float(getattr(r, k))) for k in SCALE_ENDS}
                if r.statistic == "top2_pct":  # "P% (k of n; CI) chose one of the two highest"
                    ends = (round(r.value), round(r.ci_low), round(r.ci_high))
                    rows.add((int(r.count), int(r.base), *ends))
    return rows, labelled, scales


def _as_printed(scales: set, lang: str) -> set:
    """Return the scales' values as the sentences print them in ``lang`` (``describe_scale``).

    The mean and its interval with one decimal, the median and its interval as scale points
    (one decimal only where not whole), formatted by the same CLDR rules, so ties round alike.
    """
    from surveybrief.brief.i18n import fmt_decimal

    def printed(name: str, value: float) -> str:
        whole = name == "median" and float(value).is_integer()
        return fmt_decimal(value, 0 if whole else 1)

    return {
        (name, end, _in_language(lang, lambda n=name, v=value: printed(n, v)))
        for name, end, value in scales
    }


#: A scale table's columns a sentence states, by the sentence's own names for them.
SCALE_ENDS = ("value", "ci_low", "ci_high")
SCALE_STATED = {
    "mean": ("mean", "value"),
    "mean_low": ("mean", "ci_low"),
    "mean_high": ("mean", "ci_high"),
    "median": ("median", "value"),
    "median_low": ("median", "ci_low"),
    "median_high": ("median", "ci_high"),
}


def _matches(patterns, text: str) -> list[re.Match]:
    """Return every match of any pattern, one per place in the text (patterns may overlap)."""
    found = {}
    for p in patterns:
        for m in p.finditer(text):
            found.setdefault(m.span(), m)
    return [found[k] for k in sorted(found)]


def _number(text: str) -> float:
    return float(text.replace(",", ".").replace("−", "-"))


def unbacked_numbers(html: str, tables: Path, lang: str = "en") -> list[str]:
    """Return each share, base, change or scale value a document states that no table holds.

    Every "P% (k of n; 95% CI a–b%)" must be a row of a question table with that count and
    base, printing as P, a and b; every "Of the n experts who answered" (and "Asked this
    question, n experts") a base of a table; every item of "Other answers, in order" a share
    of a table (in English with its label); every scale's mean, median and median interval a
    value of its ``_scale.csv``; and each sentence of ``CLAIMS`` (changes, runners-up, the
    wave's size, open answers, agreement, the methodology, the audit). The patterns are built
    from each language's catalog.
    """
    from bs4 import BeautifulSoup

    text = re.sub(r"\s+", " ", BeautifulSoup(html, "html.parser").get_text(" "))
    rows, labelled, scales = _table_rows(tables)
    shares = stated_share(lang)
    keys = ("count", "base", "pct", "low", "high")
    wrong = [m.group(0) for m in shares.finditer(text)
             if tuple(int(m[k]) for k in keys) not in rows]  # fmt: skip
    bases = {r[1] for r in rows}
    wrong += [m.group(0) for m in _matches(stated_bases(lang), text)
              if int(m["n"]) not in bases]  # fmt: skip
    pcts = {pct for _label, pct in labelled}
    for m in stated_list_items(lang).finditer(text):
        if int(m["pct"]) not in pcts or (
            lang == "en" and (m["label"], int(m["pct"])) not in labelled
        ):
            wrong.append(m.group(0))
    printed = _as_printed(scales, lang)
    for m in _matches(stated_scales(lang), text):
        stated = [(SCALE_STATED[k], v) for k, v in m.groupdict().items() if v is not None]
        wrong += [m.group(0) for (name, end), v in stated
                  if (name, end, v) not in printed]  # fmt: skip
    wrong += unbacked_claims(text, tables, lang)  # changes, runners-up, sizes, methodology
    if not shares.search(text):
        wrong.append("no share stated at all: the pattern no longer matches the briefing")
    return wrong


def responses(codebook, **columns):
    """Return a wave's responses with the given columns filled (the rest empty), typed."""
    import pandas as pd

    n = len(next(iter(columns.values())))
    frame = {"respondent_id": pd.array([f"R{i}" for i in range(n)], "string")}
    for q in codebook.questions:
        for column in q.columns:
            dtype = "Int8" if q.kind.per_option and column in q.option_columns else "string"
            frame[column] = pd.array(columns.get(column, [None] * n), dtype)
    return pd.DataFrame(frame)


# --- Claims: every other sentence with a number, matched from its catalog message -------------

#: What a placeholder holds, as the briefing prints it (a pattern without groups).
NUMBER_KINDS = {
    "int": r"\d+",
    "signed": SIGNED,
    "decimal": r"[+\-−]?\d+(?:[.,]\d+)?",
    "bases": r"\d+(?:, \d+)*",
    "text": r".+?",  # a date or a list of figures: the message's words bound it
    "estimate": r"\d+(?:[.,]\d+)?(?: \([^()]+\))?",  # "2.8 (95% CI 2.2–3.5)" or "2.8"
    "share_phrase": r"\d+[^()\d]{0,3}\([^()]+\)",  # "26% (6 of 23; 95% CI 13–46%)"
    "labels": r"[“«][^“”«»]+[”»](?:, [“«][^“”«»]+[”»])*",  # “A”, “B” (tied options)
    "quoted": r"[^“”«»]+?",  # an option's label, inside its quotes
    "wave": r"[^\s,;]+",
    "title": r"[^()“”«»]+?",
}


#: The suffix of a placeholder's group where the message says it again (it must say the same).
AGAIN = "__again"
#: The kind of a placeholder that is not a field, by its name (any other: any words).
TEXT_KINDS = {"label": "quoted", "start": "wave", "end": "wave", "title": "title"}


def _kind_re(kind: str, lang: str) -> str:
    """Return the pattern of a placeholder's kind in ``lang`` (shares and ranges: its catalog)."""
    from surveybrief.brief.i18n import _

    if kind in NUMBER_KINDS:
        return NUMBER_KINDS[kind]
    if kind == "respondents":  # "46 respondents" in each plural form of the language
        from surveybrief.brief.narrative import n_respondents

        forms = {_in_language(lang, lambda n=n: n_respondents(n)) for n in (1, 2, 5, 21)}
        return "(?:" + "|".join(re.sub(r"\d+", r"\\d+", re.escape(f)) for f in forms) + ")"
    pct = re.sub(r"\(\?P<\w+>", "(?:", _percent_re(lang, "x"))
    if kind == "pct":
        return pct
    if kind == "share":  # a share, or its range where the source left answers unreported
        between = _in_language(lang, lambda: _("between {low} and {high}"))
        ranged = re.escape(between).replace(re.escape("{low}"), pct)
        return rf"(?:{ranged.replace(re.escape('{high}'), pct)}|{pct})"
    assert kind == "p", kind
    forms = _in_language(lang, lambda: [_("p = {value}"), _("p < {value}")])
    return (
        "(?:"
        + "|".join(re.escape(f).replace(re.escape("{value}"), r"\d+[.,]\d+") for f in forms)
        + ")"
    )


def _claim_patterns(messages, fields: dict[str, str], lang: str) -> list[re.Pattern]:
    """Return the patterns of ``messages`` (msgids; a pair is singular and plural) in ``lang``."""
    from surveybrief.brief.i18n import _, ngettext

    texts = set()
    for message in messages:
        if isinstance(message, tuple):
            texts |= {
                _in_language(lang, lambda n=n, m=message: ngettext(*m, n)) for n in (1, 2, 5, 21)
            }
        else:
            texts.add(_in_language(lang, lambda m=message: _(m)))
        if lang != "en" and texts & {message, message[0] if isinstance(message, tuple) else ""}:
            raise ValueError(f"not a message of the {lang} catalog: {message!r}")
    return [re.compile(_in_context(text, fields, lang)) for text in sorted(texts)]


def _in_context(text: str, fields: dict[str, str], lang: str) -> str:
    """Return the pattern of the whole of ``text``, its placeholders that are not fields any words.

    A placeholder that opens or closes the message is left out (it holds any words, so it
    narrows nothing), so the pattern starts and ends with the message's own words.
    """
    text = text.replace("\u00a0", " ")  # the text is read with its spaces made plain
    spots = list(re.finditer(r"\{(\w+)\}", text))
    start = spots[0].end() if spots[0].start() == 0 and spots[0][1] not in fields else 0
    last = spots[-1]
    end = last.start() if last.end() == len(text) and last[1] not in fields else len(text)
    pattern = re.escape(text[start:end])
    # a Kazakh ending after a number agrees with it as shown (brief/kazakh.py): any of them
    pattern = re.sub(r"\\-[дтн][ае]н", "-[дтн][ае]н", pattern)
    pattern = re.sub(r"\\-[ғгқк][ае]", "-[ғгқк][ае]", pattern)
    for name in dict.fromkeys(re.findall(r"\{(\w+)\}", text[start:end])):
        kind = fields.get(name, TEXT_KINDS.get(name, "text"))
        group = rf"(?P<{name}>{_kind_re(kind, lang)})"
        pattern = pattern.replace(re.escape("{" + name + "}"), group, 1)
        for again in range(pattern.count(re.escape("{" + name + "}"))):  # said again: the same
            group = rf"(?P<{name}{AGAIN}{again}>{_kind_re(kind, lang)})"
            pattern = pattern.replace(re.escape("{" + name + "}"), group, 1)
    return pattern


def _numbers(text: str) -> tuple[float, ...]:
    """Return the numbers in a placeholder's text as printed (signs and decimal commas read)."""
    return tuple(_number(n) for n in re.findall(r"[+\-−]?\d+(?:[.,]\d+)?", text))


def _whole(value: float) -> int | None:
    """Return a value as a whole number, or None where the table has none (NaN)."""
    return None if value != value else round(value)


def _share(low: float, high: float) -> tuple:
    """Return a share as ``fmt_share`` prints it: one number, or the two ends of its range."""
    return (_whole(low),) if _whole(low) == _whole(high) else (_whole(low), _whole(high))


class Facts:
    """What the published tables hold, as the sentences print it."""

    def __init__(self, tables: Path, lang: str) -> None:
        import pandas as pd

        self.lang = lang
        self.rows, self.labelled, _scales = _table_rows(tables)
        self.bases = {r[1] for r in _table_rows(tables, skip=("trends",))[0]}  # this wave's
        self.question_bases = {
            int(b)
            for p in tables.glob("*.csv")
            if not p.stem.endswith(("_themes", "_scale")) and p.stem not in ("trends", "changes")
            for frame in [pd.read_csv(p)]
            if {"count", "base", "pct"} <= set(frame.columns)
            for b in frame["base"].dropna()
        }
        self.pcts = {pct for _label, pct in self.labelled}
        self.options = {  # this wave's question tables: (label, share as printed)
            (str(r.label), round(r.pct))
            for p in tables.glob("*.csv")
            if not p.stem.endswith(("_themes", "_scale")) and p.stem not in ("trends", "changes")
            for frame in [pd.read_csv(p)]
            if {"label", "base", "pct"} <= set(frame.columns)
            for r in frame.dropna(subset=["pct"]).itertuples()
        }
        path = tables / "changes.csv"
        self.changes = pd.read_csv(path) if path.is_file() else pd.DataFrame()
        path = tables / "panel.csv"  # who of a linked panel answered again (trends)
        self.panel = {
            (int(r.panel_from), int(r.both), int(r.left), int(r.joined))
            for r in (pd.read_csv(path).itertuples() if path.is_file() else [])
        }
        path = tables / "question_tests.csv"  # whole questions tested on a panel's pairs
        self.question_tests = pd.read_csv(path) if path.is_file() else pd.DataFrame()
        path = tables / "consensus.csv"  # where the panel agrees: (statements reached, declared)
        self.consensus = {
            (int(c["is_reached"].astype(bool).sum()), len(c))
            for c in ([pd.read_csv(path)] if path.is_file() else [])
        }
        self.themes = {int(b) for p in tables.glob("*_themes.csv") for b in pd.read_csv(p)["base"]}
        self.agreement = {
            (
                round(r.pct_agreement),
                self.decimal(r.kappa, 2),
                self.decimal(r.alpha, 2),
            )
            for p in tables.glob("*_agreement.csv")
            for r in pd.read_csv(p).itertuples()
            if r.theme == "all"
        }
        self.wave_n: set[int] = set()  # every "n = N experts" of the wave, gathered as stated
        self.respondents: set[int] = set()  # the wave's size as bases.csv holds it
        self.open_bases: set[tuple] = set()  # (base, comments) of each open question
        if (tables / "bases.csv").is_file():  # every "of N" counts from it (00_clean)
            b = pd.read_csv(tables / "bases.csv")
            closed = b[(b["type"] != "text") & (b["base"] > 0)]
            self.question_bases = {int(n) for n in closed["base"]}
            self.respondents = {int(n) for n in b["respondents"]}
            self.open_bases = {
                (int(r.base), int(r.comments)) for r in b[b["type"] == "text"].itertuples()
            }
        self.unreported = {  # the options a source left unreported: (count, share as printed)
            (int(r.count), round(r.pct))
            for p in tables.glob("*.csv")
            for frame in [pd.read_csv(p)]
            if {"option", "count", "pct"} <= set(frame.columns)
            for r in frame[frame["option"].astype(str) == "not_reported"].itertuples()
        }
        self.audit = self._audit(tables)
        self.rankings = {  # each ranking's ranks table, with its options' labels
            p.stem: pd.read_csv(p).merge(
                pd.read_csv(p.with_name(p.name.removesuffix("_ranks.csv") + ".csv"))[
                    ["option", "label"]
                ],
                on="option",
            )
            for p in tables.glob("*_ranks.csv")
        }

    @staticmethod
    def _audit(tables: Path) -> dict:
        """Return the audit's counts and each question's fitting bases, from its two tables."""
        import pandas as pd

        if not (tables / "audit_figures.csv").is_file():
            return {}
        f, q = (
            pd.read_csv(tables / "audit_figures.csv"),
            pd.read_csv(tables / "audit_questions.csv"),
        )
        at_stated, at_base = f["is_attainable_at_stated_n"], f["is_attainable_at_base"]
        alone, fits = f["is_attainable_alone_up_to_stated_n"], f["question_fits_up_to_stated_n"]
        status = pd.read_csv(tables / "reproduction.csv")["status"]
        return {
            "stated": int((~at_stated).sum()),
            "alone": int((~alone).sum()),
            "together": int((alone & ~fits).sum()),
            "fewer": int((~at_stated & at_base).sum()),
            "smallest": {int(b) for b in q["smallest_base_overall"].dropna()},
            "reproduced": (int((status == "match").sum()), len(status)),
            "bases": {_numbers(str(b)) for b in q["bases_up_to_stated_n"].dropna()},
        }

    def decimal(self, value: float, places: int) -> float | None:
        """Return a value as printed with ``places`` decimals, read back (None: not defined)."""
        return None if value != value else _numbers(self.printed(value, places))[0]

    def printed(self, value: float, places: int) -> str:
        from surveybrief.brief.i18n import fmt_decimal

        return _in_language(self.lang, lambda: fmt_decimal(value, places)).replace(",", ".")

    def change_rows(self, stated: dict, detectable: bool) -> bool:
        """Whether a change sentence's numbers are one row of changes.csv, as printed."""
        columns = {
            "before": ("pct_from_low", "pct_from_high"),
            "after": ("pct_to_low", "pct_to_high"),
            "points": ("change_pp",),
            "low": ("ci_low_pp",),
            "high": ("ci_high_pp",),
            "bound_low": ("change_low_pp",),
            "bound_high": ("change_high_pp",),
        }
        for _i, r in self.changes.iterrows():
            printed = {
                name: _share(*(r[c] for c in cols)) if len(cols) == 2 else (_whole(r[cols[0]]),)
                for name, cols in columns.items()
            }
            if "p" in stated:
                p = r["p_holm"]
                printed["p"] = (0.001,) if p < 0.001 else (float(self.printed(p, 3)),)
            if detectable and not bool(r["is_detectable"]):
                continue
            label = stated.get("label")
            if self.lang == "en" and label is not None and label != str(r["label"]):
                continue
            if all(printed[k] == v for k, v in stated.items() if k in printed):
                return True
        return False


def _change_claim(m: dict, facts: Facts, detectable: bool = False, bounds: bool = False) -> bool:
    """Whether a change sentence is a row of changes.csv (a detectable one where it says so)."""
    named = {"low": "bound_low", "high": "bound_high"} if bounds else {}
    stated = {
        named.get(k, k): (v if k == "label" else _numbers(v))
        for k, v in m.items()
        if k not in ("start", "end", "since", "title", "test")
    }
    return facts.change_rows(stated, detectable)


def _question_test_claim(m: dict, facts: Facts) -> bool:
    """Whether a whole-question test's sentence is a row of question_tests.csv (n, p, moves)."""
    p = _numbers(m["p"])[0] if "p" in m else None
    for r in facts.question_tests.itertuples():
        said_p = p is None or (round(r.p_holm, 3) == p if r.p_holm >= 0.001 else p == 0.001)
        moves = all(int(m[k]) == getattr(r, k) for k in ("up", "down") if k in m)
        single = "single" not in m or int(m["single"]) == r.only_from + r.only_to
        if int(m["n"]) == r.n_paired and said_p and moves and single:
            return True
    return False


def _span_claim(m: dict, facts: Facts) -> bool:
    facts.wave_n.add(int(m["n"]))
    return all(int(x) in facts.bases for x in _numbers(m["span"]))


def _open_claim(m: dict, facts: Facts) -> bool:
    respondents, total = int(_numbers(m["respondents"])[0]), int(m["total"])
    facts.wave_n.add(total)
    return respondents in facts.themes and int(_numbers(m["pct"])[0]) == round(
        100 * respondents / total
    )


def _comments_claim(m: dict, facts: Facts) -> bool:
    """An open question's answers and comments: its row of bases.csv, its themes' base."""
    n, total = int(m["n"]), int(m["total"])
    facts.wave_n.add(total)
    comments = int(m.get("comments", n))
    return (n, comments) in facts.open_bases


def _precision_claim(m: dict, facts: Facts) -> bool:
    """The widest Wilson interval at each stated base (statsmodels, at p = 1/2), as printed."""
    from statsmodels.stats.proportion import proportion_confint

    def margin(n: int) -> int:
        widths = [proportion_confint(k, n, method="wilson") for k in {n // 2, (n + 1) // 2}]
        return round(100 * max(high - low for low, high in widths) / 2)

    high, low = int(m["high"]), int(m["low"])
    wide, narrow = int(m.get("wide", m.get("at_high"))), int(m.get("narrow", m.get("at_low")))
    lowest, highest = min(facts.question_bases), max(facts.question_bases)
    return (low, high) == (lowest, highest) and (wide, narrow) == (margin(high), margin(low))


def _precision_one_claim(m: dict, facts: Facts) -> bool:
    """The widest interval where every question has the one base it states."""
    one = {"high": m["n"], "low": m["n"], "wide": m["wide"], "narrow": m["wide"]}
    return {int(m["n"])} == facts.question_bases and _precision_claim(one, facts)


def _wave_n_claim(m: dict, facts: Facts) -> bool:
    facts.wave_n.add(int(m["n"]))
    return True  # all of them agree and bound every base: checked once all are gathered


def _audit_claim(m: dict, facts: Facts) -> bool:
    """Whether an audit sentence's counts and bases are those of the audit's tables."""
    audit = facts.audit
    if not audit:
        return False
    for name in ("stated", "alone", "together"):
        if name in m and int(m[name]) != audit[name]:
            return False
    if "count" in m and int(m["count"]) != audit["fewer"]:
        return False
    if "smallest" in m and int(m["smallest"]) not in audit["smallest"]:
        return False
    return "bases" not in m or _numbers(m["bases"]) in audit["bases"]


def _quoted(labels: str) -> set[str]:
    return set(re.findall(r"[“«]([^“”«»]+)[”»]", labels))


def _mean_rank_claim(m: dict, facts: Facts) -> bool:
    """The best mean rank (and its interval): the lowest of a ranking's table, as printed; the
    options named are those that have it (in English, by label)."""
    mean = _numbers(m["mean"])[0]
    ends = re.search(r"(\d+(?:[.,]\d+)?)\s*[–-]\s*(\d+(?:[.,]\d+)?)", m["mean"])
    stated = (mean, *(_number(e) for e in ends.groups())) if ends else (mean,)
    for frame in facts.rankings.values():
        best = frame.loc[frame["mean_rank"].idxmin()]
        values = [best["mean_rank"], best["mean_low"], best["mean_high"]][: len(stated)]
        tied = frame[frame["mean_rank"].round(9) == round(best["mean_rank"], 9)]
        named = {_option_label(frame, o) for o in tied["option"]}
        label_ok = len(_quoted(m["labels"])) == len(tied) and (
            facts.lang != "en" or _quoted(m["labels"]) == named
        )
        if label_ok and tuple(facts.decimal(v, 1) for v in values) == stated:
            return True
    return False


def _first_claim(m: dict, facts: Facts) -> bool:
    """The option ranked first most often: the largest count of first places of a ranking."""
    said = stated_share(facts.lang).search(m["share"])
    if said is None:
        return False
    count, base = int(said["count"]), int(said["base"])
    for frame in facts.rankings.values():
        most = frame.loc[frame["first_count"].idxmax()]
        tied = frame[frame["first_count"] == most["first_count"]]
        named = {_option_label(frame, o) for o in tied["option"]}
        label_ok = len(_quoted(m["labels"])) == len(tied) and (
            facts.lang != "en" or _quoted(m["labels"]) == named
        )
        if label_ok and (int(most["first_count"]), int(most["base"])) == (count, base):
            return True
    return False


def _unranked_claim(m: dict, facts: Facts) -> bool:
    """The place an unranked option counts at: (ranks + 1 + options) / 2, options as tabled."""
    ranks, n, place = int(m["ranks"]), int(m["n"]), _numbers(m["place"])[0]
    return any(
        len(frame) == n and place == (ranks + 1 + n) / 2 and ranks < n
        for frame in facts.rankings.values()
    )


def _option_label(frame, option: str) -> str:
    """Return an option's English label (from the question table beside its ranks table)."""
    return str(frame.set_index("option")["label"][option])


#: Each claim by name: its messages (msgids), its placeholders' kinds, and what backs it.
CLAIMS = {
    "unreported": (
        (
            (
                "The source does not report what the other {n} respondent ({pct}) answered.",
                "The source does not report what the other {n} respondents ({pct}) answered.",
            ),
        ),
        {"n": "int", "pct": "pct"},
        lambda m, f: (int(m["n"]), int(_numbers(m["pct"])[0])) in f.unreported,
    ),
    "unquantified": (
        (
            "The source also names {names} without figures; they are not quantified here "
            "(each between 0% and {pct}: any of the unreported answers may be theirs).",
        ),
        {"pct": "pct"},
        lambda m, f: int(_numbers(m["pct"])[0]) in {pct for _n, pct in f.unreported},
    ),
    "panel": (
        (
            "The panel: of the {before} experts of {start}, {both} answered again in {end} "
            "and {left} did not; {joined} joined.",
        ),
        {"before": "int", "both": "int", "left": "int", "joined": "int"},
        lambda m, f: (
            (int(m["before"]), int(m["both"]), int(m["left"]), int(m["joined"])) in f.panel
        ),
    ),
    "consensus": (
        (
            "By the rules the questionnaire declared before the answers, the panel agrees on "
            "{reached} of {total} statements.",
            "By the rules declared in advance, the panel agrees on {reached} of {total} "
            "statements: {titles}.",
        ),
        {"reached": "int", "total": "int"},
        lambda m, f: (int(m["reached"]), int(m["total"])) in f.consensus,
    ),
    "question_test": (
        (
            "Only {n} experts answered both waves: too few (under {minimum}) to test the "
            "question as a whole on their pairs.",
            "Taken as a whole, the answers of the {n} experts who answered both waves moved "
            "(Stuart-Maxwell test of marginal homogeneity on their pairs, Holm-adjusted {p}).",
            "Taken as a whole, the answers of the {n} experts who answered both waves did not "
            "move detectably (Stuart-Maxwell test of marginal homogeneity on their pairs, "
            "Holm-adjusted {p}).",
            "On the scale, the {n} experts who answered both waves moved: {up} up and {down} "
            "down, the rest kept their point (median change {median}; Wilcoxon signed-rank "
            "test on their pairs, Holm-adjusted {p}).",
            "On the scale, the {n} experts who answered both waves did not move detectably: "
            "{up} up and {down} down, the rest kept their point (median change {median}; "
            "Wilcoxon signed-rank test on their pairs, Holm-adjusted {p}).",
            "On the scale, the mean moved by {change} points (95% CI {low} to {high}; partially "
            "overlapping samples t-test (Derrick et al.) on {n} pairs and {single} single "
            "answers, Holm-adjusted {p}).",
            "On the scale, the mean did not move detectably: {change} points (95% CI {low} "
            "to {high}; partially overlapping samples t-test (Derrick et al.) on {n} pairs "
            "and {single} single answers, Holm-adjusted {p}).",
        ),
        {"n": "int", "p": "p", "up": "int", "down": "int", "single": "int"},
        lambda m, f: _question_test_claim(m, f),
    ),
    "consensus_none": (
        (
            "By the rules declared in advance, the panel reached consensus on none of the "
            "{total} statements.",
        ),
        {"total": "int"},
        lambda m, f: (0, int(m["total"])) in f.consensus,
    ),
    "audit_counts": (
        (
            "{stated} cannot be whole counts of exactly {n} respondents.",
            "{alone} cannot be whole counts of any number of respondents up to {n}.",
            "{together} are each possible on their own but not together with the other "
            "figures of their question, for any one number of respondents up to {n}.",
            "A further {count} figures are impossible for exactly {n} respondents but "
            "possible for fewer: {figures}. This implies that fewer experts answered these "
            "questions than took part; the article gives no bases. The reconstruction uses "
            "the largest of these bases.",
        ),
        {"stated": "int", "alone": "int", "together": "int", "count": "int"},
        _audit_claim,
    ),
    "audit_smallest": (
        (
            "the smallest that does is {smallest}",
            "{values} ({title}: possible with {bases} answers)",
        ),
        {"smallest": "int", "bases": "bases"},
        _audit_claim,
    ),
    "assumed_base": (
        (
            "The base of {base} is the reconstruction's assumption: this question's published "
            "figures are whole counts of {bases} respondents alike; the counts and intervals shown "
            "are those at {base}.",
        ),
        {"base": "int", "bases": "bases"},
        lambda m, f: int(m["base"]) in f.question_bases and _audit_claim({"bases": m["bases"]}, f),
    ),
    "runner_up": (
        (
            "It comes clearly ahead of “{label}” ({pct}).",
            "It comes ahead of “{label}” ({pct}), a gap within the uncertainty of a panel this "
            "size.",
            "“{label}” has the same share ({pct}).",
        ),
        {"label": "quoted", "pct": "pct"},
        lambda m, f: (
            int(_numbers(m["pct"])[0]) in {pct for _label, pct in f.options}
            and (f.lang != "en" or (m["label"], int(_numbers(m["pct"])[0])) in f.options)
        ),
    ),
    "no_change": (
        (
            "Between {start} and {end}, no change is detectable at this sample size (n = {n_from} "
            "and {n_to}).",
        ),
        {"n_from": "int", "n_to": "int"},
        lambda m, f: any(
            (int(m["n_from"]), int(m["n_to"])) == (r.base_from, r.base_to)
            for r in f.changes.itertuples()
        ),
    ),
    "largest_shift": (
        (
            "The largest shift, “{label}” ({points} points), has a 95% interval from {low} to "
            "{high} points, which includes no change.",
        ),
        {"label": "quoted", "points": "signed", "low": "signed", "high": "signed"},
        _change_claim,
    ),
    "change": (
        (
            *CHANGE_MESSAGES,
            "Between {start} and {end}, “{label}” rose from {before} to {after} (at least "
            "{points} points however the unreported answers fell; at that end 95% CI {low} "
            "to {high}; Fisher's exact test, Holm-adjusted {p}).",
            "Between {start} and {end}, “{label}” fell from {before} to {after} (at least "
            "{points} points however the unreported answers fell; at that end 95% CI {low} "
            "to {high}; Fisher's exact test, Holm-adjusted {p}).",
            "Change since {since}: “{label}” ({title}) rose from {before} to {after} (at least "
            "{points} points, however the unreported answers fell; 95% CI {low} to {high}).",
            "Change since {since}: “{label}” ({title}) fell from {before} to {after} (at least "
            "{points} points, however the unreported answers fell; 95% CI {low} to {high}).",
        ),
        {
            "label": "quoted",
            "before": "share",
            "after": "share",
            "points": "signed",
            "low": "signed",
            "high": "signed",
            "p": "p",
        },
        lambda m, f: _change_claim(m, f, detectable=True),
    ),
    "bounds": (
        (
            "“{label}” {before} in {start} and {after} in {end} (a change of {low} to {high} "
            "points)",
        ),
        {
            "label": "quoted",
            "before": "share",
            "after": "share",
            "low": "signed",
            "high": "signed",
        },
        lambda m, f: _change_claim(m, f, bounds=True),
    ),
    "span": (
        ("{questions}; {with_data} with data, answered by {span} of the wave's {n} respondents.",),
        {"span": "text", "n": "int"},
        _span_claim,
    ),
    "open_share": (
        (
            "{respondents} of {total} ({pct}) specified an “Other” answer; the shares below "
            "are of those who did, and one answer may touch several themes.",
            "{respondents} of {total} ({pct}) wrote a comment; the shares below are of those "
            "who did, and one answer may touch several themes.",
        ),
        {"respondents": "respondents", "total": "int", "pct": "pct"},
        _open_claim,
    ),
    "open_answered": (
        (
            (
                "{title}: {n} respondent of {total} wrote an answer; {comments} of the answers "
                "are comments, the others say nothing (such as “N/A”) (see the chapter “Open "
                "answers”).",
                "{title}: {n} respondents of {total} wrote an answer; {comments} of the answers "
                "are comments, the others say nothing (such as “N/A”) (see the chapter “Open "
                "answers”).",
            ),
            (
                "{title}: {n} respondent of {total} wrote an answer (see the chapter “Open "
                "answers”).",
                "{title}: {n} respondents of {total} wrote an answer (see the chapter “Open "
                "answers”).",
            ),
        ),
        {"n": "int", "total": "int", "comments": "int"},
        _comments_claim,
    ),
    "agreement": (
        (
            "Coded by two coders independently: agreement over all themes {pct}, Cohen's κ = "
            "{kappa}, Krippendorff's α = {alpha} (per theme in the agreement table). Shares count "
            "the themes both coders gave, or the codes they agreed on afterwards.",
        ),
        {"pct": "pct", "kappa": "decimal", "alpha": "decimal"},
        lambda m, f: (
            (int(_numbers(m["pct"])[0]), _numbers(m["kappa"])[0], _numbers(m["alpha"])[0])
            in f.agreement
        ),
    ),
    "bases_range": (
        (
            "Every percentage is shown with its base: respondents who were asked and answered. "
            "Bases range from {low} to {high} across the {count} questions with data; {small} "
            "under {minimum} (flagged as indicative).",
        ),
        {"low": "int", "high": "int"},
        lambda m, f: (
            (int(m["low"]), int(m["high"])) == (min(f.question_bases), max(f.question_bases))
        ),
    ),
    "bases_one": (
        (
            "Every percentage is shown with its base: respondents who were asked and answered. "
            "Each of the {count} questions with data has a base of {n}; {small} under {minimum} "
            "(flagged as indicative).",
        ),
        {"n": "int"},
        lambda m, f: {int(m["n"])} == f.question_bases,
    ),
    "precision_one": (
        (
            "{level} Wilson score intervals. At n = {n} the widest interval is ±{wide} points. "
            "Differences inside this margin are not claimed.",
            "Precision: {level} Wilson intervals, ±{wide} points at n = {n}; {small} bases under "
            "{minimum} marked as indicative; multi-select answers as % of respondents.",
        ),
        {"n": "int", "wide": "int"},
        _precision_one_claim,
    ),
    "precision": (
        (
            "{level} Wilson score intervals. At n = {high} the widest interval is ±{wide} "
            "points; at n = {low}, ±{narrow} points. Differences inside these margins are "
            "not claimed.",
            "Precision: {level} Wilson intervals, ±{at_high} points at n = {high} and ±{at_low} "
            "at n = {low}; {small} bases under {minimum} marked as indicative; multi-select "
            "answers as % of respondents.",
        ),
        {
            "high": "int",
            "wide": "int",
            "low": "int",
            "narrow": "int",
            "at_high": "int",
            "at_low": "int",
        },
        _precision_claim,
    ),
    "reproduced": (
        (
            "Audit of the published figures: {matched} of {total} are reproduced exactly.",
            "{matched} of {total} published figures reproduced exactly.",
        ),
        {"matched": "int", "total": "int"},
        lambda m, f: (int(m["matched"]), int(m["total"])) == f.audit.get("reproduced"),
    ),
    "best_mean_rank": (
        (
            "{labels} has the best mean rank, {mean}, where 1 is the first place.",
            "{labels} share the best mean rank, {mean}, where 1 is the first place.",
        ),
        {"labels": "labels", "mean": "estimate"},
        _mean_rank_claim,
    ),
    "ranked_first": (
        (
            "Ranked first most often: {labels}, by {share}.",
            "Ranked first equally often: {labels}, each by {share}.",
        ),
        {"labels": "labels", "share": "share_phrase"},
        _first_claim,
    ),
    "unranked_place": (
        (
            "An option a respondent left unranked counts at the mean of the places below the "
            "last one they filled: with {ranks} of the {n} options ranked, at place {place}.",
        ),
        {"ranks": "int", "n": "int", "place": "decimal"},
        _unranked_claim,
    ),
    "wave_size": (
        (
            "Wave {wave} · fieldwork {dates} · n = {n} experts · sponsor: {sponsor}",
            "{description} Respondents in the data: {n}. {method}",
            ("Base: all {n} respondent.", "Base: all {n} respondents."),
            "Who: {n} respondents. {population}",
        ),
        {"n": "int"},
        _wave_n_claim,
    ),
}


def matched_claims(text: str, lang: str = "en") -> set[str]:
    """Return the names of the CLAIMS a text states at least once (so none is checked vacuously)."""
    text = re.sub(r"\s+", " ", text)
    return {
        name
        for name, (messages, fields, _backed) in CLAIMS.items()
        if _matches(_claim_patterns(messages, fields, lang), text)
    }


def unbacked_claims(text: str, tables: Path, lang: str = "en") -> list[str]:
    """Return each sentence of the CLAIMS whose numbers the published tables do not hold.

    The wave's size, wherever stated, is one number and bounds every base.
    """
    facts, wrong = Facts(tables, lang), []
    text = re.sub(r"\s+", " ", text)  # non-breaking spaces read as spaces
    for messages, fields, backed in CLAIMS.values():
        for m in _matches(_claim_patterns(messages, fields, lang), text):
            said = {k: v for k, v in m.groupdict().items() if v is not None}
            again = [k for k in said if AGAIN in k and said[k] != said[k.split(AGAIN)[0]]]
            stated = {k: v for k, v in said.items() if AGAIN not in k}
            if again or not backed(stated, facts):
                wrong.append(m.group(0))
    if facts.respondents and facts.wave_n - facts.respondents:
        wrong.append(
            f"the wave's size is stated as {sorted(facts.wave_n)}, not {facts.respondents}"
        )
    elif len(facts.wave_n) > 1 or (
        facts.wave_n and max(facts.wave_n) < max(facts.bases, default=0)
    ):
        wrong.append(f"the wave's size is stated as {sorted(facts.wave_n)}")
    return wrong


# --- A ranking wave as three platforms write it (tests/fixtures/ranking_survey) ---------------

RANKING_WAVE = "2031-06"
RANKING_N = 24
RANKED_ITEMS = ("quotas", "hydro", "irrigation", "data", "aral")


def ranking_truth(seed: int = 5) -> list[tuple[list[str], str | None]]:
    """Return each respondent's ranking (options, first place first) and outlook answer."""
    rng = random.Random(seed)
    found = []
    for i in range(RANKING_N):
        ranked = rng.sample(RANKED_ITEMS, 2 if i % 7 == 3 else 3)
        found.append((ranked if i != 5 else [], rng.choice(["yes", "no"])))
    return found


def qualtrics_ranking(rows, codebook, edit=None) -> list[list]:
    """Rank Order: ``Q1_<k>`` per choice holds its rank (blank: not ranked), three header rows."""
    q = codebook.question("priorities")
    tags = ["StartDate", "Status", "ResponseId", *[f"Q1_{k}" for k in range(1, 6)], "Q2"]
    labels = ["Start Date", "Response Type", "Response ID",
              *[f"{q.wording()} - {o.label()}" for o in q.options],
              codebook.question("outlook").wording()]  # fmt: skip
    imports = [json.dumps({"ImportId": t}) for t in ("startDate", "status", "_recordId")]
    imports += [json.dumps({"ImportId": f"QID1_{k}"}) for k in range(1, 6)]
    imports += [json.dumps({"ImportId": "QID2"})]
    out = [tags, labels, imports]
    for i, (ranked, outlook) in enumerate(rows):
        ranks = [str(ranked.index(c) + 1) if c in ranked else None for c in RANKED_ITEMS]
        label = codebook.question("outlook").option(outlook).label()
        out.append(["2031-06-09 10:00:00", "IP Address", f"R_{i:04d}", *ranks, label])
    return out


def kobo_ranking(rows, codebook) -> list[list]:
    """Ranking group ``water/priorities`` with levels ``_1st_choice`` ..., choice names."""
    levels = ["_1st_choice", "_2nd_choice", "_3rd_choice"]
    head = ["start", *[f"water/priorities/{lv}" for lv in levels], "water/outlook", "_id",
            "_uuid", "_submission_time", "_validation_status", "__version__", "_index"]  # fmt: skip
    out = [head]
    for i, (ranked, outlook) in enumerate(rows):
        places = [ranked[n] if n < len(ranked) else None for n in range(3)]
        out.append(["2031-06-09T10:00:00.000+05:00", *places, outlook, str(1000 + i),
                    f"00000000-0000-4000-8000-{i:012d}", "2031-06-09T05:00:00", "", "v1",
                    str(i + 1)])  # fmt: skip
    return out


def odk_ranking(rows, codebook) -> list[list]:
    """XLSForm ``rank``: one cell of choice names in rank order, joined by spaces."""
    head = ["SubmissionDate", "water-priorities", "water-outlook", "meta-instanceID", "KEY",
            "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
            "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]  # fmt: skip
    out = [head]
    for i, (ranked, outlook) in enumerate(rows):
        key = f"uuid:00000000-0000-4000-8000-{i:012d}"
        out.append(["2031-06-09T05:00:00.000Z", " ".join(ranked) or None, outlook, key, key,
                    "5", "collector", "0", "0", None, None, None, "0", "v1"])  # fmt: skip
    return out


def msforms_ranking(rows, codebook) -> list[list]:
    """Microsoft Forms' Ranking: one cell of the labels in rank order, each followed by ";"."""
    q, outlook = codebook.question("priorities"), codebook.question("outlook")
    head = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
            q.wording(), outlook.wording()]  # fmt: skip
    out = [head]
    for i, (ranked, answer) in enumerate(rows):
        cell = "".join(f"{q.option(c).label()};" for c in ranked) or None
        out.append([str(i + 1), "6/9/31 10:00", "6/9/31 10:05", "anonymous", None, None, cell,
                    outlook.option(answer).label()])  # fmt: skip
    return out


RANKING_WRITERS = {
    "qualtrics": (qualtrics_ranking, {}),
    "kobotoolbox": (kobo_ranking, {"delimiter": ";", "quote_all": True}),
    "odk_central": (odk_ranking, {"line_end": "\n"}),
    "microsoft_forms": (msforms_ranking, {"bom": True}),
}


def ranking_codebook_edited(tmp_path, old: str, new: str) -> Path:
    """Return a data root holding the ranking survey's codebook with ``old`` replaced by ``new``."""
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "ranking_survey" / "codebook", root / "codebook")
    book = root / "codebook" / "v1.yaml"
    book.write_text(book.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return root


def write_ranking_wave(tmp_path, codebook, platform: str, rows) -> tuple:
    root = tmp_path / "data"
    shutil.copytree(FIXTURES / "ranking_survey" / "codebook", root / "codebook")
    folder = root / "raw" / RANKING_WAVE
    folder.mkdir(parents=True)
    make, options = RANKING_WRITERS[platform]
    path = write_csv(folder / f"{platform}.csv", make(rows, codebook), **options)
    doc = {
        "wave": RANKING_WAVE, "title": "Water cooperation, SYNTHETIC test wave",
        "sponsor": "Test institute",
        "fieldwork": {"start": f"{RANKING_WAVE}-09", "end": f"{RANKING_WAVE}-16"},
        "population": "Water experts",
        "sample": {"description": "Invited panel", "n_stated": RANKING_N},
        "mode": "Online questionnaire", "codebook_version": 1, "is_synthetic": True,
        "export": {"file": path.name},
    }  # fmt: skip
    (folder / "wave.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    return root, folder


# --- The structure of a tagged PDF ---------------------------------------------------------------


def pdf_structure(path: Path) -> dict:
    """Return a PDF's tagging: language, title, outline size, element counts, alts, languages."""
    from collections import Counter

    reader = PdfReader(str(path))
    root = reader.trailer["/Root"]
    counts, alts, langs = Counter(), [], {}

    def walk(node) -> None:
        node = node.get_object() if hasattr(node, "get_object") else node
        if not hasattr(node, "get"):
            return
        kind = node.get("/S")
        if kind is not None:
            counts[str(kind)] += 1
            if node.get("/Lang") is not None:
                langs.setdefault(str(kind), []).append(str(node["/Lang"]))
            if kind == "/Figure":
                alts.append(str(node.get("/Alt") or ""))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            walk(kid)

    if "/StructTreeRoot" in root:
        walk(root["/StructTreeRoot"])
    return {
        "tagged": bool(root.get("/MarkInfo", {}).get("/Marked")),
        "lang": str(root.get("/Lang", "")),
        "title": str(reader.metadata.title or "") if reader.metadata else "",
        "outline": len(reader.outline),
        "counts": counts,
        "alts": alts,
        "langs": langs,  # the elements marked with a language of their own, by kind
    }


# --- A SYNTHETIC Delphi panel's two rounds, cleaned in memory (tools/synthetic_delphi.py) -----


def delphi_rounds(folder: Path, key: bytes = b"k" * 32) -> list:
    """Return both rounds of the SYNTHETIC Delphi panel, cleaned in memory, linked by ``key``."""
    from surveybrief.clean.cleaner import clean_wave
    from surveybrief.clean.processed import CleanedWave
    from surveybrief.inputs.codebook import load_codebook
    from surveybrief.inputs.wave import load_wave
    from surveybrief.tools.synthetic_delphi import ROUNDS, build_delphi_data

    data = build_delphi_data(folder / "data")
    codebook = load_codebook(data, 1)
    found = []
    for wave_id, _number in ROUNDS:
        wave = load_wave(data, wave_id)
        found.append(CleanedWave(wave, codebook, clean_wave(wave, codebook, key).responses))
    return found
