"""Fixtures for the instructor tests: a fresh course pack per test session."""

from __future__ import annotations

from pathlib import Path

import pytest
from instructor_pack import write_course


@pytest.fixture(scope="session")
def course_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_course(tmp_path_factory.mktemp("pack") / "course")
