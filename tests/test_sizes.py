"""No module over 400 lines and no function over 60 lines, in every Python file of the project.

Long modules are split by concern and long functions by named phases (see the style guide).
An exemption names the file (and function) and the reason; one that is no longer needed fails
too, so the list only shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "ontology", "ingest", "graph", "search", "policykg", "api", "scripts", "bench", "tests")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

#: Folders of vendored third-party files, not held to the limits (none holds Python today).
GENERATED: tuple[str, ...] = ("api/static/vendor/",)

#: path -> reason. None today: every module is within the limit.
MODULE_EXEMPTIONS: dict[str, str] = {}
#: (path, function) -> reason. Each is a known debt, listed so it cannot grow unnoticed.
FUNCTION_EXEMPTIONS: dict[tuple[str, str], str] = {
}


def _modules() -> list[Path]:
    files = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if not rel.startswith(GENERATED):
                files.append(path)
    return files


def _sizes() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    """Lines per module, and lines per function (``def`` line to its last line) over the limit."""
    modules: dict[str, int] = {}
    functions: dict[tuple[str, str], int] = {}
    for path in _modules():
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        modules[rel] = source.count("\n")
        for node in ast.walk(ast.parse(source, filename=rel)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    functions[(rel, node.name)] = max(length, functions.get((rel, node.name), 0))
    return modules, functions


@pytest.fixture(scope="module")
def sizes():
    return _sizes()


def test_the_scan_sees_the_project(sizes):
    modules, _ = sizes
    assert len(modules) > 100 and "graph/view.py" in modules and "tests/test_sizes.py" in modules, sorted(modules)[:5]


def test_no_module_over_400_lines(sizes):
    modules, _ = sizes
    long = {m: n for m, n in modules.items() if n > MAX_MODULE_LINES and m not in MODULE_EXEMPTIONS}
    assert not long, f"modules over {MAX_MODULE_LINES} lines (split them by concern): {long}"


def test_no_function_over_60_lines(sizes):
    _, functions = sizes
    long = {f"{m}:{f}": n for (m, f), n in functions.items() if (m, f) not in FUNCTION_EXEMPTIONS}
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines (split them into named phases): {long}"


def test_every_exemption_is_still_needed(sizes):
    modules, functions = sizes
    stale = [m for m in MODULE_EXEMPTIONS if modules.get(m, 0) <= MAX_MODULE_LINES]
    stale += [f"{m}:{f}" for m, f in FUNCTION_EXEMPTIONS if (m, f) not in functions]
    assert not stale, f"exemptions no longer needed (remove them from tests/test_sizes.py): {stale}"


def test_the_check_fails_on_a_long_function(tmp_path):
    """The measure itself: a 61-line function is over the limit, a 60-line one is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    for lines, over in ((60, False), (61, True)):
        extra = "\n    y = 0" if over else ""
        tree = ast.parse(f"def f():\n{body}{extra}\n")
        fn = tree.body[0]
        assert (fn.end_lineno - fn.lineno + 1 > MAX_FUNCTION_LINES) is over, lines
