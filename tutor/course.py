"""Courses: typed, immutable objects loaded from a directory, with every defect reported at once.

The format is section 1 of the shared contract. An author fixing a course wants the whole
list of what is wrong in one pass, each as one line naming the file (and the TOML line), so
the loader collects defects instead of stopping at the first one.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.paths import builtin_course_root
from tutor.questions import Question, lesson_stem, questions_path, read_questions

KINDS: tuple[str, ...] = ("race", "deadlock", "starvation", "lost-wakeup", "other")
DEFAULT_TIMEOUT_S = 10.0
EXERCISE_FILES = ("starter.py", "solution.py", "test_hidden.py")
# A pack handed to learners (``tutor pack --for-learners``) has no solution.py: it is optional.
REQUIRED_EXERCISE_FILES = ("starter.py", "test_hidden.py")
# The explanation patterns of contract section 2 (``failure.explanation.pattern``).
EXPLANATION_PATTERNS: tuple[str, ...] = (
    "lost-update",
    "check-then-act",
    "unprotected-invariant",
    "deadlock",
    "lost-wakeup",
    "wait-without-recheck",
    "starvation",
    "busy-wait",
    "exception",
    "other",
)

_LESSON_NAME = re.compile(r"^(\d+)-([a-z0-9][a-z0-9-]*)\.md$")
_EXERCISE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")

# field name -> (python types accepted, human type name, required)
_EXERCISE_FIELDS: dict[str, tuple[tuple[type, ...], str, bool]] = {
    "title": ((str,), "a string", True),
    "lesson": ((str,), "a lesson id string", True),
    "kind": ((str,), "a string", True),
    "difficulty": ((int,), "an integer from 1 to 3", True),
    "hints": ((list,), "a list of strings", True),
    "timeout_s": ((int, float), "a number of seconds", False),
    "order": ((int,), "an integer", False),
    "explains": ((dict,), 'a table {pattern = "...", location = "..."}', False),
    "play": ((str,), "the name of a hidden test that calls explore", False),
    "allow_imports": ((list,), "a list of module names", False),
}
_COURSE_FIELDS: dict[str, tuple[tuple[type, ...], str, bool]] = {
    "title": ((str,), "a string", False),
    "description": ((str,), "a string", False),
    "strict": ((bool,), "true or false", False),
}


@dataclass(frozen=True)
class Lesson:
    """A lesson: one Markdown file; its id is the file stem, its title the first heading."""

    id: str
    title: str
    path: Path
    number: int
    # The questions at the end of the lesson (lessons/NN-slug.questions.toml), if any.
    questions: tuple[Question, ...] = ()

    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class Exercise:
    """An exercise directory: metadata plus starter, solution and hidden tests."""

    id: str
    title: str
    lesson: str
    kind: str
    difficulty: int
    hints: tuple[str, ...]
    timeout_s: float
    order: int | None
    directory: Path
    # What the starter's failure must explain: {"pattern": ..., "location": ...} (or empty).
    explains: tuple[tuple[str, str], ...] = ()
    # The hidden test whose explore() call the scheduler screen runs (None: the first one).
    play: str | None = None
    # Modules the integrity policy allows beyond its default list.
    allow_imports: tuple[str, ...] = ()

    @property
    def has_solution(self) -> bool:
        """False in a pack handed to learners (no solution.py)."""
        return self.solution_path.is_file()

    @property
    def starter_path(self) -> Path:
        return self.directory / "starter.py"

    @property
    def solution_path(self) -> Path:
        return self.directory / "solution.py"

    @property
    def test_path(self) -> Path:
        return self.directory / "test_hidden.py"

    def task_text(self) -> str:
        """The task shown to the learner: the starter's module docstring."""
        import ast

        try:
            tree = ast.parse(self.starter_path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, ValueError):
            return self.title
        return ast.get_docstring(tree) or self.title


@dataclass(frozen=True)
class Course:
    """A loaded course; lessons and exercises are in course order."""

    root: Path
    title: str
    description: str
    lessons: tuple[Lesson, ...]
    exercises: tuple[Exercise, ...]
    builtin: bool = False
    # course.toml ``strict = true``: integrity findings refuse the submission instead of flagging.
    strict: bool = False

    def lesson(self, lesson_id: str) -> Lesson:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def exercise(self, exercise_id: str) -> Exercise:
        for exercise in self.exercises:
            if exercise.id == exercise_id:
                return exercise
        raise KeyError(exercise_id)

    def exercises_for(self, lesson_id: str) -> tuple[Exercise, ...]:
        return tuple(e for e in self.exercises if e.lesson == lesson_id)


class CourseError(Exception):
    """A course with defects; ``defects`` holds one line per problem."""

    def __init__(self, defects: list[str]) -> None:
        self.defects = tuple(defects)
        super().__init__("\n".join(defects))


def load_course(root: Path | None = None) -> Course:
    """Load the course at ``root`` (None: the built-in course), or raise ``CourseError``."""
    course, defects = _load(root)
    if defects:
        raise CourseError(defects)
    assert course is not None
    return course


def find_defects(root: Path | None = None) -> list[str]:
    """Every defect of the course at ``root``, one line each; empty when it is sound."""
    return _load(root)[1]


def _load(root: Path | None) -> tuple[Course | None, list[str]]:
    builtin = root is None
    root = builtin_course_root() if root is None else Path(root)
    defects: list[str] = []
    if not root.is_dir():
        return None, [f"{root}: not a directory; give the folder with lessons/ and exercises/"]
    title, description, strict = _load_course_toml(root, defects)
    lessons = _load_lessons(root, defects)
    lesson_ids = {lesson.id for lesson in lessons}
    exercises = _load_exercises(root, lesson_ids, defects)
    if not lessons and not exercises and not defects:
        defects.append(
            f"{root}: empty course; add lessons/NN-slug.md files and exercises/<id>/ folders"
        )
    lesson_rank = {lesson.id: i for i, lesson in enumerate(lessons)}
    exercises.sort(
        key=lambda e: (
            lesson_rank.get(e.lesson, len(lessons)),
            e.order is None,
            e.order or 0,
            e.id,
        )
    )
    course = Course(
        root=root,
        title=title or ("Python threads, for real" if builtin else root.name),
        description=description,
        lessons=tuple(lessons),
        exercises=tuple(exercises),
        builtin=builtin,
        strict=strict,
    )
    return course, defects


def _relative(root: Path, path: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def _read_toml(path: Path, shown: str, defects: list[str]) -> tuple[dict[str, Any], str] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        defects.append(
            f"{shown}: cannot be read ({exc.__class__.__name__}); fix its permissions or encoding"
        )
        return None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_LINE.search(message)
        where = f"{shown}:{match.group(1)}" if match else shown
        reason = _TOML_LINE.sub("", message).strip()
        defects.append(f"{where}: invalid TOML: {reason}; fix the syntax")
        return None


def _field_line(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _at(shown: str, text: str, key: str) -> str:
    line = _field_line(text, key)
    return f"{shown}:{line}" if line else shown


def _check_fields(
    data: dict[str, Any],
    text: str,
    shown: str,
    spec: dict[str, tuple[tuple[type, ...], str, bool]],
    defects: list[str],
) -> bool:
    """Report unknown, missing and mistyped fields; True when all present fields are well typed."""
    ok = True
    allowed = ", ".join(spec)
    for key in data:
        if key not in spec:
            defects.append(
                f"{_at(shown, text, key)}: unknown field {key!r}; allowed fields: {allowed}"
            )
            ok = False
    for key, (types, type_name, required) in spec.items():
        if key not in data:
            if required:
                defects.append(f"{shown}: missing field {key!r}; add {key} = ... ({type_name})")
                ok = False
            continue
        value = data[key]
        if (isinstance(value, bool) and bool not in types) or not isinstance(value, types):
            defects.append(
                f"{_at(shown, text, key)}: field {key!r} must be {type_name}, "
                f"not {type(value).__name__}"
            )
            ok = False
    return ok


def _load_course_toml(root: Path, defects: list[str]) -> tuple[str, str, bool]:
    path = root / "course.toml"
    if not path.exists():
        return "", "", False
    loaded = _read_toml(path, "course.toml", defects)
    if loaded is None:
        return "", "", False
    data, text = loaded
    if not _check_fields(data, text, "course.toml", _COURSE_FIELDS, defects):
        return "", "", False
    return data.get("title", ""), data.get("description", ""), data.get("strict", False)


def _load_lessons(root: Path, defects: list[str]) -> list[Lesson]:
    lessons_dir = root / "lessons"
    if not lessons_dir.is_dir():
        return []
    lessons: list[Lesson] = []
    seen_numbers: dict[int, str] = {}
    for path in sorted(lessons_dir.iterdir()):
        if path.name.startswith(".") or path.is_dir():
            continue
        shown = _relative(root, path)
        match = _LESSON_NAME.match(path.name)
        if not match:
            if path.suffix == ".md":
                defects.append(
                    f"{shown}: a lesson file must be named NN-slug.md "
                    "(digits, a dash, lowercase letters, digits and dashes)"
                )
            continue
        number = int(match.group(1))
        if number in seen_numbers:
            defects.append(
                f"{shown}: duplicate lesson number {match.group(1)} "
                f"(also {seen_numbers[number]}); renumber one of them"
            )
        seen_numbers[number] = path.name
        title = _lesson_title(path, shown, defects)
        quiz = questions_path(path)
        questions, problems = read_questions(quiz, _relative(root, quiz))
        defects.extend(problems)
        if title is not None:
            lessons.append(
                Lesson(id=path.stem, title=title, path=path, number=number, questions=questions)
            )
    _check_question_files(root, lessons_dir, defects)
    return lessons


def _check_question_files(root: Path, lessons_dir: Path, defects: list[str]) -> None:
    """A questions file whose lesson does not exist would never be shown: say so."""
    for path in sorted(lessons_dir.iterdir()):
        stem = lesson_stem(path)
        if stem is not None and not (lessons_dir / f"{stem}.md").is_file():
            defects.append(
                f"{_relative(root, path)}: no lesson {stem}.md for these questions; "
                "rename the file after its lesson"
            )


def _lesson_title(path: Path, shown: str, defects: list[str]) -> str | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        defects.append(f"{shown}: cannot be read ({exc.__class__.__name__}); save it as UTF-8")
        return None
    for line in text.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
            if title:
                return title
    defects.append(f"{shown}: no title; start the lesson with a '# Title' line")
    return None


def _load_exercises(root: Path, lesson_ids: set[str], defects: list[str]) -> list[Exercise]:
    exercises_dir = root / "exercises"
    if not exercises_dir.is_dir():
        return []
    exercises: list[Exercise] = []
    folded: dict[str, str] = {}
    for directory in sorted(exercises_dir.iterdir()):
        if not directory.is_dir() or directory.name.startswith((".", "_")):
            continue
        shown_dir = _relative(root, directory)
        if not _EXERCISE_ID.match(directory.name):
            defects.append(
                f"{shown_dir}: exercise id {directory.name!r} must use lowercase letters, "
                "digits, '-' and '_' (it names files like <id>.py); rename the folder"
            )
            continue
        key = directory.name.replace("_", "-")
        if key in folded:
            defects.append(
                f"{shown_dir}: duplicate exercise id: {directory.name!r} clashes with "
                f"{folded[key]!r}; rename one of them"
            )
            continue
        folded[key] = directory.name
        exercise = _load_exercise(root, directory, lesson_ids, defects)
        if exercise is not None:
            exercises.append(exercise)
    _check_orders(root, exercises, defects)
    return exercises


def _load_exercise(
    root: Path, directory: Path, lesson_ids: set[str], defects: list[str]
) -> Exercise | None:
    shown = _relative(root, directory / "exercise.toml")
    before = len(defects)
    for name in EXERCISE_FILES:
        path = directory / name
        if not path.is_file():
            if name in REQUIRED_EXERCISE_FILES:
                defects.append(f"{_relative(root, path)}: missing; every exercise needs {name}")
        else:
            _check_python(path, _relative(root, path), defects)
    toml_path = directory / "exercise.toml"
    if not toml_path.is_file():
        defects.append(f"{shown}: missing; add title, lesson, kind, difficulty and hints")
        return None
    loaded = _read_toml(toml_path, shown, defects)
    if loaded is None:
        return None
    data, text = loaded
    if not _check_fields(data, text, shown, _EXERCISE_FIELDS, defects):
        return None
    _check_values(data, text, shown, lesson_ids, defects)
    if len(defects) > before:
        return None
    return Exercise(
        id=directory.name,
        title=data["title"],
        lesson=data["lesson"],
        kind=data["kind"],
        difficulty=data["difficulty"],
        hints=tuple(data["hints"]),
        timeout_s=float(data.get("timeout_s", DEFAULT_TIMEOUT_S)),
        order=data.get("order"),
        directory=directory,
        explains=tuple(sorted(data.get("explains", {}).items())),
        play=data.get("play"),
        allow_imports=tuple(data.get("allow_imports", ())),
    )


def _check_values(
    data: dict[str, Any], text: str, shown: str, lesson_ids: set[str], defects: list[str]
) -> None:
    if not data["title"].strip():
        defects.append(f"{_at(shown, text, 'title')}: title is empty; give the exercise a title")
    if data["kind"] not in KINDS:
        defects.append(
            f"{_at(shown, text, 'kind')}: kind {data['kind']!r} is not one of {', '.join(KINDS)}"
        )
    if not 1 <= data["difficulty"] <= 3:
        defects.append(
            f"{_at(shown, text, 'difficulty')}: difficulty {data['difficulty']} must be 1, 2 or 3"
        )
    if data["lesson"] not in lesson_ids:
        defects.append(
            f"{_at(shown, text, 'lesson')}: lesson {data['lesson']!r} does not exist; "
            "use the stem of a file in lessons/ (like '01-threads')"
        )
    if not all(isinstance(h, str) and h.strip() for h in data["hints"]):
        defects.append(f"{_at(shown, text, 'hints')}: hints must be non-empty strings")
    timeout = data.get("timeout_s")
    if timeout is not None and not 0 < timeout <= 600:
        defects.append(
            f"{_at(shown, text, 'timeout_s')}: timeout_s {timeout} must be above 0 and at most 600"
        )
    order = data.get("order")
    if order is not None and order < 0:
        defects.append(f"{_at(shown, text, 'order')}: order {order} must not be negative")
    explains = data.get("explains")
    if explains is not None:
        _check_explains(explains, _at(shown, text, "explains"), defects)
    play = data.get("play")
    if play is not None and not play.isidentifier():
        defects.append(f"{_at(shown, text, 'play')}: play {play!r} must name a test function")
    imports = data.get("allow_imports")
    if imports is not None and not all(
        isinstance(name, str) and all(part.isidentifier() for part in name.split("."))
        for name in imports
    ):
        defects.append(
            f"{_at(shown, text, 'allow_imports')}: allow_imports must list module names "
            'like "multiprocessing"'
        )


def _check_explains(explains: dict[str, Any], where: str, defects: list[str]) -> None:
    unknown = sorted(set(explains) - {"pattern", "location"})
    if unknown:
        defects.append(
            f"{where}: explains has unknown key(s) {', '.join(unknown)}; use pattern and location"
        )
    pattern = explains.get("pattern")
    if pattern not in EXPLANATION_PATTERNS:
        defects.append(
            f"{where}: explains.pattern {pattern!r} is not one of {', '.join(EXPLANATION_PATTERNS)}"
        )
    location = explains.get("location")
    if location is not None and not isinstance(location, str):
        defects.append(f'{where}: explains.location must be a string like "self.sold"')


def _check_python(path: Path, shown: str, defects: list[str]) -> None:
    try:
        source = path.read_bytes()
        compile(source, str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        defects.append(f"{shown}:{exc.lineno or 1}: syntax error: {exc.msg}; fix the code")
    except (OSError, ValueError) as exc:
        defects.append(f"{shown}: cannot be read ({exc.__class__.__name__})")


def _check_orders(root: Path, exercises: list[Exercise], defects: list[str]) -> None:
    seen: dict[tuple[str, int], str] = {}
    for exercise in exercises:
        if exercise.order is None:
            continue
        key = (exercise.lesson, exercise.order)
        if key in seen:
            defects.append(
                f"{_relative(root, exercise.directory / 'exercise.toml')}: order "
                f"{exercise.order} is also used by {seen[key]!r} in lesson {exercise.lesson!r}; "
                "give each exercise its own position"
            )
        else:
            seen[key] = exercise.id
