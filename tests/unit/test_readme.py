"""The README describes the tree as it is: its Layout and the tests its guarantees cite."""

import re

from surveybrief.config import PROJ_ROOT

README = (PROJ_ROOT / "README.md").read_text(encoding="utf-8")
PACKAGE = PROJ_ROOT / "src" / "surveybrief"


def _between(start: str, end: str) -> str:
    return README[README.index(start) : README.index(end, README.index(start))]


def test_the_layout_names_every_module():
    layout = _between("## Layout", "### Conventions")
    modules = [p for p in PACKAGE.rglob("*.py") if p.name != "__init__.py"]
    named = {m for m in re.findall(r"(?<![\w/])[\w]+\.py\b", layout)}  # whole names only
    missing = [str(p.relative_to(PACKAGE)) for p in modules if p.name not in named]
    assert missing == []


def test_every_test_a_guarantee_cites_exists():
    table = _between("What the pipeline guarantees", "\n## ")
    files = {p.name: p for p in (PROJ_ROOT / "tests").rglob("test_*.py")}
    wrong, current = [], None
    for name, function in re.findall(r"`(?:[\w/]*/)?(test_\w+\.py)?(?:::(\w+))?`", table):
        current = name or current  # "`::test_x`" continues the file cited before it
        if name and name not in files:
            wrong.append(name)
        elif function and f"def {function}(" not in files[current].read_text(encoding="utf-8"):
            wrong.append(f"{current}::{function}")
    assert wrong == []
