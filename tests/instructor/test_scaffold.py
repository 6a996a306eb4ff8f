"""`new` scaffolds exercises that validate; an author's own exercise, filled in as docs/authoring.md
says, validates; and `validate` catches a solution that fails on one seed only."""

from __future__ import annotations

import json
import textwrap
import tomllib
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.course import KINDS, load_course


def new(pack: Path, *args: str) -> int:
    return main(["--course", str(pack), "new", *args])


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty folder turned into a pack with one scaffolded exercise of every kind."""
    pack = tmp_path_factory.mktemp("scaffold") / "pack"
    pack.mkdir()
    for kind in KINDS:
        assert new(pack, f"my-{kind}", "--lesson", "01-first-steps", "--kind", kind) == 0
    return pack


def validate_json(pack: Path, capsys: pytest.CaptureFixture[str], repeat: int) -> dict:
    status = main(["--course", str(pack), "validate", "--repeat", str(repeat), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert status == (0 if data["ok"] else 1)
    return data


def test_new_writes_a_loadable_exercise_and_the_missing_lesson(scaffolded: Path) -> None:
    course = load_course(scaffolded)
    assert [lesson.id for lesson in course.lessons] == ["01-first-steps"]
    assert course.lessons[0].title == "First steps"
    assert sorted(e.id for e in course.exercises) == sorted(f"my-{k}" for k in KINDS)
    for kind in KINDS:
        directory = scaffolded / "exercises" / f"my-{kind}"
        meta = tomllib.loads((directory / "exercise.toml").read_text())
        assert (meta["kind"], meta["lesson"], meta["difficulty"]) == (kind, "01-first-steps", 1)
        assert len(list((directory / "wrong").glob("*.py"))) == 1
        assert "explore(" in (directory / "test_hidden.py").read_text()


def test_new_refuses_what_it_cannot_do(scaffolded: Path, capsys) -> None:
    assert new(scaffolded, "my-race", "--lesson", "01-first-steps", "--kind", "race") == 2
    assert "already exists" in capsys.readouterr().err
    assert new(scaffolded, "Bad Id", "--lesson", "first", "--kind", "race") == 2
    err = capsys.readouterr().err
    assert "exercise id 'Bad Id'" in err and "lesson id 'first'" in err
    assert main(["new", "x", "--lesson", "01-a", "--kind", "race"]) == 2  # no --course
    assert "give it with --course DIR" in capsys.readouterr().err


def test_a_title_with_quotes_is_valid_toml(tmp_path: Path) -> None:
    title = 'The "safe" counter \\ done'
    assert new(tmp_path, "quoted", "--lesson", "02-x", "--kind", "race", "--title", title) == 0
    exercise = load_course(tmp_path).exercise("quoted")
    assert exercise.title == title
    assert exercise.task_text().startswith(title)  # the starter's docstring, read back


def test_new_wants_a_two_digit_lesson_number(tmp_path: Path, capsys) -> None:
    assert new(tmp_path, "x", "--lesson", "1-x", "--kind", "race") == 2
    assert "lesson id '1-x': use NN-slug" in capsys.readouterr().err


def test_templates_fit_the_editor_at_80_columns() -> None:
    from tutor.scaffold import TEMPLATES

    wide = [
        f"{path.relative_to(TEMPLATES)}:{number}: {len(line)}"
        for path in sorted(TEMPLATES.rglob("*.tmpl"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if len(line) > 72
    ]
    assert wide == []


@pytest.mark.slow
def test_every_scaffold_grades_right_and_validate_lists_what_is_left(
    scaffolded: Path, capsys
) -> None:
    """The scaffold is a working exercise: its starter fails, its solution passes, its wrong fix
    fails on every seed; what `validate` still reports is the author's to-do list."""
    data = validate_json(scaffolded, capsys, repeat=1)
    assert not data["ok"]
    for exercise in data["exercises"]:
        assert exercise["starter"] == ["failed"] and exercise["solution"] == ["passed"]
        assert all(statuses == ["failed"] for statuses in exercise["wrong"].values())
        assert exercise["problems"] and all("TODO" in p for p in exercise["problems"]), exercise
    assert data["problems"] and all("TODO" in p for p in data["problems"])
    # Each kind's wrong fix, graded as a learner's file would be: none may pass.
    batch = scaffolded.parent / "wrong-fixes" / "tempted"
    batch.mkdir(parents=True)
    for kind in KINDS:
        (wrong,) = (scaffolded / "exercises" / f"my-{kind}" / "wrong").glob("*.py")
        (batch / f"my-{kind}.py").write_text(wrong.read_text())
    assert main(["--course", str(scaffolded), "grade", str(batch.parent), "--jobs", "2"]) == 0
    rows = json.loads(capsys.readouterr().out)["results"]
    assert {row["exercise"]: row["status"] for row in rows} == {
        f"my-{kind}": "failed" for kind in KINDS
    }


# An author's own exercise, written over the scaffold as docs/authoring.md says: the starter
# holds the bug, the solution the fix, the hidden test a setup, thread bodies and a check.
WALLET_STARTER = '''\
    """A shared wallet: deposits from two threads must both count."""


    class Wallet:
        def __init__(self):
            self.balance = 0

        def deposit(self, amount):
            current = self.balance
            self.balance = current + amount
'''
WALLET_SOLUTION = '''\
    """The read and the write happen under one lock."""

    import threading


    class Wallet:
        def __init__(self):
            self.balance = 0
            self._lock = threading.Lock()

        def deposit(self, amount):
            with self._lock:
                current = self.balance
                self.balance = current + amount
'''
WALLET_TEST = """\
    import submission
    from tutor.interleave import explore


    def new_wallet():
        return submission.Wallet()


    def pay_ten(wallet):
        wallet.deposit(10)


    def pay_five(wallet):
        wallet.deposit(5)


    def both_counted(wallet):
        assert wallet.balance == 15, f"deposits of 10 and 5 left {wallet.balance}"


    def test_concurrent_deposits():
        explore(new_wallet, [pay_ten, pay_five], both_counted)
"""
# A solution that is right for every seed but one: validate must name that seed.
FLAKY_SOLUTION = """\
    import os
    import threading


    class Wallet:
        def __init__(self):
            self.balance = 0
            self._lock = threading.Lock()

        def deposit(self, amount):
            if os.environ.get("TUTOR_SEED") == "1":
                current = self.balance
                self.balance = current + amount
                return
            with self._lock:
                self.balance += amount
"""


def fill(directory: Path, starter: str, solution: str, test: str) -> None:
    """The author's own files over the scaffold, hints and lesson included."""
    (directory / "starter.py").write_text(textwrap.dedent(starter))
    (directory / "solution.py").write_text(textwrap.dedent(solution))
    (directory / "test_hidden.py").write_text(textwrap.dedent(test))
    toml = directory / "exercise.toml"
    meta = toml.read_text().split("hints = [")[0]
    toml.write_text(meta + 'hints = ["Two deposits at once.", "One lock around both steps."]\n')
    lesson = directory.parent.parent / "lessons" / "01-basics.md"
    lesson.write_text("# Basics\n\nThreads share memory; a read and a write can interleave.\n")
    for wrong in (directory / "wrong").glob("*.py"):
        wrong.unlink()
    (directory / "wrong" / "sleep-first.py").write_text(
        "# Wrong: a sleep changes the timing, not the interleavings.\n"
        "import time\n\n\nclass Wallet:\n    def __init__(self):\n        self.balance = 0\n\n"
        "    def deposit(self, amount):\n        time.sleep(0.01)\n"
        "        current = self.balance\n        self.balance = current + amount\n"
    )


@pytest.mark.slow
def test_an_authors_exercise_validates_and_a_one_seed_bug_is_caught(tmp_path: Path, capsys) -> None:
    assert new(tmp_path, "wallet", "--lesson", "01-basics", "--kind", "race") == 0
    capsys.readouterr()
    directory = tmp_path / "exercises" / "wallet"
    fill(directory, WALLET_STARTER, WALLET_SOLUTION, WALLET_TEST)
    data = validate_json(tmp_path, capsys, repeat=2)
    assert data["ok"], data
    assert data["exercises"][0]["starter"] == ["failed", "failed"]
    assert data["exercises"][0]["solution"] == ["passed", "passed"]

    fill(directory, WALLET_STARTER, FLAKY_SOLUTION, WALLET_TEST)
    data = validate_json(tmp_path, capsys, repeat=2)
    assert not data["ok"]
    (exercise,) = data["exercises"]
    assert exercise["solution"] == ["passed", "failed"]
    (problem,) = exercise["problems"]
    assert "seed 1" in problem
