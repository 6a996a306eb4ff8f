"""``tutor serve``: the same app in a web browser, for a class on lab machines.

textual-serve runs one ``python -m tutor`` per browser session, each in its own pseudo-terminal,
and relays it over a websocket. Each session gets its own learner home (``tutor.serve_sessions``):
under a name the page asks for, or one per browser with ``--no-names``. It is an optional extra
(``pip install '.[serve]'`` from a clone). There is no login: the default host is the loopback
interface, so only this machine can connect.
"""

from __future__ import annotations

import argparse
import socket
import sys
from pathlib import Path

from tutor.cli.context import Context, UsageError
from tutor.output import escape, say
from tutor.paths import tutor_home

NAME = "serve"
HELP = "serve the app to web browsers, a learner home per session (default 127.0.0.1:8000)"
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
    parser.add_argument(
        "--home-per-session",
        metavar="DIR",
        default=None,
        help="the folder that holds one learner home per session (default: "
        "$TUTOR_HOME/learners, or the user data folder's)",
    )
    sessions = parser.add_mutually_exclusive_group()
    sessions.add_argument(
        "--no-names",
        action="store_true",
        help="do not ask for a name: one home per browser, kept by a cookie",
    )
    sessions.add_argument(
        "--shared-home",
        action="store_true",
        help="every session uses your own home (one person, several tabs)",
    )


def app_argv(ctx: Context) -> list[str]:
    """The command textual-serve starts for each browser session."""
    argv = [sys.executable, "-m", "tutor"]
    if ctx.course_root is not None:
        argv += ["--course", str(ctx.course_root)]
    return argv


def run(args: argparse.Namespace, ctx: Context) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: give a port from 1 to 65535")
    if args.shared_home and args.home_per_session:
        raise UsageError("--shared-home and --home-per-session exclude each other; pick one")
    try:
        from tutor.serve_sessions import SessionServer
    except ImportError:
        raise UsageError(
            "serve needs textual-serve: pip install '.[serve]' (from a clone), or "
            "pip install textual-serve"
        ) from None
    ctx.course  # noqa: B018 - a broken course is reported here, not in every browser tab
    if args.host not in LOOPBACK:
        say(
            f"tutor: warning: serving on {escape(args.host)}: anyone who can reach port "
            f"{args.port} gets the app (there is no login; a name is not a password)"
        )
    options = {
        "host": args.host,
        "port": args.port,
        "public_url": args.public_url or default_public_url(args.host, args.port),
    }
    if args.shared_home:
        import shlex

        from textual_serve.server import Server

        server = Server(shlex.join(app_argv(ctx)), title="threading-tutor", **options)
    else:
        homes = Path(args.home_per_session).expanduser() if args.home_per_session else None
        homes = (homes or tutor_home() / "learners").resolve()
        try:
            homes.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise UsageError(f"--home-per-session {escape(str(homes))}: {exc.strerror}") from None
        server = SessionServer(
            app_argv(ctx), homes, ask_name=not args.no_names, title="threading-tutor", **options
        )
    try:
        server.serve()
    except OSError as exc:  # e.g. the port is taken
        raise UsageError(
            f"cannot serve on {escape(args.host)}:{args.port}: {exc.strerror or exc}"
        ) from None
    return 0


def default_public_url(host: str, port: int) -> str:
    """Where a browser reaches us; a wildcard address is not one, the machine's name is."""
    if host in WILDCARDS:
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"
