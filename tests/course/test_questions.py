"""Lesson questions: the file format, the built-in course's questions, recording and reporting."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.course import find_defects, load_course
from tutor.paths import builtin_course_root
from tutor.questions import (
    QUESTION_KINDS,
    Question,
    QuestionsError,
    load_questions,
    parse_questions,
    question_report,
)
from tutor.state import LearnerState

REPO = Path(__file__).resolve().parents[2]

GOOD = '''
[[question]]
id = "one"
kind = "choice"
prompt = "Which?"
choices = ["a", "b"]
answer = 2
explain = "b, because."

[[question]]
id = "two"
kind = "predict-output"
prompt = "What does it print?"
code = """
print(1 + 1)
"""
choices = ["2", "11", "nothing"]
answer = 1
explain = "Integers add."
'''


def test_a_well_formed_file_gives_its_questions_in_order() -> None:
    questions, defects = parse_questions(GOOD, "q.toml")
    assert defects == []
    assert [q.id for q in questions] == ["one", "two"]
    first, second = questions
    assert first.choices == ("a", "b") and first.answer == 2 and first.code == ""
    assert second.code == "print(1 + 1)"
    assert first.is_right(2) and not first.is_right(1)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (("answer = 2", "answer = 3"), "q.toml:2: answer 3 must be a choice number, 1 to 2"),
        (('kind = "choice"', 'kind = "essay"'), "q.toml:2: kind 'essay' is not one of"),
        (('id = "two"', 'id = "one"'), "q.toml:10: duplicate question id 'one'"),
        (('id = "one"', 'id = "One!"'), "q.toml:2: id 'One!' must be lowercase"),
        (('prompt = "Which?"', 'promt = "Which?"'), "q.toml:2: unknown field 'promt'"),
        (('choices = ["a", "b"]', 'choices = ["a"]'), "q.toml:2: 1 choices; give 2 to 6"),
        (('choices = ["a", "b"]', 'choices = ["a", "a"]'), "two choices are the same"),
        (('explain = "b, because."', ""), "q.toml:2: missing field 'explain'"),
        (("answer = 2", 'answer = "2"'), "q.toml:2: field 'answer' must be the 1-based number"),
        (("answer = 2", "answer = true"), "field 'answer' must be"),
        (('prompt = "Which?"', "prompt = [1"), "q.toml:6: invalid TOML"),
    ],
)
def test_each_defect_is_one_line_with_the_file_and_line(
    change: tuple[str, str], problem: str
) -> None:
    text = GOOD.replace(*change, 1)
    questions, defects = parse_questions(text, "q.toml")
    assert any(problem in defect for defect in defects), defects
    assert all("\n" not in defect for defect in defects)


def test_an_empty_file_is_a_defect_and_load_raises_with_every_defect(tmp_path: Path) -> None:
    path = tmp_path / "01-a.questions.toml"
    path.write_text("# nothing yet\n")
    with pytest.raises(QuestionsError, match="no questions"):
        load_questions(path)
    assert load_questions(tmp_path / "missing.questions.toml") == ()


def _course(tmp_path: Path, questions: str, lesson: str = "01-basics") -> Path:
    (tmp_path / "lessons").mkdir(parents=True)
    (tmp_path / "lessons" / "01-basics.md").write_text("# Basics\n\nText.\n")
    (tmp_path / "lessons" / f"{lesson}.questions.toml").write_text(questions)
    return tmp_path


def test_the_course_loader_attaches_questions_to_their_lesson(tmp_path: Path) -> None:
    course = load_course(_course(tmp_path, GOOD))
    assert [q.id for q in course.lesson("01-basics").questions] == ["one", "two"]


def test_the_course_loader_reports_bad_and_orphaned_question_files(tmp_path: Path) -> None:
    root = _course(tmp_path, GOOD.replace("answer = 2", "answer = 9"))
    (root / "lessons" / "02-gone.questions.toml").write_text(GOOD)
    defects = find_defects(root)
    assert any(d.startswith("lessons/01-basics.questions.toml:2: answer 9") for d in defects)
    assert any(d.startswith("lessons/02-gone.questions.toml: no lesson 02-gone.md") for d in defects)


# ----- the built-in course ---------------------------------------------------------------------

BUILTIN = load_course(None)


@pytest.mark.parametrize("lesson", BUILTIN.lessons, ids=lambda lesson: lesson.id)
def test_every_lesson_ends_with_two_to_four_questions(lesson) -> None:
    assert 2 <= len(lesson.questions) <= 4, f"{lesson.id}: {len(lesson.questions)} questions"
    kinds = {q.kind for q in lesson.questions}
    assert kinds <= set(QUESTION_KINDS)


def test_the_course_asks_every_kind_of_question() -> None:
    kinds = {q.kind for lesson in BUILTIN.lessons for q in lesson.questions}
    assert kinds == set(QUESTION_KINDS)


def test_right_answers_are_spread_over_the_choices() -> None:
    """A learner must not be able to score by always picking the same number."""
    answers = [q.answer for lesson in BUILTIN.lessons for q in lesson.questions]
    most_common = max(answers.count(n) for n in set(answers))
    assert most_common <= len(answers) // 2, answers


PREDICTIONS = [
    pytest.param(question, id=f"{lesson.id}-{question.id}")
    for lesson in BUILTIN.lessons
    for question in lesson.questions
    if question.kind == "predict-output"
]


@pytest.mark.parametrize("question", PREDICTIONS)
def test_predict_the_output_answers_are_what_the_code_prints(
    question: Question, tmp_path: Path
) -> None:
    """Run the question's code on this Python: its output is the right choice, exactly."""
    assert question.code, "a predict-the-output question shows the code it asks about"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        [sys.executable, "-c", question.code],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
        env=env,
    )
    printed = "\n".join(line.rstrip() for line in done.stdout.strip().splitlines())
    assert printed == question.choices[question.answer - 1], (
        f"printed {printed!r}; stderr: {done.stderr[-500:]}"
    )
    others = [c for n, c in enumerate(question.choices, 1) if n != question.answer]
    assert printed not in others


# ----- recording and reporting -----------------------------------------------------------------


def test_answers_are_recorded_and_a_right_answer_is_never_undone(tmp_path: Path) -> None:
    course = load_course(_course(tmp_path / "course", GOOD))
    state = LearnerState(course, home=tmp_path / "home")
    state.record_answer("01-basics", "one", 1, False)
    state.record_answer("01-basics", "one", 2, True)
    state.record_answer("01-basics", "one", 1, False)
    state.record_answer("01-basics", "two", 1, True)
    report = question_report(course.lessons, state.progress_data())
    assert report["questions_right"] == 2 and report["questions_total"] == 2
    one, two = report["questions"]
    assert one == {
        "lesson": "01-basics",
        "id": "one",
        "kind": "choice",
        "status": "right",
        "attempts": 3,
        "first_try": False,
    }
    assert two["first_try"] is True and two["attempts"] == 1


def test_progress_json_lists_every_question_with_its_status(tmp_path: Path) -> None:
    env = {**os.environ, "TUTOR_HOME": str(tmp_path)}
    LearnerState(BUILTIN, home=tmp_path).record_answer(
        BUILTIN.lessons[0].id, BUILTIN.lessons[0].questions[0].id, 1, False
    )
    done = subprocess.run(
        [sys.executable, "-m", "tutor", "progress", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    total = sum(len(lesson.questions) for lesson in BUILTIN.lessons)
    assert report["questions_total"] == total == len(report["questions"])
    assert report["questions_right"] == 0
    first = report["questions"][0]
    assert first["lesson"] == BUILTIN.lessons[0].id and first["status"] == "wrong"
    assert {row["status"] for row in report["questions"][1:]} == {"new"}
    assert report["exercises"], "the exercises are still listed"


def test_builtin_question_files_sit_beside_their_lessons() -> None:
    lessons = builtin_course_root() / "lessons"
    for path in lessons.glob("*.questions.toml"):
        assert (lessons / path.name.replace(".questions.toml", ".md")).is_file()
