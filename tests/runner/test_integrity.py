"""The integrity policy: honest code is never flagged, every interpreter back door is.

Iterates the built-in course's directory, so exercises added later are covered too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.course import load_course
from tutor.integrity import scan

COURSE = load_course(None)
HONEST = [
    (exercise, path)
    for exercise in COURSE.exercises
    for path in [
        exercise.directory / "solution.py",
        exercise.directory / "starter.py",
        *sorted((exercise.directory / "wrong").glob("*.py")),
    ]
    if path.is_file()
]


def test_the_course_has_files_to_check() -> None:
    assert len(COURSE.exercises) >= 20 and len(HONEST) >= 3 * len(COURSE.exercises)


@pytest.mark.parametrize(
    ("exercise", "path"), HONEST, ids=[f"{e.id}/{p.relative_to(e.directory)}" for e, p in HONEST]
)
def test_no_built_in_solution_starter_or_wrong_fix_is_flagged(exercise, path: Path) -> None:
    assert scan(path.read_bytes(), exercise.allow_imports) == []


@pytest.mark.parametrize(
    ("source", "finding"),
    [
        ("import gc", "imports gc"),
        ("import inspect", "imports inspect"),
        ("import ctypes", "imports ctypes"),
        ("import importlib", "imports importlib"),
        ("import pytest", "imports pytest"),
        ("from _pytest import reports", "imports _pytest"),
        ("import tutor.runner", "imports tutor.runner"),
        ("from tutor.interleave import explore", "imports tutor.interleave"),
        ("import sys\nf = sys._getframe()", "_getframe"),
        ("import sys as s\nm = s.modules['pytest']", "sys.modules"),
        ("from sys import modules", "imports modules from sys"),
        ("def f(g):\n    return g.gi_frame.f_back", "gi_frame"),
        ("def f(tb):\n    return tb.tb_frame.f_globals", "tb_frame"),
        ("x = object.__subclasses__()", "__subclasses__"),
        ("def f(fn):\n    return fn.__globals__", "__globals__"),
        ("b = __builtins__", "__builtins__"),
        ("m = __import__('os')", "__import__"),
        ("eval('1')", "eval"),
        ("exec('x = 1')", "exec"),
        ("c = compile('1', 'f', 'eval')", "compile"),
        ("def f(o, n):\n    return getattr(o, n)", "computed attribute name"),
        ("def f(o):\n    setattr(o, 'a' + 'b', 1)", "computed attribute name"),
        ("def f(o):\n    return getattr(o, 'f_back')", "f_back"),
        ("def f(frame):\n    frame.f_trace_opcodes = False", "f_trace_opcodes"),
        ("def f(frame):\n    frame.f_trace_lines = False", "f_trace_lines"),
        ("def f(module):\n    return module.currentframe()", "currentframe"),
        ("def __getattr__(name):\n    return 1", "module-level __getattr__"),
        ("import threading\nthreading.settrace(print)", "settrace"),
        ("import sys\nsys.monitoring.set_events(3, 0)", "sys.monitoring"),
        ("from sys import monitoring", "imports monitoring from sys"),
        ("from . import x", "relative import"),
    ],
)
def test_each_back_door_is_flagged(source: str, finding: str) -> None:
    findings = scan(source)
    assert any(finding in f for f in findings), findings
    assert all(f.startswith("line ") for f in findings)


def test_an_exercise_may_allow_a_module() -> None:
    assert scan("import ctypes") and scan("import ctypes", ["ctypes"]) == []
    assert scan("import xml.dom", ["xml"]) == []


def test_honest_threading_code_is_not_flagged() -> None:
    source = """
import threading, queue, time
from concurrent.futures import ThreadPoolExecutor


class Worker:
    __slots__ = ("_lock", "items")

    def __init__(self):
        self._lock = threading.Lock()
        self.items = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __repr__(self):
        return f"{type(self).__name__}({self.__class__.__name__})"

    def __getattr__(self, name):  # a class may define it; only a module-level one is a trick
        raise AttributeError(name)


if __name__ == "__main__":
    print(getattr(Worker(), "items"), hasattr(Worker, "_lock"))
"""
    assert scan(source) == []


def test_unparsable_code_has_no_findings_the_run_reports_it() -> None:
    assert scan("def broken(:") == []
