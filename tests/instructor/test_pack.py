"""`tutor pack --for-learners`: a pack to hand out has no solutions and no wrong fixes, loads as a
course, and lets learners check their work locally (issue 17, item 2)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from instructor_pack import GOOD

from tutor.cli import main
from tutor.course import load_course


def pack(course_dir: Path, output: Path, *more: str) -> int:
    return main(["pack", str(course_dir), "-o", str(output), *more])


def test_a_zip_for_learners_has_no_answers(course_dir: Path, tmp_path: Path, capsys) -> None:
    target = tmp_path / "handout.zip"
    assert pack(course_dir, target, "--for-learners") == 0
    err = capsys.readouterr().err
    assert "left out 2 solutions, 1 wrong fixes" in err
    assert "unzip handout.zip && python -m tutor --course instructor-fixture" in err
    with zipfile.ZipFile(target) as archive:
        names = sorted(archive.namelist())
        archive.extractall(tmp_path / "learner")
    assert names == [
        "instructor-fixture/course.toml",
        "instructor-fixture/exercises/add-numbers/exercise.toml",
        "instructor-fixture/exercises/add-numbers/starter.py",
        "instructor-fixture/exercises/add-numbers/test_hidden.py",
        "instructor-fixture/exercises/safe-counter/exercise.toml",
        "instructor-fixture/exercises/safe-counter/starter.py",
        "instructor-fixture/exercises/safe-counter/test_hidden.py",
        "instructor-fixture/lessons/01-basics.md",
    ]
    course = load_course(tmp_path / "learner" / "instructor-fixture")
    assert [e.id for e in course.exercises] == ["add-numbers", "safe-counter"]
    assert not any(e.has_solution for e in course.exercises)
    assert course.exercise("safe-counter").hints == ("+= is three steps.", "Hold a lock around it.")


def test_the_same_course_gives_the_same_zip(course_dir: Path, tmp_path: Path) -> None:
    assert pack(course_dir, tmp_path / "a.zip", "--for-learners") == 0
    assert pack(course_dir, tmp_path / "b.zip", "--for-learners") == 0
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()


def test_learners_check_their_work_with_the_pack(
    course_dir: Path, tmp_path: Path, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    folder = tmp_path / "handout"
    assert pack(course_dir, folder, "--for-learners") == 0
    assert not list(folder.rglob("solution.py")) and not list(folder.rglob("wrong"))
    mine = tmp_path / "mine.py"
    mine.write_text(GOOD["add-numbers"])
    assert main(["--course", str(folder), "check", "add-numbers", "--file", str(mine)]) == 0
    capsys.readouterr()
    assert main(["--course", str(folder), "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["exercises"]) == 2


def test_a_whole_pack_keeps_solutions_and_wrong_fixes(course_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "coinstructor"
    assert pack(course_dir, folder) == 0
    assert (folder / "exercises/safe-counter/solution.py").is_file()
    assert (folder / "exercises/safe-counter/wrong/lock-per-call.py").is_file()


def test_a_folder_that_is_not_empty_is_refused(course_dir: Path, tmp_path: Path, capsys) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    assert pack(course_dir, tmp_path / "full", "--for-learners") == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("args", [["-o", "-"], ["nowhere", "-o", "x.zip"]])
def test_usage_errors(args: list[str], course_dir: Path, capsys, monkeypatch, tmp_path) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--course", str(course_dir), "pack", *args]) == 2
    assert capsys.readouterr().err.startswith("tutor: error:")


def test_validate_on_a_learners_pack_warns_instead_of_failing(
    course_dir: Path, tmp_path: Path, capsys
) -> None:
    folder = tmp_path / "handout"
    assert pack(course_dir, folder, "--for-learners") == 0
    status = main(["--course", str(folder), "validate", "--repeat", "1", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == 0 and data["ok"], data
    for exercise in data["exercises"]:
        assert exercise["solution"] == [] and exercise["starter"] == ["failed"]
        assert any("no solution.py" in w for w in exercise["warnings"])
