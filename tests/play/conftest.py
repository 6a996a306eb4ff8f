"""Fixtures for the play tests: a frozen copy of two built-in exercises, and the course itself.

``fixtures/course`` holds transfer-deadlock and hit-counter as they were when these tests were
written, so the keys, lines and snapshots here do not move when the built-in course changes;
``builtin`` is the real course, for the tests that go over every exercise.
"""

from __future__ import annotations

import asyncio
import inspect

import pytest
from play_helpers import FIXTURE_COURSE

from tutor.course import Course, Exercise, load_course

# The fixture course's hidden tests are run in the sandbox, never collected by pytest.
collect_ignore_glob = ["fixtures/*"]


@pytest.fixture(scope="session")
def builtin() -> Course:
    return load_course(None)


@pytest.fixture(scope="session")
def course() -> Course:
    return load_course(FIXTURE_COURSE)


@pytest.fixture
def transfer(course: Course) -> Exercise:
    return course.exercise("transfer-deadlock")


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on an SSH link: no blink, no animation, so frames are stable."""
    monkeypatch.setenv("TUTOR_NO_BLINK", "1")


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (Textual's pilot) on a fresh event loop; no plugin needed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
