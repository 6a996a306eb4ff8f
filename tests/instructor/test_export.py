"""`export`: a learner hands in their own results (contract section 2), with their code in a zip."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.course import load_course
from tutor.state import LearnerState
from tutor.verdict import Failure, Verdict


@pytest.fixture
def worked_state(course_dir: Path, monkeypatch: pytest.MonkeyPatch) -> LearnerState:
    """alice passed add-numbers (then broke it again) and failed safe-counter on a race."""
    monkeypatch.setenv("USER", "alice")
    state = LearnerState(load_course(course_dir))
    state.save_code("add-numbers", "def add(a, b):\n    return a + b\n")
    state.record_verdict("add-numbers", Verdict("add-numbers", "passed", 0.5).to_dict())
    state.record_verdict(
        "add-numbers",
        Verdict("add-numbers", "error", 0.25, failure=Failure("crash", "oops")).to_dict(),
    )
    state.save_code("safe-counter", "# my attempt\n")
    failed = Verdict("safe-counter", "failed", 1.25, failure=Failure("race", "lost update\nT1 T2"))
    state.record_verdict("safe-counter", failed.to_dict())
    return state


def export(course_dir: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["--course", str(course_dir), "export", *args]) == 0
    return capsys.readouterr().out


def test_json_rows_use_user_and_keep_a_pass(worked_state, course_dir, capsys) -> None:
    rows = json.loads(export(course_dir, capsys, "--format", "json"))["results"]
    assert [(r["learner"], r["exercise"], r["status"], r["failure_kind"]) for r in rows] == [
        ("alice", "add-numbers", "passed", None),
        ("alice", "safe-counter", "failed", "race"),
    ]
    assert rows[1]["duration_s"] == 1.25 and rows[1]["message"].startswith("lost update")


def test_csv_and_junit_carry_the_same_rows(worked_state, course_dir, capsys) -> None:
    rows = list(csv.DictReader(io.StringIO(export(course_dir, capsys, "--format", "csv"))))
    assert [(r["exercise"], r["status"], r["failure_kind"]) for r in rows] == [
        ("add-numbers", "passed", ""),
        ("safe-counter", "failed", "race"),
    ]
    root = ET.fromstring(export(course_dir, capsys, "--format", "junit"))
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "alice" and suite.get("failures") == "1"
    assert [c.get("name") for c in suite.iter("testcase")] == ["add-numbers", "safe-counter"]


def test_an_exercise_never_checked_is_new(course_dir, capsys, monkeypatch) -> None:
    monkeypatch.setenv("USER", "dave")
    rows = json.loads(export(course_dir, capsys))["results"]
    assert [(r["learner"], r["status"]) for r in rows] == [("dave", "new"), ("dave", "new")]


def test_zip_holds_the_code_and_the_results(worked_state, course_dir, capsys, tmp_path) -> None:
    target = tmp_path / "handin.zip"
    assert main(["--course", str(course_dir), "export", "-o", str(target)]) == 0
    assert f"wrote {target} (2 code files and results.json)" in capsys.readouterr().err
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == [
            "alice/add-numbers.py",
            "alice/results.json",
            "alice/safe-counter.py",
        ]
        assert archive.read("alice/safe-counter.py") == b"# my attempt\n"
        results = json.loads(archive.read("alice/results.json"))["results"]
    assert {r["exercise"]: r["status"] for r in results} == {
        "add-numbers": "passed",
        "safe-counter": "failed",
    }


def test_zip_to_stdout_is_refused(worked_state, course_dir, capsys) -> None:
    assert main(["--course", str(course_dir), "export", "--format", "zip", "-o", "-"]) == 2
    assert "give -o FILE.zip" in capsys.readouterr().err
