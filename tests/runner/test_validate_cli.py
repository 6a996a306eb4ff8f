"""`tutor validate`: starters fail, solutions pass, seed by seed; broken courses exit 1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

COURSE = Path(__file__).resolve().parent / "course"


def validate(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "--course", str(course), "validate", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_a_sound_course_validates(tmp_path: Path) -> None:
    done = validate(COURSE, "--repeat", "2", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["ok"] is True
    (entry,) = report["exercises"]  # the contract's fields; validate may add more
    assert {key: entry[key] for key in ("id", "ok", "starter", "solution", "problems")} == {
        "id": "counter",
        "ok": True,
        "starter": ["failed", "failed"],
        "solution": ["passed", "passed"],
        "problems": [],
    }
    assert entry["failures"] == []


def test_a_wrong_solution_and_a_passing_starter_are_named_with_their_seed(
    tmp_path: Path,
) -> None:
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    exercise = course / "exercises" / "counter"
    solution, starter = exercise / "solution.py", exercise / "starter.py"
    good, bad = solution.read_text(), starter.read_text()
    solution.write_text(bad)
    starter.write_text(good)
    done = validate(course, "--repeat", "2", "--json")  # two seeds name the seed as well as five
    assert done.returncode == 1
    (entry,) = json.loads(done.stdout)["exercises"]
    assert entry["ok"] is False
    assert set(entry["starter"]) == {"passed"} and set(entry["solution"]) == {"failed"}
    assert entry["problems"][0].startswith("the starter passes with seed")
    assert "it must fail" in entry["problems"][0]
    assert entry["problems"][1].startswith("the solution failed with seed 0: assertion:")
    failure = entry["failures"][0]  # one per failing seed
    assert failure["seed"] == 0 and failure["kind"] == "assertion" and failure["message"]
    human = validate(course, "--repeat", "1")  # the text rendering of the same failure
    assert "seed 0, how it failed:" in human.stdout


def test_a_course_that_does_not_load_reports_its_defects(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(COURSE, course)
    toml = course / "exercises" / "counter" / "exercise.toml"
    toml.write_text(toml.read_text() + "colour = 'blue'\n")
    done = validate(course, "--repeat", "2", "--json")  # two seeds name the seed as well as five
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["ok"] is False and report["exercises"] == []
    assert any("colour" in defect for defect in report["defects"])
    human = validate(course)
    assert human.returncode == 1 and "colour" in human.stdout
