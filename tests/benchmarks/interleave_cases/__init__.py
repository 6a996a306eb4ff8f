"""The explorer benchmark's cases: every ``explore`` call made by a built-in exercise's hidden test.

A case is one ``explore(setup, threads, check)`` call, captured by importing the exercise's
``test_hidden.py`` with ``submission`` bound to its starter (the bug) or its solution (the
fix) and calling each test function with ``explore`` replaced by a recorder. Every tool in the
benchmark (our explorer, the settrace baseline, frontrun, interleave-test, plain threads) then
runs the very same closures. Stdlib only, so that other interpreters and venvs can import it
with nothing but the repository on ``sys.path``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import inspect
import sys
import types
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
EXERCISES = REPO / "exercises"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass
class Case:
    """One captured ``explore`` call."""

    exercise: str
    test: str
    index: int  # position among the exercise's explore calls, in test order
    setup: object
    threads: list
    check: object
    budget_s: float | None = None  # when the hidden test passes one (a starvation case, say)

    @property
    def name(self) -> str:
        return f"{self.exercise}:{self.test}#{self.index}"


class _Recorded(Exception):
    """Stops a test function once it has handed its case over (never escapes ``load``)."""


def explore_based_exercises() -> list[str]:
    """Ids of the built-in exercises whose hidden test calls ``explore``."""
    out = []
    for test in sorted(EXERCISES.glob("*/test_hidden.py")):
        if "explore(" in test.read_text(encoding="utf-8"):
            out.append(test.parent.name)
    return out


def _ensure_pytest() -> None:
    """Hidden tests import pytest for ``pytest.raises``; interpreters without it get a stand-in."""
    try:
        import pytest  # noqa: F401
    except ImportError:
        stub = types.ModuleType("pytest")

        @contextlib.contextmanager
        def raises(expected, match=None):
            try:
                yield
            except expected:
                return
            raise AssertionError(f"DID NOT RAISE {expected}")

        stub.raises = raises
        sys.modules["pytest"] = stub


def _load_module(name: str, path: Path) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load(exercise: str, variant: str) -> list[Case]:
    """The exercise's explore calls with ``submission`` = its ``starter`` or ``solution``.

    Each call gets its own fresh submission and test module, so that module-level state
    (a lazily built singleton, say) left by one tool's run never leaks into another's.
    """
    if variant not in ("starter", "solution") and not variant.startswith("wrong/"):
        raise ValueError(variant)
    _ensure_pytest()
    directory = EXERCISES / exercise
    probe = _import(directory, variant, exercise)
    tests = [
        (name, fn)
        for name, fn in vars(probe).items()
        if name.startswith("test_") and inspect.isfunction(fn) and "explore" in fn.__code__.co_names
    ]
    tests.sort(key=lambda item: item[1].__code__.co_firstlineno)
    cases: list[Case] = []
    for test_name, _ in tests:
        module = _import(directory, variant, exercise)
        recorded: list[tuple] = []

        def recorder(setup, threads, check=None, _sink=recorded, **kwargs):
            _sink.append((setup, list(threads), check, kwargs.get("budget_s")))
            raise _Recorded

        module.explore = recorder
        try:
            getattr(module, test_name)()
        except _Recorded:
            pass
        for setup, threads, check, budget_s in recorded:
            cases.append(Case(exercise, test_name, len(cases), setup, threads, check, budget_s))
    return cases


_serial = [0]


def _import(directory: Path, variant: str, exercise: str) -> types.ModuleType:
    """A fresh ``submission`` (the variant's file) and a fresh hidden test module bound to it."""
    _serial[0] += 1
    tag = f"{exercise.replace('-', '_')}_{variant.replace('/', '_')}_{_serial[0]}"
    submission = _load_module(f"bench_submission_{tag}", directory / f"{variant}.py")
    sys.modules["submission"] = submission
    try:
        return _load_module(f"bench_hidden_{tag}", directory / "test_hidden.py")
    finally:
        sys.modules.pop("submission", None)
