"""``tutor hint ID``: the next hint for an exercise, one at a time (recorded)."""

from __future__ import annotations

import argparse

from tutor.cli.context import Context

NAME = "hint"
HELP = "show the next hint for an exercise"
ORDER = 30


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="exercise id (see `tutor list`)")


def run(args: argparse.Namespace, ctx: Context) -> int:
    exercise = ctx.exercise(args.id)
    total = len(exercise.hints)
    if total == 0:
        print(f"{exercise.id} has no hints.")
        return 0
    revealed = ctx.state.next_hint(exercise.id)
    if revealed is None:
        print(f"All {total} hints for {exercise.id} are shown already:")
        for number, text in enumerate(exercise.hints, 1):
            print(f"  {number}. {text}")
        return 0
    number, text = revealed
    print(f"Hint {number} of {total} for {exercise.id}:\n  {text}")
    return 0
