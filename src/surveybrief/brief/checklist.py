"""The analyst checklist: what a person must look at before a briefing is published as final.

Reader documents say what a reader needs (a theme coded by keywords is "indicative"); what the
analyst must do about it goes here, beside the outputs, never into the documents: a coding no
person reviewed, quoting nobody decided on, a column or label matched by similarity and left
UNCERTAIN in wave.yaml, a disclosure fact left to its default, a decision the run took reading
the export, rows set aside, published figures the data do not reproduce, data that are
SYNTHETIC or RECONSTRUCTED. Each item has a stable id. It is closed by fixing its cause, or by a
person signing it off in wave.yaml (``checklist: {<id>: "<who decided what, and why>"}``).
Every run is a draft while an item is open; ``make briefing FINAL=1`` refuses until none is.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from surveybrief import catalogue
from surveybrief.inputs.coding import coding_file

#: The states of an item: blocks a final briefing, closed by a person, or taken in wave.yaml.
OPEN, SIGNED_OFF, DECIDED = "open", "signed off", "decided in wave.yaml"
#: The result file the front step writes into the run's catalogue, read by the run.
CHECKLIST_RESULT = "checklist.json"
#: The analyst's copy beside the outputs (never a reader document).
CHECKLIST_FILE = "checklist.md"
_KEY_TEXT = r"(?P<key>\"(?:[^\"\\]|\\.)*\"|'(?:[^']|'')*'|[^#\s\"'-][^#]*?)"
_KEY = re.compile(rf"^(?P<indent>\s*){_KEY_TEXT}:(\s|$)")
_UNCERTAIN = re.compile(rf"^\s*{_KEY_TEXT}:\s*(?P<value>.+?)\s*#\s*UNCERTAIN\b(?P<note>.*)$")


@dataclass(frozen=True)
class Item:
    """One thing for the analyst: its id, what it is, how to close it, and its state."""

    id: str
    what: str
    close: str
    state: str = OPEN
    reason: str = ""


def _data_items(front) -> list[Item]:
    """Items about where the numbers come from: synthetic, reconstructed, not reproduced."""
    items, w = [], front.wave
    if w.is_synthetic:
        items.append(Item("synthetic", "The data are SYNTHETIC: they describe nothing real.",
                          "Publish only as a test; sign it off to say so."))  # fmt: skip
    if w.is_reconstructed:
        items.append(Item(
            "reconstructed",
            "The respondent-level data were RECONSTRUCTED from published percentages.",
            "The documents say so on the cover and in the methodology; sign it off once the "
            "sponsor has agreed to publish a reconstruction.",
        ))  # fmt: skip
    if front.publication is not None:
        counts = front.audit_counts()
        missed = counts["total"] - counts["matched"]
        if missed:
            items.append(Item(
                f"audit:{missed}-of-{counts['total']}",  # other counts: a new item to sign off
                f"{missed} of {counts['total']} published figures are not reproduced by the "
                "data (the audit appendix lists them).",
                "Check the source and the data; sign it off when the differences are explained.",
            ))  # fmt: skip
    return items


def _cleaning_items(front) -> list[Item]:
    """Items about reading the export: decisions taken, rows set aside."""
    report, items = front.clean_report, []
    by_question: dict[str, list[dict]] = {}
    for decision in report.get("decisions", []):
        by_question.setdefault(decision.get("question_id", ""), []).append(decision)
    for qid, found in by_question.items():
        said = "; ".join(
            f"{d['decision']}" + (f" (column {d['column']!r})" if d.get("column") else "")
            + (f": {d['why']}" if d.get("why") else "")
            for d in found
        )  # fmt: skip
        digest = hashlib.sha256(said.encode("utf-8")).hexdigest()[:8]  # another decision: new id
        where = f"Reading question {qid}" if qid else "Reading the export"
        items.append(Item(f"reading:{qid}:{digest}",
                          f"{where}, the run decided: {said}.",
                          "Confirm it in the export (or declare it in wave.yaml), then sign "
                          "it off."))  # fmt: skip
    invalid = int(report.get("n_rows_quarantined", 0))
    if invalid:
        items.append(Item(
            f"quarantine:{invalid}-rows",
            f"{invalid} row(s) of the export were set aside as invalid (quarantine.csv).",
            "Look at each row and its reason; correct the export's reading or sign it off.",
        ))  # fmt: skip
    return items


def _wave_items(front) -> list[Item]:
    """Items about wave.yaml: facts left to a default, matches left UNCERTAIN, quoting."""
    w = front.wave
    items = [
        Item(
            f"fact:{name}",
            f"The methodology's {name} is not given in wave.yaml; the documents say "
            "it is not stated.",
            "State it in wave.yaml (sample.method, weighting).",
        )
        for name in w.defaulted
    ]
    items += _marked_items(Path(w.path))
    asks_open = bool(_answered_open(front))
    if asks_open and not w.quotes.declared:
        told = "Set quotes.allowed in wave.yaml to what respondents were told."
        items.append(Item("quotes", "No one decided whether open answers may be quoted: "
                          "the documents quote none.", told))  # fmt: skip
    elif asks_open and not w.quotes.allowed:
        items.append(Item("quotes", "Open answers are not quoted (quotes.allowed: false).",
                          "", DECIDED))  # fmt: skip
    return items


def _marked_items(path: Path) -> list[Item]:
    """Return an item per wave.yaml line still marked UNCERTAIN or still saying TODO.

    UNCERTAIN: a column or label ``make init-wave`` matched by similarity; TODO: a fact it
    could not know. Each is named by its key path (``mapping:labels/<question>/<text>``,
    ``todo:sponsor``), the same however the lines around it move; a line outside any key, or
    a path seen twice (a repeated key), is named by its line number too.
    """
    items: list[Item] = []
    for number, where, line in _keyed_lines(path):
        item = _marked(number, where, line)
        if item is not None and item.id in {i.id for i in items}:
            item = replace(item, id=f"{item.id}@line{number}")
        items += [item] if item is not None else []
    return items


def _marked(number: int, where: str, line: str) -> Item | None:
    """Return the item of one wave.yaml line, if it is marked UNCERTAIN or says TODO."""
    found = _UNCERTAIN.match(line)
    if found and where.startswith("mapping/"):
        key = where.removeprefix("mapping/")
        return Item(
            f"mapping:{key}",
            f"wave.yaml line {number}: {key.rsplit('/', 1)[-1]!r} is read as "
            f"{found['value']}, an UNCERTAIN match{found['note'].rstrip()}.",
            "Check it against the export; delete the UNCERTAIN mark when it is right.",
        )
    if "TODO" in line or "UNCERTAIN" in line:
        return Item(
            f"todo:{where or f'line{number}'}",
            f"wave.yaml line {number} still says TODO or UNCERTAIN: {line.strip()}",
            "Replace it with the fact, or delete the mark once checked.",
        )
    return None


def _keyed_lines(path: Path):
    """Yield (line number, key path, line) for each line of a YAML file, keys tracked by indent."""
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        keyed = _KEY.match(line)
        if keyed is not None:
            indent, key = len(keyed["indent"]), _unquoted(keyed["key"])
            while stack and stack[-1][0] >= indent:
                stack.pop()
            stack.append((indent, key))
        elif line.strip() and not line.lstrip().startswith("#"):
            indent = len(line) - len(line.lstrip())
            while stack and stack[-1][0] >= indent:
                stack.pop()
        yield number, "/".join(k for _, k in stack), line


def _unquoted(key: str) -> str:
    """Return a YAML key as text: quotes removed, escapes read."""
    key = key.strip()
    if key.startswith('"'):
        return json.loads(key) if _json_string(key) else key.strip('"')
    if key.startswith("'"):
        return key[1:-1].replace("''", "'")
    return key


def _json_string(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def _coding_items(front, data_root: Path) -> list[Item]:
    """Return an item per open question whose themes no person coded (the keyword pass only)."""
    return [
        Item(
            f"coding:{t.id}",
            f"The themes of {t.id} come from the keyword pass; no person "
            "coded or reviewed them (the documents call them indicative).",
            "Code them (make coding, then return the workbook to data/coding/).",
        )
        for t in _answered_open(front)
        if not coding_file(data_root, front.wave.id, t.id).is_file()
    ]


def _answered_open(front) -> list:
    """Return the open questions with a code frame that this wave's experts answered.

    Their open-answer step published themes (none without an answer to code).
    """
    return [
        t
        for t in front.codebook.open_targets
        if t.frame is not None and catalogue.has(front.output_dir, f"{t.id}_themes")
    ]


def checklist(front, data_root: Path) -> list[Item]:
    """Return every item of the wave's checklist, each with its state (signed off or not)."""
    found = (
        _data_items(front)
        + _cleaning_items(front)
        + _wave_items(front)
        + _coding_items(front, Path(data_root))
    )
    signed = front.wave.signed_off
    items = [
        Item(i.id, i.what, i.close, SIGNED_OFF, signed[i.id])
        if i.id in signed and i.state == OPEN
        else i
        for i in found
    ]
    raised = {i.id for i in found}
    items += [
        Item(
            key,
            "Signed off in wave.yaml, but the run raises no such item (any more).",
            "Remove it from wave.yaml's checklist.",
            "stale",
            reason,
        )
        for key, reason in signed.items()
        if key not in raised
    ]
    return items


def open_items(items: list[dict] | list[Item]) -> list[dict]:
    """Return the items that block a final briefing (as dicts)."""
    rows = [asdict(i) if isinstance(i, Item) else i for i in items]
    return [i for i in rows if i["state"] == OPEN]


def as_markdown(wave_id: str, items: list[Item]) -> str:
    """Return the checklist for the analyst, open items first (checklist.md)."""
    blocking = open_items(items)
    lines = [
        f"# Analyst checklist — wave {wave_id}",
        "",
        f"{len(blocking)} item(s) open: the documents of this run are marked DRAFT"
        + (" until every one is closed (`make briefing FINAL=1` refuses until then)."
           if blocking else "; `make briefing FINAL=1` publishes them without the mark."),
        "Close an item by fixing its cause, or sign it off in wave.yaml: "
        '`checklist: {<id>: "<who decided what, and why>"}`.',
        "",
    ]  # fmt: skip
    order = {OPEN: 0, "stale": 1, SIGNED_OFF: 2, DECIDED: 3}
    for item in sorted(items, key=lambda i: order.get(i.state, 9)):
        lines.append(
            f"- **[{item.state}]** `{json.dumps(item.id, ensure_ascii=False)}` — {item.what}"
        )  # quoted as the sign-off needs it in wave.yaml
        if item.state == OPEN and item.close:
            lines.append(f"  To close: {item.close}")
        if item.reason:
            lines.append(f"  Signed off: {item.reason}")
    return "\n".join(lines) + "\n"


def as_records(items: list[Item]) -> list[dict]:
    """Return the items as plain records (the run's catalogue entry)."""
    return [asdict(i) for i in items]
