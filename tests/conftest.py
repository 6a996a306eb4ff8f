"""Suite-wide fixtures: every test gets its own learner home, never the real one."""

from __future__ import annotations

import importlib.util
import os
import sys
import zlib
from pathlib import Path
from types import ModuleType

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


# -- CI's shards (scripts/test_versions.py) ---------------------------------------------------
# The course's grading cases are the suite's most expensive part. CI runs all of them on 3.11,
# 3.14 and 3.15, and splits them between 3.12 and 3.13 (TUTOR_TEST_SHARD=0/2 and 1/2), so that
# together those two run each case once. Only these tests are ever split; if one is renamed,
# sharding stops and everything runs (slower, never less).
SHARDED_TESTS = ("tests/course/test_exercises.py::test_verdict[",)


def _shard() -> tuple[int, int] | None:
    value = os.environ.get("TUTOR_TEST_SHARD", "")
    if not value:
        return None
    index, _, count = value.partition("/")
    if not (index.isdigit() and count.isdigit() and int(index) < int(count)):
        raise pytest.UsageError(f"TUTOR_TEST_SHARD={value!r}: expected K/N with 0 <= K < N")
    return int(index), int(count)


def pytest_report_header(config: pytest.Config) -> str | None:
    shard = _shard()
    if shard is None:
        return None
    return f"TUTOR_TEST_SHARD: shard {shard[0]} of {shard[1]} of the course's grading cases"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shard = _shard()
    if shard is None:
        return
    index, count = shard
    keep, drop = [], []
    for item in items:
        sharded = item.nodeid.startswith(SHARDED_TESTS)
        mine = zlib.crc32(item.nodeid.encode()) % count == index
        (keep if not sharded or mine else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


# -- the CI driver (scripts/test_versions.py) is a script, not a package: load it by path --------


@pytest.fixture(scope="session")
def driver() -> ModuleType:
    """The CI driver as a module: its tests, and tests that start children as it does."""
    path = REPO / "scripts" / "test_versions.py"
    spec = importlib.util.spec_from_file_location("test_versions_driver", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
