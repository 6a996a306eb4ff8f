"""Apply a run's resource limits in the child just before ``exec`` (used by the reaper).

Takes ``Limits.to_json()`` as a plain dict, so the reaper need not import dataclasses: it is
started once per run and its start-up time is part of every check.
"""

from __future__ import annotations

import math
import os

TYPE_CHECKING = False  # not `from typing import ...`: typing costs start-up time
if TYPE_CHECKING:
    from typing import Any


def default_cpu_seconds(timeout_s: float) -> int:
    """A CPU-time backstop that a busy run on every core reaches only after the wall limit."""
    return int(math.ceil(timeout_s * (os.cpu_count() or 1))) + 1


def user_task_count(uid: int) -> int:
    """How many tasks (threads included: RLIMIT_NPROC counts them) this user already runs."""
    count = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/status", "rb") as f:
                fields = dict(line.split(b":", 1) for line in f.read().splitlines() if b":" in line)
            if int(fields[b"Uid"].split()[0]) == uid:
                count += int(fields[b"Threads"])
        except (OSError, KeyError, ValueError):
            continue
    return count


def apply_rlimits(
    limits: dict[str, Any],
    timeout_s: float,
    *,
    best_effort: bool = False,
    tasks_already: int | None = None,
) -> list[str]:
    """Set this process's rlimits (inherited by everything it execs and forks).

    With ``best_effort``, a limit the platform refuses (macOS rejects some ``RLIMIT_AS`` values,
    for one) is skipped instead of raising; the names of skipped limits are returned.
    ``RLIMIT_NPROC`` counts every task of the real uid (in this user namespace), so the cap is
    added to ``tasks_already``: 0 in a fresh user namespace, else counted here from /proc.
    """
    import resource

    skipped: list[str] = []

    def attempt(name: str, setter: Any) -> None:
        try:
            setter()
        except (ValueError, OSError, AttributeError):
            if not best_effort:
                raise
            skipped.append(name)

    def lower(which: int, value: int) -> None:
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))

    def cpu_limit() -> None:
        cpu = limits["cpu_s"] if limits["cpu_s"] is not None else default_cpu_seconds(timeout_s)
        soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
        # Soft limit sends SIGXCPU; the hard one, a second later, SIGKILL.
        hard_cpu = cpu + 1 if hard == resource.RLIM_INFINITY else min(cpu + 1, hard)
        resource.setrlimit(resource.RLIMIT_CPU, (min(cpu, hard_cpu), hard_cpu))

    if limits["address_space"] is not None:
        attempt("address space", lambda: lower(resource.RLIMIT_AS, limits["address_space"]))
    attempt("CPU time", cpu_limit)
    if limits["file_size"] is not None:
        attempt("file size", lambda: lower(resource.RLIMIT_FSIZE, limits["file_size"]))
    if limits["open_files"] is not None:
        attempt("open files", lambda: lower(resource.RLIMIT_NOFILE, limits["open_files"]))
    if not limits["core_dumps"]:
        attempt("core dumps", lambda: resource.setrlimit(resource.RLIMIT_CORE, (0, 0)))
    uid = os.getuid()
    if limits["max_tasks"] is not None and uid != 0 and os.path.isdir("/proc"):
        base = user_task_count(uid) if tasks_already is None else tasks_already
        attempt("tasks", lambda: lower(resource.RLIMIT_NPROC, base + limits["max_tasks"]))
    return skipped
