"""``tutor new``: scaffold an exercise in a course pack from the templates in ``tutor/templates``.

Each kind's template is a small, complete exercise of that kind (a buggy starter, its fix, a
hidden test that finds the bug with ``tutor.interleave.explore``, and a tempting wrong fix that
the test rejects), so `validate` passes on a fresh scaffold and the author edits working code
instead of filling in blanks. ``docs/authoring.md`` says how to turn it into your exercise.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from tutor.course import KINDS

EXERCISE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LESSON_ID = re.compile(r"^\d{2,}-[a-z0-9][a-z0-9-]*$")  # NN-slug: two digits at least
TEMPLATES = Path(__file__).resolve().parent / "templates"


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


def _fill(template: str, request: NewExercise, target: str) -> str:
    """Replace the placeholders, quoting the title as the target file's syntax needs."""
    title = request.title
    if target.endswith(".toml"):
        title = json.dumps(title, ensure_ascii=False)  # JSON's escapes are valid TOML too
    elif target.endswith(".py"):  # inside a docstring
        title = title.replace("\\", "\\\\").replace('"', '\\"')
    values = {
        "__EXERCISE_ID__": request.id,
        "__TITLE__": title,
        "__LESSON_TITLE__": request.lesson.split("-", 1)[-1].replace("-", " ").capitalize(),
        "__LESSON__": request.lesson,
        "__KIND__": request.kind,
        "__DIFFICULTY__": str(request.difficulty),
    }
    for token, value in values.items():
        template = template.replace(token, value)
    return template


def scaffold(request: NewExercise, course_root: Path) -> list[Path]:
    """Create the exercise (and its lesson, if the pack lacks it); returns the files written.

    The kind's template folder is copied file for file, ``.tmpl`` dropped and placeholders
    filled, so adding a file to a template needs no code change here.
    """
    check_request(request, course_root)
    lesson = Path("lessons") / f"{request.lesson}.md"
    files = {} if (course_root / lesson).exists() else {lesson: TEMPLATES / "lesson.md.tmpl"}
    directory = Path("exercises") / request.id
    files[directory / "exercise.toml"] = TEMPLATES / "exercise.toml.tmpl"
    kind_dir = TEMPLATES / request.kind
    for template in sorted(kind_dir.rglob("*.tmpl")):
        files[directory / template.relative_to(kind_dir).with_suffix("")] = template
    created = []
    for relative, template in files.items():
        text = _fill(template.read_text(encoding="utf-8"), request, relative.name)
        created.append(_write(course_root / relative, text))
    return created


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
