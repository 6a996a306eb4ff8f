"""`-o` is written the way a careful shell redirection would: a regular file replaced atomically
with the umask's mode, a symlink's target written and the link kept, a device or FIFO written
through, never replaced (issue 17, item 1); and learners' text is made inert for terminals."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.output import (
    OutputError,
    check_output,
    escape,
    inert,
    terminal_safe,
    unescape,
    write_output,
)

REPORT = {"results": [], "complete": True}


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_file_follows_the_umask(tmp_path: Path, umask_027) -> None:
    target = tmp_path / "grades.json"
    assert write_output(str(target), "new\n") == "created"
    assert target.read_text() == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # 0666 & ~027, not 0600


def test_a_regular_file_is_replaced_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "grades.csv"
    target.write_text("old\n")
    target.chmod(0o664)
    before = target.stat().st_ino
    assert write_output(str(target), "new\n") == "replaced"
    assert target.read_text() == "new\n"
    assert target.stat().st_ino != before  # a new file renamed over it, not rewritten in place
    assert stat.S_IMODE(target.stat().st_mode) == 0o664
    assert [p.name for p in tmp_path.iterdir()] == ["grades.csv"]  # no temporary file left


def test_a_symlink_is_written_through_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "grades.json"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "grades.json"
    link.symlink_to(real)
    write_output(str(link), "new")
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() == "new"
    dangling = tmp_path / "later.json"
    dangling.symlink_to(tmp_path / "made-later.json")
    write_output(str(dangling), "made")
    assert dangling.is_symlink() and (tmp_path / "made-later.json").read_text() == "made"


def test_a_fifo_is_written_through_not_replaced(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    assert write_output(str(fifo), "through the pipe\n") == "written through"
    reader.join(timeout=30)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_stays_a_device_even_for_root(tmp_path: Path) -> None:
    """The issue's case: `merge ... -o /dev/null` as root turned /dev/null into a file. A null
    device of our own (same major/minor) shows the same without touching the machine's."""
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    report = tmp_path / "r.json"
    report.write_text(json.dumps(REPORT))
    assert main(["merge", str(report), "-o", str(null)]) == 0
    info = os.stat(null)
    assert stat.S_ISCHR(info.st_mode) and os.major(info.st_rdev) == 1


def test_dash_is_stdout(capsys) -> None:
    assert write_output("-", "to stdout\n") == "stdout"
    assert capsys.readouterr().out == "to stdout\n"


def test_what_cannot_be_written_is_refused_before_the_work(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        check_output(str(tmp_path))
    check_output(str(tmp_path / "new" / "deeper" / "r.json"))  # folders are made, like mkdir -p
    assert (tmp_path / "new" / "deeper").is_dir()
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(OutputError, match="permission denied"):
            check_output(str(locked / "r.json"))


@pytest.mark.parametrize(
    "raw",
    [
        "zed\x01",
        "zed\x02",
        "back\\slash",
        "caf" + b"\xe9".decode("utf-8", "surrogateescape"),  # a Latin-1 file name
        "\x1b]0;pwned\x07title",
        "rtl\u202eevil",
        "né 中文 ok",
        "\u0085next-line",
    ],
)
def test_escape_is_reversible_and_printable(raw: str) -> None:
    shown = escape(raw)
    assert unescape(shown) == raw
    assert shown.isprintable()
    assert inert(shown) == shown  # escaping twice changes nothing
    assert terminal_safe(shown) == shown


def test_escape_keeps_names_apart() -> None:
    names = ["zed\x01", "zed\x02", "zed\\x01", "zed\ufffd", "zed"]
    assert len({escape(name) for name in names}) == len(names)


def test_terminal_safe_keeps_line_breaks_only() -> None:
    assert terminal_safe("a\x1b[2Jb\nc\rd") == "a\\x1b[2Jb\nc\\x0dd"
