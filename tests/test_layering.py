"""The engine never imports Textual: only ``tutor/ui/`` may (see docs/architecture.md).

Checked two ways: statically, every import statement outside ``tutor/ui/``; and at run time,
importing the CLI and every engine module in a fresh interpreter leaves textual unloaded.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "tutor"
UI = PACKAGE / "ui"


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.append((node.lineno, node.args[0].value))
    return found


def _engine_files() -> list[Path]:
    return [p for p in sorted(PACKAGE.rglob("*.py")) if UI not in p.parents]


def test_no_module_outside_tutor_ui_imports_textual() -> None:
    offenders = [
        f"{path.relative_to(REPO)}:{line}: imports {module}"
        for path in _engine_files()
        for line, module in _imported_modules(path)
        if module == "textual" or module.startswith("textual.")
    ]
    assert not offenders, "\n".join(offenders)


def test_the_scan_sees_the_ui_importing_textual() -> None:
    """Guards the scan itself: it must find the UI's own textual imports."""
    app = UI / "app.py"
    assert any(m.startswith("textual") for _, m in _imported_modules(app))
    assert _engine_files(), "no engine modules found"


def test_importing_the_engine_does_not_load_textual() -> None:
    modules = sorted(
        ".".join(p.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")
        for p in _engine_files()
        if p.name != "__main__.py" and "_builtin" not in p.parts
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError:\n"
        "        pass\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"textual loaded by the engine: {result.stdout}"
