"""The folder tree shows the flow: imports go one way, and every function stays small."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from surveybrief.config import PACKAGE_DIR

#: The flow, bottom first: a layer may import its own modules and those of layers before it.
#: ``question_types`` sits above the layers whose helpers a type uses; the layers below reach a
#: type only through ``inputs.question_kind``'s registry (its hooks), never by import.
LAYERS = ("inputs", "platforms", "clean", "analysis", "brief", "question_types", "explore", "run")
#: Modules every layer may import (paths and constants, errors, atomic writers).
SHARED = {"catalogue", "config", "exceptions", "text", "writers"}
MAX_FUNCTION_LINES = 60


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)


def _imported(path: Path) -> set[str]:
    """Return the surveybrief modules a file imports (anywhere in it, lazy imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "surveybrief":
                found.update(f"surveybrief.{alias.name}" for alias in node.names)
            elif node.module.startswith("surveybrief."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("surveybrief."))
    return found


def _part(module: str) -> str:
    """Return the layer or shared module a dotted name belongs to ('surveybrief.clean.x')."""
    return module.split(".")[1]


def _layer_of(path: Path) -> str:
    return path.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py")


def allowed_parts(layer: str) -> set[str]:
    """Return what modules of ``layer`` may import."""
    if layer in SHARED:
        return SHARED
    if layer in LAYERS:
        return SHARED | set(LAYERS[: LAYERS.index(layer) + 1])
    return SHARED | set(LAYERS) | {"tools", layer}  # tools, the command line


def test_every_runtime_module_lives_in_a_layer_or_is_shared():
    top = {p.relative_to(PACKAGE_DIR).parts[0].removesuffix(".py") for p in _modules()}
    assert top - set(LAYERS) - SHARED == {"__init__", "__main__", "tools"}


def test_imports_go_one_way_run_brief_analysis_clean_inputs():
    wrong = []
    for path in _modules():
        layer = _layer_of(path)
        for module in _imported(path):
            if _part(module) not in allowed_parts(layer):
                wrong.append(f"{path.relative_to(PACKAGE_DIR)} imports {module}")
    assert wrong == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Return module -> the package modules it imports (``from pkg import module`` resolved)."""
    known = {_module_name(p) for p in _modules()}
    graph = {}
    for path in _modules():
        edges = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    edges.add(full if full in known else node.module)
            elif isinstance(node, ast.Import):
                edges.update(a.name for a in node.names)
        name = _module_name(path)
        graph[name] = {e for e in edges & known if e != name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle as a path of module names, or [] when there is none."""
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> list[str]:
        if node in path:
            return [*path[path.index(node) :], node]
        if node in done:
            return []
        for nxt in sorted(graph.get(node, ())):
            if cycle := visit(nxt, [*path, node]):
                return cycle
        done.add(node)
        return []

    for start in sorted(graph):
        if cycle := visit(start, []):
            return cycle
    return []


def test_no_module_imports_itself_through_others_type_checking_and_lazy_imports_included():
    """Imports never go in a circle, inside a layer too."""
    assert find_cycle(_import_graph()) == []


def test_the_cycle_check_would_catch_a_circle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) == []


def test_the_package_root_only_registers_the_question_types():
    """``surveybrief/__init__.py`` is where the types are handed to the layers; nothing else."""
    assert _imported(PACKAGE_DIR / "__init__.py") == {"surveybrief.question_types"}


def test_the_runtime_never_imports_the_tools():
    wrong = [
        f"{p.relative_to(PACKAGE_DIR)}"
        for p in _modules()
        if _layer_of(p) in (*LAYERS, *SHARED) and any(_part(m) == "tools" for m in _imported(p))
    ]
    assert wrong == []


def test_the_check_would_catch_an_import_against_the_flow(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from surveybrief.brief.narrative import fmt_points\n")
    assert "brief" not in allowed_parts("analysis")
    assert _imported(bad) == {"surveybrief.brief.narrative"}


def test_every_subpackage_says_what_it_owns_and_may_import():
    for layer in (*LAYERS, "tools"):
        doc = ast.get_docstring(ast.parse((PACKAGE_DIR / layer / "__init__.py").read_text()))
        assert doc and "import" in doc, layer


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE_DIR)))
def test_functions_stay_small(path):
    """A function fits on a screen; a module is as long as its one concept needs."""
    text = path.read_text(encoding="utf-8")
    long = [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]
    assert long == []


def test_analysis_returns_frames_never_html():
    for path in sorted((PACKAGE_DIR / "analysis").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "from html import" not in text and "<table" not in text and "<p" not in text, path


#: What reads a file: analysis takes frames and returns frames; its callers load the data.
READS = re.compile(
    r"(?:read_csv|read_parquet|read_excel|load_workbook|(?<![_.\w])open|read_text|read_bytes"
    r"|load_cleaned_wave|load_processed|read_coding|returned_codings?|load_yaml|load_codebooks?"
    r"|load_wave|load_published\w*|read_json|json\.load|safe_load|\.open)\("
)


def test_analysis_reads_no_file(tmp_path):
    found = [
        f"{path.name}: {m.group(0)}"
        for path in sorted((PACKAGE_DIR / "analysis").rglob("*.py"))
        for m in READS.finditer(path.read_text(encoding="utf-8"))
    ]
    assert found == []
    assert READS.search("frame = pd.read_csv(path)") and READS.search("with open(p) as f:")


def test_no_test_file_imports_another_only_the_shared_helpers():
    tests_dir = PACKAGE_DIR.parents[1] / "tests"
    wrong = []
    for path in sorted(tests_dir.rglob("*.py")):
        for module in _imported_tests(path):
            if module not in ("tests.helpers", "tests"):
                wrong.append(f"{path.relative_to(tests_dir)} imports {module}")
    assert wrong == []


def _imported_tests(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("tests"))
    return found


def test_unit_tests_mirror_the_package_layers():
    unit = PACKAGE_DIR.parents[1] / "tests" / "unit"
    folders = {p.name for p in unit.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == {*LAYERS, "tools"}


def test_distinct_things_have_distinct_module_names():
    """No two modules share a name, but a platform's reader and its fixture writer.

    ``platforms/qualtrics.py`` reads Qualtrics exports and ``tools/exports/qualtrics.py`` writes
    them as Qualtrics does: one platform, named alike on purpose (each registered by that name).
    """
    from surveybrief.platforms.registry import platforms

    by_name: dict[str, list[str]] = {}
    for path in _modules():
        if path.name not in ("__init__.py", "__main__.py"):
            by_name.setdefault(path.stem, []).append(str(path.relative_to(PACKAGE_DIR)))
    mirrored = {p.__module__.rsplit(".", 1)[-1] for p in platforms().values()}
    clashes = {
        stem: where
        for stem, where in by_name.items()
        if len(where) > 1
        and not (
            stem in mirrored and sorted(w.split("/")[0] for w in where) == ["platforms", "tools"]
        )
    }
    assert clashes == {}
