"""`serve`: the app over textual-serve on loopback; it starts, answers HTTP, and stops cleanly."""

from __future__ import annotations

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
        os.killpg(process.pid, signal.SIGTERM)
        assert process.wait(timeout=STOP_LIMIT_S) == 0, log.read_text(errors="replace")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", port))  # the port was released


def test_serve_rejects_a_bad_port(course_dir: Path) -> None:
    result = run_tutor("--course", str(course_dir), "serve", "--port", "70000", timeout=60)
    assert result.returncode == 2
    assert "--port 70000" in result.stderr


def test_the_page_points_browsers_at_a_reachable_address() -> None:
    from tutor.cli.commands.serve import default_public_url

    assert default_public_url("127.0.0.1", 8000) == "http://127.0.0.1:8000"
    assert default_public_url("0.0.0.0", 8080) == f"http://{socket.gethostname()}:8080"
    assert default_public_url("::1", 9000) == "http://[::1]:9000"
