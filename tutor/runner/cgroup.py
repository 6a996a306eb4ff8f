"""An optional per-run cgroup that caps the number of tasks (a fork bomb stops at the cap).

Only an extra: it is used when the process may create a cgroup (typically root on CI, or a
delegated systemd user slice); everything else works without it. Supports the cgroup v1
``pids`` hierarchy and cgroup v2 when the ``pids`` controller is delegated to our cgroup.
Uses ``os.path``, not ``pathlib``: the reaper imports this on every run.
"""

from __future__ import annotations

import os
import signal
import time

_ROOT = "/sys/fs/cgroup"


def _read(path: str) -> str:
    with open(path) as f:
        return f.read()


def _write(path: str, text: str) -> None:
    with open(path, "w") as f:
        f.write(text)


def _own_cgroups() -> dict[str, str]:
    """``{controller or "": path}`` from /proc/self/cgroup ("" is the v2 unified hierarchy)."""
    found: dict[str, str] = {}
    try:
        lines = _read("/proc/self/cgroup").splitlines()
    except OSError:
        return found
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) == 3:
            for controller in parts[1].split(",") if parts[1] else [""]:
                found[controller] = parts[2]
    return found


def _candidate_parent() -> str | None:
    own = _own_cgroups()
    if "pids" in own:  # cgroup v1
        parent = os.path.join(_ROOT, "pids", own["pids"].lstrip("/"))
        if os.path.exists(os.path.join(parent, "cgroup.procs")):
            return parent
    if "" in own:  # cgroup v2, mounted at the root or (hybrid) under unified/
        for mount in (_ROOT, os.path.join(_ROOT, "unified")):
            parent = os.path.join(mount, own[""].lstrip("/"))
            try:
                delegated = _read(os.path.join(parent, "cgroup.subtree_control")).split()
            except OSError:
                continue
            if "pids" in delegated:
                return parent
    return None


def _cpu_group(name: str) -> str | None:
    """With cgroup v1, a ``cpu`` group for the run beside its ``pids`` one: the run's tasks,
    a fork bomb's thousand included, then weigh as one process against the rest of the machine
    (the reaper and the tutor among them). Under v2 the run's one cgroup already does that."""
    parent = _cpu_parent()
    if parent is None:
        return None
    path = os.path.join(parent, name)
    try:
        os.mkdir(path)
    except OSError:
        return None
    return path


def _cpu_parent() -> str | None:
    own = _own_cgroups()
    if "cpu" not in own:
        return None
    for mount in ("cpu", "cpu,cpuacct"):
        parent = os.path.join(_ROOT, mount, own["cpu"].lstrip("/"))
        if os.path.exists(os.path.join(parent, "cgroup.procs")):
            return parent
    return None


def remove_leftovers(reaper_pid: int) -> None:
    """Remove the cgroups of a run whose reaper was killed before it could (they are named for
    its pid, under the caller's own cgroups, which the reaper inherited). Best effort."""
    name = f"tutor-run-{reaper_pid}"
    for parent in (_candidate_parent(), _cpu_parent()):
        if parent is not None and os.path.isdir(os.path.join(parent, name)):
            RunCgroup._remove(os.path.join(parent, name))


class RunCgroup:
    """A cgroup of its own for one run; ``path`` is None when none could be made."""

    def __init__(self, max_tasks: int | None) -> None:
        self.path: str | None = None
        self.cpu_path: str | None = None
        self.status = "not used"
        if max_tasks is None:
            return
        parent = _candidate_parent()
        if parent is None:
            self.status = "unavailable (no pids cgroup we may use)"
            return
        path = os.path.join(parent, f"tutor-run-{os.getpid()}")
        try:
            os.mkdir(path)
        except OSError as exc:
            self.status = f"unavailable ({exc.strerror})"
            return
        try:
            _write(os.path.join(path, "pids.max"), str(max_tasks))
        except OSError as exc:
            self.status = f"unavailable (pids.max: {exc.strerror})"
            self._remove(path)
            return
        self.path = path
        self.status = f"pids.max={max_tasks} ({path})"
        self.cpu_path = _cpu_group(os.path.basename(path))
        if self.cpu_path is not None:
            self.status += "; its own cpu group"

    def join(self) -> None:
        """Move the calling process (and so its future descendants) into the cgroup."""
        if self.path is not None:
            _write(os.path.join(self.path, "cgroup.procs"), "0")
        if self.cpu_path is not None:
            try:
                _write(os.path.join(self.cpu_path, "cgroup.procs"), "0")
            except OSError:
                pass  # only fairness is lost

    def members(self) -> set[int]:
        if self.path is None:
            return set()
        try:
            return {int(p) for p in _read(os.path.join(self.path, "cgroup.procs")).split()}
        except OSError:
            return set()

    def signal_all(self) -> None:
        """One round of SIGKILL to every member (``cgroup.kill`` where the kernel has it),
        without waiting or reaping: the caller still wants its children's statuses."""
        if self.path is None:
            return
        try:
            _write(os.path.join(self.path, "cgroup.kill"), "1")  # cgroup v2, Linux >= 5.14
            return
        except OSError:
            pass
        for pid in self.members():
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass

    def kill_all(self, give_up_s: float = 5.0) -> bool:
        """SIGKILL every member (``cgroup.kill`` where the kernel has it) until none is left.

        A member is listed until it is reaped, and a process whose main thread exited but whose
        other threads run is listed too: both are killed again on each round. True when empty.
        """
        if self.path is None:
            return True
        try:
            _write(os.path.join(self.path, "cgroup.kill"), "1")  # cgroup v2, Linux >= 5.14
        except OSError:
            pass
        stop_at = time.monotonic() + give_up_s
        while True:
            members = self.members()
            if not members:
                return True
            if time.monotonic() > stop_at:
                return False
            for pid in members:
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
            while True:  # the reaper is the members' subreaper: collect the dead
                try:
                    if os.waitpid(-1, os.WNOHANG)[0] == 0:
                        break
                except ChildProcessError:
                    break
            time.sleep(0.002)

    def remove(self) -> str | None:
        """Remove the (empty) cgroup; returns why not when it cannot be removed."""
        if self.cpu_path is not None:
            self._remove(self.cpu_path)
            self.cpu_path = None
        if self.path is None:
            return None
        problem = self._remove(self.path)
        self.path = None
        return problem

    @staticmethod
    def _remove(path: str) -> str | None:
        for _ in range(100):
            try:
                os.rmdir(path)
                return None
            except FileNotFoundError:
                return None
            except OSError as exc:
                if exc.errno != 16:  # EBUSY: a member is still exiting; wait for it a little
                    return f"{path} left behind: {exc.strerror}"
            time.sleep(0.005)
        return f"{path} left behind: still busy"
