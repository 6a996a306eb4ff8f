"""The built-in course's lessons meet the format of docs/lessons.md and the course plan."""

from __future__ import annotations

import re

import pytest

from tutor.course import Lesson, load_course
from tutor.demos import lesson_demos
from tutor.paths import builtin_course_root

LESSON_IDS = (
    "01-threads",
    "02-gil",
    "03-switching",
    "04-io-vs-cpu",
    "05-processes",
    "06-c-extensions",
    "07-locks",
    "08-conditions",
    "09-semaphores",
    "10-queues",
    "11-deadlock-starvation",
    "12-pitfalls",
    "13-alternatives",
)
MAX_CODE_LINE = 75  # an 80-column terminal, with room for the viewer's margin
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
SOURCE_LINK = re.compile(r"https://(docs\.python\.org|peps\.python\.org)/\S+")


@pytest.fixture(scope="module")
def lessons(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Lesson]:
    """The built-in lessons, loaded by the real loader but apart from the exercises.

    The exercises have tests of their own; a defect there should not hide these results.
    """
    root = tmp_path_factory.mktemp("lessons-only")
    (root / "lessons").symlink_to(builtin_course_root() / "lessons")
    return {lesson.id: lesson for lesson in load_course(root).lessons}


def code_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) for every line inside a fenced block."""
    opening: str | None = None
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        fence = FENCE.match(line)
        if opening is None:
            opening = fence.group(1) if fence else None
        elif fence and _closes(fence.group(1), opening) and not line[fence.end() :].strip():
            opening = None
        else:
            found.append((number, line))
    return found


def _closes(fence: str, opening: str) -> bool:
    return fence[0] == opening[0] and len(fence) >= len(opening)


def test_the_course_has_the_planned_lessons_in_order(lessons: dict[str, Lesson]) -> None:
    assert tuple(lessons) == LESSON_IDS


@pytest.fixture(params=LESSON_IDS)
def lesson(request: pytest.FixtureRequest, lessons: dict[str, Lesson]) -> Lesson:
    return lessons[request.param]


def test_title_is_the_only_top_level_heading(lesson: Lesson) -> None:
    outside_code = _prose(lesson.text())
    headings = [line for line in outside_code if line.startswith("# ")]
    assert len(headings) == 1, headings
    assert lesson.title == headings[0][2:].strip()
    assert lesson.text().lstrip().startswith("# ")


def test_cites_python_docs_or_peps(lesson: Lesson) -> None:
    assert SOURCE_LINK.search(lesson.text()), f"{lesson.id} cites no docs.python.org/PEP link"


def test_code_fits_an_80_column_terminal(lesson: Lesson) -> None:
    too_long = [
        f"line {n}: {len(line)} chars"
        for n, line in code_lines(lesson.text())
        if len(line) > MAX_CODE_LINE
    ]
    assert not too_long, f"{lesson.id}: {too_long}"


def test_is_short_and_ends_with_an_exercises_line(lesson: Lesson) -> None:
    lines = lesson.text().rstrip().splitlines()
    assert 50 <= len(lines) <= 140, f"{lesson.id} has {len(lines)} lines"
    last_paragraph = lesson.text().rstrip().split("\n\n")[-1]
    assert last_paragraph.startswith("**Exercises:**"), lesson.id


def test_every_demo_parses_and_compiles(lesson: Lesson) -> None:
    for demo in lesson_demos(lesson):
        compile(demo.code, f"{lesson.id} demo {demo.number}", "exec")
        assert demo.title != f"Demo {demo.number}", "give each demo a title comment"


@pytest.mark.parametrize(
    ("lesson_id", "needle"),
    [
        ("04-io-vs-cpu", "threading.Thread"),  # threads on I/O-bound work
        ("05-processes", "ProcessPoolExecutor"),  # threads vs processes, CPU-bound
        ("07-locks", "explore("),  # a lost update under the explorer
        ("03-switching", "explore("),
        ("06-c-extensions", "ctypes.PyDLL"),  # releasing the GIL from your own C calls
        ("10-queues", "as_completed("),  # ThreadPoolExecutor and as_completed
        ("12-pitfalls", "signal.signal("),  # handlers only in the main thread
        ("12-pitfalls", "threading.local()"),  # per-thread values, kept by pool threads
        ("04-io-vs-cpu", "min("),  # timings: warm-up, then the best of several runs
        ("05-processes", "min("),
    ],
)
def test_the_demos_the_plan_asks_for_exist(
    lessons: dict[str, Lesson], lesson_id: str, needle: str
) -> None:
    assert any(needle in demo.code for demo in lesson_demos(lessons[lesson_id]))


def test_every_exercises_line_names_only_this_lessons_exercises() -> None:
    """Lesson 01 once promised a daemon exercise that lives in lesson 12 (issue 13)."""
    text = (builtin_course_root() / "lessons" / "01-threads.md").read_text(encoding="utf-8")
    last = text.rstrip().split("\n\n")[-1]
    assert "lesson 12" in last and "keep a daemon" not in last


def test_claims_that_name_versions_cover_the_ones_learners_have() -> None:
    """Lesson 03 shows the bytecode of x += 1 for each version a learner may run."""
    text = (builtin_course_root() / "lessons" / "03-switching.md").read_text(encoding="utf-8")
    for version in ("2.7", "3.10", "3.11", "3.13", "3.14", "3.15"):
        assert version in text, version
    assert "LOAD_SMALL_INT" in text


def _prose(text: str) -> list[str]:
    inside = {n for n, _ in code_lines(text)}
    return [line for n, line in enumerate(text.splitlines(), 1) if n not in inside]
