"""``tutor reset ID``: restore the starter code, keeping the learner's code as a backup."""

from __future__ import annotations

import argparse

from tutor.cli.context import Context

NAME = "reset"
HELP = "restore an exercise's starter code (your code is kept as a backup)"
ORDER = 35


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="exercise id (see `tutor list`)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    exercise = ctx.exercise(args.id)
    untouched = ctx.state.is_untouched(exercise.id) and ctx.state.work_path(exercise.id).exists()
    backup = ctx.state.reset(exercise.id)
    path = ctx.state.working_copy(exercise.id)
    if untouched:
        print(f"{exercise.id}: {path} already holds the starter code; nothing to back up")
    elif backup is None:
        print(f"{exercise.id}: starter code written to {path}")
    else:
        print(f"{exercise.id}: starter code restored in {path}\n  your code was kept in {backup}")
    return 0
