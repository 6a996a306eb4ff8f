"""The command line: ``python -m tutor [--course DIR] COMMAND ...``.

Each command lives in its own module under ``tutor.cli.commands`` and is found at start-up, so
adding a command never touches this file. A command module defines ``NAME``, ``HELP``,
``ORDER`` (its place in ``--help``), ``add_arguments(parser)`` and ``run(args, ctx) -> int``.
With no command, the TUI opens.
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from tutor import __version__
from tutor.cli.context import Context, UsageError
from tutor.course import CourseError

PROG = "tutor"


def _command_modules() -> list[ModuleType]:
    from tutor.cli import commands

    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
        if not info.name.startswith("_")
    ]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


def _course_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--course",
        metavar="DIR",
        default=default,
        help="use the course in DIR instead of the built-in one",
    )


def build_parser() -> argparse.ArgumentParser:
    """The full parser; ``--course`` is accepted before or after the command name."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal tutor for Python threads. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _course_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules():
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        _course_option(command, argparse.SUPPRESS)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser



def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 not passed / not sound, 2 usage error)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        ctx = Context(course_dir=args.course)
        if args.command is None:
            from tutor.ui.app import run as run_app

            return run_app(ctx.course_root)
        return int(args.run(args, ctx))
    except UsageError as exc:
        print(f"{PROG}: error: {exc}", file=sys.stderr)
        return 2
    except CourseError as exc:
        for defect in exc.defects:
            print(f"{PROG}: course error: {defect}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into `head`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if os.environ.get("TUTOR_DEBUG"):
            raise
        print(
            f"{PROG}: internal error: {type(exc).__name__}: {exc} "
            "(set TUTOR_DEBUG=1 for the traceback, and please report it)",
            file=sys.stderr,
        )
        return 1
