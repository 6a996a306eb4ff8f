"""The command line, through real subprocesses: every command and its error paths."""

from __future__ import annotations

import json
from pathlib import Path

from foundation_helpers import run_cli

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
    untouched = run_cli("reset", "counter", *c)
    assert untouched.returncode == 0 and "already holds the starter code" in untouched.stdout
    assert not list(tutor_home.glob("courses/*/backups/counter/*.py")), "no backup of a starter"
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
    _one_line_error(run_cli("frobnicate"), "unknown command 'frobnicate'", "the commands are")
    _one_line_error(run_cli("hint", *c), "hint: the following arguments are required: ID",
                    "tutor hint --help")
    _one_line_error(run_cli("list", "--frob"), "unrecognized arguments: --frob")


def test_every_error_has_the_same_prefix(course_dir: Path, tmp_path: Path) -> None:
    (course_dir / "lessons/02-bad.md").write_text("no title\n")
    results = [
        run_cli("hint", "nope", "--course", str(course_dir)),  # a course error
        run_cli("frobnicate"),
        run_cli("check"),
        run_cli("list", "--course", str(tmp_path / "missing")),
    ]
    for result in results:
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert lines and all(line.startswith("tutor: error: ") for line in lines), result.stderr


def test_a_mistyped_id_or_command_gets_a_did_you_mean(course_dir: Path) -> None:
    c = ("--course", str(course_dir))
    _one_line_error(run_cli("hint", "countr", *c), "did you mean `counter`?")
    _one_line_error(run_cli("hint", "a hit counter that loses hit"), "did you mean `hit-counter`")
    _one_line_error(run_cli("lsit"), "did you mean `tutor list`?")


def _commands_with_json() -> list[tuple[str, list[str]]]:
    """Every command that can print JSON, with the flag that asks for it and a valid rest."""
    import argparse

    from tutor.cli import _command_modules

    found = []
    for module in _command_modules():
        parser = argparse.ArgumentParser()
        module.add_arguments(parser)
        options = {o for action in parser._actions for o in action.option_strings}
        positional = [a for a in parser._actions if not a.option_strings and a.required]
        rest = ["x"] * len(positional)
        if "--json" in options:
            found.append((module.NAME, [*rest, "--json"]))
        elif "--format" in options:
            found.append((module.NAME, [*rest, "--format", "json"]))
    return found


def test_json_commands_print_errors_as_json_on_stdout_with_exit_2(tmp_path: Path) -> None:
    commands = _commands_with_json()
    names = {name for name, _ in commands}
    assert {"list", "check", "progress", "history", "validate", "grade"} <= names
    for name, args in commands:
        for argv in ([name, *args, "--course", str(tmp_path / "missing")],  # bad input
                     [name, *args, "--no-such-option"]):  # a bad command line
            result = run_cli(*argv)
            assert result.returncode == 2, (argv, result.stdout, result.stderr)
            data = json.loads(result.stdout)
            assert list(data) == ["error"] and isinstance(data["error"], str), argv
            assert "\n" not in data["error"]


def test_json_errors_for_an_unknown_exercise(course_dir: Path) -> None:
    for command in ("check", "history"):
        result = run_cli(command, "nope", "--json", "--course", str(course_dir))
        assert result.returncode == 2
        assert "unknown exercise 'nope'" in json.loads(result.stdout)["error"]
        assert result.stderr == ""


def test_defective_course_lists_every_defect(course_dir: Path) -> None:
    (course_dir / "exercises/counter/test_hidden.py").unlink()
    (course_dir / "lessons/02-bad.md").write_text("no title\n")
    result = run_cli("list", "--course", str(course_dir))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all(line.startswith("tutor: error: course: ") for line in lines)
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


def test_history_lists_versions_and_restores_one(course_dir: Path, tutor_home: Path) -> None:
    c = ("--course", str(course_dir))
    first = json.loads(run_cli("history", "counter", "--json", *c).stdout)
    assert [v["reason"] for v in first["versions"]] == ["starter"]
    work = Path(first["path"])
    work.write_text("N = 1  # edited in vim\n")
    listed = run_cli("history", "counter", *c)
    assert listed.returncode == 0, listed.stderr
    assert "2 saved versions" in listed.stdout and "changed outside the tutor" in listed.stdout
    assert "<- the file now" in listed.stdout
    assert all(len(line) <= 80 for line in listed.stdout.splitlines()
               if not line.startswith("file: "))
    restored = run_cli("history", "counter", "--restore", "2", "--json", *c)
    assert restored.returncode == 0, restored.stderr
    data = json.loads(restored.stdout)
    assert data["restored"]["number"] == 2 and data["restored"]["reason"] == "starter"
    assert work.read_text() == (course_dir / "exercises/counter/starter.py").read_text()
    assert [v["reason"] for v in data["versions"]] == ["restore", "outside", "starter"]
    assert [v["current"] for v in data["versions"]] == [True, False, True]
    assert set(data["versions"][0]) == {"number", "saved_at", "reason", "lines", "bytes",
                                        "sha256", "current"}
    undo = run_cli("history", "counter", "--restore", "2", *c)
    assert undo.returncode == 0 and "restored version 2" in undo.stdout
    assert work.read_text() == "N = 1  # edited in vim\n"
    _one_line_error(run_cli("history", "counter", "--restore", "9", *c), "has no version 9")


def test_check_exits_1_on_a_failure_even_when_stdout_is_closed(course_dir: Path) -> None:
    import os
    import subprocess
    import sys

    for extra in ([], ["--json"]):
        proc = subprocess.Popen(
            [sys.executable, "-m", "tutor", "check", "counter", *extra,
             "--course", str(course_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            env=dict(os.environ),
        )
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader went away before the verdict was printed
        err = proc.stderr.read().decode()
        assert proc.wait(timeout=120) == 1, err
        assert "Traceback" not in err
