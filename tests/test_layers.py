"""The declared layers (``[tool.importlinter]`` in pyproject.toml) hold, and the check catches a
wrong import: one against the layers inside a function, and a cycle inside a package.

The check runs ``lint-imports`` (import-linter) in a subprocess; imports inside functions count.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "ontology", "ingest", "graph", "search", "policykg", "api")


def _lint(root: Path) -> subprocess.CompletedProcess:
    """``lint-imports`` on the packages under ``root`` with its pyproject.toml (no cache)."""
    env = {**os.environ, "PYTHONPATH": str(root)}
    code = "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"
    return subprocess.run([sys.executable, "-c", code, "--no-cache", "--no-logo", "pyproject.toml"], cwd=root,
                          env=env, capture_output=True, text=True, timeout=300)


def _copy(tmp: Path) -> Path:
    """The packages' Python files and pyproject.toml, copied under ``tmp``."""
    for pkg in PACKAGES:
        for src in (ROOT / pkg).rglob("*.py"):
            dest = tmp / src.relative_to(ROOT)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
    shutil.copyfile(ROOT / "pyproject.toml", tmp / "pyproject.toml")
    return tmp


def _append(path: Path, code: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + code + "\n", encoding="utf-8")


def test_layers_and_no_cycles_hold():
    out = _lint(ROOT)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "2 kept, 0 broken" in out.stdout, out.stdout


def test_an_import_against_the_layers_inside_a_function_breaks_the_check(tmp_path):
    root = _copy(tmp_path)
    assert _lint(root).returncode == 0, "the copy passes before the bad import"
    _append(root / "graph" / "store.py", "def _settings():\n    from policykg.settings import get_settings\n\n"
                                         "    return get_settings()")
    out = _lint(root)
    assert out.returncode != 0, out.stdout
    assert "BROKEN" in out.stdout and "graph.store -> policykg.settings" in out.stdout, out.stdout


def test_a_cycle_inside_a_package_breaks_the_check(tmp_path):
    root = _copy(tmp_path)
    _append(root / "policykg" / "datadir.py", "def _facade():\n    from policykg import service\n\n"
                                              "    return service")
    out = _lint(root)
    assert out.returncode != 0, out.stdout
    assert "No cycles are allowed in policykg" in out.stdout and "datadir" in out.stdout, out.stdout
