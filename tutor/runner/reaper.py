"""The reaper: the process between the tutor and the learner's code.

Started by ``sandbox.run_sandboxed`` in a session of its own, it becomes a child subreaper,
forks a *middle* process that forks and execs the learner's command with limits and Landlock,
waits for that command to end (or for the wall deadline, or for SIGTERM from the tutor), then
kills every process the run left behind and writes its report (a ``marshal``-ed dict: the
same interpreter reads it, and ``json`` would add to every run's start-up) on a pipe only it
holds. Learner code that kills its parent kills only the middle process.

Runs as ``python -I -S -c ...``: stdlib only, and nothing here may print to stdout/stderr
(they carry the learner's output).
"""

from __future__ import annotations

import ctypes
import marshal
import os
import signal
import sys
import time

from tutor.runner import landlock, proctree
from tutor.runner.cgroup import RunCgroup
from tutor.runner.rlimits import apply_rlimits

TYPE_CHECKING = False  # not `from typing import ...`: typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

_PR_SET_CHILD_SUBREAPER = 36
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def _become_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _exec_learner(spec: dict[str, Any], cgroup: RunCgroup, status_w: int) -> None:
    """In the grandchild: limits, Landlock, then exec. Never returns."""
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        os.chdir(spec["cwd"])
        cgroup.join()
        apply_rlimits(spec["limits"], spec["timeout_s"])
        if spec["landlock"]:
            status = landlock.restrict(spec["writable"])
        else:
            status = "not applied (disabled by the caller)"
        os.write(status_w, f"landlock {status}\n".encode())
        os.execve(spec["argv"][0], spec["argv"], spec["env"])
    except BaseException as exc:  # noqa: BLE001 - report it on stderr, which the tutor shows
        os.write(2, f"tutor sandbox: cannot start {spec['argv'][0]}: {exc}\n".encode())
    os._exit(127)


def _middle(spec: dict[str, Any], cgroup: RunCgroup, status_w: int) -> None:
    """Fork the learner's process, wait for it, and tell the reaper how it ended."""
    try:
        os.setsid()  # out of the reaper's process group: killpg(0, ...) cannot reach the reaper
        child = os.fork()
        if child == 0:
            _exec_learner(spec, cgroup, status_w)
        os.write(status_w, f"pid {child}\n".encode())
        _, status = os.waitpid(child, 0)
        os.write(status_w, f"status {status}\n".encode())
    finally:
        os._exit(0)


class _Watch:
    """What the reaper knows about the learner's process while it waits."""

    def __init__(self) -> None:
        self.child: int | None = None
        self.status: int | None = None
        self.landlock = "not applied (the learner's process did not start)"
        self.buffer = b""

    def read_lines(self, fd: int) -> None:
        while True:
            try:
                chunk = os.read(fd, 4096)
            except BlockingIOError:
                break
            if not chunk:
                break
            self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            key, _, value = line.decode(errors="replace").partition(" ")
            if key == "pid":
                self.child = int(value)
            elif key == "status":
                self.status = int(value)
            elif key == "landlock":
                self.landlock = value


def _run(spec: dict[str, Any], report: dict[str, Any]) -> None:
    report["subreaper"] = _become_subreaper()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD, *_STOP_SIGNALS})
    cgroup = RunCgroup(spec["limits"]["max_tasks"])
    report["cgroup"] = cgroup.status
    status_r, status_w = os.pipe()
    middle = os.fork()
    if middle == 0:
        os.close(status_r)
        os.close(spec["report_fd"])
        _middle(spec, cgroup, status_w)
    os.close(status_w)
    os.set_blocking(status_r, False)
    watch = _Watch()
    middle_alive = True
    middle_status: int | None = None
    reason = "exited"
    while True:
        for pid, status in proctree.reap_children():
            if pid == middle:
                middle_alive, middle_status = False, status
            elif pid == watch.child and watch.status is None:
                watch.status = status
        watch.read_lines(status_r)
        if watch.status is not None:
            break
        if not middle_alive:
            if watch.child is None:
                break  # the middle died before it could start anything
            try:
                os.kill(watch.child, 0)
            except ProcessLookupError:
                break  # reaped by the middle, which was killed before it could say so
        remaining = spec["deadline"] - time.monotonic()
        if remaining <= 0:
            reason = "timeout"
            break
        got = signal.sigtimedwait({signal.SIGCHLD, *_STOP_SIGNALS}, min(remaining, 0.5))
        if got is not None and got.si_signo in _STOP_SIGNALS:
            reason = "cancelled"
            break
    # Only the learner's code kills the middle before the loop ends; later, we do.
    middle_killed = middle_status is not None and os.WIFSIGNALED(middle_status)
    report["ended_s_after_deadline"] = round(time.monotonic() - spec["deadline"], 3)
    killed, reaped = proctree.kill_descendants(cgroup.members())
    for pid, status in reaped:
        if pid == watch.child and watch.status is None:
            watch.status = status
    watch.read_lines(status_r)
    for _ in range(50):
        if cgroup.path is None or not cgroup.members():
            break
        time.sleep(0.01)
    cgroup.remove()
    report.update(
        reason=reason,
        child_pid=watch.child,
        wait_status=watch.status,
        middle_killed=middle_killed,
        landlock=watch.landlock,
        stray_processes_killed=killed,
    )


def main() -> None:
    spec = marshal.loads(bytes.fromhex(sys.argv[1]))
    report: dict[str, Any] = {"error": None}
    report_fd = spec["report_fd"]
    os.set_inheritable(report_fd, False)
    try:
        _run(spec, report)
    except BaseException as exc:  # noqa: BLE001 - the tutor must always get a report
        report["error"] = f"{type(exc).__name__}: {exc}"
        try:
            proctree.kill_descendants()
        except Exception as kill_exc:  # noqa: BLE001
            report["error"] += f"; cleanup failed: {kill_exc}"
    os.write(report_fd, marshal.dumps(report))
    os._exit(0)
