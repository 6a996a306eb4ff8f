"""Linux Landlock: forbid writes outside a few directories, TCP, and signals to outsiders.

Applied to the learner's process just before ``exec``; it needs no privileges (only
``no_new_privs``), is inherited by every descendant and cannot be lifted. Reading stays
allowed everywhere, so Python and pytest work unchanged. Where Landlock is missing (other
platforms, old kernels, seccomp-filtered containers) ``restrict`` says so and does nothing.
"""

from __future__ import annotations

import ctypes
import os
import sys

_SYSCALLS = {  # (create_ruleset, add_rule, restrict_self); the same on every architecture
    "x86_64": (444, 445, 446),
    "aarch64": (444, 445, 446),
    "arm64": (444, 445, 446),
}
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights (ABI version that introduced them). Read and execute are never restricted.
_WRITE_FILE = 1 << 1
_REMOVE_DIR = 1 << 4
_REMOVE_FILE = 1 << 5
_MAKE_CHAR = 1 << 6
_MAKE_DIR = 1 << 7
_MAKE_REG = 1 << 8
_MAKE_SOCK = 1 << 9
_MAKE_FIFO = 1 << 10
_MAKE_BLOCK = 1 << 11
_MAKE_SYM = 1 << 12
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3
_IOCTL_DEV = 1 << 15  # ABI 5: ioctl on character and block devices (TIOCSTI, disk ioctls...)
_WRITES_V1 = (
    _WRITE_FILE
    | _REMOVE_DIR
    | _REMOVE_FILE
    | _MAKE_CHAR
    | _MAKE_DIR
    | _MAKE_REG
    | _MAKE_SOCK
    | _MAKE_FIFO
    | _MAKE_BLOCK
    | _MAKE_SYM
)
_FILE_ONLY_RIGHTS = _WRITE_FILE | _TRUNCATE  # the write rights that apply to a plain file
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    """The kernel's packed 12-byte ``struct landlock_path_beneath_attr``, unpacked: both fields
    sit at the same offsets (0 and 8) and the kernel reads only those 12 bytes, so no ``_pack_``
    (which needs ``_layout_`` from 3.14 on, and whose MSVC-only meaning is not the kernel's)."""

    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.syscall.restype = ctypes.c_long
    return libc


def abi_version() -> int:
    """The kernel's Landlock ABI version, or 0 when Landlock cannot be used here."""
    if not sys.platform.startswith("linux") or os.uname().machine not in _SYSCALLS:
        return 0
    create = _SYSCALLS[os.uname().machine][0]
    version = _libc().syscall(create, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION)
    return max(int(version), 0)


def restrict(writable: list[str]) -> str:
    """Allow writes only beneath ``writable`` (files or directories) from now on.

    Also, where the kernel supports it, forbid TCP bind/connect (ABI 4) and signals or abstract
    Unix sockets to processes outside this sandbox (ABI 6). Returns a one-line status for the
    run's report; never raises for an unsupported kernel.
    """
    abi = abi_version()
    if abi == 0:
        return "unavailable (not Linux, or the kernel has no Landlock)"
    create, add_rule, restrict_self = _SYSCALLS[os.uname().machine]
    libc = _libc()
    handled_fs = (
        _WRITES_V1
        | (_REFER if abi >= 2 else 0)
        | (_TRUNCATE if abi >= 3 else 0)
        | (_IOCTL_DEV if abi >= 5 else 0)
    )
    # Rights granted beneath the writable places: never device nodes, never device ioctls.
    granted = handled_fs & ~(_MAKE_CHAR | _MAKE_BLOCK | _IOCTL_DEV)
    attr = _RulesetAttr(handled_fs, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
    ruleset = libc.syscall(create, ctypes.byref(attr), ctypes.c_size_t(size), 0)
    if ruleset < 0:
        return f"unavailable (create_ruleset: {os.strerror(ctypes.get_errno())})"
    try:
        for path in writable:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue  # e.g. no /dev/shm here: nothing to allow
            try:
                rights = granted if os.path.isdir(path) else granted & _FILE_ONLY_RIGHTS
                rule = _PathBeneathAttr(rights, fd)
                if libc.syscall(add_rule, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0):
                    err = os.strerror(ctypes.get_errno())
                    return f"unavailable (add_rule {path}: {err})"
            finally:
                os.close(fd)
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0):
            return f"unavailable (no_new_privs: {os.strerror(ctypes.get_errno())})"
        if libc.syscall(restrict_self, ruleset, 0):
            return f"unavailable (restrict_self: {os.strerror(ctypes.get_errno())})"
    finally:
        os.close(ruleset)
    extras = (
        ["writes", "no device nodes"]
        + (["tcp"] if abi >= 4 else [])
        + (["device ioctls"] if abi >= 5 else [])
        + (["signals"] if abi >= 6 else [])
    )
    return f"applied (ABI {abi}: {', '.join(extras)})"
