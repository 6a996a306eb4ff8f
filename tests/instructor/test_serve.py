"""`serve`: the app over textual-serve on loopback, a learner home per browser session.

A real server in its own process group, real websocket sessions as a browser opens them, and
the real app behind each: it starts, answers HTTP, keeps every session's work apart (issue 17,
item 7), loads nothing from the internet (issue 13, item 8), and stops cleanly.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from instructor_pack import REPO, run_tutor

pytest.importorskip("textual_serve")

START_LIMIT_S = 60.0
STOP_LIMIT_S = 30.0  # the apps quitting at once on loaded cores
SESSIONS = 10  # issue 17: ten browser sessions at once, no cross-talk (bench_serve.py: memory)
SESSION_LIMIT_S = 240.0  # ten apps starting at once on two loaded cores (46.8 s at load ~290)
OPEN_RETRY_S = 30.0


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, process: subprocess.Popen[bytes], headers: dict | None = None):
    """GET ``url`` until the server answers, the process dies, or the time limit passes."""
    deadline = time.monotonic() + START_LIMIT_S
    request = urllib.request.Request(url, headers=headers or {})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                assert response.status == 200
                return response.read().decode("utf-8"), response.headers
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


@contextlib.contextmanager
def serving(
    course_dir: Path, tmp_path: Path, *options: str
) -> Iterator[tuple[int, subprocess.Popen]]:
    port = free_loopback_port()
    log = tmp_path / f"serve-{port}.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "TUTOR_HOME": str(tmp_path / "server-home")}
    command = [sys.executable, "-m", "tutor", "--course", str(course_dir), "serve"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port), *options],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: we stop exactly that group
        )
    try:
        yield port, process
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=STOP_LIMIT_S) == 0, log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Session:
    """One browser session: the page's websocket, and everything the app sent over it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.seen = b""

    async def run(self, script) -> None:
        import aiohttp

        async with aiohttp.ClientSession() as client, client.ws_connect(self.url) as ws:
            self.ws = ws
            await script(self)

    async def wait_for(self, wanted: bytes, limit: float | None = None) -> None:
        import aiohttp

        deadline = time.monotonic() + (SESSION_LIMIT_S if limit is None else limit)
        while wanted not in self.seen:
            if time.monotonic() > deadline:
                raise AssertionError(f"{wanted!r} never came from {self.url}")
            try:
                message = await asyncio.wait_for(self.ws.receive(), timeout=2)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.seen += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.seen += message.data.encode()
            else:
                raise AssertionError(f"{self.url} closed before {wanted!r}")

    async def idle_until(self, event: asyncio.Event, limit: float | None = None) -> None:
        """Keep reading, as a browser does, until ``event``: reading answers the server's
        heartbeat pings, and a session that stops answering is closed after 15 s."""
        deadline = time.monotonic() + (SESSION_LIMIT_S if limit is None else limit)
        while not event.is_set():
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.url} waited too long for the others")
            with contextlib.suppress(AssertionError):
                await self.wait_for(b"\0never\0", limit=0.5)

    async def type(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])

    async def open_first_exercise(self) -> None:
        """The first exercise, from the course map, with its "c Continue" key: it opens the
        exercise to go on with (the first, in a new home) wherever the highlight is. (Enter
        opens the highlighted row, and the highlight moves from the lesson to that exercise
        only when the progress has loaded: on busy cores, Enter opened the lesson.) The map is
        on screen, so the key reaches it; it is sent again only after a long silence."""
        for _ in range(int(SESSION_LIMIT_S / OPEN_RETRY_S)):
            await self.type("c")
            with contextlib.suppress(AssertionError):
                await self.wait_for(b"watching the file", limit=OPEN_RETRY_S)  # its status line
                return
        raise AssertionError(f"the exercise never opened in {self.url}")


def no_web_fonts(page: str) -> None:
    assert "fonts.googleapis" not in page and "@font-face" not in page
    assert "https://" not in page
    outside = [url for url in re.findall(r"https?://[^\"' ]+", page) if "127.0.0.1" not in url]
    assert outside == []


def test_serve_answers_on_loopback_and_stops(course_dir: Path, tmp_path: Path) -> None:
    with serving(course_dir, tmp_path) as (port, process):
        form, _ = fetch(f"http://127.0.0.1:{port}/", process)
        assert "threading-tutor" in form and 'name="learner"' in form  # the name comes first
        no_web_fonts(form)
        page, _ = fetch(f"http://127.0.0.1:{port}/?learner=Amy%20Pond", process)
        assert f"ws://127.0.0.1:{port}/ws/amy.pond" in page  # connects back to this server
        no_web_fonts(page)
        refused, _ = fetch(f"http://127.0.0.1:{port}/?learner=../../etc", process)
        assert "Use letters, digits" in refused and "/ws/" not in refused

        async def first_screen(session: Session) -> None:
            await session.wait_for(b"Instructor fixture")

        session = Session(f"ws://127.0.0.1:{port}/ws/amy.pond?width=80&height=24")
        asyncio.run(session.run(first_screen))
        assert (tmp_path / "server-home" / "learners" / "amy.pond").is_dir()
    with pytest.raises(ConnectionRefusedError):  # nothing listens on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    deadline = time.monotonic() + STOP_LIMIT_S
    while sessions_under(tmp_path) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sessions_under(tmp_path) == {}  # the apps it started for browsers are gone too


def sessions_under(root: Path) -> dict[str, int]:
    """Live processes whose $TUTOR_HOME is below ``root``: home name -> pid (Linux /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        for item in environ:
            if item.startswith(b"TUTOR_HOME=") and item[11:].startswith(str(root).encode()):
                if b"-m\0tutor" in cmdline:
                    found[Path(item[11:].decode()).name] = int(entry.name)
    return found


def session_apps(server: int) -> dict[str, int]:
    """The server's children (one app per session): their $TUTOR_HOME's name -> pid."""
    children: list[int] = []
    for task in Path(f"/proc/{server}/task").iterdir():
        children += [int(pid) for pid in (task / "children").read_text().split()]
    found = {}
    for pid in children:
        for item in Path(f"/proc/{pid}/environ").read_bytes().split(b"\0"):
            if item.startswith(b"TUTOR_HOME="):
                found[Path(item[11:].decode()).name] = pid
    return found


def proportional_kib(pid: int) -> int:
    """The process's proportional set size: its share of the memory it maps."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    raise AssertionError("no Pss line")


@pytest.mark.skipif(
    not Path(f"/proc/self/task/{os.getpid()}/children").exists(), reason="Linux /proc needed"
)
def test_sessions_at_once_keep_their_work_apart(course_dir: Path, tmp_path: Path) -> None:
    memory = sessions_at_once(course_dir, tmp_path, SESSIONS)
    mean = sum(memory.values()) / len(memory) / 1024
    print(f"\nserve: {SESSIONS} sessions, proportional memory per session: mean {mean:.1f} MiB, "
          f"max {max(memory.values()) / 1024:.1f} MiB")  # fmt: skip


def sessions_at_once(course_dir: Path, tmp_path: Path, count: int) -> dict[str, int]:
    """``count`` browsers open the first exercise at once and type their name in it; each
    file and each screen holds its own name only. Returns each app's PSS in KiB, measured
    while all of them are open (tests/benchmarks/bench_serve.py runs it with ten)."""
    homes = tmp_path / "homes"
    memory: dict[str, int] = {}
    with serving(course_dir, tmp_path, "--home-per-session", str(homes)) as (port, process):
        server = process
        fetch(f"http://127.0.0.1:{port}/", process)  # up and listening
        names = [f"learner{n}" for n in range(count)]
        all_open, measured = asyncio.Event(), asyncio.Event()
        opened: set[str] = set()

        def script(name: str):
            async def run(session: Session) -> None:
                await session.wait_for(b"Add two numbers")  # the course map
                await session.open_first_exercise()
                await session.type(f"# {name}-was-here ")
                await session.wait_for(f"{name}-was-here".encode())  # its own editor echoes it
                opened.add(name)
                if len(opened) == count:
                    all_open.set()
                await session.idle_until(all_open)
                if name == names[0]:  # every app is up: measure them side by side
                    for _ in range(10):  # a /proc scan under heavy churn can miss a process
                        live = session_apps(server.pid)
                        memory.update({h: proportional_kib(pid) for h, pid in live.items()})
                        if len(memory) == count:
                            break
                        await asyncio.sleep(0.5)
                    measured.set()
                await session.idle_until(measured)
                await _until_saved(homes / name, name)

            return run

        sessions = {
            name: Session(f"ws://127.0.0.1:{port}/ws/{name}?width=80&height=24") for name in names
        }

        async def everyone() -> None:
            await asyncio.gather(*(sessions[n].run(script(n)) for n in names))

        asyncio.run(everyone())
    for name in names:
        (work,) = (homes / name).glob("courses/*/work/add-numbers.py")
        text = work.read_text()
        assert f"{name}-was-here" in text
        others = [other for other in names if other != name and f"{other}-was-here" in text]
        assert others == [], f"{name}'s file has {others}'s typing"
        seen_elsewhere = [
            o for o in names if o != name and f"{o}-was-here".encode() in sessions[name].seen
        ]
        assert seen_elsewhere == [], f"{name}'s screen showed {seen_elsewhere}"
    assert sorted(memory) == sorted(names), memory  # one app per session, each its own home
    return memory


async def _until_saved(home: Path, name: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        for work in home.glob("courses/*/work/add-numbers.py"):
            if f"{name}-was-here" in work.read_text():
                return
        await asyncio.sleep(0.5)
    raise AssertionError(f"{name}'s typing was never saved in {home}")


def test_without_names_each_browser_keeps_its_home_by_cookie(
    course_dir: Path, tmp_path: Path
) -> None:
    with serving(course_dir, tmp_path, "--no-names", "--home-per-session", str(tmp_path / "h")) as (
        port,
        process,
    ):
        page, headers = fetch(f"http://127.0.0.1:{port}/", process)
        cookie = headers["Set-Cookie"].split(";")[0]
        (session,) = re.findall(r"/ws/(browser-[0-9a-f]{32})", page)
        again, _ = fetch(f"http://127.0.0.1:{port}/", process, {"Cookie": cookie})
        assert f"/ws/{session}" in again  # a reload finds the same work
        other, _ = fetch(f"http://127.0.0.1:{port}/", process)
        assert f"/ws/{session}" not in other  # another browser gets a home of its own
        no_web_fonts(page)
        with pytest.raises(urllib.error.HTTPError):  # a made-up session is not a home
            urllib.request.urlopen(f"http://127.0.0.1:{port}/ws/..%2F..", timeout=10)


def test_serve_rejects_a_bad_port(course_dir: Path) -> None:
    result = run_tutor("--course", str(course_dir), "serve", "--port", "70000", timeout=60)
    assert result.returncode == 2
    assert "--port 70000" in result.stderr


def test_the_page_points_browsers_at_a_reachable_address() -> None:
    from tutor.cli.commands.serve import default_public_url

    assert default_public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert default_public_url("0.0.0.0", 8080) == f"http://{socket.gethostname()}:8080"
    assert default_public_url("::1", 9000) == "http://[::1]:9000"


def test_learner_names_become_safe_folder_names() -> None:
    from tutor.serve_sessions import home_name

    assert home_name("Amy Pond") == "amy.pond"
    for bad in ("", "..", "../x", "a/b", ".hidden", "x" * 41, "nul\x00"):
        assert home_name(bad) is None, bad
