"""What every command needs: the course (loaded once, lazily) and the learner's state."""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from functools import cached_property
from pathlib import Path
from typing import Any

from tutor.course import Course, Exercise, load_course
from tutor.state import LearnerState


class UsageError(Exception):
    """Bad input from the user: printed as one line, exit status 2."""


class Context:
    """Lazy access to the course and learner state for one CLI invocation."""

    def __init__(self, course_dir: str | None) -> None:
        self.course_root: Path | None = None
        # The command's outcome, when it is known before the output is printed: the exit
        # status even if the reader closes stdout early (see ``tutor.cli.main``).
        self.exit_status: int | None = None
        if course_dir is not None:
            root = Path(course_dir).expanduser()
            if not root.is_dir():
                raise UsageError(f"--course {course_dir}: no such directory; give a course folder")
            self.course_root = root.resolve()

    @cached_property
    def course(self) -> Course:
        return load_course(self.course_root)

    @cached_property
    def state(self) -> LearnerState:
        state = LearnerState(self.course)
        for warning in state.warnings:
            print(f"tutor: warning: {warning}", file=sys.stderr)
        return state

    def exercise(self, exercise_id: str) -> Exercise:
        """The exercise with this id, or a usage error that lists what exists."""
        try:
            return self.course.exercise(exercise_id)
        except KeyError:
            raise UsageError(unknown_exercise_message(self.course, exercise_id)) from None


def unknown_exercise_message(course: Course, exercise_id: str) -> str:
    """One line for a mistyped id: the closest ids by spelling or title, else some ids."""
    ids = [e.id for e in course.exercises]
    by_title = {e.title.lower(): e.id for e in course.exercises}
    close = difflib.get_close_matches(exercise_id, ids, n=3, cutoff=0.6)
    close += [by_title[t] for t in difflib.get_close_matches(exercise_id.lower(), by_title, n=2)
              if by_title[t] not in close]
    close += [i for i in ids if exercise_id and exercise_id.lower() in i and i not in close]
    if close:
        names = " or ".join(f"`{i}`" for i in close[:3])
        return f"unknown exercise {exercise_id!r}; did you mean {names}? (`tutor list` shows all)"
    known = ", ".join(ids[:6])
    more = ", ..." if len(ids) > 6 else ""
    return f"unknown exercise {exercise_id!r}; `tutor list` shows the ids ({known}{more})"


def add_jobs_option(parser: argparse.ArgumentParser) -> None:
    """``--jobs N``: how many gradings run at once (grade and validate share it)."""
    from tutor.batch import default_jobs

    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        metavar="N",
        help=f"gradings run at once (default: the number of cores, {default_jobs()} here)",
    )


def print_json(data: Any) -> None:
    """One JSON object on stdout, nothing else."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
