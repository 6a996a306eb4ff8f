"""Attacks on the machine from a submission, each against something this test owns.

Every case grades a correct counter that first tries one way out (issue 11's classes): device
nodes, TIOCSTI into a terminal, metadata of files it cannot write, every kind of socket to a
loopback listener, other processes' environments, a zombie leader with live threads, a tree
too deep to remove, /dev/shm and System V IPC, terminal escapes in its output. The targets
are harmless and ours: a canary file in this test's tmp, a pty this test opens, listeners this
test starts. Each case asserts the containment itself (the canary unchanged, nothing received)
and that no process of the run is left (the check runs under tests/runner/watch.py).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

from tutor.runner.isolation import probe

HERE = Path(__file__).resolve().parent
_LAYERS = probe()
_SPACES = _LAYERS.get("namespaces", {})


def _needs(layer: str, granted: bool) -> pytest.MarkDecorator:
    return pytest.mark.skipif(
        not granted, reason=f"this machine gives no {layer}: see `tutor doctor` and docs/sandbox.md"
    )


needs_private_root = _needs(
    "private root", str(_LAYERS.get("filesystem", "")).startswith("private")
)
needs_network_namespace = _needs("network namespace", _SPACES.get("network") == "yes")
needs_pid_namespace = _needs("PID namespace", _SPACES.get("pid") == "yes")
needs_ipc_namespace = _needs("IPC namespace", _SPACES.get("ipc") == "yes")
ESCAPES = HERE / "escapes"
COURSE = HERE / "course"


def _submission(tmp_path: Path, name: str, **values: object) -> Path:
    text = (ESCAPES / name).read_text()
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    path = tmp_path / name
    path.write_text(text)
    path.chmod(0o644)
    return path


def _graded(check_watched: Any, path: Path) -> tuple[dict[str, Any], str]:
    report = check_watched(path, timeout_s=30)
    verdict = report["verdict"]
    assert verdict is not None, report["stdout"][-2000:] + report["stderr"][-2000:]
    assert report["survivors"] == [], report["survivors"]
    assert verdict["status"] in ("passed", "failed"), verdict["failure"]
    return verdict, verdict["output"]


def _contained(output: str) -> None:
    assert "ESCAPE" not in output, output
    assert "contained" in output or "looked at" in output, output


def test_device_nodes_cannot_be_made_or_reached(tmp_path: Path, check_watched: Any) -> None:
    host_devices = sorted(str(p) for p in Path("/dev").iterdir() if p.is_block_device())[:6]
    path = _submission(tmp_path, "device_nodes.py", HOST_DEVICES=",".join(host_devices))
    verdict, output = _graded(check_watched, path)
    _contained(output)
    assert output.count("contained mknod") == 2


def test_tiocsti_cannot_type_into_a_terminal(tmp_path: Path, check_watched: Any) -> None:
    master, slave = os.openpty()
    try:
        path = _submission(tmp_path, "tiocsti.py", PTY=os.ttyname(slave))
        verdict, output = _graded(check_watched, path)
        _contained(output)
        for fd in (master, slave):
            os.set_blocking(fd, False)
            with pytest.raises(BlockingIOError):
                os.read(fd, 100)  # nothing was pushed into the terminal, nothing echoed
    finally:
        os.close(master)
        os.close(slave)


def _xattrs(path: Path) -> dict[str, bytes]:
    try:
        return {name: os.getxattr(path, name) for name in os.listxattr(path)}
    except OSError:
        return {}


@needs_private_root
def test_metadata_of_unwritable_files_stays(tmp_path: Path, check_watched: Any) -> None:
    canary = tmp_path / "canary.txt"
    canary.write_text("keep me")
    canary.chmod(0o644)
    before = canary.stat()
    path = _submission(tmp_path, "metadata.py", CANARY=canary)
    verdict, output = _graded(check_watched, path)
    _contained(output)
    after = canary.stat()
    assert (after.st_mode, after.st_uid, after.st_gid, after.st_mtime_ns) == (
        before.st_mode,
        before.st_uid,
        before.st_gid,
        before.st_mtime_ns,
    )
    assert _xattrs(canary) == {}
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@needs_network_namespace
def test_no_socket_reaches_a_loopback_listener(tmp_path: Path, check_watched: Any) -> None:
    with (
        socket.create_server(("127.0.0.1", 0)) as tcp,
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp,
    ):
        udp.bind(("127.0.0.1", 0))
        tcp.setblocking(False)
        udp.setblocking(False)
        path = _submission(
            tmp_path, "network.py", TCP_PORT=tcp.getsockname()[1], UDP_PORT=udp.getsockname()[1]
        )
        verdict, output = _graded(check_watched, path)
        _contained(output)
        with pytest.raises(BlockingIOError):
            tcp.accept()
        with pytest.raises(BlockingIOError):
            udp.recvfrom(100)


@needs_pid_namespace
def test_other_processes_environments_stay_secret(
    tmp_path: Path, check_watched: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = f"tutor-secret-{uuid.uuid4().hex}"
    monkeypatch.setenv("TUTOR_TEST_SECRET", secret)
    path = _submission(tmp_path, "environ.py", PIDS=f"{os.getpid()},{os.getppid()}", SECRET=secret)
    verdict, output = _graded(check_watched, path)
    assert "ESCAPE" not in output and secret not in output, output


def test_a_zombie_leader_with_live_threads_does_not_outlive_the_run(
    tmp_path: Path, check_watched: Any
) -> None:
    _graded(check_watched, _submission(tmp_path, "zombie_leader.py"))  # asserts no survivor


def test_a_tree_too_deep_to_walk_still_gets_a_verdict_and_goes(
    tmp_path: Path, check_watched: Any
) -> None:
    verdict, output = _graded(check_watched, _submission(tmp_path, "deep_tree.py"))
    assert verdict["status"] == "passed", verdict
    scratch = output.split("built 2500 levels in", 1)[1].split()[0]
    assert not Path(scratch).exists()


def _ipc_keys() -> set[int]:
    keys = set()
    for kind in ("shm", "sem", "msg"):
        try:
            lines = Path(f"/proc/sysvipc/{kind}").read_text().splitlines()[1:]
        except OSError:
            continue
        keys |= {int(line.split()[0]) for line in lines if line.split()}
    return keys


@needs_ipc_namespace
def test_shared_memory_and_ipc_do_not_survive(tmp_path: Path, check_watched: Any) -> None:
    token = f"tutor-test-{uuid.uuid4().hex}"
    key = 0x74750000 + os.getpid() % 0xFFFF
    verdict, output = _graded(
        check_watched, _submission(tmp_path, "shm_ipc.py", TOKEN=token, IPC_KEY=key)
    )
    assert not Path(f"/dev/shm/{token}").exists()
    assert key not in _ipc_keys(), output


def test_terminal_escapes_in_the_output_are_shown_escaped(
    tmp_path: Path, check_watched: Any
) -> None:
    path = _submission(tmp_path, "ansi_output.py")
    verdict, output = _graded(check_watched, path)
    assert "\x1b" not in output and "\x07" not in output and "\x00" not in output
    assert "\\x1b[31mRED" in output
    text = subprocess.run(
        [
            sys.executable,
            "-m",
            "tutor",
            "--course",
            str(COURSE),
            "check",
            "counter",
            "--file",
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "\\x1b[31mRED" in text.stdout
    assert not any(c in text.stdout for c in "\x1b\x07\x00\r"), repr(text.stdout)
