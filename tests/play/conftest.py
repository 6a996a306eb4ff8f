"""Fixtures for the play tests: the built-in course and its transfer-deadlock exercise."""

from __future__ import annotations

import pytest

from tutor.course import Course, Exercise, load_course


@pytest.fixture(scope="session")
def builtin() -> Course:
    return load_course(None)


@pytest.fixture
def transfer(builtin: Course) -> Exercise:
    return builtin.exercise("transfer-deadlock")
