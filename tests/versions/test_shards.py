"""CI splits the course's grading cases between the versions: together they run each case once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]
TARGET = "tests/course/test_exercises.py"


def _collected(shard: str | None) -> set[str]:
    env = {k: v for k, v in os.environ.items() if k != "TUTOR_TEST_SHARD"}
    if shard:
        env["TUTOR_TEST_SHARD"] = shard
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "no:xdist", TARGET],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return {line for line in done.stdout.splitlines() if line.startswith(TARGET + "::")}


def test_the_split_versions_cover_every_grading_case_once(driver: ModuleType) -> None:
    shards = [part.shard for part in driver.PLAN.values() if part.shard]
    count = len(shards)
    assert sorted(shards) == [f"{k}/{count}" for k in range(count)]  # one shard per version
    everything = _collected(None)
    parts = [_collected(shard) for shard in shards]
    grading = {t for t in everything if t.startswith(TARGET + "::test_verdict[")}
    assert grading, "no grading cases collected: the sharded test was renamed?"
    for index, part in enumerate(parts):
        assert everything - grading <= part  # what is not split runs on every version
        assert grading - part, f"shard {shards[index]} leaves nothing out"
        for other in parts[index + 1:]:
            assert part & other == everything - grading  # each grading case once
    assert set().union(*parts) == everything


def test_a_malformed_shard_is_a_usage_error() -> None:
    env = dict(os.environ, TUTOR_TEST_SHARD="2/2")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "tests/versions/test_shards.py"],
        capture_output=True, text=True, cwd=REPO, env=env, timeout=120,
    )
    assert done.returncode == 4 and "expected K/N" in done.stderr
