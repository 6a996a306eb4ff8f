"""Suite-wide fixtures: every test gets its own learner home, never the real one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point $TUTOR_HOME at a fresh directory so no test reads or writes a real learner's state."""
    home = tmp_path_factory.mktemp("tutor-home")
    monkeypatch.setenv("TUTOR_HOME", str(home))
    monkeypatch.delenv("TUTOR_SEED", raising=False)
    return home


@pytest.fixture
def tutor_home() -> Path:
    return Path(os.environ["TUTOR_HOME"])
