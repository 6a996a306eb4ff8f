"""Files the tutor writes on request (``-o``, exports, packs), and text it prints to a terminal.

An instructor's ``-o`` may name a regular file, a symlink kept in a dotfiles repository, a FIFO
another program reads, ``/dev/stdout`` or ``/dev/null`` (as root, too). Each gets what a careful
shell redirection would give it, never less:

- a regular file (or a path that does not exist yet) is replaced atomically: the bytes go to a
  temporary file beside it, are fsynced, and the temporary file is renamed over the target, so
  a reader sees the old report or the new one, never half of one. A new file's mode follows the
  umask (the kernel applies it: the file is created 0666 & ~umask); a replaced file keeps its
  mode and, where we may, its owner;
- a symlink is followed and its target written the same way; the link itself stays;
- a device, a FIFO or ``-`` (stdout) is written through, never replaced;
- a directory, a socket or an unwritable folder is refused before any work is done
  (``check_output``), with one line that says what to do.

Text that came from learners (file and folder names, their program's output) may hold escape
sequences that repaint or retitle a terminal. ``escape`` makes it inert and is reversible, so a
report can carry any name: ``zed\\x01`` and ``zed\\x02`` stay two learners.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
import sys
from pathlib import Path
from typing import IO

STDOUT = "-"


class OutputError(Exception):
    """The output cannot be written there; the message names the path and says why."""


# --- safe writes ------------------------------------------------------------------------------


def _resolved(target: str | os.PathLike[str]) -> Path:
    """The path a write lands on: symlinks followed (the link is kept), ``~`` expanded."""
    return Path(os.path.realpath(Path(target).expanduser()))


def _kind(path: Path) -> str:
    """``missing``, ``regular``, ``directory``, ``stream`` (device, FIFO) or ``other``."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "other"
    if stat.S_ISREG(mode):
        return "regular"
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) or stat.S_ISFIFO(mode):
        return "stream"
    return "other"


def check_output(target: str | os.PathLike[str] | None) -> None:
    """Fail before the work, not after it (OutputError): ``target`` must be writable.

    A missing parent folder is created (as ``mkdir -p`` would), so ``-o reports/grades.csv``
    works in a fresh CI checkout.
    """
    if target is None or str(target) == STDOUT:
        return
    shown = str(target)
    path = _resolved(target)
    kind = _kind(path)
    if kind == "directory":
        raise OutputError(f"-o {shown}: is a directory; give a file name")
    if kind == "other":
        raise OutputError(f"-o {shown}: not a file, device or FIFO; cannot write there")
    if kind == "stream":
        if not os.access(path, os.W_OK):
            raise OutputError(f"-o {shown}: cannot write there (permission denied)")
        return
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"-o {shown}: cannot create {folder}: {exc.strerror or exc}") from None
    folder_ok = os.access(folder, os.W_OK | os.X_OK)
    if not folder_ok and not (kind == "regular" and os.access(path, os.W_OK)):
        raise OutputError(f"-o {shown}: cannot write there (permission denied)")


def write_output(target: str | os.PathLike[str] | None, data: str | bytes) -> str:
    """Write ``data`` to ``target`` as the module docstring says; returns how it was written.

    ``None`` or ``"-"`` writes to stdout. The return value is ``"stdout"``, ``"replaced"``,
    ``"created"`` or ``"written through"`` (a device, a FIFO, or a file whose folder we may not
    write but which we may), for the caller's one-line report.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if target is None or str(target) == STDOUT:
        _write_stream(sys.stdout, payload)
        return "stdout"
    check_output(target)
    path = _resolved(target)
    kind = _kind(path)
    if kind == "stream":
        _write_through(path, payload, truncate=False)
        return "written through"
    try:
        _replace_atomically(path, payload, existing=kind == "regular")
    except PermissionError:
        if kind != "regular":
            raise
        # The folder is not ours but the file is (a shared report someone made writable for
        # us): write it in place, as `>` would, rather than fail.
        _write_through(path, payload, truncate=True)
        return "written through"
    return "replaced" if kind == "regular" else "created"


def _write_stream(stream: IO[str], payload: bytes) -> None:
    stream.flush()
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        buffer.write(payload)
        buffer.flush()
    else:  # a text-only stream (tests capture stdout this way)
        stream.write(payload.decode("utf-8", errors="replace"))
        stream.flush()


def _write_through(path: Path, payload: bytes, *, truncate: bool) -> None:
    flags = os.O_WRONLY | (os.O_TRUNC if truncate else 0)
    fd = os.open(path, flags)
    try:
        view = memoryview(payload)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _replace_atomically(path: Path, payload: bytes, *, existing: bool) -> None:
    previous = os.stat(path) if existing else None
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    # 0o666: the kernel takes the umask off, exactly as for a file the shell creates.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        try:
            if previous is not None:
                os.fchmod(fd, stat.S_IMODE(previous.st_mode))
                with contextlib.suppress(OSError):  # only root may give a file away
                    os.fchown(fd, previous.st_uid, previous.st_gid)
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    with contextlib.suppress(OSError):
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


# --- text that is safe to show and to store ----------------------------------------------------

# Code points that would act on a terminal or hide text: C0 and C1 controls, DEL, the bidi
# embeddings and isolates, line and paragraph separators, the byte-order mark; plus lone
# surrogates, which is how os.fsdecode carries bytes that are not UTF-8.
_CONTROLS = (
    "\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ud800-\udfff"
)
_UNSAFE = re.compile(f"[\\\\{_CONTROLS}]")
_CONTROL = re.compile(f"[{_CONTROLS}]")
_CONTROL_BUT_NEWLINE = re.compile(f"(?!\n)[{_CONTROLS}]")
_ESCAPED = re.compile(r"\\(?:\\|x([0-9a-f]{2})|u([0-9a-f]{4}))")


def _escape_char(char: str) -> str:
    code = ord(char)
    if char == "\\":
        return "\\\\"
    if code < 0x80:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as os.fsdecode carries it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def escape(text: str) -> str:
    """``text`` with every unsafe character (and the backslash) as a visible escape.

    Reversible (``unescape``) and injective: ``\\xNN`` is a byte (below 0x80 a control
    character, above it a byte that is not UTF-8), ``\\uNNNN`` a code point, ``\\\\`` a
    backslash. Printable text, accents and CJK included, is left as it is.
    """
    return _UNSAFE.sub(lambda m: _escape_char(m.group()), text)


def unescape(text: str) -> str:
    """The original of ``escape(text)`` (bytes that were not UTF-8 come back as surrogates)."""

    def original(match: re.Match[str]) -> str:
        byte, code = match.group(1), match.group(2)
        if byte is not None:
            value = int(byte, 16)
            return chr(value) if value < 0x80 else chr(0xDC00 + value)
        if code is not None:
            return chr(int(code, 16))
        return "\\"

    return _ESCAPED.sub(original, text)


def terminal_safe(text: str) -> str:
    """Text to print: line breaks kept, every other control character shown as an escape."""
    return _CONTROL_BUT_NEWLINE.sub(lambda m: _escape_char(m.group()), text)


def inert(text: str) -> str:
    """``text`` with its control characters escaped, backslashes left alone: idempotent, so
    text already passed through ``escape`` comes back unchanged."""
    return _CONTROL.sub(lambda m: _escape_char(m.group()), text)


def say(text: str, file: IO[str] | None = None) -> None:
    """Print one message (to stderr by default) with control characters made inert."""
    print(terminal_safe(text), file=file if file is not None else sys.stderr)
