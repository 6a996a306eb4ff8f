"""``tutor new``: scaffold an exercise in a course pack from the templates in ``tutor/templates``.

Each kind's template is a small, complete exercise of that kind (a buggy starter, its fix, a
hidden test that finds the bug with ``tutor.interleave.explore``, and a tempting wrong fix that
the test rejects), so `validate` passes on a fresh scaffold and the author edits working code
instead of filling in blanks. ``docs/authoring.md`` says how to turn it into your exercise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tutor.course import KINDS

EXERCISE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LESSON_ID = re.compile(r"^\d+-[a-z0-9][a-z0-9-]*$")
# template file -> where it goes in the exercise directory
KIND_FILES = {
    "starter.py.tmpl": "starter.py",
    "solution.py.tmpl": "solution.py",
    "test_hidden.py.tmpl": "test_hidden.py",
    "wrong.py.tmpl": "wrong/{wrong_name}.py",
}


class ScaffoldError(Exception):
    """The exercise cannot be created as asked; the message says what to change."""


@dataclass(frozen=True)
class NewExercise:
    """What `new` was asked for."""

    id: str
    lesson: str
    kind: str
    title: str
    difficulty: int = 1


def check_request(request: NewExercise, course_root: Path) -> None:
    """Every reason the request cannot be honoured, as one ScaffoldError."""
    problems = []
    if not EXERCISE_ID.match(request.id):
        problems.append(
            f"exercise id {request.id!r}: use lowercase letters, digits, '-' and '_' "
            "(e.g. hit-counter)"
        )
    if not LESSON_ID.match(request.lesson):
        problems.append(f"lesson id {request.lesson!r}: use NN-slug, e.g. 01-threads")
    if request.kind not in KINDS:
        problems.append(f"kind {request.kind!r}: use one of {', '.join(KINDS)}")
    if not 1 <= request.difficulty <= 3:
        problems.append(f"difficulty {request.difficulty}: use 1, 2 or 3")
    if (course_root / "exercises" / request.id).exists():
        problems.append(f"{course_root / 'exercises' / request.id} already exists")
    if problems:
        raise ScaffoldError("; ".join(problems))


TEMPLATES = Path(__file__).resolve().parent / "templates"


def _template(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _fill(text: str, request: NewExercise) -> str:
    values = {
        "__EXERCISE_ID__": request.id,
        "__TITLE__": request.title,
        "__LESSON__": request.lesson,
        "__KIND__": request.kind,
        "__DIFFICULTY__": str(request.difficulty),
    }
    for token, value in values.items():
        text = text.replace(token, value)
    return text


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrong_name(kind: str) -> str:
    return _template(f"{kind}/wrong-name.txt").strip()


def scaffold(request: NewExercise, course_root: Path) -> list[Path]:
    """Create the exercise (and its lesson, if the pack lacks it); returns the files written."""
    check_request(request, course_root)
    created: list[Path] = []
    lesson_path = course_root / "lessons" / f"{request.lesson}.md"
    if not lesson_path.exists():
        lesson_title = request.lesson.split("-", 1)[1].replace("-", " ").capitalize()
        lesson_path.parent.mkdir(parents=True, exist_ok=True)
        lesson_path.write_text(
            _fill(_template("lesson.md.tmpl"), request).replace("__LESSON_TITLE__", lesson_title),
            encoding="utf-8",
        )
        created.append(lesson_path)
    directory = course_root / "exercises" / request.id
    quoted = NewExercise(
        request.id, request.lesson, request.kind, _toml_string(request.title), request.difficulty
    )
    files = {"exercise.toml": _fill(_template("exercise.toml.tmpl"), quoted)}
    wrong_name = _wrong_name(request.kind)
    for template, target in KIND_FILES.items():
        text = _fill(_template(f"{request.kind}/{template}"), request)
        files[target.format(wrong_name=wrong_name)] = text
    for relative, text in files.items():
        path = directory / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        created.append(path)
    return created
