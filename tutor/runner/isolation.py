"""What a run's isolation should be (the plan the reaper carries out) and what it was.

The tutor computes the plan: which paths the private root shows read-only (the system's
directories, this Python and its site-packages, the ``tutor`` package, the run's ``cwd``),
which become private tmpfs, and which uid the command runs as (``nobody`` when the tutor is
root; its own uid otherwise). The reaper reports what the kernel actually granted; ``layers``
turns that report into one line per layer, for ``doctor``, ``check`` and ``--require-isolation``.
"""

from __future__ import annotations

import os
import site
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tutor.runner.limits import Limits
from tutor.runner.namespaces import SANDBOX_UID, bind_sources

DISABLE_VAR = "TUTOR_SANDBOX_DISABLE"  # for tests: "userns", "namespaces", "landlock", "drop"
SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")
_PACKAGE = Path(__file__).resolve().parents[1]  # tutor/

# The layers --require-isolation insists on (the cgroup is an extra: RLIMIT_NPROC in the user
# namespace caps the tasks of the run alone).
REQUIRED = (
    "user namespace",
    "pid namespace",
    "network namespace",
    "ipc namespace",
    "mount namespace",
    "private root",
    "private /proc",
    "no capabilities",
    "landlock",
)


def disabled_layers() -> set[str]:
    return {part.strip() for part in os.environ.get(DISABLE_VAR, "").split(",") if part.strip()}


def sandbox_ids() -> tuple[int | None, int | None]:
    """The uid and gid learner code runs as: ``nobody`` for root, else unchanged (None)."""
    if os.getuid() != 0:
        return None, None
    return SANDBOX_UID, SANDBOX_UID


def python_paths(executable: str) -> list[str]:
    """What a child Python needs to read: its prefixes, site-packages and the tutor package."""
    paths = [sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix]
    for exe in {executable, sys.executable}:
        paths += [os.path.dirname(hop) for hop in symlink_chain(exe)]
    try:
        paths += site.getsitepackages()
    except AttributeError:  # pragma: no cover - old virtualenv's site module
        pass
    # Only the package, never the repository around an editable install (solutions, tests).
    paths.append(str(_PACKAGE))
    return paths


def symlink_chain(path: str, limit: int = 40) -> list[str]:
    """``path``, then every link it goes through to the real file (each hop's directory must be
    in the private root for the command to start: a venv's ``python`` links to the base one)."""
    chain = [os.path.abspath(path)]
    while os.path.islink(chain[-1]) and len(chain) < limit:
        target = os.readlink(chain[-1])
        chain.append(os.path.normpath(os.path.join(os.path.dirname(chain[-1]), target)))
    chain.append(os.path.realpath(path))
    return chain


def isolation_plan(
    executable: str,
    cwd: Path,
    writable: Sequence[Path],
    readable: Sequence[Path],
    limits: Limits,
    root_mount: str,
) -> dict[str, Any]:
    """The reaper's instructions for one run (plain data: it is marshalled to the reaper)."""
    disabled = disabled_layers()
    uid, gid = sandbox_ids()
    if "drop" in disabled:
        uid = gid = None
    candidates = [*SYSTEM_PATHS, *python_paths(executable), str(cwd), *map(str, readable)]
    binds = [p for p in bind_sources(candidates) if p != "/"]
    # Symlinked system directories (/lib -> usr/lib) are recreated as symlinks, not bound.
    binds += [p for p in SYSTEM_PATHS if os.path.islink(p)]
    view_uid = uid if uid is not None else os.getuid()
    view_gid = gid if gid is not None else os.getgid()
    return {
        "namespaces": "namespaces" not in disabled and sys.platform.startswith("linux"),
        "user_namespace": "userns" not in disabled,
        "uid": uid,
        "gid": gid,
        "drop": "drop" not in disabled,
        "view": {
            "root": root_mount,
            "uid": view_uid,
            "gid": view_gid,
            "binds": binds,
            "tmpfs": [[str(p), limits.scratch_size] for p in writable],
            "tmp_size": limits.tmp_size,
            "shm_size": limits.shm_size,
        },
    }


def share_with_sandbox_user(cwd: Path, writable: Sequence[Path], uid: int, gid: int) -> None:
    """As root, learner code runs as ``uid``: let it read ``cwd`` and write ``writable``.

    ``cwd`` goes to the sandbox's group (``nogroup``) with group read and search, so that no
    other user of the machine may look in while it runs. Inside a private root only these
    directories themselves matter (their parents there are ours); without one (no mount
    namespace) their parents on the host must let the sandbox user through.
    """
    try:
        os.chown(cwd, -1, gid)
        os.chmod(cwd, os.stat(cwd).st_mode | 0o050)
    except OSError:
        pass
    for path in writable:
        try:
            if os.path.isdir(path):
                os.chown(path, uid, gid)
        except OSError:
            pass


def layers(sandbox: dict[str, Any]) -> list[tuple[str, bool, str]]:
    """``(layer, in force, detail)`` for every layer, from a run's ``RunResult.sandbox``."""
    if str(sandbox.get("mode", "")).startswith("portable"):
        return [(name, False, "not available in the portable runner") for name in REQUIRED]
    found = []
    spaces = sandbox.get("namespaces") or {}
    for name in ("user", "pid", "network", "ipc", "mount"):
        state = spaces.get(name, "not used")
        found.append((f"{name} namespace", state == "yes", state))
    fs = sandbox.get("filesystem", "host view (no mount namespace)")
    found.append(("private root", fs.startswith("private root"), fs))
    proc = sandbox.get("proc", "the host's /proc (no private root)")
    found.append(("private /proc", proc.startswith("private"), proc))
    held = sandbox.get("privileges", "unknown (the command did not start)")
    unprivileged = "no capabilities" in held and not held.startswith("uid 0,")
    found.append(("no capabilities", unprivileged, held))
    landlock = sandbox.get("landlock", "not reported")
    found.append(("landlock", landlock.startswith("applied"), landlock))
    cgroup = str(sandbox.get("cgroup", "not used"))
    found.append(("cgroup", cgroup.startswith("pids.max"), cgroup))
    found.append(("rlimits", True, "address space, CPU time, file size, open files, tasks"))
    return found


def missing(sandbox: dict[str, Any]) -> list[str]:
    """One line per required layer that was not in force: ``"network namespace: why"``."""
    return [
        f"{name}: {detail}" for name, ok, detail in layers(sandbox) if not ok and name in REQUIRED
    ]


_probed: dict[str, Any] | None = None


def probe(*, fresh: bool = False) -> dict[str, Any]:
    """What a real sandboxed run gets on this machine: ``RunResult.sandbox`` of ``python -c
    pass`` (cached for the process: layers do not come and go between runs)."""
    global _probed
    if _probed is None or fresh:
        import tempfile

        from tutor.runner.sandbox import run_sandboxed

        with tempfile.TemporaryDirectory(prefix="tutor-probe-") as scratch:
            result = run_sandboxed([sys.executable, "-c", "pass"], cwd=Path(scratch), timeout_s=20)
        info = dict(result.sandbox)
        if result.error or result.exit_code != 0:
            info["probe_error"] = result.error or result.output.strip()[-300:]
        _probed = info
    return _probed
