"""Find and kill every descendant of a process by scanning ``/proc`` (Linux).

The reaper is a child subreaper, so processes that ``setsid`` or double-fork are reparented to
it when their parent dies: scanning its descendants again after each round of SIGKILLs
eventually finds all of them, fork bombs included.
"""

from __future__ import annotations

import os
import signal
import time


def parent_map() -> dict[int, int]:
    """``{pid: ppid}`` for every live process we can see.

    A zombie whose other threads still run is live: a main thread that called ``pthread_exit``
    (or the raw ``exit`` system call) leaves its process in state ``Z`` while the rest of it
    goes on. Only a zombie with no thread left is really gone.
    """
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue  # exited while we looked
        # The command name is in parentheses and may itself contain ") ".
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) < 18:
            continue
        if fields[0] in (b"Z", b"X") and int(fields[17]) <= 1:  # field 20: num_threads
            continue
        parents[int(entry)] = int(fields[1])
    return parents


def descendants(root: int, parents: dict[int, int] | None = None) -> set[int]:
    """Every live process below ``root`` in the process tree."""
    parents = parent_map() if parents is None else parents
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found: set[int] = set()
    stack = [root]
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def reap_children() -> list[tuple[int, int]]:
    """Collect every exited child without blocking: ``[(pid, wait status), ...]``."""
    reaped = []
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            break
        if pid == 0:
            break
        reaped.append((pid, status))
    return reaped


def kill_descendants(
    extra: set[int] | None = None, *, give_up_s: float = 20.0
) -> tuple[int, list[tuple[int, int]]]:
    """SIGKILL every descendant of this process (plus ``extra`` pids) until none remain.

    Returns how many processes were killed and the children reaped on the way. Must run in the
    subreaper itself, so that orphans come back to it and can be reaped.
    """
    me = os.getpid()
    killed: set[int] = set()
    reaped: list[tuple[int, int]] = []
    stop_at = time.monotonic() + give_up_s
    while True:
        targets = descendants(me) | {p for p in (extra or set()) if p != me}
        extra = None
        reaped.extend(reap_children())
        if not targets:
            return len(killed), reaped
        killed.update(pid for pid in targets if kill_now(pid))
        time.sleep(0.001)
        reaped.extend(reap_children())
        if time.monotonic() > stop_at:
            return len(killed), reaped


def kill_now(pid: int) -> bool:
    """SIGKILL ``pid``; False when it is already gone (an exit racing the sweep is normal)."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True
