"""The course loader: every defect reported as one line naming the file, all at once."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from foundation_helpers import EXERCISE_TOML, write_course

from tutor.course import KINDS, CourseError, find_defects, load_course


def _toml(root: Path, ex: str = "counter") -> Path:
    return root / "exercises" / ex / "exercise.toml"


def _set_toml(root: Path, text: str, ex: str = "counter") -> None:
    _toml(root, ex).write_text(text)


Mutation = Callable[[Path], None]

# (name, mutation, substrings the single defect line must contain)
CASES: list[tuple[str, Mutation, tuple[str, ...]]] = [
    ("missing field", lambda r: _set_toml(r, EXERCISE_TOML.replace('kind = "race"\n', "")),
     ("exercises/counter/exercise.toml:", "missing field 'kind'")),
    ("unknown field", lambda r: _set_toml(r, EXERCISE_TOML + 'titel = "x"\n'),
     ("exercises/counter/exercise.toml:6:", "unknown field 'titel'", "allowed fields")),
    ("wrong type", lambda r: _set_toml(r, EXERCISE_TOML.replace("difficulty = 1", 'difficulty = "1"')),
     ("exercise.toml:4:", "'difficulty' must be an integer", "not str")),
    ("bool is not an int", lambda r: _set_toml(r, EXERCISE_TOML.replace("difficulty = 1", "difficulty = true")),
     ("exercise.toml:4:", "'difficulty' must be an integer")),
    ("difficulty out of range", lambda r: _set_toml(r, EXERCISE_TOML.replace("difficulty = 1", "difficulty = 5")),
     ("exercise.toml:4:", "difficulty 5 must be 1, 2 or 3")),
    ("unknown kind", lambda r: _set_toml(r, EXERCISE_TOML.replace('"race"', '"racy"')),
     ("exercise.toml:3:", "kind 'racy' is not one of")),
    ("lesson does not exist", lambda r: _set_toml(r, EXERCISE_TOML.replace("01-intro", "09-nope")),
     ("exercise.toml:2:", "lesson '09-nope' does not exist")),
    ("hints not strings", lambda r: _set_toml(r, EXERCISE_TOML.replace('["Look at +=", "Use a lock"]', "[1, 2]")),
     ("exercise.toml:5:", "hints must be non-empty strings")),
    ("toml syntax error", lambda r: _set_toml(r, EXERCISE_TOML + "timeout_s = = 3\n"),
     ("exercise.toml:6:", "invalid TOML")),
    ("missing starter", lambda r: (r / "exercises/counter/starter.py").unlink(),
     ("exercises/counter/starter.py", "missing")),
    ("missing hidden tests", lambda r: (r / "exercises/counter/test_hidden.py").unlink(),
     ("exercises/counter/test_hidden.py", "missing")),
    ("missing exercise.toml", lambda r: _toml(r).unlink(),
     ("exercises/counter/exercise.toml", "missing")),
    ("duplicate ids", lambda r: [shutil.copytree(r / "exercises/deadlock", r / f"exercises/{n}")
                                 for n in ("my-ex", "my_ex")],
     ("duplicate exercise id",)),
    ("bad exercise id", lambda r: (r / "exercises/counter").rename(r / "exercises/Counter X"),
     ("exercises/Counter X", "must use lowercase letters")),
    ("lesson file name", lambda r: (r / "lessons/01-intro.md").rename(r / "lessons/intro.md"),
     ("lessons/intro.md", "NN-slug.md")),
    ("lesson without title", lambda r: (r / "lessons/01-intro.md").write_text("no heading\n"),
     ("lessons/01-intro.md", "no title")),
    ("duplicate lesson number", lambda r: (r / "lessons/01-other.md").write_text("# Other\n"),
     ("duplicate lesson number 01",)),
    ("syntax error in solution", lambda r: (r / "exercises/counter/solution.py").write_text("def f(:\n"),
     ("exercises/counter/solution.py:1:", "syntax error")),
    ("negative timeout", lambda r: _set_toml(r, EXERCISE_TOML + "timeout_s = -1\n"),
     ("exercise.toml:6:", "timeout_s -1 must be above 0")),
    ("duplicate order", lambda r: _set_toml(r, EXERCISE_TOML + "order = 2\n"),
     ("order 2 is also used by",)),
    ("course.toml unknown field", lambda r: (r / "course.toml").write_text('title = "x"\nauthor = "me"\n'),
     ("course.toml:2:", "unknown field 'author'")),
]


@pytest.mark.parametrize("name,mutate,expected", CASES, ids=[c[0] for c in CASES])
def test_each_defect_is_one_clear_line(
    tmp_path: Path, name: str, mutate: Mutation, expected: tuple[str, ...]
) -> None:
    root = write_course(tmp_path / "course")
    assert find_defects(root) == []
    mutate(root)
    with pytest.raises(CourseError) as caught:
        load_course(root)
    defects = caught.value.defects
    matching = [d for d in defects if all(s in d for s in expected)]
    assert matching, f"{name}: no defect contains {expected}: {defects}"
    for defect in defects:
        assert "\n" not in defect and "Traceback" not in defect


def test_empty_course_and_missing_dir(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert any("empty course" in d for d in find_defects(tmp_path / "empty"))
    assert any("not a directory" in d for d in find_defects(tmp_path / "nowhere"))


def test_all_defects_are_collected_in_one_pass(tmp_path: Path) -> None:
    root = write_course(tmp_path / "course")
    _set_toml(root, EXERCISE_TOML.replace('"race"', '"racy"').replace("difficulty = 1", "difficulty = 9"))
    (root / "exercises/deadlock/test_hidden.py").unlink()
    (root / "lessons/02-x.md").write_text("no title\n")
    defects = find_defects(root)
    assert len(defects) == 4, defects
    joined = "\n".join(defects)
    for part in ("kind 'racy'", "difficulty 9", "deadlock/test_hidden.py", "02-x.md"):
        assert part in joined


def test_sound_course_loads_typed_and_ordered(course_dir: Path) -> None:
    _set_toml(course_dir, EXERCISE_TOML + "order = 5\ntimeout_s = 3\n")
    course = load_course(course_dir)
    assert course.title == "Mini" and course.description == "A tiny course"
    assert [e.id for e in course.exercises] == ["deadlock", "counter"]  # by order within lesson
    counter = course.exercise("counter")
    assert counter.timeout_s == 3.0 and counter.hints == ("Look at +=", "Use a lock")
    assert counter.starter_path.is_file() and counter.task_text() == "Fix me."
    assert course.exercises_for("01-intro") == course.exercises
    with pytest.raises(AttributeError):
        counter.title = "changed"  # type: ignore[misc]
    with pytest.raises(KeyError):
        course.exercise("nope")


def test_builtin_course_loads_without_defect() -> None:
    assert find_defects(None) == []
    course = load_course()
    assert course.builtin and course.lessons and course.exercises
    assert {e.kind for e in course.exercises} <= set(KINDS)


def test_a_pack_for_learners_loads_without_solutions(course_dir: Path) -> None:
    (course_dir / "exercises/counter/solution.py").unlink()
    exercise = load_course(course_dir).exercise("counter")
    assert not exercise.has_solution


def test_contract_fields_are_loaded_and_checked(course_dir: Path) -> None:
    _set_toml(course_dir, EXERCISE_TOML + 'play = "test_race"\nallow_imports = ["multiprocessing"]\n'
              'explains = {pattern = "lost-update", location = "c.n"}\n')
    (course_dir / "course.toml").write_text("strict = true\n")
    course = load_course(course_dir)
    exercise = course.exercise("counter")
    assert course.strict is True
    assert exercise.play == "test_race" and exercise.allow_imports == ("multiprocessing",)
    assert dict(exercise.explains) == {"pattern": "lost-update", "location": "c.n"}
    _set_toml(course_dir, EXERCISE_TOML + 'explains = {pattern = "races", where = "x"}\n')
    joined = "\n".join(find_defects(course_dir))
    assert "explains.pattern 'races' is not one of" in joined and "unknown key(s) where" in joined
