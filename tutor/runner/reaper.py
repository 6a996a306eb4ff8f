"""The reaper: the trusted process between the tutor and the learner's code.

Started by ``sandbox.run_sandboxed`` in a session of its own, it becomes a child subreaper and
forks three generations, each with one job (see ``namespaces.py`` and docs/sandbox.md):

    reaper   host namespaces; deadline, id maps, cleanup, report
      gate     joins new user, mount, network, IPC and PID namespaces; waits for the init
        init     PID 1 of the new PID namespace: builds the private root, waits for the command
          command  drops to the sandbox uid with no capability, rlimits, Landlock, then execve

When the command ends (or at the wall deadline, or on SIGTERM from the tutor) the reaper kills
the init, and the kernel kills everything left in the PID namespace; then it sweeps its own
descendants and the run's cgroup (for kernels without namespaces) and writes its report (a
``marshal``-ed dict: the same interpreter reads it) on a pipe only it holds. Every layer the
kernel refuses is reported with the reason, and the run goes on with the others.

Runs as ``python -I -S -c ...``: stdlib only, and nothing here may print to stdout/stderr
(they carry the learner's output).
"""

from __future__ import annotations

import ctypes
import marshal
import os
import resource  # noqa: F401 - imported now: after the uid drop, this Python may be unreadable
import select
import signal
import sys
import time

from tutor.runner import landlock, namespaces, proctree
from tutor.runner.cgroup import RunCgroup
from tutor.runner.rlimits import apply_rlimits, user_task_count

TYPE_CHECKING = False  # not `from typing import ...`: typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

_PR_SET_CHILD_SUBREAPER = 36
_STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}
_SETUP_FAILED = 125
_GATE_EXIT_S = 10.0  # how long the kernel may take to empty a killed PID namespace


def _become_subreaper() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0


def _say(fd: int, key: str, value: object = "") -> None:
    os.write(fd, f"{key} {value}".replace("\n", " ").encode() + b"\n")


# ---------------------------------------------------------------------------------------------
# The three generations below the reaper. Each ends with os._exit: never back into its caller.


def _exec_command(
    spec: dict[str, Any],
    status_w: int,
    user_ns: bool,
    tasks_already: int | None,
    private_root: bool,
) -> None:
    """In the command's process: no privilege, limits, Landlock, then exec. Never returns."""
    try:
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        for sig in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        os.setsid()  # its own process group: kill(0, ...) reaches only the learner's processes
        iso = spec["isolation"]
        if iso["drop"]:
            held = namespaces.drop_privileges(iso["uid"], iso["gid"], in_user_namespace=user_ns)
        else:
            held = "not dropped (disabled by the caller)"
        _say(status_w, "privileges", held)
        os.chdir(spec["cwd"])
        apply_rlimits(spec["limits"], spec["timeout_s"], tasks_already=tasks_already)
        if spec["landlock"]:
            # A private root's /tmp is a small tmpfs of this run alone: programs may use it.
            status = landlock.restrict(spec["writable"] + (["/tmp"] if private_root else []))
        else:
            status = "not applied (disabled by the caller)"
        _say(status_w, "landlock", status)
        os.execve(spec["argv"][0], spec["argv"], spec["env"])
    except BaseException as exc:  # noqa: BLE001 - report it on stderr, which the tutor shows
        hint = ""
        if isinstance(exc, PermissionError) and spec["isolation"]["uid"] is not None:
            hint = (
                f" (learner code runs as uid {spec['isolation']['uid']}, which must be able to"
                " read the Python installation and the run's directory)"
            )
        os.write(2, f"tutor sandbox: cannot start {spec['argv'][0]}: {exc}{hint}\n".encode())
    os._exit(127)


def _private_root(view: dict[str, Any], status_w: int) -> bool:
    """Build the private root; on failure keep the host's view with private tmpfs."""
    try:
        for key, value in namespaces.build_root(view).items():
            _say(status_w, key, value)
        return True
    except OSError as exc:
        namespaces.fall_back(view)
        _say(
            status_w, "filesystem", f"host view, read-only by Landlock (private root failed: {exc})"
        )
        return False


def _init(spec: dict[str, Any], status_w: int, joined: dict[str, str], user_ns: bool) -> None:
    """PID 1 of the run (when there is a PID namespace): build the root, run, wait, report."""
    try:
        namespaces.die_with_parent()
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # init gets no signal it does not handle
        iso = spec["isolation"]
        tasks_already = None
        if user_ns:
            tasks_already = 8  # RLIMIT_NPROC counts per user namespace: only this run's tasks
        elif iso["uid"] is not None:
            tasks_already = user_task_count(iso["uid"])
        private_root = False
        if joined.get("mount") == "yes":
            try:
                namespaces.make_private()
            except OSError as exc:
                _say(status_w, "filesystem", f"host view (mounts cannot be made private: {exc})")
            else:
                private_root = _private_root(iso["view"], status_w)
        namespaces.undumpable()
        child = os.fork()
        if child == 0:
            _exec_command(spec, status_w, user_ns, tasks_already, private_root)
        if os.getpid() != 1:  # no PID namespace: the reaper may need the command's pid
            _say(status_w, "pid", child)
        while True:
            pid, status = os.waitpid(-1, 0)  # as PID 1, every orphan of the run comes here
            if pid == child:
                _say(status_w, "status", status)
                break
    except BaseException as exc:  # noqa: BLE001
        _say(status_w, "error", f"init: {type(exc).__name__}: {exc}")
    os._exit(0)  # as PID 1: the kernel now kills every process left in the namespace


def _gate(spec: dict[str, Any], cgroup: RunCgroup, status_w: int, sync_r: int) -> None:
    """Join the namespaces, start the init and wait for it."""
    try:
        os.setsid()  # out of the reaper's process group
        cgroup.join()
        iso = spec["isolation"]
        joined: dict[str, str] = {}
        user_ns = False
        if iso["namespaces"]:
            if os.getuid() == 0:
                os.setgroups([])  # root's groups would follow us into the namespace
            problem = namespaces.enter_user_namespace() if iso["user_namespace"] else "disabled"
            if problem is None:
                _say(status_w, "userns", "ok")
                if os.read(sync_r, 1) != b"1":
                    os._exit(_SETUP_FAILED)
                user_ns = True
                joined["user"] = "yes"
            else:
                _say(status_w, "userns", problem)
                joined["user"] = f"unavailable ({problem})"
            if user_ns or os.getuid() == 0:
                joined.update(namespaces.enter_other_namespaces())
            else:
                joined.update(
                    (name, "unavailable (needs a user namespace or root)")
                    for name, _ in namespaces.NAMESPACES
                )
        for name, state in joined.items():
            _say(status_w, f"ns.{name}", state)
        namespaces.die_with_parent()  # after unshare: a change of credentials clears it
        if os.getppid() == 1:
            os._exit(_SETUP_FAILED)
        init = os.fork()
        if init == 0:
            _init(spec, status_w, joined, user_ns)
        _say(status_w, "init", init)
        _, status = os.waitpid(init, 0)
        _say(status_w, "init_status", status)
    except BaseException as exc:  # noqa: BLE001
        _say(status_w, "error", f"gate: {type(exc).__name__}: {exc}")
        os._exit(_SETUP_FAILED)
    os._exit(0)


# ---------------------------------------------------------------------------------------------
# The reaper itself.


class _Watch:
    """What the reaper knows about the run while it waits (lines on the status pipe)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.child: int | None = None
        self.init: int | None = None
        self.status: int | None = None
        self.info: dict[str, str] = {
            "landlock": "not applied (the learner's process did not start)",
        }
        self.buffer = b""

    def read_lines(self) -> bool:
        """Take in what arrived; False once every writer has closed the pipe."""
        open_ = True
        while True:
            try:
                chunk = os.read(self.fd, 4096)
            except BlockingIOError:
                break
            if not chunk:
                open_ = False
                break
            self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        for line in lines:
            key, _, value = line.decode(errors="replace").partition(" ")
            if key == "pid":
                self.child = int(value)
            elif key == "init":
                self.init = int(value)
            elif key == "status":
                self.status = int(value)
            elif key == "error":
                self.info["setup_error"] = value
            else:
                self.info[key] = value
        return open_

    def wait_for(self, key: str, deadline: float) -> str | None:
        """Block until a ``key`` line arrives (setup is quick); None if the gate died first."""
        while key not in self.info:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self.fd], [], [], remaining)[0]:
                return None
            if not self.read_lines() and key not in self.info:
                return None
        return self.info[key]

    @property
    def pid_namespace(self) -> bool:
        return self.info.get("ns.pid") == "yes"

    def namespaces(self) -> dict[str, str]:
        return {k[3:]: v for k, v in self.info.items() if k.startswith("ns.")}


def _map_ids(spec: dict[str, Any], watch: _Watch, gate: int, sync_w: int, report: dict) -> None:
    """Write the gate's uid/gid maps once it is in its user namespace, then let it go on."""
    iso = spec["isolation"]
    if not iso["namespaces"]:
        return
    if watch.wait_for("userns", spec["deadline"]) != "ok":
        return
    uid_map, gid_map = namespaces.id_maps(
        os.getuid(),
        os.getgid(),
        iso["uid"] if iso["uid"] is not None else os.getuid(),
        iso["gid"] if iso["gid"] is not None else os.getgid(),
    )
    try:
        namespaces.write_id_maps(gate, uid_map, gid_map)
    except OSError as exc:
        report["error"] = f"cannot write the user namespace's id maps: {exc}"
        os.write(sync_w, b"0")
        return
    os.write(sync_w, b"1")


def _run(spec: dict[str, Any], report: dict[str, Any]) -> None:
    report["subreaper"] = _become_subreaper()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD, *_STOP_SIGNALS})
    cgroup = RunCgroup(spec["limits"]["max_tasks"])
    report["cgroup"] = cgroup.status
    status_r, status_w = os.pipe()
    sync_r, sync_w = os.pipe()
    gate = os.fork()
    if gate == 0:
        os.close(status_r)
        os.close(sync_w)
        os.close(spec["report_fd"])
        if spec.get("ready_fd") is not None:
            os.close(spec["ready_fd"])
        _gate(spec, cgroup, status_w, sync_r)
    os.close(status_w)
    os.close(sync_r)
    os.set_blocking(status_r, False)
    watch = _Watch(status_r)
    _map_ids(spec, watch, gate, sync_w, report)
    os.close(sync_w)
    gate_alive = True
    gate_status: int | None = None
    reason = "exited"
    interim_sent = False
    ready_fd = spec.get("ready_fd")
    if ready_fd is not None:
        os.set_blocking(ready_fd, False)
    while True:
        for pid, status in proctree.reap_children():
            if pid == gate:
                gate_alive, gate_status = False, status
            elif pid == watch.child and watch.status is None:
                watch.status = status  # the init was killed; its command came to us
        watch.read_lines()
        if not interim_sent and "landlock" in watch.info:
            # The command is about to exec: say which layers hold now, in case this process
            # is starved or killed before its final report (the tutor keeps the last one).
            os.write(spec["report_fd"], marshal.dumps({"interim": True, **_layers(watch)}))
            interim_sent = True
        if watch.status is not None:
            break
        if not gate_alive:
            # Killed before the command ended (only learner code can do that, and only without
            # a PID namespace): go on while the init or, without one, the command lives.
            waiting_for = watch.init if watch.pid_namespace else watch.child
            if waiting_for is None or not _alive(waiting_for):
                break
        if ready_fd is not None and _ready(ready_fd):
            # The command is up: its limit counts from now. Only the first byte counts; the
            # pipe stays open (unread), so a later write neither fails nor moves anything.
            ready_fd = None
            spec["deadline"] = min(spec["deadline"], time.monotonic() + spec["limit_s"])
            report["ready_s_before_deadline"] = round(spec["deadline"] - time.monotonic(), 3)
        remaining = spec["deadline"] - time.monotonic()
        if remaining <= 0:
            reason = "timeout"
            break
        poll = 0.05 if ready_fd is not None else 0.5  # the start is noticed within 50 ms
        got = signal.sigtimedwait({signal.SIGCHLD, *_STOP_SIGNALS}, min(remaining, poll))
        if got is not None and got.si_signo in _STOP_SIGNALS:
            reason = "cancelled"
            break
    report["ended_s_after_deadline"] = round(time.monotonic() - spec["deadline"], 3)
    # Only the learner's code can end the gate or the init before the loop does.
    watch.read_lines()
    init_reaped = "init_status" in watch.info
    init_status = int(watch.info.pop("init_status", 0))
    middle_killed = os.WIFSIGNALED(init_status) or (
        gate_status is not None and os.WIFSIGNALED(gate_status)
    )
    # Stop the run before looking at it: a fork bomb's thousand runnable processes leave this
    # process a sliver of the CPU, and a /proc scan while they run took longer than the
    # tutor's patience (seen as uid 65534 on a loaded 2-core machine).
    _stop(watch, cgroup, init_reaped=init_reaped)
    if gate_alive:
        reaped_gate = _wait_for(gate, _GATE_EXIT_S)
        if reaped_gate is not None:
            gate_status = reaped_gate
    killed, reaped = proctree.kill_descendants(cgroup.members())
    for pid, status in reaped:
        if pid == watch.child and watch.status is None:
            watch.status = status
        elif pid == gate:
            gate_status = gate_status if gate_status is not None else status
    watch.read_lines()
    if watch.status is None and reason in ("timeout", "cancelled"):
        watch.status = int(
            signal.SIGKILL
        )  # we killed it: its parent, the init, had no time to say so
    if not cgroup.kill_all():
        report["cgroup"] += "; members survived SIGKILL for 5 s"
    left = cgroup.remove()
    if left:
        report["cgroup"] += f"; {left}"
    if gate_status is not None and os.WIFEXITED(gate_status):
        if os.WEXITSTATUS(gate_status) == _SETUP_FAILED and not report.get("error"):
            report["error"] = "the sandbox could not be set up: " + watch.info.get(
                "setup_error", "its gate process failed"
            )
    report.update(
        reason=reason,
        child_pid=watch.child,
        wait_status=watch.status,
        middle_killed=middle_killed,
        stray_processes_killed=killed,
        **_layers(watch),
    )


def _layers(watch: _Watch) -> dict[str, Any]:
    """What the run's processes reported about their isolation."""
    return {
        "namespaces": watch.namespaces(),
        **{
            k: v
            for k, v in watch.info.items()
            if k not in ("userns", "init_status") and not k.startswith("ns.")
        },
    }


def _ready(fd: int) -> bool:
    """True once the command wrote to its ready pipe (or closed it without writing: then its
    limit counts from now too)."""
    try:
        os.read(fd, 1)
    except BlockingIOError:
        return False
    return True


def _stop(watch: _Watch, cgroup: RunCgroup, *, init_reaped: bool) -> None:
    """SIGKILL the run without scanning /proc: its init (the kernel then kills everything in
    its PID namespace), else the command's process group; and the cgroup's members. Pids
    already reaped are left alone (they may be someone else's now)."""
    if watch.init is not None and not init_reaped:
        proctree.kill_now(watch.init)
    if not watch.pid_namespace and watch.child is not None and watch.status is None:
        try:
            os.killpg(watch.child, signal.SIGKILL)  # the command called setsid: its group
        except OSError:
            pass
        proctree.kill_now(watch.child)
    cgroup.signal_all()


def _wait_for(pid: int, limit_s: float) -> int | None:
    """Reap ``pid`` (a child) within ``limit_s``; its wait status, or None. The gate ends
    once its init has, and an init ends once the kernel has killed its whole namespace."""
    stop_at = time.monotonic() + limit_s
    while True:
        try:
            done, status = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            return None
        if done == pid:
            return status
        remaining = stop_at - time.monotonic()
        if remaining <= 0:
            return None
        signal.sigtimedwait({signal.SIGCHLD}, min(remaining, 0.1))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


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
    try:
        data = marshal.dumps(report)
    except ValueError as exc:
        data = marshal.dumps({"error": f"the reaper's report could not be encoded: {exc}"})
    os.write(report_fd, data)
    os._exit(0)
