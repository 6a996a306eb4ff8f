"""Crash-safe file updates: atomic replace with a kept backup, and an inter-process lock.

A learner's edits and progress must survive a crash or a SIGKILL at any instant, so a file
is never rewritten in place: the new content goes to a temporary file in the same directory,
is fsynced, the current version is hard-linked to ``<name>.bak``, and the temporary file is
renamed over the original. At every instant the path holds either the old or the new content.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]


def backup_path(path: Path) -> Path:
    """Where the previous version of ``path`` is kept."""
    return path.with_name(path.name + ".bak")


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":  # pragma: no cover - directories cannot be opened on Windows
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(
    path: Path, data: str | bytes, *, keep_backup: bool = True, durable: bool = True
) -> None:
    """Replace ``path`` with ``data`` atomically, keeping the old version as ``path.bak``.

    ``durable=False`` skips the fsyncs: the file is still never seen half-written, but a power
    cut may lose it. For secondary copies (history versions) whose original is durable.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        if keep_backup and path.exists():
            _replace_backup(path)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    if durable:
        _fsync_dir(path.parent)


def _replace_backup(path: Path) -> None:
    """Make ``path.bak`` the current version of ``path`` without a moment where neither exists."""
    bak = backup_path(path)
    link_tmp = path.with_name(f".{path.name}.{os.getpid()}.baklink")
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    try:
        os.link(path, link_tmp)
    except OSError:  # file systems without hard links: copy instead
        link_tmp.write_bytes(path.read_bytes())
    os.replace(link_tmp, bak)


@contextlib.contextmanager
def file_lock(lock_path: Path) -> Iterator[None]:
    """Hold an exclusive inter-process lock on ``lock_path`` (created if needed).

    POSIX ``flock``: released by the kernel if the holder dies, so a killed tutor never
    leaves a stale lock behind. Elsewhere, a best-effort no-op (documented in the README).
    """
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the flock
