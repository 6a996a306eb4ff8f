"""The command line, through real subprocesses: every command and its error paths."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from tutor import __version__


def test_version_and_help() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"tutor {__version__}"
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("list", "hint", "reset", "progress"):
        assert command in result.stdout
    for command in ("list", "hint", "reset", "progress"):
        sub = run_cli(command, "--help")
        assert sub.returncode == 0 and "--course DIR" in sub.stdout


def test_list_json_follows_the_contract(course_dir: Path) -> None:
    result = run_cli("list", "--json", "--course", str(course_dir))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["course"] == "Mini"
    assert data["lessons"] == [{"id": "01-intro", "title": "Intro"}]
    assert [e["id"] for e in data["exercises"]] == ["counter", "deadlock"]
    assert set(data["exercises"][0]) == {"id", "title", "lesson", "kind", "difficulty", "status"}
    assert {e["status"] for e in data["exercises"]} == {"new"}


def test_course_option_before_or_after_command(course_dir: Path) -> None:
    before = run_cli("--course", str(course_dir), "list", "--json")
    after = run_cli("list", "--json", "--course", str(course_dir))
    assert before.returncode == after.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)


def test_builtin_list_human() -> None:
    result = run_cli("list")
    assert result.returncode == 0, result.stderr
    assert "exercises passed" in result.stdout and "01-threads" in result.stdout


def test_hint_progress_and_reset_flow(course_dir: Path, tutor_home: Path) -> None:
    c = ("--course", str(course_dir))
    first = run_cli("hint", "counter", *c)
    assert first.returncode == 0 and "Hint 1 of 2" in first.stdout and "Look at +=" in first.stdout
    second = run_cli("hint", "counter", *c)
    assert "Hint 2 of 2" in second.stdout
    third = run_cli("hint", "counter", *c)
    assert third.returncode == 0 and "All 2 hints" in third.stdout

    progress = json.loads(run_cli("progress", "--json", *c).stdout)
    counter = next(row for row in progress["exercises"] if row["id"] == "counter")
    assert counter["hints_used"] == 2 and counter["status"] == "new"
    assert progress["total"] == 2 and progress["passed"] == 0

    fresh = run_cli("reset", "counter", *c)
    assert fresh.returncode == 0 and "starter code written" in fresh.stdout
    work = next(tutor_home.glob("courses/*/work/counter.py"))
    work.write_text("N = 42\n")
    again = run_cli("reset", "counter", *c)
    assert again.returncode == 0 and "kept in" in again.stdout
    backup = Path(again.stdout.split("kept in")[1].strip())
    assert backup.read_text() == "N = 42\n"
    assert work.read_text() == (course_dir / "exercises/counter/starter.py").read_text()

    human = run_cli("progress", *c)
    assert human.returncode == 0 and "0/2 passed" in human.stdout


def _one_line_error(result, *parts: str) -> None:  # type: ignore[no-untyped-def]
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for part in parts:
        assert part in lines[0]


def test_usage_errors_are_one_line_exit_2(course_dir: Path, tmp_path: Path) -> None:
    c = ("--course", str(course_dir))
    _one_line_error(run_cli("hint", "nope", *c), "unknown exercise 'nope'", "tutor list")
    _one_line_error(run_cli("reset", "nope", *c), "unknown exercise 'nope'")
    _one_line_error(run_cli("list", "--course", str(tmp_path / "missing")), "no such directory")
    unknown = run_cli("frobnicate")
    assert unknown.returncode == 2 and "invalid choice" in unknown.stderr
    missing_arg = run_cli("hint", *c)
    assert missing_arg.returncode == 2 and "required" in missing_arg.stderr


def test_defective_course_lists_every_defect(course_dir: Path) -> None:
    (course_dir / "exercises/counter/test_hidden.py").unlink()
    (course_dir / "lessons/02-bad.md").write_text("no title\n")
    result = run_cli("list", "--course", str(course_dir))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("tutor: course error: ") for line in lines)
    assert "Traceback" not in result.stderr


def test_corrupt_progress_warns_once_and_recovers(course_dir: Path, tutor_home: Path) -> None:
    c = ("--course", str(course_dir))
    run_cli("hint", "counter", *c)
    run_cli("hint", "counter", *c)
    progress = next(tutor_home.glob("courses/*/progress.json"))
    progress.write_text("{oops")
    result = run_cli("progress", "--json", *c)
    assert result.returncode == 0
    assert result.stderr.count("\n") == 1 and "corrupt" in result.stderr
    data = json.loads(result.stdout)
    assert next(r for r in data["exercises"] if r["id"] == "counter")["hints_used"] == 1


def test_each_command_module_is_named_after_its_command() -> None:
    # The CLI imports only the invoked command's module, found by file name.
    import importlib
    import pkgutil

    from tutor.cli import commands

    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"tutor.cli.commands.{info.name}")
        assert module.NAME == info.name


def test_every_command_accepts_course_option(course_dir: Path) -> None:
    import pkgutil

    from tutor.cli import commands

    for info in pkgutil.iter_modules(commands.__path__):
        result = run_cli(info.name, "--help")
        assert result.returncode == 0 and "--course DIR" in result.stdout, info.name
