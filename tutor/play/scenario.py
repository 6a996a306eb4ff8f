"""Which interleaving scenario a play session runs, read from the hidden tests on the trusted side.

A scenario is one ``explore(setup, threads, check)`` call of a hidden test. The exercise names
the test (``play = "test_name"`` in exercise.toml); otherwise the first hidden test that calls
``explore`` with two or more threads is taken, else the first that calls it at all (a test
that explores a single thread is a sanity check with nothing to schedule). Everything here
reads source text with ``ast``: nothing is imported or run.

``same_program`` tells whether the learner's file is still the starter (comments, blank lines
and docstrings aside): only then is the code in the sandbox the course's own, so only then can
its report of a broken run be believed enough to record "found it yourself".
"""

from __future__ import annotations

import ast
from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    """A hidden test to play: its pytest name and, when the source says, its thread count."""

    test: str
    threads: int | None  # None: the call does not spell its threads as a list display


class NoScenario(ValueError):
    """The exercise has no hidden test to play; the message says why, in one line."""


def _explore_names(tree: ast.Module) -> tuple[set[str], set[str]]:
    """(names bound to ``tutor.interleave.explore``, names bound to the module itself)."""
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tutor.interleave":
            functions |= {a.asname or a.name for a in node.names if a.name == "explore"}
        elif isinstance(node, ast.ImportFrom) and node.module == "tutor":
            modules |= {a.asname or a.name for a in node.names if a.name == "interleave"}
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "tutor.interleave":
                    modules.add(alias.asname or "tutor")
    return functions, modules


def _is_explore_call(node: ast.AST, functions: set[str], modules: set[str]) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name):
        return func.id in functions
    if isinstance(func, ast.Attribute) and func.attr == "explore":
        base = func.value
        while isinstance(base, ast.Attribute):
            base = base.value
        return isinstance(base, ast.Name) and base.id in modules
    return False


def _thread_count(call: ast.Call) -> int | None:
    """The length of the threads argument when it is a list or tuple display, else None."""
    threads = call.args[1] if len(call.args) > 1 else None
    for keyword in call.keywords:
        if keyword.arg == "threads":
            threads = keyword.value
    if isinstance(threads, ast.List | ast.Tuple) and not any(
        isinstance(element, ast.Starred) for element in threads.elts
    ):
        return len(threads.elts)
    return None


class _Reader:
    """The hidden tests' functions, and which of them reach an ``explore`` call."""

    def __init__(self, tree: ast.Module) -> None:
        self.functions, self.modules = _explore_names(tree)
        self.helpers = {
            node.name: node
            for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self._reaches: dict[str, bool] = {}

    def direct_calls(self, function: ast.AST) -> list[ast.Call]:
        return [
            node
            for node in ast.walk(function)
            if _is_explore_call(node, self.functions, self.modules)
        ]

    def reaches_explore(self, function: ast.AST, seen: frozenset[str] = frozenset()) -> bool:
        """Calls explore itself, or through module-level helpers (any depth)."""
        if self.direct_calls(function):
            return True
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                name = node.func.id
                if name in self.helpers and name not in seen:
                    if name not in self._reaches:
                        self._reaches[name] = self.reaches_explore(
                            self.helpers[name], seen | {name}
                        )
                    if self._reaches[name]:
                        return True
        return False


def _tests(tree: ast.Module) -> list[tuple[str, ast.AST]]:
    """Test functions in file order, named as pytest names them (``Class::test``)."""
    found: list[tuple[str, ast.AST]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
            "test"
        ):
            found.append((node.name, node))
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            for item in node.body:
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef) and (
                    item.name.startswith("test")
                ):
                    found.append((f"{node.name}::{item.name}", item))
    return found


def find_scenario(test_source: str | bytes, wanted: str | None = None) -> Scenario:
    """The scenario to play from the hidden tests' source; ``wanted`` is exercise.toml's
    ``play``. Raises ``NoScenario`` when there is none."""
    try:
        tree = ast.parse(test_source)
    except (SyntaxError, ValueError) as exc:
        raise NoScenario(f"the hidden tests do not parse ({exc})") from None
    reader = _Reader(tree)
    playable = [(name, node) for name, node in _tests(tree) if reader.reaches_explore(node)]
    if wanted is not None:
        for name, node in playable:
            if wanted in (name, name.rsplit("::", 1)[-1]):
                return _scenario(reader, name, node)
        raise NoScenario(f"play = {wanted!r} names no hidden test that calls explore()")
    if not playable:
        raise NoScenario("no hidden test calls explore(): there is no interleaving to play")
    scenarios = [_scenario(reader, name, node) for name, node in playable]
    for scenario in scenarios:
        if scenario.threads is None or scenario.threads > 1:
            return scenario
    return scenarios[0]


def _scenario(reader: _Reader, name: str, node: ast.AST) -> Scenario:
    calls = reader.direct_calls(node)
    count = _thread_count(calls[0]) if len(calls) == 1 else None
    return Scenario(name, count)


def _without_docstrings(tree: ast.AST) -> ast.AST:
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (
                body
                and isinstance(body[0], ast.Expr)
                and isinstance(body[0].value, ast.Constant)
                and isinstance(body[0].value.value, str)
            ):
                node.body = body[1:] or [ast.Pass()]
    return tree


def same_program(source: str | bytes, reference: str | bytes) -> bool:
    """True when ``source`` is ``reference`` up to comments, layout and docstrings."""
    try:
        mine = _without_docstrings(ast.parse(source))
        theirs = _without_docstrings(ast.parse(reference))
    except (SyntaxError, ValueError):
        return False
    return ast.dump(mine) == ast.dump(theirs)
