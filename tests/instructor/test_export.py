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
    err = capsys.readouterr().err
    assert f"wrote {target} (created): instructor-fixture/alice/ with 2 code files" in err
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == [
            "instructor-fixture/alice/add-numbers.py",
            "instructor-fixture/alice/results.json",
            "instructor-fixture/alice/safe-counter.py",
        ]
        assert archive.read("instructor-fixture/alice/safe-counter.py") == b"# my attempt\n"
        data = json.loads(archive.read("instructor-fixture/alice/results.json"))
    assert {r["exercise"]: r["status"] for r in data["results"]} == {
        "add-numbers": "passed",
        "safe-counter": "failed",
    }
    assert (data["course"], data["source"]) == ("instructor-fixture", "export")
    assert {r["course"] for r in data["results"]} == {"instructor-fixture"}


def test_name_overrides_user_and_shared_accounts_are_warned(
    worked_state, course_dir, capsys, tmp_path, monkeypatch
) -> None:
    target = tmp_path / "handin.zip"
    command = ["--course", str(course_dir), "export", "-o", str(target)]
    assert main([*command, "--name", "ada.lovelace"]) == 0
    assert "instructor-fixture/ada.lovelace/" in capsys.readouterr().err
    with zipfile.ZipFile(target) as archive:
        assert "instructor-fixture/ada.lovelace/results.json" in archive.namelist()
    monkeypatch.setenv("USER", "root")
    assert main(command) == 0
    assert "give --name YOUR-NAME" in capsys.readouterr().err
    assert main([*command, "--name", "../etc"]) == 2
    assert "--name '../etc'" in capsys.readouterr().err


def test_export_to_a_file_says_what_it_wrote(worked_state, course_dir, capsys, tmp_path) -> None:
    target = tmp_path / "results.csv"
    assert main(["--course", str(course_dir), "export", "-o", str(target)]) == 0
    err = capsys.readouterr().err
    assert f"tutor: wrote {target} (created): 2 exercises of instructor-fixture for alice" in err
    assert target.read_text().startswith("learner,exercise,status")


def test_zip_to_stdout_is_refused(worked_state, course_dir, capsys) -> None:
    assert main(["--course", str(course_dir), "export", "--format", "zip", "-o", "-"]) == 2
    assert "give -o FILE.zip" in capsys.readouterr().err
