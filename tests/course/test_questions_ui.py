"""The lesson questions in the app: answered with the keyboard, graded, recorded, shown on the map."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from tutor.course import load_course
from tutor.state import LearnerState
from tutor.ui.app import TutorApp
from tutor.ui.screens.course_map import LESSON_PREFIX, CourseMapScreen
from tutor.ui.screens.lesson import LessonScreen
from tutor.ui.widgets.questions import QuestionCard, QuestionsPanel

QUESTIONS = """
[[question]]
id = "first"
kind = "choice"
prompt = "Which `one`?"
choices = ["wrong", "right", "also wrong"]
answer = 2
explain = "Because."

[[question]]
id = "second"
kind = "predict-output"
prompt = "What does it print?"
code = "print(1)"
choices = ["1", "2"]
answer = 1
explain = "It prints 1."
"""


@pytest.fixture
def course_root(tmp_path: Path) -> Path:
    lessons = tmp_path / "course" / "lessons"
    lessons.mkdir(parents=True)
    (lessons / "01-basics.md").write_text("# Basics\n\nSome text.\n\n**Exercises:** none.\n")
    (lessons / "01-basics.questions.toml").write_text(QUESTIONS)
    (lessons / "02-more.md").write_text("# More\n\nNo questions here.\n")
    return tmp_path / "course"


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TUTOR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


async def _open_lesson(app: TutorApp, pilot, index: int = 0) -> LessonScreen:
    await pilot.pause(0.3)
    lesson = app.course.lessons[index]
    app.push_screen(LessonScreen(lesson, app.course.exercises_for(lesson.id)))
    await pilot.pause(0.3)
    assert isinstance(app.screen, LessonScreen)
    return app.screen


def test_a_wrong_then_a_right_answer_by_keyboard_is_graded_and_recorded(
    course_root: Path,
) -> None:
    asyncio.run(_a_wrong_then_a_right_answer_by_keyboard_is_graded_and_recorded(course_root))


async def _a_wrong_then_a_right_answer_by_keyboard_is_graded_and_recorded(
    course_root: Path,
) -> None:
    app = TutorApp(course_root, quiet=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_lesson(app, pilot)
        await pilot.press("tab")  # from the text to the first question's choices
        card = screen.query(QuestionCard).first()
        assert app.focused is card.query_one(OptionList)
        await pilot.press("1")  # a digit picks a choice; it does not open exercise 1
        await pilot.pause(0.3)
        assert isinstance(app.screen, LessonScreen)
        feedback = str(card.query_one(".feedback", Static).render())
        assert "Not this one" in feedback
        assert card.query_one(OptionList).get_option("choice-1").disabled
        assert card.query_one(OptionList).highlighted == 1  # moved off the crossed-out one
        await pilot.press("down", "up", "enter")  # arrows and Enter work too
        await pilot.pause(0.5)
        assert card.right and "Right" in str(card.query_one(".feedback", Static).render())
        assert "Because." in str(card.query_one(".feedback", Static).render())
        heading = str(screen.query_one("#questions-heading", Static).render())
        assert heading.startswith("Questions: 1/2 right")
        await app.workers.wait_for_complete()
    answers = LearnerState(load_course(course_root)).progress_data()["questions"]
    entry = answers["01-basics"]["first"]
    assert entry["status"] == "right" and entry["attempts"] == 2 and entry["first_try"] is False


def test_a_question_answered_before_shows_as_answered(course_root: Path) -> None:
    asyncio.run(_a_question_answered_before_shows_as_answered(course_root))


async def _a_question_answered_before_shows_as_answered(course_root: Path) -> None:
    LearnerState(load_course(course_root)).record_answer("01-basics", "second", 1, True)
    app = TutorApp(course_root, quiet=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_lesson(app, pilot)
        cards = list(screen.query(QuestionCard))
        assert [card.right for card in cards] == [False, True]
        assert "It prints 1." in str(cards[1].query_one(".feedback", Static).render())


def test_a_lesson_without_questions_shows_no_panel(course_root: Path) -> None:
    asyncio.run(_a_lesson_without_questions_shows_no_panel(course_root))


async def _a_lesson_without_questions_shows_no_panel(course_root: Path) -> None:
    app = TutorApp(course_root, quiet=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_lesson(app, pilot, index=1)
        assert not screen.query(QuestionsPanel)


def test_the_course_map_counts_right_answers_per_lesson(course_root: Path) -> None:
    asyncio.run(_the_course_map_counts_right_answers_per_lesson(course_root))


async def _the_course_map_counts_right_answers_per_lesson(course_root: Path) -> None:
    LearnerState(load_course(course_root)).record_answer("01-basics", "first", 2, True)
    app = TutorApp(course_root, quiet=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(1.0)
        screen = app.screen
        assert isinstance(screen, CourseMapScreen)
        options = screen.query_one("#map-list", OptionList)
        rows = {
            option.id: str(option.prompt)
            for option in options.options
            if (option.id or "").startswith(LESSON_PREFIX)
        }
        assert rows[LESSON_PREFIX + "01-basics"] == "Basics  ? 1/2 questions"
        assert rows[LESSON_PREFIX + "02-more"] == "More"  # no questions: the title alone
