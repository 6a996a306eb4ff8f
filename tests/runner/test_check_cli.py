"""`tutor check`: the contract's JSON, exit statuses, progress recorded only without --file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

COURSE = Path(__file__).resolve().parent / "course"
EXERCISE = COURSE / "exercises" / "counter"


def tutor(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "--course", str(COURSE), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_file_json_is_one_contract_object_and_records_nothing(tutor_home: Path) -> None:
    done = tutor("check", "counter", "--file", str(EXERCISE / "solution.py"), "--json")
    assert done.returncode == 0, done.stderr
    verdict = json.loads(done.stdout)  # exactly one object, nothing else on stdout
    assert set(verdict) == {
        "exercise",
        "status",
        "duration_s",
        "tests",
        "failure",
        "integrity",
        "output",
        "isolation",
    }
    assert verdict["integrity"] == [] and isinstance(verdict["isolation"], list)
    assert verdict["status"] == "passed" and verdict["failure"] is None
    assert [t["outcome"] for t in verdict["tests"]] == ["passed", "passed"]
    (entry,) = json.loads(tutor("progress", "--json").stdout)["exercises"]
    assert (entry["status"], entry["attempts"]) == ("new", 0)


def test_check_failing_file_exits_1_with_the_failing_test(tutor_home: Path) -> None:
    done = tutor("check", "counter", "--file", str(EXERCISE / "starter.py"), "--json")
    assert done.returncode == 1
    verdict = json.loads(done.stdout)
    assert verdict["status"] == "failed"
    assert verdict["failure"]["kind"] == "assertion"
    failing = [t for t in verdict["tests"] if t["outcome"] == "failed"]
    assert [t["name"] for t in failing] == ["test_concurrent_increments_are_all_counted"]
    assert failing[0]["message"].startswith("lost updates")
    assert "Traceback" not in failing[0]["message"]


def test_check_without_file_grades_the_working_copy_and_records_it(tutor_home: Path) -> None:
    done = tutor("check", "counter")
    assert done.returncode == 1
    assert "counter: FAILED" in done.stdout
    assert "lost updates" in done.stdout
    listing = json.loads(tutor("list", "--json").stdout)
    assert listing["exercises"][0]["status"] == "attempted"


def test_check_missing_file_is_a_one_line_usage_error() -> None:
    done = tutor("check", "counter", "--file", "/nonexistent/nope.py")
    assert done.returncode == 2
    assert done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "no such file" in done.stderr


def test_check_unknown_exercise_is_a_usage_error() -> None:
    done = tutor("check", "no-such-exercise")
    assert done.returncode == 2
    assert "unknown exercise" in done.stderr
