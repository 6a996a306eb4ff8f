"""Resource limits for one sandboxed run (applied in the child by ``rlimits.py``).

Kept as plain data so the tutor can pass them to the reaper process as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

GIB = 1024**3
MIB = 1024**2


@dataclass(frozen=True)
class Limits:
    """Per-run limits. ``None`` leaves a limit as inherited.

    ``cpu_s`` defaults to the wall timeout times the number of cores (plus one second), so the
    wall timeout, which gives the better verdict, normally fires first and RLIMIT_CPU is only a
    backstop. ``max_tasks`` (processes plus threads) is enforced with a cgroup ``pids.max``
    when one can be created, and with RLIMIT_NPROC for unprivileged users (root ignores
    RLIMIT_NPROC).
    """

    address_space: int | None = 1 * GIB
    cpu_s: int | None = None
    file_size: int | None = 64 * MIB
    open_files: int | None = 1024
    max_tasks: int | None = 1024
    core_dumps: bool = False
    # Private tmpfs sizes (with a mount namespace): each writable place, /tmp and /dev/shm.
    scratch_size: int = 256 * MIB
    tmp_size: int = 64 * MIB
    shm_size: int = 64 * MIB

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Limits:
        return cls(**data)
