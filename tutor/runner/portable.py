"""The portable runner: ``run_sandboxed`` where there is no subreaper, ``/proc`` or Landlock.

Used on POSIX systems other than Linux (macOS, the BSDs), and on Linux when
``TUTOR_SANDBOX_PORTABLE=1`` (so that this path is tested where CI runs). The command runs in a
session of its own with the rlimits the platform accepts, a scrubbed environment, stdin from
/dev/null, capped output and the same extra pipes as the Linux runner. When it ends (or at the
deadline, or on cancel) its process group and every descendant found in ``ps`` are frozen with
SIGSTOP, then killed, until none is left. See docs/sandbox.md for what this does not catch.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from tutor.runner.capture import CappedBuffer
from tutor.runner.limits import Limits

ENV_VAR = "TUTOR_SANDBOX_PORTABLE"
_PACKAGE_PARENT = str(Path(__file__).resolve().parents[2])
# Applies the rlimits in the child, then becomes the command (same pid, same session).
_BOOT = (
    "import sys; sys.path.insert(0, sys.argv.pop(1)); import marshal, os\n"
    "from tutor.runner.rlimits import apply_rlimits\n"
    "spec = marshal.loads(bytes.fromhex(sys.argv[1]))\n"
    "try:\n"
    "    apply_rlimits(spec['limits'], spec['timeout_s'], best_effort=True)\n"
    "    os.execv(spec['argv'][0], spec['argv'])\n"
    "except BaseException as exc:\n"
    "    os.write(2, f'tutor sandbox: cannot start {spec[\"argv\"][0]}: {exc}\\n'.encode())\n"
    "os._exit(127)\n"
)
_DRAIN_AFTER_KILL_S = 1.0  # an escaped process may hold a pipe open: stop waiting for it
_SWEEP_GIVE_UP_S = 10.0


def wanted() -> bool:
    """Whether ``run_sandboxed`` should use this runner on the current system."""
    return not sys.platform.startswith("linux") or os.environ.get(ENV_VAR) == "1"


def process_table() -> dict[int, tuple[int, int]]:
    """``{pid: (ppid, pgid)}`` of every live, non-zombie process, from ``ps`` (no /proc)."""
    done = subprocess.run(
        ["ps", "-A", "-o", "pid=,ppid=,pgid=,stat="],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/bin:/usr/bin", "LC_ALL": "C"},
    )
    table: dict[int, tuple[int, int]] = {}
    for line in done.stdout.splitlines():
        fields = line.split()
        if len(fields) < 4 or not fields[0].isdigit() or fields[3].startswith("Z"):
            continue
        table[int(fields[0])] = (int(fields[1]), int(fields[2]))
    return table


def run_members(leader: int, table: dict[int, tuple[int, int]]) -> set[int]:
    """The live processes of a run: its process group and everything below any of them."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    found = {pid for pid, (_, pgid) in table.items() if pgid == leader}
    if leader in table:
        found.add(leader)
    stack = list(found)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    found.discard(os.getpid())
    return found


def sweep(leader: int, give_up_s: float = _SWEEP_GIVE_UP_S) -> int:
    """Kill the run led by ``leader`` until ``ps`` shows none of it; returns how many died.

    Each round first stops every member with SIGSTOP and looks again, until no new member
    appears (a stopped process cannot fork, so none can slip out between the look and the
    kill), then SIGKILLs them all.
    """
    killed: set[int] = set()
    stop_at = time.monotonic() + give_up_s
    while time.monotonic() < stop_at:
        members = run_members(leader, process_table())
        if not members:
            break
        stopped: set[int] = set()
        while members - stopped and time.monotonic() < stop_at:
            for pid in members - stopped:
                _signal(pid, signal.SIGSTOP)
            stopped |= members
            members = run_members(leader, process_table())
        try:
            os.killpg(leader, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        for pid in stopped | members:
            if _signal(pid, signal.SIGKILL):
                killed.add(pid)
        time.sleep(0.01)
    return len(killed)


def _signal(pid: int, sig: int) -> bool:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        return False
    return True


def _exited(pid: int) -> bool:
    """Whether the child has ended, *without* reaping it: its pid stays reserved for the sweep."""
    try:
        info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
    except ChildProcessError:
        return True
    return info is not None and info.si_pid == pid


def run_portable(
    argv: list[str],
    *,
    cwd: Path,
    timeout_s: float,
    deadline: float,
    env: dict[str, str],
    limits: Limits,
    out_w: int,
    pass_fds: Sequence[int],
    readers: dict[int, tuple[str, CappedBuffer]],
    cancel: threading.Event | None,
) -> tuple[int | None, str, dict[str, object]]:
    """Run ``argv`` and drain ``readers``; returns (wait return code, end reason, sandbox info).

    ``out_w`` and ``pass_fds`` (the child's ends of the pipes) are closed here once the child
    holds them; the caller closes the ``readers``.
    """
    import marshal

    spec = {"argv": argv, "limits": limits.to_json(), "timeout_s": timeout_s}
    try:
        child = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _BOOT, _PACKAGE_PARENT, marshal.dumps(spec).hex()],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out_w,
            stderr=out_w,
            pass_fds=list(pass_fds),
            start_new_session=True,
            close_fds=True,
        )
    finally:
        # Only the run may hold the write ends now, so EOF means every process is gone.
        for fd in [out_w, *pass_fds]:
            os.close(fd)
    reason = "exited"
    killed = 0
    try:
        with selectors.DefaultSelector() as selector:
            for fd in readers:
                os.set_blocking(fd, False)
                selector.register(fd, selectors.EVENT_READ)
            open_fds = set(readers)
            ended_at: float | None = None
            while open_fds:
                for key, _ in selector.select(timeout=0.05):
                    data = _read(key.fd)
                    if data:
                        readers[key.fd][1].feed(data)
                    elif data is not None:
                        selector.unregister(key.fd)
                        open_fds.discard(key.fd)
                if ended_at is None:
                    if _exited(child.pid):
                        reason = "exited"
                    elif cancel is not None and cancel.is_set():
                        reason = "cancelled"
                    elif time.monotonic() >= deadline:
                        reason = "timeout"
                    else:
                        continue
                    killed = sweep(child.pid)
                    ended_at = time.monotonic()
                elif time.monotonic() - ended_at > _DRAIN_AFTER_KILL_S:
                    break
    finally:
        if child.returncode is None and not _exited(child.pid):
            killed += sweep(child.pid)  # e.g. Ctrl-C in the tutor: end the run too
        child.wait()
    sandbox: dict[str, object] = {
        "mode": "portable (new session, killpg and a ps sweep)",
        "landlock": "not applied (portable runner)",
        "subreaper": False,
        "cgroup": "not used (portable runner)",
        "rlimits": "those the platform accepts",
        "reason": reason,
        "child_pid": child.pid,
        "stray_processes_killed": killed,
    }
    return child.returncode, reason, sandbox


def _read(fd: int) -> bytes | None:
    try:
        return os.read(fd, 1 << 16)
    except BlockingIOError:
        return None
