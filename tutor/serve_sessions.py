"""`tutor serve` for a class: every browser session gets its own learner home.

textual-serve starts one ``python -m tutor`` per websocket, all with the server's environment,
so out of the box every tab shares one ``$TUTOR_HOME``: one learner's typing lands in another's
editor. This server gives each session its own home before its app starts:

- by name (the default): the page asks "your name" first, and the home is ``HOMES/<name>``, so
  a learner who comes back, from any browser, finds their work again;
- per browser (``--home-per-session`` without names): a random id kept in a cookie for 30 days
  picks ``HOMES/browser-<id>``, so a reload or a reopened tab finds the same work.

A name is not a password: there is no login, and anyone who can reach the port can type any
name. On a lab network that is the trade-off textual-serve makes too; docs/authoring.md says so.

The page is ours, not textual-serve's: it loads no web font and nothing from the internet (a
lab may be offline); the terminal's script and stylesheet come from textual-serve's own static
folder on this server.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import secrets
import shlex
from collections.abc import Callable
from pathlib import Path
from string import Template
from typing import Any

from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger("textual-serve")

NAME_RULE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
COOKIE = "tutor_session"
COOKIE_MAX_AGE_S = 30 * 24 * 3600
PAGES = Path(__file__).resolve().parent / "templates" / "serve"


def home_name(raw: str) -> str | None:
    """The folder name for a learner's name, or None when it cannot be one."""
    name = raw.strip().lower().replace(" ", ".")
    return name if NAME_RULE.match(name) and ".." not in name else None


def session_command(base: list[str], home: Path | None) -> str:
    """The shell command textual-serve runs for one session: the app, with its own home
    (None: the server's own, shared by every session)."""
    if home is None:
        return shlex.join(["exec", *base])
    return shlex.join(["exec", "env", f"TUTOR_HOME={home}", *base])


class SessionServer(Server):
    """textual-serve's server, with a learner home per browser session."""

    def __init__(
        self,
        app_argv: list[str],
        homes: Path | None,
        *,
        ask_name: bool,
        title: str,
        **options: Any,
    ) -> None:
        super().__init__(shlex.join(app_argv), title=title, **options)
        self.app_argv = app_argv
        self.homes = homes
        self.ask_name = ask_name
        self.sessions: dict[str, int] = {}  # session key -> live websockets

    async def _make_app(self) -> web.Application:
        app = web.Application()
        app.add_routes(
            [
                web.get("/", self.handle_page, name="index"),
                web.get("/ws/{home}", self.handle_session, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, name="static"),
            ]
        )
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_startup(self, app: web.Application) -> None:
        how = "a name asked at connect" if self.ask_name else "one per browser (a cookie)"
        self.console.print(f"Serving threading-tutor on {self.public_url}", highlight=False)
        if self.homes is None:
            self.console.print("Every session shares this user's learner home", highlight=False)
        else:
            self.console.print(f"Learner homes under {self.homes}: {how}", highlight=False)
        self.console.print("Press Ctrl+C to quit", highlight=False)

    # --- pages ----------------------------------------------------------------------------

    def _url(self, request: web.Request, route: str, **parts: str) -> str:
        return f"{self.public_url}{request.app.router[route].url_for(**parts)}"

    async def handle_page(self, request: web.Request) -> web.Response:
        if self.homes is None:
            return self._terminal("shared", request)
        if self.ask_name:
            raw = request.query.get("learner")
            if raw is None:
                return self._page("name.html", error="", value="")
            name = home_name(raw)
            if name is None:
                return self._page(
                    "name.html",
                    error="Use letters, digits, '.', '-' or '_' (up to 40), e.g. ada.lovelace",
                    value=raw,
                )
            return self._terminal(name, request)
        session = request.cookies.get(COOKIE, "")
        if not re.fullmatch(r"[0-9a-f]{32}", session):
            session = secrets.token_hex(16)
        response = self._terminal(f"browser-{session}", request)
        response.set_cookie(
            COOKIE, session, max_age=COOKIE_MAX_AGE_S, httponly=True, samesite="Strict"
        )
        return response

    def _terminal(self, home: str, request: web.Request) -> web.Response:
        url = self._url(request, "websocket", home=home)
        scheme = "wss:" if url.startswith("https:") else "ws:"
        font_size = request.query.get("fontsize", "16")
        return self._page(
            "terminal.html",
            websocket=scheme + url.split(":", 1)[1],
            static=self._url(request, "static", filename="/").rstrip("/") + "/",
            font_size=font_size if font_size.isdigit() else "16",
            learner=home if self.ask_name else "",
        )

    def _page(self, name: str, **values: str) -> web.Response:
        text = Template((PAGES / name).read_text(encoding="utf-8"))
        safe = {key: html.escape(value, quote=True) for key, value in values.items()}
        page = text.substitute(title=html.escape(self.title), **safe)
        return web.Response(text=page, content_type="text/html", charset="utf-8")

    # --- sessions -------------------------------------------------------------------------

    def home_for(self, key: str) -> Path | None | bool:
        """The home a websocket's path names; None for the shared home; False when the path
        names no valid home."""
        if self.homes is None:
            return None if key == "shared" else False
        if self.ask_name:
            name = home_name(key)
        else:
            name = key if re.fullmatch(r"browser-[0-9a-f]{32}", key) else None
        return self.homes / name if name else False

    async def handle_session(self, request: web.Request) -> web.WebSocketResponse:
        """textual-serve's websocket handler, with the session's own home in its command."""
        websocket = web.WebSocketResponse(heartbeat=15)
        key = request.match_info["home"]
        home = self.home_for(key)
        if home is False:
            raise web.HTTPNotFound(text="no such session; open the server's address again")
        assert home is None or isinstance(home, Path)
        if home is not None:
            home.mkdir(parents=True, exist_ok=True, mode=0o700)
        width = _int(request.query.get("width"), 80)
        height = _int(request.query.get("height"), 24)
        service: AppService | None = None
        self.sessions[key] = self.sessions.get(key, 0) + 1
        try:
            await websocket.prepare(request)
            service = AppService(
                session_command(self.app_argv, home),
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=websocket.close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            await service.start(width, height)
            await _relay(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one session's failure never stops the server
            log.exception(error)
        finally:
            if service is not None:
                await service.stop()
            self.sessions[key] -= 1
            if not self.sessions[key]:
                del self.sessions[key]
        return websocket


async def _relay(websocket: web.WebSocketResponse, service: AppService) -> None:
    """The browser's keys and resizes to the app (textual-serve's own message format)."""
    handlers: dict[str, Callable[[Any], Any]] = {
        "stdin": lambda data: service.send_bytes(str(data).encode("utf-8")),
        "resize": lambda data: service.set_terminal_size(data["width"], data["height"]),
        "ping": lambda data: websocket.send_json(["pong", data]),
        "blur": lambda data: service.blur(),
        "focus": lambda data: service.focus(),
    }
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = message.json()
            handler = handlers.get(envelope[0])
            if handler is not None:
                await handler(envelope[1] if len(envelope) > 1 else None)
        except (ValueError, TypeError, KeyError, IndexError):
            continue  # a malformed message from the browser: ignore it, keep the session


def _int(text: str | None, default: int) -> int:
    try:
        return max(1, min(1000, int(text or "")))
    except ValueError:
        return default
