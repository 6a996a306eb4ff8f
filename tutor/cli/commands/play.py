"""``tutor play ID [--file PATH]``: open the app on the scheduler screen for one exercise.

The learner steps the threads of one of the exercise's interleaving scenarios by hand, on
their working copy (or PATH), in the sandbox (``tutor.play``). Problems that can be told
before the app opens (an unknown id, a missing file, an exercise with no scenario) are one
usage line, as for every command.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tutor.cli.context import Context, UsageError
from tutor.play.scenario import NoScenario, find_scenario
from tutor.runner import portable

NAME = "play"
HELP = "be the scheduler: step an exercise's threads by hand"
ORDER = 25


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("id", metavar="ID", help="exercise id (see `tutor list`)")
    parser.add_argument(
        "--file", metavar="PATH",
        help="play this file instead of your working copy; progress is not recorded",
    )  # fmt: skip
    parser.add_argument(
        "--strict",
        action="store_true",
        help="refuse code the integrity policy flags (default: the course's `strict`)",
    )


def run(args: argparse.Namespace, ctx: Context) -> int:
    exercise = ctx.exercise(args.id)
    if portable.wanted():
        raise UsageError("play needs the Linux sandbox (namespaces, reaper, Landlock); "
                         "this system has only the portable runner")  # fmt: skip
    try:
        find_scenario(exercise.test_path.read_bytes(), exercise.play)
    except NoScenario as exc:
        raise UsageError(f"{exercise.id}: {exc}") from None
    except OSError as exc:
        raise UsageError(f"cannot read the hidden tests of {exercise.id}: {exc}") from None
    if args.file is not None:
        path = Path(args.file).expanduser()
        if not path.is_file():
            raise UsageError(f"--file {args.file}: no such file")
    else:
        path = ctx.state.working_copy(exercise.id)
    from tutor.ui.screens.play_app import run_play

    return run_play(
        ctx.course, exercise.id, path.resolve(), strict=args.strict or ctx.course.strict,
        working_copy=args.file is None,
    )  # fmt: skip
