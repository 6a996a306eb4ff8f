"""The command line: ``python -m tutor [--course DIR] COMMAND ...``.

Each command lives in its own module under ``tutor.cli.commands`` and is found at start-up, so
adding a command never touches this file. A command module defines ``NAME``, ``HELP``,
``ORDER`` (its place in ``--help``), ``add_arguments(parser)`` and ``run(args, ctx) -> int``.
With no command, the TUI opens.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from tutor import __version__
from tutor.cli.context import Context, UsageError, print_json
from tutor.course import CourseError
from tutor.interpreter import unsupported_reason

PROG = "tutor"
ERROR_PREFIX = f"{PROG}: error: "


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


class _Parser(argparse.ArgumentParser):
    """argparse, but a bad command line is a ``UsageError`` (one line, our prefix, JSON too)."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.removeprefix(PROG).strip()
        where = f"{command}: " if command else ""
        raise UsageError(f"{where}{message} (`{self.prog} --help` lists the options)")


def build_parser(only: str | None = None, *, commands: bool = True) -> argparse.ArgumentParser:
    """The parser; ``--course`` is accepted before or after the command name.

    ``only`` limits the subcommands to that one (when it exists); ``commands=False`` builds
    none, for a plain ``tutor`` that opens the app.
    """
    parser = _Parser(
        prog=PROG,
        description="A terminal tutor for Python threads. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    _course_option(parser, None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in _command_modules(only) if commands else []:
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        _course_option(command, argparse.SUPPRESS)
        module.add_arguments(command)
        command.set_defaults(run=module.run)
    return parser


def wants_json(argv: Sequence[str], args: argparse.Namespace | None = None) -> bool:
    """Whether the command line asks for JSON output (``--json`` or ``--format json``).

    Read from ``argv`` when parsing failed, so even a bad command line gets a JSON error.
    """
    if args is not None:
        return bool(getattr(args, "json", False)) or getattr(args, "format", None) == "json"
    tokens = list(argv)
    if "--json" in tokens or "--format=json" in tokens:
        return True
    return any(a == "--format" and b == "json" for a, b in zip(tokens, tokens[1:], strict=False))


def report_error(message: str, *, as_json: bool) -> None:
    """One error: ``{"error": ...}`` on stdout for JSON commands, else one prefixed stderr line."""
    if as_json:
        print_json({"error": message})
    else:
        print(f"{ERROR_PREFIX}{message}", file=sys.stderr)


def _unknown_command(name: str) -> UsageError:
    names = _command_names()
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"did you mean `{PROG} {close[0]}`? " if close else ""
    every = ", ".join(sorted(names))
    return UsageError(f"unknown command {name!r}; {hint}the commands are: {every}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 not passed / not sound, 2 usage error).

    Every error is one line with the same prefix on stderr, or, for a command asked for JSON,
    ``{"error": str}`` on stdout with exit status 2 (contract section 2). A command that knows
    its outcome before printing sets ``ctx.exit_status``, so a reader that closes the pipe
    early (``| head``) cannot turn a failed check into a success.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    args: argparse.Namespace | None = None
    ctx: Context | None = None
    if refusal := unsupported_reason():
        report_error(refusal, as_json=wants_json(argv))
        return 2
    try:
        needs_all, name = _requested_command(argv)
        if name is not None and not needs_all and name not in _command_names():
            raise _unknown_command(name)
        parser = build_parser() if needs_all else build_parser(name, commands=name is not None)
        args = parser.parse_args(argv)
        ctx = Context(course_dir=args.course)
        if args.command is None:
            from tutor.ui.app import run as run_app

            return run_app(ctx.course_root)
        status = int(args.run(args, ctx))
        sys.stdout.flush()  # a closed pipe shows up here, not at interpreter exit
        return status
    except UsageError as exc:
        report_error(str(exc), as_json=wants_json(argv, args))
        return 2
    except CourseError as exc:
        if wants_json(argv, args):
            report_error("the course has defects: " + "; ".join(exc.defects), as_json=True)
        for defect in [] if wants_json(argv, args) else exc.defects:
            report_error(f"course: {defect}", as_json=False)
        return 2
    except KeyboardInterrupt:
        report_error("interrupted", as_json=wants_json(argv, args))
        return 130
    except BrokenPipeError:
        # stdout closed early (e.g. piped into `head`): not worth a traceback, and the outcome
        # the command already decided stands.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ctx.exit_status if ctx is not None and ctx.exit_status is not None else 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: one line, never a traceback
        if os.environ.get("TUTOR_DEBUG"):
            raise
        as_json = wants_json(argv, args)
        report_error(
            f"internal error: {type(exc).__name__}: {exc} "
            "(set TUTOR_DEBUG=1 for the traceback, and please report it)",
            as_json=as_json,
        )
        return 2 if as_json else 1
