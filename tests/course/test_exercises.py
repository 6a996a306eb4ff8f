"""The built-in exercises: the promised mix, sound metadata, and the verdicts they must get.

Through the real grader (sandboxed child processes, the interleaving explorer), every starter
and every tempting wrong fix in ``exercises/<id>/wrong/`` must fail its hidden tests and every
reference solution must pass. Each starter, solution and wrong fix runs on one seed (the seeds
take turns), to keep the suite inside its time budget. ``tutor validate --repeat 20``
covers twenty seeds for starters and solutions; docs/exercises.md lists what each wrong fix
gets wrong.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

import pytest

from tutor.course import Course, Exercise, load_course
from tutor.grading import grade
from tutor.paths import builtin_course_root

EXERCISES_DIR = builtin_course_root() / "exercises"
CONCURRENCY_KINDS = ("race", "deadlock", "starvation", "lost-wakeup")
MINIMUM_BY_KIND = {"race": 10, "deadlock": 7, "starvation": 4, "lost-wakeup": 4}
MINIMUM_EXERCISES = 36
TASK_WIDTH = 76  # the starter's docstring is the task, read in an 80-column pane
# What a starter's failure may be explained as, for each kind of exercise ("other" always:
# the explorer classifies what it can).
PATTERNS_BY_KIND = {
    "race": {"lost-update", "check-then-act", "unprotected-invariant", "exception", "other"},
    "deadlock": {"deadlock", "busy-wait", "other"},
    "starvation": {"starvation", "busy-wait", "other"},
    "lost-wakeup": {"lost-wakeup", "wait-without-recheck", "deadlock", "other"},
    "other": {"other", "exception", "deadlock"},
}
SEEDS = (0, 1)
WRONG_HEADER = re.compile(r"^# Wrong: \S.*$")


def _exercise_ids() -> list[str]:
    return sorted(
        path.name
        for path in EXERCISES_DIR.iterdir()
        if path.is_dir() and not path.name.startswith((".", "_"))
    )


def _wrong_fixes(exercise_id: str) -> list[Path]:
    return sorted((EXERCISES_DIR / exercise_id / "wrong").glob("*.py"))


def _case(exercise_id: str, file_name: str, seed: int) -> pytest.param:
    label = Path(file_name).stem
    return pytest.param(exercise_id, file_name, seed, id=f"{exercise_id}-{label}-s{seed}")


def _grading_cases() -> list[pytest.param]:
    """Every starter, solution and wrong fix on one seed, the seeds taking turns."""
    cases = []
    for number, exercise_id in enumerate(_exercise_ids()):
        cases.append(_case(exercise_id, "solution.py", SEEDS[(number + 1) % len(SEEDS)]))
        cases.append(_case(exercise_id, "starter.py", SEEDS[number % len(SEEDS)]))
        for index, path in enumerate(_wrong_fixes(exercise_id)):
            seed = SEEDS[(number + index + 1) % len(SEEDS)]
            cases.append(_case(exercise_id, f"wrong/{path.name}", seed))
    return cases


@pytest.fixture(scope="module")
def course() -> Course:
    return load_course(None)


def _exercise(course: Course, exercise_id: str) -> Exercise:
    return course.exercise(exercise_id)


def test_every_exercise_directory_is_in_the_course(course: Course) -> None:
    assert sorted(exercise.id for exercise in course.exercises) == _exercise_ids()


def test_the_course_has_the_promised_mix(course: Course) -> None:
    kinds = Counter(exercise.kind for exercise in course.exercises)
    assert len(course.exercises) >= MINIMUM_EXERCISES, kinds
    for kind, minimum in MINIMUM_BY_KIND.items():
        assert kinds[kind] >= minimum, f"{kinds[kind]} {kind} exercises, want {minimum}: {kinds}"


def test_every_lesson_is_practised(course: Course) -> None:
    bare = [lesson.id for lesson in course.lessons if not course.exercises_for(lesson.id)]
    assert not bare, f"lessons without an exercise: {bare}"


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_the_task_fits_an_80_column_pane(course: Course, exercise_id: str) -> None:
    exercise = _exercise(course, exercise_id)
    source = exercise.starter_path.read_text(encoding="utf-8")
    docstring = ast.parse(source).body[0]
    lines = source.splitlines()[: docstring.end_lineno]
    too_long = [line for line in lines if len(line) > TASK_WIDTH]
    assert not too_long, f"wrap the task at {TASK_WIDTH} columns: {too_long}"


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_what_the_failure_must_explain_fits_the_kind(course: Course, exercise_id: str) -> None:
    explains = dict(_exercise(course, exercise_id).explains)
    if explains:
        kind = _exercise(course, exercise_id).kind
        assert explains["pattern"] in PATTERNS_BY_KIND[kind], (kind, explains)


def test_difficulty_grows_within_each_lesson(course: Course) -> None:
    for lesson in course.lessons:
        difficulties = [exercise.difficulty for exercise in course.exercises_for(lesson.id)]
        assert difficulties == sorted(difficulties), f"{lesson.id}: {difficulties}"


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_metadata_hints_and_task_text(course: Course, exercise_id: str) -> None:
    exercise = _exercise(course, exercise_id)
    assert 2 <= len(exercise.hints) <= 3, "2 or 3 hints, from a nudge to the idea"
    assert exercise.order is not None, "each exercise has its place in its lesson"
    task = exercise.task_text()
    assert task != exercise.title, "the starter must begin with a docstring stating the task"
    assert "What is wrong:" in task and "Fixed means:" in task, task


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_hidden_tests_explore_every_concurrency_bug(course: Course, exercise_id: str) -> None:
    exercise = _exercise(course, exercise_id)
    tree = ast.parse(exercise.test_path.read_text(encoding="utf-8"))
    calls = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    across_processes = "multiprocessing" in exercise.allow_imports  # explore controls threads
    if exercise.kind in CONCURRENCY_KINDS and not across_processes:
        assert "explore" in calls, f"{exercise.kind} exercises are graded with explore()"


@pytest.mark.parametrize("exercise_id", _exercise_ids())
def test_every_exercise_has_labelled_wrong_fixes(exercise_id: str) -> None:
    wrong = _wrong_fixes(exercise_id)
    assert len(wrong) >= 3, "each exercise rejects at least three tempting wrong fixes"
    for path in wrong:
        first_line = path.read_text(encoding="utf-8").splitlines()[0]
        assert WRONG_HEADER.match(first_line), f"{path.name}: start with '# Wrong: why'"
        compile(path.read_bytes(), str(path), "exec")


@pytest.mark.parametrize(("exercise_id", "file_name", "seed"), _grading_cases())
def test_verdict(course: Course, exercise_id: str, file_name: str, seed: int) -> None:
    exercise = _exercise(course, exercise_id)
    verdict = grade(exercise, exercise.directory / file_name, seed=seed)
    summary = verdict.failure.message[:2000] if verdict.failure else verdict.output[-2000:]
    if file_name == "solution.py":
        assert verdict.status == "passed", f"the solution got {verdict.status}: {summary}"
    else:
        # "failed", not "error" or "timeout": the tests ran and caught the bug.
        assert verdict.status == "failed", f"{file_name} got {verdict.status}: {summary}"
