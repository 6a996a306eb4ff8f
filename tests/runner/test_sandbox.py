"""``run_sandboxed`` on plain commands: limits, output, environment, cleanup, cancel."""

from __future__ import annotations

import os
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from tutor.runner import OUTPUT_CAP, run_sandboxed
from tutor.runner.landlock import abi_version

PY = sys.executable
needs_landlock = pytest.mark.skipif(abi_version() == 0, reason="no Landlock on this kernel")


def _alive_with(token: str) -> list[int]:
    """Pids of live processes whose command line contains ``token``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if token.encode() in f.read():
                        with open(f"/proc/{entry}/stat", "rb") as s:
                            if s.read().rsplit(b")", 1)[1].split()[0] != b"Z":
                                found.append(int(entry))
            except OSError:
                continue
    return found


def test_exit_status_and_output_come_back(run_dir: Path) -> None:
    result = run_sandboxed(
        [PY, "-c", "import sys; print('out'); print('err', file=sys.stderr); sys.exit(3)"],
        cwd=run_dir,
        timeout_s=20,
    )
    assert (result.exit_code, result.signal, result.timed_out) == (3, None, False)
    assert "out" in result.output and "err" in result.output
    assert result.describe_end() == "exit status 3"


def test_output_is_capped_and_the_rest_counted(run_dir: Path) -> None:
    result = run_sandboxed(
        [PY, "-c", "import sys; sys.stdout.write('y' * 5_000_000)"], cwd=run_dir, timeout_s=30
    )
    assert result.exit_code == 0
    assert result.output_bytes == 5_000_000
    assert result.output.startswith("y" * OUTPUT_CAP)
    assert result.output.endswith(f"[... {5_000_000 - OUTPUT_CAP:,} more bytes dropped]")


def test_environment_is_scrubbed_and_the_seed_passes(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYTHONSTARTUP", "/nonexistent/evil.py")
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    monkeypatch.setenv("TUTOR_SEED", "7")
    code = (
        "import os, sys; print(sorted(os.environ)); print(os.environ['TUTOR_SEED']);"
        "print(repr(sys.stdin.read()))"
    )
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20, env={"EXTRA": "1"})
    assert result.exit_code == 0, result.output
    names, seed, stdin = result.output.splitlines()
    assert "SECRET_TOKEN" not in names and "PYTHONSTARTUP" not in names
    assert "EXTRA" in names and "PYTHONHASHSEED" in names
    assert seed == "7"
    assert stdin == "''"  # stdin is /dev/null: reading it never blocks


def test_address_space_is_limited(run_dir: Path) -> None:
    code = "b = bytearray(3 * 1024**3)"
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20)
    assert result.exit_code == 1
    assert "MemoryError" in result.output


def test_timeout_kills_the_whole_tree_including_daemons(run_dir: Path) -> None:
    token = f"tutor-test-{uuid.uuid4().hex}"
    code = f"""
import os, time
up_r, up_w = os.pipe()
def sleeper():
    os.close(up_r)
    os.write(up_w, b"+")
    os.execlp("{PY}", "{PY}", "-c", "import time; time.sleep(600)", "{token}")
if os.fork() == 0:             # a setsid'd, double-forked daemon
    os.setsid()
    if os.fork() == 0:
        sleeper()
    os._exit(0)
if os.fork() == 0:             # a plain child
    sleeper()
os.close(up_w)
print("up:", len(os.read(up_r, 1) + os.read(up_r, 1)), flush=True)
while True:
    time.sleep(0.01)
"""
    started = time.monotonic()
    # The limit only has to outlast the start of three processes on a loaded machine; what
    # is asserted is that both sleepers were up and none outlived the run.
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=4)
    assert result.timed_out and result.signal is not None
    assert "up: 2" in result.output, result.output
    assert time.monotonic() - started < 40
    assert _alive_with(token) == []


def test_orphans_left_after_a_normal_exit_are_killed(run_dir: Path) -> None:
    token = f"tutor-test-{uuid.uuid4().hex}"
    code = f"""
import os
if os.fork() == 0:
    os.setsid()
    os.execlp("{PY}", "{PY}", "-c", "import time; time.sleep(600)", "{token}")
"""
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20)
    assert result.exit_code == 0 and not result.timed_out
    assert _alive_with(token) == []


def test_the_init_of_the_run_cannot_be_killed_from_inside(run_dir: Path) -> None:
    # In a PID namespace the command's parent is the namespace's init, which the kernel
    # protects from SIGKILL sent from inside; outside processes have no pid there at all.
    code = (
        "import os, signal, time\nprint(os.getppid())\ntry:\n"
        "    os.kill(os.getppid(), signal.SIGKILL)\nexcept PermissionError:\n    pass\n"
        "time.sleep(0.2)\nprint('still here')"
    )
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20, landlock=False)
    if result.sandbox["namespaces"].get("pid") != "yes":
        pytest.skip("no PID namespace here")
    assert result.output.splitlines() == ["1", "still here"]
    assert result.exit_code == 0 and result.sandbox["middle_killed"] is False


def test_killing_the_parent_kills_only_the_middle_process(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without namespaces and Landlock's signal scope, the learner's code can kill its parent:
    # the middle process. The reaper still collects the verdict and cleans up.
    monkeypatch.setenv("TUTOR_SANDBOX_DISABLE", "namespaces,drop")
    code = (
        "import os, signal, time; os.kill(os.getppid(), signal.SIGKILL); time.sleep(0.2);"
        "print('still here'); raise SystemExit(5)"
    )
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20, landlock=False)
    assert result.sandbox["middle_killed"] is True
    assert result.exit_code == 5
    assert "still here" in result.output


def test_cancel_stops_a_run_early(run_dir: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    result = run_sandboxed(
        [PY, "-c", "import time; time.sleep(600)"], cwd=run_dir, timeout_s=60, cancel=cancel
    )
    assert result.cancelled and not result.timed_out
    assert time.monotonic() - started < 15


def test_channels_and_inputs_are_separate_pipes(run_dir: Path) -> None:
    code = (
        "import os; data = os.read(int(os.environ['TUTOR_FD_IN']), 100);"
        "os.write(int(os.environ['TUTOR_FD_OUT']), data[::-1]); print('plain output')"
    )
    result = run_sandboxed(
        [PY, "-c", code],
        cwd=run_dir,
        timeout_s=20,
        channels={"out": 1000},
        inputs={"in": b"secret"},
    )
    assert result.exit_code == 0, result.output
    assert result.channels["out"] == b"terces"
    assert "secret" not in result.output and "terces" not in result.output


@needs_landlock
def test_writes_only_beneath_writable_paths(run_dir: Path) -> None:
    allowed = run_dir / "allowed"
    allowed.mkdir()
    code = """
import sys
for path in sys.argv[1:]:
    try:
        open(path, "w").write("x")
        print("wrote", path)
    except OSError as exc:
        print("denied", path, exc.errno)
"""
    inside, outside = allowed / "ok.txt", run_dir / "no.txt"
    result = run_sandboxed(
        [PY, "-c", code, str(inside), str(outside)],
        cwd=run_dir,
        timeout_s=20,
        writable=[allowed],
    )
    assert result.exit_code == 0, result.output
    assert f"wrote {inside}" in result.output
    assert f"denied {outside}" in result.output
    assert not outside.exists()
    assert result.sandbox["landlock"].startswith("applied")


@pytest.mark.skipif(abi_version() < 6, reason="Landlock signal scoping needs ABI 6")
def test_signals_to_processes_outside_the_sandbox_are_refused(run_dir: Path) -> None:
    code = (
        "import os, signal\ntry:\n    os.kill(os.getppid(), signal.SIGKILL)\n"
        "except PermissionError:\n    print('refused')"
    )
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20)
    assert "refused" in result.output
    assert result.sandbox["middle_killed"] is False


def test_a_killed_reaper_is_reported_and_its_processes_are_swept(
    run_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only possible without namespaces and Landlock's signal scope: the learner kills the middle
    # process and the reaper. The tutor notices the missing report and kills the run by its
    # marker.
    monkeypatch.setenv("TUTOR_SANDBOX_DISABLE", "namespaces,drop")
    token = f"tutor-test-{uuid.uuid4().hex}"
    code = f"""
import os, signal, time
if os.fork() == 0:
    os.execlp("{PY}", "{PY}", "-c", "import time; time.sleep(600)", "{token}")
def parent_of(pid):
    with open(f"/proc/{{pid}}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])
middle = os.getppid()
gate = parent_of(middle)
reaper = parent_of(gate)
for pid in (reaper, gate, middle):
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
time.sleep(600)
"""
    started = time.monotonic()
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=2, landlock=False)
    assert result.error is not None and "reaper" in result.error
    assert result.sandbox["stray_processes_killed_by_the_tutor"] >= 2
    assert time.monotonic() - started < 20
    time.sleep(0.2)
    assert _alive_with(token) == []


@pytest.mark.skipif(abi_version() < 4, reason="Landlock TCP rules need ABI 4")
def test_tcp_connections_are_refused(run_dir: Path) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        code = (
            "import socket\ntry:\n"
            f"    socket.create_connection(('127.0.0.1', {port}), timeout=5)\n"
            "    print('connected')\nexcept OSError as exc:\n    print('refused', exc.errno)"
        )
        result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20)
    assert "refused" in result.output, result.output


def test_with_startup_s_the_limit_counts_from_when_the_command_is_up(run_dir: Path) -> None:
    # Start-up (2 s here) is not the command's time: its 1 s counts from the byte on
    # $TUTOR_FD_READY. Lower bounds on time only: they hold however loaded the machine is.
    code = (
        "import os, time\ntime.sleep(2)\nfd = int(os.environ['TUTOR_FD_READY'])\n"
        "os.write(fd, b'1')\nprint('up', os.environ['TUTOR_SANDBOX_TIMEOUT'], flush=True)\n"
        "while True:\n    os.write(fd, b'1')  # later bytes must not move the deadline\n"
        "    time.sleep(0.01)"
    )
    started = time.monotonic()
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=1, startup_s=30)
    elapsed = time.monotonic() - started
    assert result.timed_out and "up 1" in result.output, result.output
    assert elapsed >= 3.0
    assert elapsed < 25  # the deadline moved up to "up + 1 s", far from start-up's 30 s


def test_with_startup_s_a_command_that_never_says_it_is_up_still_ends(run_dir: Path) -> None:
    started = time.monotonic()
    result = run_sandboxed(
        [PY, "-c", "import time; time.sleep(600)"], cwd=run_dir, timeout_s=1, startup_s=2
    )
    assert result.timed_out
    assert 3.0 <= time.monotonic() - started < 30


def test_a_runs_tasks_share_one_cpu_group_of_their_own(run_dir: Path) -> None:
    # With cgroup v1 (root), a fork bomb's thousand tasks must weigh as one process against
    # the reaper and the tutor: the run gets a cpu group beside its pids group.
    from tutor.runner.cgroup import RunCgroup

    probe_group = RunCgroup(8)
    has_cpu_group = probe_group.cpu_path is not None
    probe_group.remove()
    if not has_cpu_group:
        pytest.skip("no cgroup v1 cpu hierarchy we may use here")
    code = "print(*[l for l in open('/proc/self/cgroup') if 'cpu' in l.split(':')[1].split(',')])"
    result = run_sandboxed([PY, "-c", code], cwd=run_dir, timeout_s=20)
    assert result.exit_code == 0, result.output
    assert "tutor-run-" in result.output, result.output
    assert "its own cpu group" in result.sandbox["cgroup"]
    name = result.output.split("tutor-run-")[1].split()[0]
    assert not list(Path("/sys/fs/cgroup").glob(f"cpu*/**/tutor-run-{name}"))
