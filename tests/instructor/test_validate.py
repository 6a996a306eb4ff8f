"""`validate` catches weak hidden tests (issue 17, item 3) and checks explanations (issue 14,
item 5): it runs several seeds by default, runs every wrong fix on each, and lints the pack for
the mistakes that grading cannot show, one clear line each."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.cli.commands import validate as validate_command
from tutor.cli.commands.validate import DEFAULT_REPEAT, check_explanations
from tutor.course import load_course
from tutor.lint import lint_hidden_tests
from tutor.verdict import Failure, Verdict

COUNTER = '''\
    """Count hits from many threads."""
    import threading


    class Counter:
        def __init__(self):
            self.hits = 0
            self.lock = threading.Lock()

        def hit(self):
            {body}
'''
BUGGY_BODY = "self.hits += 1"
LOCKED_BODY = "with self.lock:\n                self.hits += 1"
# A wrong fix the tests catch on some seeds only: what a fix that needs more preemptions than
# the explorer's bound looks like to validate (here made plain with the seed itself).
LUCKY = """\
    # Wrong: right only by luck.
    import os
    import threading


    class Counter:
        def __init__(self):
            self.hits = 0
            self.lock = threading.Lock()

        def hit(self):
            if os.environ.get("TUTOR_SEED") in ("0", "2"):
                with self.lock:
                    self.hits += 1
            else:
                self.hits += 1
"""
GOOD_TEST = """\
    import submission
    from tutor.interleave import explore


    def bump(counter):
        counter.hit()


    def both_counted(counter):
        assert counter.hits == 2, f"2 hits counted as {counter.hits}"


    def test_no_lost_update():
        explore(submission.Counter, [bump, bump], both_counted)
"""
WEAK_TEST = """\
    import threading
    import time

    import submission
    from tutor.interleave import explore


    def bump(counter):
        counter.hit()


    def both_counted(counter):
        return counter.hits == 2


    def test_no_lost_update():
        explore(submission.Counter, [bump, bump], both_counted, seed=3)


    def test_real_threads():
        counter = submission.Counter()
        threading.Thread(target=counter.hit).start()
        time.sleep(0.1)
        assert counter.hits == 1
"""


def toml(title: str, hints: str) -> str:
    return (
        f'title = "{title}"\nlesson = "01-basics"\nkind = "race"\ndifficulty = 1\n'
        f"hints = [{hints}]\ntimeout_s = 30\n"
    )


def write_pack(root: Path) -> Path:
    files = {
        "lessons/01-basics.md": "# Basics\n\n```python demo\nprint('never closed')\n",
        "exercises/counter/exercise.toml": toml("Counter", '"Two threads at once."'),
        "exercises/counter/starter.py": COUNTER.format(body=BUGGY_BODY),
        "exercises/counter/solution.py": COUNTER.format(body=LOCKED_BODY),
        "exercises/counter/test_hidden.py": GOOD_TEST,
        "exercises/counter/wrong/lucky.py": LUCKY,
        "exercises/weak/exercise.toml": toml("Weak", '"TODO: a nudge"'),
        "exercises/weak/starter.py": COUNTER.format(body=BUGGY_BODY),
        "exercises/weak/solution.py": COUNTER.format(body=LOCKED_BODY),
        "exercises/weak/test_hidden.py": WEAK_TEST,
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    return root


def test_several_seeds_by_default() -> None:
    assert DEFAULT_REPEAT >= 5


@pytest.mark.slow
def test_weak_tests_are_caught_one_line_each(tmp_path: Path, capsys) -> None:
    pack = write_pack(tmp_path / "pack")
    status = main(["--course", str(pack), "validate", "--repeat", "3", "--jobs", "2"])
    out = capsys.readouterr().out
    assert status == 1
    lines = out.splitlines()

    def one_line(*phrases: str) -> str:
        found = [line for line in lines if all(p in line for p in phrases)]
        assert len(found) == 1, (phrases, out)
        return found[0]

    one_line("wrong/lucky.py passes with seeds 0, 2", "do not catch it on every run")
    one_line("lessons/01-basics.md:3", "this demo cannot run")
    one_line("exercises/weak/exercise.toml:5", "hint 1 is still a TODO placeholder")
    one_line("exercises/weak/test_hidden.py:17", "seed=", "remove seed=")
    one_line(
        "exercises/weak/test_hidden.py:13", "both_counted() returns a value instead of asserting"
    )
    one_line("exercises/weak/test_hidden.py:23", "time.sleep in test_real_threads()")
    one_line("the starter passes with seeds 0, 1, 2")  # the weak check's consequence
    assert "FAIL  counter" in out and "FAIL  weak" in out
    assert out.rstrip().endswith(
        "not sound: 1 course-wide problem(s), 2 of 2 exercises have problems"
    )


@pytest.mark.slow
def test_json_lists_each_wrong_fix_per_seed(tmp_path: Path, capsys) -> None:
    pack = write_pack(tmp_path / "pack")
    main(["--course", str(pack), "validate", "counter", "--repeat", "3", "--json"])
    data = json.loads(capsys.readouterr().out)
    (counter,) = data["exercises"]
    assert counter["wrong"] == {"wrong/lucky.py": ["passed", "failed", "passed"]}
    assert counter["starter"] == ["failed"] * 3 and counter["solution"] == ["passed"] * 3
    assert any("demo cannot run" in p for p in data["problems"])


def test_a_good_hidden_test_has_no_findings() -> None:
    assert list(lint_hidden_tests("t.py", textwrap.dedent(GOOD_TEST))) == []


@pytest.mark.parametrize(
    "check, flagged",
    [
        ("lambda c: c.hits == 2", True),
        ("lambda c: not c.done", True),
        ("lambda c: assert_total(c)", False),
    ],
)
def test_a_lambda_check_that_returns_a_truth_value_is_flagged(check: str, flagged: bool) -> None:
    source = (
        "import submission\nfrom tutor.interleave import explore\n"
        "def assert_total(c):\n    assert c.hits == 2\n"
        f"def test_x():\n    explore(submission.Counter, [], {check})\n"
    )
    found = [f.text for f in lint_hidden_tests("t.py", source)]
    assert bool(found) == flagged, found


def test_sleeps_under_explore_are_fine() -> None:
    source = (
        "import time\nimport submission\nfrom tutor.interleave import explore\n"
        "def worker(c):\n    time.sleep(1)\n    c.hit()\n"
        "def test_x():\n    explore(submission.Counter, [worker, lambda c: time.sleep(2)])\n"
    )
    assert list(lint_hidden_tests("t.py", source)) == []


def test_a_poll_with_a_deadline_is_not_a_fixed_wait() -> None:
    source = (
        "import threading, time\nimport submission\n"
        "def test_x():\n    t = threading.Thread(target=submission.run)\n    t.start()\n"
        "    deadline = time.monotonic() + 30\n"
        "    while t.is_alive() and time.monotonic() < deadline:\n        time.sleep(0.01)\n"
        "    assert not t.is_alive()\n"
    )
    assert list(lint_hidden_tests("t.py", source)) == []
    fixed = source.replace("    deadline", "    time.sleep(0.5)\n    deadline")
    (finding,) = lint_hidden_tests("t.py", fixed)
    assert finding.where == "t.py:6" and "waits a fixed time" in finding.text


def test_the_built_in_course_has_no_lint_problems() -> None:
    from tutor.lint import lint_course

    overall, per_exercise = lint_course(load_course())
    problems = [str(f) for f in overall + sum(per_exercise.values(), []) if f.severity == "problem"]
    assert problems == []


# --- explanations: what the starter's failure must explain (issue 14, item 5) -----------------


def starter_verdict(explanation: dict | None, status: str = "failed") -> Verdict:
    failure = None if status == "passed" else Failure("race", "lost", explanation=explanation)
    return Verdict("counter", status, 0.1, failure=failure)  # type: ignore[arg-type]


@pytest.fixture
def declared(tmp_path: Path):
    pack = write_pack(tmp_path / "pack")
    toml_path = pack / "exercises" / "counter" / "exercise.toml"
    toml_path.write_text(
        toml_path.read_text() + 'explains = {pattern = "lost-update", location = "self.hits"}\n'
    )
    return load_course(pack)


def test_an_exercise_without_explains_is_not_checked(tmp_path: Path) -> None:
    course = load_course(write_pack(tmp_path / "pack"))
    assert check_explanations(course.exercise("counter"), {0: starter_verdict(None)}) == []


def test_the_declared_explanation_passes_and_others_are_problems(declared) -> None:
    exercise = declared.exercise("counter")
    right = {"pattern": "lost-update", "location": "self.hits", "summary": "..."}
    assert (
        check_explanations(exercise, {0: starter_verdict(right), 1: starter_verdict(right)}) == []
    )
    spaced = {**right, "location": "self .hits"}  # whitespace is not a difference
    assert check_explanations(exercise, {0: starter_verdict(spaced)}) == []
    wrong = {"pattern": "check-then-act", "location": "self.hits"}
    (problem,) = check_explanations(
        exercise, {0: starter_verdict(right), 1: starter_verdict(wrong), 2: starter_verdict(None)}
    )
    assert "must be explained as lost-update at self.hits" in problem
    assert "seed 1: explained as check-then-act at self.hits" in problem
    assert "seed 2: no explanation" in problem


def test_validate_reports_an_unexplained_starter(declared, monkeypatch, capsys) -> None:
    """Through the command, with hand-built verdicts in place of the grader's."""
    explained = {"pattern": "lost-update", "location": "self.hits"}

    def fake_grade(exercise, path, *, seed, cancel=None):
        name = Path(path).name
        if name == "starter.py":
            return starter_verdict(explained if seed == 0 else None)
        status = "failed" if "wrong" in str(path) else "passed"
        return starter_verdict(None, status)

    monkeypatch.setattr(validate_command, "grade", fake_grade)
    status = main(["--course", str(declared.root), "validate", "counter", "--repeat", "2"])
    out = capsys.readouterr().out
    assert status == 1
    assert "the starter's failure must be explained as lost-update at self.hits" in out
    assert "seed 1: no explanation" in out and "seed 0" not in out.split("but")[-1]


def test_a_timeout_is_graded_again_with_a_longer_limit(tmp_path: Path, monkeypatch, capsys) -> None:
    """On a busy machine a correct solution can hit the wall limit: one more run with three
    times the limit tells that from code that really hangs."""
    course = load_course(write_pack(tmp_path / "pack"))
    calls: list[tuple[str, int, float | None]] = []

    def fake_grade(exercise, path, *, seed, cancel=None, timeout_s=None):
        name = Path(path).name
        calls.append((name, seed, timeout_s))
        if name == "solution.py" and seed == 1 and timeout_s is None:
            return starter_verdict(None, "timeout")  # slow the first time only
        if name == "lucky.py" and seed == 0:
            return starter_verdict(None, "timeout")  # hangs every time
        return starter_verdict(None, "passed" if name == "solution.py" else "failed")

    monkeypatch.setattr(validate_command, "grade", fake_grade)
    status = main(["--course", str(course.root), "validate", "counter", "--repeat", "2"])
    out = capsys.readouterr().out
    assert ("solution.py", 1, 90.0) in calls  # timeout_s 30 in the pack, times 3
    assert "solution: seed 1 timed out at 30 s and got passed with 90 s" in out
    assert "the solution" not in out  # not a problem: it passed
    assert status == 1  # the pack's lesson demo cannot run; no timeout is a problem:
    assert not [line for line in out.splitlines() if "lucky.py" in line]  # hangs = fails


def test_no_wrong_fixes_skips_them(tmp_path: Path, monkeypatch, capsys) -> None:
    course = load_course(write_pack(tmp_path / "pack"))
    graded: list[str] = []

    def fake_grade(exercise, path, *, seed, cancel=None, timeout_s=None):
        graded.append(Path(path).name)
        return starter_verdict(None, "passed" if Path(path).name == "solution.py" else "failed")

    monkeypatch.setattr(validate_command, "grade", fake_grade)
    main(["--course", str(course.root), "validate", "counter", "--repeat", "2", "--json",
          "--no-wrong-fixes"])  # fmt: skip
    (counter,) = json.loads(capsys.readouterr().out)["exercises"]
    assert sorted(graded) == ["solution.py"] * 2 + ["starter.py"] * 2
    assert counter["wrong"] == {}
