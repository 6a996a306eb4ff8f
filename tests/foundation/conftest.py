"""Fixtures for the foundation tests (helpers are in foundation_helpers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from foundation_helpers import write_course


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    return write_course(tmp_path / "course")
