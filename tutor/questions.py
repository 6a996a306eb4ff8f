"""Questions at the end of a lesson: multiple choice, graded locally, recorded in progress.

A lesson ``lessons/NN-slug.md`` may have a sibling ``lessons/NN-slug.questions.toml`` (the
format is in docs/lessons.md): an array of ``[[question]]`` tables, each with a stable ``id``,
a ``kind`` ("predict-output", "interleaving" or "choice"), a ``prompt``, optional ``code``,
``choices``, the 1-based ``answer`` and an ``explain`` shown once the learner has it right.
Keeping them out of the Markdown keeps the answers out of the lesson text, and the loader
reports every defect with its file and line, as the course loader does for exercise.toml.

This module knows nothing of courses or learners: ``tutor.course`` loads the questions with
its lessons, ``tutor.state`` records answers, and ``question_report`` summarises them for
``progress --json``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

QUESTION_KINDS: tuple[str, ...] = ("predict-output", "interleaving", "choice")
QUESTIONS_SUFFIX = ".questions.toml"
MIN_CHOICES, MAX_CHOICES = 2, 6

_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_TOML_LINE = re.compile(r"\(at line (\d+), column \d+\)")
# field -> (accepted types, human type name, required)
_FIELDS: dict[str, tuple[tuple[type, ...], str, bool]] = {
    "id": ((str,), "a lowercase-with-dashes string", True),
    "kind": ((str,), "predict-output, interleaving or choice", True),
    "prompt": ((str,), "a string", True),
    "code": ((str,), "a string of Python", False),
    "choices": ((list,), f"a list of {MIN_CHOICES} to {MAX_CHOICES} strings", True),
    "answer": ((int,), "the 1-based number of the right choice", True),
    "explain": ((str,), "a string", True),
}


@dataclass(frozen=True)
class Question:
    """One question: a prompt (and maybe code) with numbered choices, one of them right."""

    id: str
    kind: str
    prompt: str
    choices: tuple[str, ...]
    answer: int
    explain: str
    code: str = ""

    def is_right(self, choice: int) -> bool:
        """Grade a 1-based choice."""
        return choice == self.answer


class QuestionsError(ValueError):
    """A questions file with defects; ``defects`` holds one line per problem."""

    def __init__(self, defects: list[str]) -> None:
        self.defects = tuple(defects)
        super().__init__("\n".join(defects))


def questions_path(lesson_path: Path) -> Path:
    """``lessons/01-threads.md`` -> ``lessons/01-threads.questions.toml``."""
    return lesson_path.with_name(lesson_path.stem + QUESTIONS_SUFFIX)


def lesson_stem(path: Path) -> str | None:
    """The lesson id a questions file belongs to, or None if the name is not one."""
    name = path.name
    return name[: -len(QUESTIONS_SUFFIX)] if name.endswith(QUESTIONS_SUFFIX) else None


def load_questions(path: Path, shown: str | None = None) -> tuple[Question, ...]:
    """The questions in ``path`` (none when it does not exist); QuestionsError otherwise."""
    questions, defects = read_questions(path, shown)
    if defects:
        raise QuestionsError(defects)
    return questions


def read_questions(path: Path, shown: str | None = None) -> tuple[tuple[Question, ...], list[str]]:
    """(questions, defects) of one file; a missing file has neither."""
    shown = shown or str(path)
    if not path.exists():
        return (), []
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return (), [f"{shown}: cannot be read ({type(exc).__name__}); save it as UTF-8"]
    return parse_questions(text, shown)


def parse_questions(text: str, shown: str) -> tuple[tuple[Question, ...], list[str]]:
    """Parse a questions file's text; every defect is one line naming ``shown`` and the line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = _TOML_LINE.search(str(exc))
        where = f"{shown}:{match.group(1)}" if match else shown
        return (), [
            f"{where}: invalid TOML: {_TOML_LINE.sub('', str(exc)).strip()}; fix the syntax"
        ]
    defects: list[str] = []
    extra = sorted(set(data) - {"question"})
    if extra:
        defects.append(f"{shown}: unknown top-level key(s) {', '.join(extra)}; use [[question]]")
    tables = data.get("question", [])
    if not isinstance(tables, list) or not tables:
        defects.append(f"{shown}: no questions; add [[question]] tables")
        return (), defects
    starts = _table_lines(text)
    questions: list[Question] = []
    seen: set[str] = set()
    for index, table in enumerate(tables):
        where = f"{shown}:{starts[index]}" if index < len(starts) else shown
        question = _question(table, where, defects)
        if question is None:
            continue
        if question.id in seen:
            defects.append(f"{where}: duplicate question id {question.id!r}; ids must differ")
            continue
        seen.add(question.id)
        questions.append(question)
    return tuple(questions), defects


def _table_lines(text: str) -> list[int]:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.strip() == "[[question]]"]


def _question(table: Any, where: str, defects: list[str]) -> Question | None:
    if not isinstance(table, dict):
        defects.append(f"{where}: a question must be a [[question]] table")
        return None
    before = len(defects)
    for key in table:
        if key not in _FIELDS:
            defects.append(f"{where}: unknown field {key!r}; allowed: {', '.join(_FIELDS)}")
    for key, (types, type_name, required) in _FIELDS.items():
        if key not in table:
            if required:
                defects.append(f"{where}: missing field {key!r} ({type_name})")
            continue
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, types):
            defects.append(f"{where}: field {key!r} must be {type_name}")
    if len(defects) > before:
        return None
    choices = table["choices"]
    if not _ID.match(table["id"]):
        defects.append(f"{where}: id {table['id']!r} must be lowercase letters, digits and dashes")
    if table["kind"] not in QUESTION_KINDS:
        defects.append(f"{where}: kind {table['kind']!r} is not one of {', '.join(QUESTION_KINDS)}")
    if not all(isinstance(c, str) and c.strip() for c in choices):
        defects.append(f"{where}: choices must be non-empty strings")
    elif not MIN_CHOICES <= len(choices) <= MAX_CHOICES:
        defects.append(f"{where}: {len(choices)} choices; give {MIN_CHOICES} to {MAX_CHOICES}")
    elif len(set(choices)) != len(choices):
        defects.append(f"{where}: two choices are the same; make each one different")
    elif not 1 <= table["answer"] <= len(choices):
        defects.append(
            f"{where}: answer {table['answer']} must be a choice number, 1 to {len(choices)}"
        )
    for key in ("prompt", "explain"):
        if not table[key].strip():
            defects.append(f"{where}: {key} is empty")
    if len(defects) > before:
        return None
    return Question(
        id=table["id"],
        kind=table["kind"],
        prompt=table["prompt"].strip(),
        choices=tuple(choices),
        answer=table["answer"],
        explain=table["explain"].strip(),
        code=table.get("code", "").strip("\n"),
    )


# ----- progress --------------------------------------------------------------------------------
# tutor.state.LearnerState.record_answer stores, in the progress document,
#   "questions": {lesson_id: {question_id: {"status": "right" | "wrong", "attempts": int,
#                                           "first_try": bool, "last_choice": int, ...}}}


class LessonWithQuestions(Protocol):
    """What ``question_report`` needs of a lesson (``tutor.course.Lesson`` has it)."""

    @property
    def id(self) -> str: ...

    @property
    def questions(self) -> tuple[Question, ...]: ...


def question_status(answers: dict[str, Any], lesson_id: str, question_id: str) -> dict[str, Any]:
    """The recorded answer to one question: {"status": new|wrong|right, "attempts", ...}."""
    entry = answers.get(lesson_id, {}).get(question_id)
    if not isinstance(entry, dict):
        return {"status": "new", "attempts": 0}
    return entry


def question_report(
    lessons: Iterable[LessonWithQuestions], progress: dict[str, Any]
) -> dict[str, Any]:
    """The ``questions`` part of ``progress --json``, for lessons with a ``questions`` field."""
    answers = progress.get("questions", {})
    answers = answers if isinstance(answers, dict) else {}
    rows = []
    for lesson in lessons:
        for question in lesson.questions:
            entry = question_status(answers, lesson.id, question.id)
            rows.append(
                {
                    "lesson": lesson.id,
                    "id": question.id,
                    "kind": question.kind,
                    "status": entry.get("status", "new"),
                    "attempts": entry.get("attempts", 0),
                    "first_try": entry.get("first_try"),
                }
            )
    return {
        "questions_right": sum(1 for row in rows if row["status"] == "right"),
        "questions_total": len(rows),
        "questions": rows,
    }
