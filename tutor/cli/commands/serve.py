"""``tutor serve``: the same app in a web browser, for lab machines where a terminal is awkward.

textual-serve runs one ``python -m tutor`` per browser tab, each in its own pseudo-terminal, and
relays it over a websocket. It is an optional extra (``pip install 'threading-tutor[serve]'``).
There is no login: the default host is the loopback interface, so only this machine can connect.
"""

from __future__ import annotations

import argparse
import shlex
import socket
import sys

from tutor.cli.context import Context, UsageError

NAME = "serve"
HELP = "serve the app to a web browser (textual-serve; default http://127.0.0.1:8000)"
ORDER = 85
LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARDS = ("0.0.0.0", "::", "")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on (default 127.0.0.1: this machine only; 0.0.0.0: everyone)",
    )
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument(
        "--public-url",
        default=None,
        metavar="URL",
        help="the address browsers use to reach this server (default http://HOST:PORT, or "
        "this machine's name when HOST is 0.0.0.0); the page connects back to it",
    )


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
    server = Server(
        app_command(ctx),
        host=args.host,
        port=args.port,
        title="threading-tutor",
        public_url=args.public_url or default_public_url(args.host, args.port),
    )
    try:
        server.serve()
    except OSError as exc:  # e.g. the port is taken
        raise UsageError(
            f"cannot serve on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    return 0


def default_public_url(host: str, port: int) -> str:
    """Where a browser reaches us; a wildcard address is not one, the machine's name is."""
    if host in WILDCARDS:
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
