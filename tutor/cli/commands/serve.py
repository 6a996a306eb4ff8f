"""``tutor serve``: the same app in a web browser, for lab machines where a terminal is awkward.

textual-serve runs one ``python -m tutor`` per browser tab, each in its own pseudo-terminal, and
relays it over a websocket. It is an optional extra (``pip install 'threading-tutor[serve]'``).
There is no login: the default host is the loopback interface, so only this machine can connect.
"""

from __future__ import annotations

import argparse
import shlex
import sys

from tutor.cli.context import Context, UsageError

NAME = "serve"
HELP = "serve the app to a web browser (textual-serve; default http://127.0.0.1:8000)"
ORDER = 70
LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1",
        help="interface to listen on (default 127.0.0.1: this machine only; 0.0.0.0: everyone)",
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")


def app_command(ctx: Context) -> str:
    """The shell command textual-serve starts for each browser session."""
    argv = [sys.executable, "-m", "tutor"]
    if ctx.course_root is not None:
        argv += ["--course", str(ctx.course_root)]
    return shlex.join(argv)


def run(args: argparse.Namespace, ctx: Context) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535")
    try:
        from textual_serve.server import Server
    except ImportError:
        raise UsageError(
            "serve needs textual-serve: pip install 'threading-tutor[serve]'"
        ) from None
    ctx.course  # noqa: B018 - a broken course is reported here, not in every browser tab
    if args.host not in LOOPBACK:
        print(
            f"tutor: warning: serving on {args.host}: anyone who can reach port {args.port} "
            "gets the app (there is no login)",
            file=sys.stderr,
        )
    Server(app_command(ctx), host=args.host, port=args.port, title="threading-tutor").serve()
    return 0
