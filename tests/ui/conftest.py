"""Fixtures for the TUI tests: a small, stable course and an app on it, blink and animation off.

The suite-wide conftest already gives every test its own ``$TUTOR_HOME``.
"""

from __future__ import annotations

import asyncio
import inspect
from pathlib import Path

import pytest

from tutor.course import Course, load_course

# The fixture course's hidden tests are run by the grader, never collected by pytest.
collect_ignore_glob = ["fixtures/*"]

FIXTURE_COURSE = Path(__file__).resolve().parent / "fixtures" / "course"
SIZE = (80, 24)


@pytest.fixture
def course() -> Course:
    return load_course(FIXTURE_COURSE)


@pytest.fixture(autouse=True)
def _quiet_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on an SSH link: no blink, no animation, so frames are stable."""
    monkeypatch.setenv("TUTOR_NO_BLINK", "1")
    for name in ("VISUAL", "EDITOR"):
        monkeypatch.delenv(name, raising=False)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run ``async def`` tests (Textual's pilot) on a fresh event loop; no plugin needed."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
