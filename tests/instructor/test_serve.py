"""`serve`: the app over textual-serve on loopback; it starts, answers HTTP, and stops cleanly."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from instructor_pack import REPO, run_tutor

pytest.importorskip("textual_serve")

START_LIMIT_S = 30.0
STOP_LIMIT_S = 10.0


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch_index(url: str, process: subprocess.Popen[bytes]) -> str:
    """GET ``url`` until the server answers, the process dies, or the time limit passes."""
    deadline = time.monotonic() + START_LIMIT_S
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if process.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


async def first_screen(url: str, wanted: bytes) -> bytes:
    """What the app sends over the page's websocket, until ``wanted`` shows or time runs out."""
    import aiohttp

    seen = b""
    deadline = time.monotonic() + START_LIMIT_S
    async with aiohttp.ClientSession() as session, session.ws_connect(url) as socket_:
        while wanted not in seen and time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(socket_.receive(), timeout=2)
            except TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                seen += message.data
            elif message.type == aiohttp.WSMsgType.TEXT:
                seen += message.data.encode()
            else:
                break
    return seen


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains ``text`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_bytes().decode():
                found.append(int(entry.name))
        except (OSError, UnicodeDecodeError):
            pass
    return found


def test_serve_answers_on_loopback_and_stops(course_dir: Path, tmp_path: Path) -> None:
    port = free_loopback_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "tutor", "--course", str(course_dir), "serve"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group: we stop exactly that group
        )
    try:
        page = fetch_index(f"http://127.0.0.1:{port}/", process)
        assert "<title>" in page.lower() or "<html" in page.lower()
        assert "threading-tutor" in page  # the app's name on the page
        assert f"ws://127.0.0.1:{port}/ws" in page  # the terminal connects back to this server
        # The page's terminal: the app itself starts and draws the course's title.
        ws_url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
        assert b"Instructor fixture" in asyncio.run(first_screen(ws_url, b"Instructor fixture"))
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=STOP_LIMIT_S) == 0, log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with pytest.raises(ConnectionRefusedError):  # nothing listens on the port any more
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
    if Path("/proc/self/cmdline").exists():  # the app it started for the browser is gone too
        deadline = time.monotonic() + STOP_LIMIT_S
        while processes_mentioning(str(course_dir)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert processes_mentioning(str(course_dir)) == []


def test_serve_rejects_a_bad_port(course_dir: Path) -> None:
    result = run_tutor("--course", str(course_dir), "serve", "--port", "70000", timeout=60)
    assert result.returncode == 2
    assert "--port 70000" in result.stderr


def test_the_page_points_browsers_at_a_reachable_address() -> None:
    from tutor.cli.commands.serve import default_public_url

    assert default_public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert default_public_url("0.0.0.0", 8080) == f"http://{socket.gethostname()}:8080"
    assert default_public_url("::1", 9000) == "http://[::1]:9000"
