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
from tutor.interpreter import unsupported_reason

PROG = "tutor"


def _command_names() -> list[str]:
    """Every command's name: a module ``tutor/cli/commands/<name>.py``, listed without import."""
    from tutor.cli import commands

    return [i.name for i in pkgutil.iter_modules(commands.__path__) if not i.name.startswith("_")]


def _command_modules(only: str | None = None) -> list[ModuleType]:
    """The command modules, or just the one named ``only`` (start-up cost is per import)."""
    from tutor.cli import commands

    names = _command_names()
    if only is not None:
        names = [only] if only in names else []
    modules = [importlib.import_module(f"{commands.__name__}.{name}") for name in names]
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.NAME))


def _requested_command(argv: Sequence[str]) -> tuple[bool, str | None]:
    """(needs every command, the command named on the line) from a quick look at ``argv``.

    Only the invoked command's module is imported, so ``tutor list`` and the TUI start fast;
    ``--help``, a mistyped command and the like get the full parser.
    """
    tokens = list(argv)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token == "--course":
            i += 2
            continue
        if token.startswith("--course="):
            i += 1
            continue
        if token.startswith("-"):
            return True, None  # --help, --version or an unknown option: full parser
        return False, token
    return False, None


def _course_option(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--course",
        metavar="DIR",
        default=default,
        help="use the course in DIR instead of the built-in one",
    )


def build_parser(only: str | None = None, *, commands: bool = True) -> argparse.ArgumentParser:
    """The parser; ``--course`` is accepted before or after the command name.

    ``only`` limits the subcommands to that one (when it exists); ``commands=False`` builds
    none, for a plain ``tutor`` that opens the app.
    """
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="A terminal tutor for Python threads. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _course_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _command_modules(only) if commands else []:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        _course_option(command, argparse.SUPPRESS)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser



def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 not passed / not sound, 2 usage error)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if refusal := unsupported_reason():
        print(f"{PROG}: {refusal}", file=sys.stderr)
        return 2
    needs_all, name = _requested_command(argv)
    if needs_all or (name is not None and name not in _command_names()):
        parser = build_parser()  # help, or an unknown command: argparse lists the real ones
    else:
        parser = build_parser(name, commands=name is not None)
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
