"""``tutor new ID --lesson L --kind K``: scaffold an exercise in a course pack (for authors)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutor.cli.context import Context, UsageError
from tutor.course import KINDS, find_defects
from tutor.scaffold import NewExercise, ScaffoldError, scaffold

NAME = "new"
HELP = "scaffold a new exercise in the course given with --course (for authors)"
ORDER = 65


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="exercise id, e.g. hit-counter")
    parser.add_argument(
        "--lesson", required=True, help="lesson id, e.g. 07-locks (created if missing)"
    )
    parser.add_argument("--kind", required=True, choices=KINDS, help="what the bug is")
    parser.add_argument("--title", default=None, help="exercise title (default: from the id)")
    parser.add_argument(
        "--difficulty", type=int, default=1, choices=(1, 2, 3), help="1 to 3 (default 1)"
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    if ctx.course_root is None:
        raise UsageError(
            "new writes into a course pack: give it with --course DIR (an empty folder is fine)"
        )
    title = args.title or args.id.replace("-", " ").replace("_", " ").capitalize()
    request = NewExercise(args.id, args.lesson, args.kind, title, args.difficulty)
    try:
        created = scaffold(request, ctx.course_root)
    except ScaffoldError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write the exercise: {exc}") from None
    for path in created:
        print(f"created {path.relative_to(ctx.course_root)}")
    for defect in find_defects(ctx.course_root):
        print(f"tutor: warning: the course has a defect: {defect}", file=sys.stderr)
    course = (
        os.path.relpath(ctx.course_root)
        if ctx.course_root.is_relative_to(Path.cwd())
        else ctx.course_root
    )
    print(
        f"\nThe exercise is a working {args.kind} example. Make it yours (docs/authoring.md):\n"
        f"  1. exercises/{args.id}/starter.py: your buggy code; its docstring is the task\n"
        f"  2. exercises/{args.id}/solution.py: the fix\n"
        f"  3. exercises/{args.id}/test_hidden.py: setup, threads and check for explore()\n"
        f"  4. exercises/{args.id}/wrong/: tempting wrong fixes; each must fail\n"
        f"  5. exercises/{args.id}/exercise.toml: title and hints\n"
        f"then run: python -m tutor --course {course} validate"
    )
    return 0
