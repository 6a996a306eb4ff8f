"""Linux namespaces, a private root file system and privilege dropping for one sandboxed run.

Used by the reaper (``reaper.py``) in three processes, each with one job:

- the *gate* (``enter``): joins new user, mount, network, IPC and PID namespaces (whichever the
  kernel allows; the reaper writes the user namespace's id maps from outside);
- the *init* (``build_root``): PID 1 of the new PID namespace; mounts a private root made of
  read-only bind mounts of what Python needs, a minimal ``/dev``, a ``/proc`` of the new PID
  namespace, private size-limited tmpfs for ``/tmp``, ``/dev/shm`` and the writable places,
  then ``pivot_root``s into it. When it exits, the kernel kills every process left in the
  namespace: nothing of the run can outlive it;
- the *command* (``drop_privileges``): switches to the unprivileged sandbox uid, clears every
  capability (bounding set included), locks the securebits and sets ``no_new_privs``.

Stdlib only, ``ctypes`` for the system calls: the reaper runs as ``python -I -S``. Every step
reports a one-line status instead of raising for an unsupported kernel; ``docs/sandbox.md``
says what each layer stops.
"""

from __future__ import annotations

import ctypes
import os

TYPE_CHECKING = False  # not `from typing import ...`: typing costs start-up time
if TYPE_CHECKING:
    from typing import Any

CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
# The order matters: the user namespace first, so that it owns the others.
NAMESPACES = (
    ("mount", CLONE_NEWNS),
    ("network", CLONE_NEWNET),
    ("ipc", CLONE_NEWIPC),
    ("pid", CLONE_NEWPID),
)

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
MNT_DETACH = 2
_ST_KEEP = 2 | 4 | 8 | 1024 | 2048 | 4096  # statvfs NOSUID NODEV NOEXEC NOATIME NODIRATIME RELATIME
_MS_FROM_ST = {2: MS_NOSUID, 4: MS_NODEV, 8: MS_NOEXEC, 1024: 1024, 2048: 2048, 4096: 1 << 21}

_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_SECUREBITS = 28
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
# NOROOT, NO_SETUID_FIXUP, KEEP_CAPS (off) and NO_CAP_AMBIENT_RAISE, each with its lock bit.
_SECUREBITS_LOCKED = (1 << 0) | (1 << 1) | (1 << 2) | (1 << 3) | (1 << 5) | (1 << 6) | (1 << 7)
_CAP_V3 = 0x20080522
_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41, "arm64": 41}

SANDBOX_UID = 65534  # "nobody": the uid learner code runs as when the tutor runs as root
DEVICES = ("null", "zero", "full", "random", "urandom")


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [
        ("effective", ctypes.c_uint32),
        ("permitted", ctypes.c_uint32),
        ("inheritable", ctypes.c_uint32),
    ]


_libc_handle: ctypes.CDLL | None = None


def _libc() -> ctypes.CDLL:
    global _libc_handle
    if _libc_handle is None:
        _libc_handle = ctypes.CDLL(None, use_errno=True)
        _libc_handle.syscall.restype = ctypes.c_long
    return _libc_handle


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _b(path: str | None) -> bytes | None:
    return None if path is None else os.fsencode(path)


def mount(
    source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None
) -> None:
    _check(
        _libc().mount(_b(source), _b(target), _b(fstype), ctypes.c_ulong(flags), _b(data)),
        f"mount {target}",
    )


def unshare(flags: int) -> None:
    _check(_libc().unshare(flags), "unshare")


def prctl(option: int, arg: int = 0) -> int:
    return _libc().prctl(option, ctypes.c_ulong(arg), 0, 0, 0)


# ---------------------------------------------------------------------------------------------
# The gate: join the namespaces.


def enter_user_namespace() -> str | None:
    """``unshare(CLONE_NEWUSER)``; None when it worked, else why not."""
    try:
        unshare(CLONE_NEWUSER)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def id_maps(tutor_uid: int, tutor_gid: int, sandbox_uid: int, sandbox_gid: int) -> tuple[str, str]:
    """The uid and gid maps the reaper writes for the gate's user namespace.

    Unprivileged, only one's own id can be mapped: inside and outside are the tutor's ids. As
    root, the namespace's root is host root (so the init, our code, can read what root can and
    bind it) and the sandbox uid is mapped to itself: the learner's code runs as that uid, which
    owns no file on the host and has no capability anywhere.
    """
    if tutor_uid != 0:
        return f"{tutor_uid} {tutor_uid} 1\n", f"{tutor_gid} {tutor_gid} 1\n"
    return (
        f"0 0 1\n{sandbox_uid} {sandbox_uid} 1\n",
        f"0 0 1\n{sandbox_gid} {sandbox_gid} 1\n",
    )


def write_id_maps(pid: int, uid_map: str, gid_map: str) -> None:
    """Called by the reaper (outside the namespace) for the gate process ``pid``."""
    with open(f"/proc/{pid}/setgroups", "w") as f:
        f.write("deny")
    with open(f"/proc/{pid}/uid_map", "w") as f:
        f.write(uid_map)
    with open(f"/proc/{pid}/gid_map", "w") as f:
        f.write(gid_map)


def enter_other_namespaces() -> dict[str, str]:
    """Unshare each namespace on its own, so one that is refused does not cost the others."""
    status = {}
    for name, flag in NAMESPACES:
        try:
            unshare(flag)
            status[name] = "yes"
        except OSError as exc:
            status[name] = f"unavailable ({exc.strerror})"
    return status


def die_with_parent(signal_number: int = 9) -> None:
    """``PR_SET_PDEATHSIG``: if our parent dies (e.g. the reaper is killed), so do we."""
    prctl(_PR_SET_PDEATHSIG, signal_number)


def undumpable() -> None:
    """No ptrace and no /proc/PID/mem or fd access for processes without capabilities."""
    prctl(_PR_SET_DUMPABLE, 0)


# ---------------------------------------------------------------------------------------------
# The init: build the private root and pivot into it.


def _mount_flags(path: str) -> int:
    """The flags a bind of ``path`` must keep (a user namespace may not clear locked ones)."""
    flags = os.statvfs(path).f_flag
    return sum(ms for st, ms in _MS_FROM_ST.items() if flags & st)


def _mirror_symlinks(path: str, new_root: str) -> None:
    """Recreate in ``new_root`` every symlink on the way to ``path`` (e.g. /lib -> usr/lib)."""
    parts = path.strip("/").split("/")
    for i in range(1, len(parts) + 1):
        prefix = "/" + "/".join(parts[:i])
        if os.path.islink(prefix):
            inside = new_root + prefix
            if not os.path.lexists(inside):
                os.makedirs(os.path.dirname(inside), exist_ok=True)
                os.symlink(os.readlink(prefix), inside)
            target = os.path.join(os.path.dirname(prefix), os.readlink(prefix))
            rest = "/".join(parts[i:])
            _mirror_symlinks(os.path.normpath(os.path.join(target, rest)), new_root)
            return


def _bind(source: str, new_root: str, *, writable: bool) -> None:
    target = new_root + source
    if os.path.isdir(source):
        os.makedirs(target, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if not os.path.exists(target):
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
    mount(source, target, None, MS_BIND)
    flags = MS_REMOUNT | MS_BIND | MS_NOSUID | _mount_flags(source)
    if not writable:
        flags |= MS_RDONLY
    mount(None, target, None, flags)


def bind_sources(paths: list[str]) -> list[str]:
    """The real paths to bind, without any that lies beneath another one."""
    chosen: list[str] = []
    for real in sorted({os.path.realpath(p) for p in paths if os.path.exists(p)}, key=len):
        if not any(real == c or real.startswith(c.rstrip("/") + "/") for c in chosen):
            chosen.append(real)
    return chosen


def _tmpfs(target: str, size: int, mode: int, uid: int, gid: int, inodes: int = 65536) -> None:
    os.makedirs(target, exist_ok=True)
    options = f"size={size},nr_inodes={inodes},mode={mode:o},uid={uid},gid={gid}"
    mount("tutor", target, "tmpfs", MS_NOSUID | MS_NODEV, options)


def _minimal_dev(
    new_root: str, shm_size: int, uid: int, gid: int, owner: int, owner_group: int
) -> None:
    dev = new_root + "/dev"
    _tmpfs(dev, 1 << 16, 0o755, owner, owner_group, inodes=64)
    for name in DEVICES:
        if os.path.exists(f"/dev/{name}"):
            os.close(os.open(f"{dev}/{name}", os.O_CREAT | os.O_WRONLY, 0o644))
            mount(f"/dev/{name}", f"{dev}/{name}", None, MS_BIND)
            mount(None, f"{dev}/{name}", None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NOEXEC)
    for name, target in (
        ("fd", "/proc/self/fd"),
        ("stdin", "/proc/self/fd/0"),
        ("stdout", "/proc/self/fd/1"),
        ("stderr", "/proc/self/fd/2"),
    ):
        os.symlink(target, f"{dev}/{name}")
    _tmpfs(dev + "/shm", shm_size, 0o1777, uid, gid)
    mount(None, dev, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def make_private() -> None:
    """Stop mount propagation both ways, before mounting anything (else, with a shared root,
    our mounts would appear on the host). Fails in a chroot, where "/" is no mount point: then
    nothing may be mounted at all."""
    mount(None, "/", None, MS_REC | MS_PRIVATE)


def build_root(view: dict[str, Any]) -> dict[str, str]:
    """Mount the private root described by ``view`` and pivot into it (in the init process).

    Returns statuses for the run's report: ``filesystem``, ``proc``. Raises ``OSError`` when
    the root cannot be built; the caller then keeps the host's view (see ``fall_back``).
    """
    new_root = view["root"]
    uid, gid = view["uid"], view["gid"]
    me, my_group = os.getuid(), os.getgid()  # the init's ids in the namespace (mapped)
    _tmpfs(new_root, 1 << 20, 0o755, me, my_group, inodes=4096)
    # /tmp first: the binds beneath it (the scratch directory, usually) go on top of it.
    _tmpfs(new_root + "/tmp", view["tmp_size"], 0o1777, uid, gid)
    for source in view["binds"]:
        _mirror_symlinks(source, new_root)
        if os.path.islink(source):
            continue
        _bind(source, new_root, writable=False)
    for path, size in view["tmpfs"]:
        _mirror_symlinks(path, new_root)
        _tmpfs(new_root + os.path.realpath(path), size, 0o700, uid, gid)
    _minimal_dev(new_root, view["shm_size"], uid, gid, me, my_group)
    status = {}
    os.makedirs(new_root + "/proc", exist_ok=True)
    try:
        mount("proc", new_root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        status["proc"] = "private (this run's processes only)"
    except OSError as exc:
        status["proc"] = f"not mounted ({exc.strerror}); /proc is empty"
    mount(None, new_root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chdir(new_root)
    machine = os.uname().machine
    if machine in _PIVOT_ROOT and _libc().syscall(_PIVOT_ROOT[machine], b".", b".") == 0:
        _check(_libc().umount2(b".", MNT_DETACH), "umount old root")
        how = "pivot_root"
    else:  # e.g. an initramfs root, which cannot be pivoted away from
        _check(_libc().chroot(b"."), "chroot")
        how = "chroot"
    os.chdir("/")
    status["filesystem"] = (
        f"private root ({how}): read-only binds of {len(view['binds'])} paths, "
        f"tmpfs for /tmp, /dev/shm and {len(view['tmpfs'])} writable place(s); no devices "
        "but null, zero, full, random, urandom"
    )
    return status


def fall_back(view: dict[str, Any]) -> None:
    """After a failed ``build_root``: drop what it mounted, keep private tmpfs where possible."""
    _libc().umount2(_b(view["root"]), MNT_DETACH)
    for path, size in view["tmpfs"]:
        try:
            _tmpfs(path, size, 0o700, view["uid"], view["gid"])
        except OSError:
            pass
    try:
        _tmpfs("/dev/shm", view["shm_size"], 0o1777, view["uid"], view["gid"])
    except OSError:
        pass


# ---------------------------------------------------------------------------------------------
# The command: no privilege left.


def _last_cap() -> int:
    try:
        with open("/proc/sys/kernel/cap_last_cap") as f:
            return int(f.read())
    except (OSError, ValueError):
        return 63


def drop_privileges(uid: int | None, gid: int | None, *, in_user_namespace: bool) -> str:
    """Become ``uid``/``gid`` (when given) with no capability at all, for good.

    The bounding and ambient sets are cleared and the securebits locked (so even a set-uid
    root binary or a file capability gives nothing back), then ``no_new_privs``. Returns what
    the process holds afterwards, read back from /proc.
    """
    libc = _libc()
    if uid is not None and not in_user_namespace:
        os.setgroups([])
    for cap in range(_last_cap() + 1):
        prctl(_PR_CAPBSET_DROP, cap)  # fails without CAP_SETPCAP: then there is nothing to drop
    prctl(_PR_SET_SECUREBITS, _SECUREBITS_LOCKED)
    if gid is not None:
        os.setresgid(gid, gid, gid)
    if uid is not None:
        os.setresuid(uid, uid, uid)
    prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL)
    header = _CapHeader(_CAP_V3, 0)
    data = (_CapData * 2)()
    _check(libc.capset(ctypes.byref(header), data), "capset")
    _check(prctl(_PR_SET_NO_NEW_PRIVS, 1), "no_new_privs")
    return capabilities_held()


def capabilities_held() -> str:
    """``uid N, no capabilities`` or what is left, from /proc/self/status."""
    fields = {}
    with open("/proc/self/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.split()
    held = [k for k in ("CapEff", "CapPrm", "CapInh", "CapAmb") if int(fields[k][0], 16)]
    uid = fields["Uid"][0]
    if held:
        return f"uid {uid}, holds " + ", ".join(held)
    if int(fields["CapBnd"][0], 16):  # a user may not clear it; no_new_privs makes it moot
        return f"uid {uid}, no capabilities (bounding set kept: no_new_privs forbids regaining)"
    return f"uid {uid}, no capabilities"
