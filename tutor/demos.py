"""Runnable demos inside lessons.

A lesson marks a fenced code block as runnable by writing ``python demo`` as its info string
(see docs/lessons.md). Demos are numbered 1..N in the order they appear, so
``tutor demo 05-processes 2`` and the TUI's "run demo" key name the same block. The learner
then sees the numbers a claim rests on, measured on their own machine.

Parsing follows CommonMark's fence rules (backtick or tilde fences, up to three spaces of
indentation, a closing fence at least as long as the opening one), so a demo shown *inside*
a longer fence, as docs/lessons.md does, is not mistaken for a real one.
"""

from __future__ import annotations

import re
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course import Lesson

DEFAULT_TIMEOUT_S = 30.0
"""Wall limit for one demo run unless its fence says ``timeout=SECONDS``."""

MAX_TIMEOUT_S = 120.0

_OPENING = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,})(?P<info>.*)$")


class DemoFormatError(ValueError):
    """A demo fence that cannot be run as written; the message names the line."""

    def __init__(self, line: int, message: str, path: Path | None = None) -> None:
        where = f"{path}:{line}" if path is not None else f"line {line}"
        super().__init__(f"{where}: {message}")
        self.line = line
        self.message = message
        self.path = path


@dataclass(frozen=True)
class Demo:
    """One runnable block: its number in the lesson, a title, and the code to run."""

    number: int
    title: str
    code: str
    line: int
    timeout_s: float = DEFAULT_TIMEOUT_S


def is_demo_info(info: str) -> bool:
    """True for an info string such as ``python demo`` or ``python demo timeout=20``."""
    words = info.split()
    return len(words) >= 2 and words[0] == "python" and words[1] == "demo"


def parse_demos(text: str) -> tuple[Demo, ...]:
    """Every demo in a lesson's markdown, numbered from 1; raises DemoFormatError."""
    lines = text.splitlines()
    demos: list[Demo] = []
    index = 0
    while index < len(lines):
        opening = _OPENING.match(lines[index])
        if opening is None or (opening["fence"][0] == "`" and "`" in opening["info"]):
            index += 1
            continue
        end = _closing_index(lines, index + 1, opening["fence"])
        info = opening["info"].strip()
        if is_demo_info(info):
            start_line = index + 1
            if end is None:
                raise DemoFormatError(start_line, "demo block is never closed")
            body = [_strip_indent(line, len(opening["indent"])) for line in lines[index + 1 : end]]
            demos.append(_make_demo(len(demos) + 1, start_line, info, body))
        index = len(lines) if end is None else end + 1
    return tuple(demos)


def lesson_demos(lesson: Lesson) -> tuple[Demo, ...]:
    """The demos of a course lesson; DemoFormatError names the file and line."""
    try:
        return parse_demos(lesson.text())
    except DemoFormatError as exc:
        raise DemoFormatError(exc.line, exc.message, lesson.path) from None


def find_demo(demos: tuple[Demo, ...], number: int) -> Demo:
    """Demo ``number`` (1-based); IndexError with a readable message when there is none."""
    if not 1 <= number <= len(demos):
        if not demos:
            raise IndexError("this lesson has no demos")
        raise IndexError(f"no demo {number}; this lesson has demos 1 to {len(demos)}")
    return demos[number - 1]


def _closing_index(lines: list[str], start: int, fence: str) -> int | None:
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$")
    for index in range(start, len(lines)):
        if closing.match(lines[index]):
            return index
    return None


def _strip_indent(line: str, width: int) -> str:
    spaces = len(line) - len(line.lstrip(" "))
    return line[min(spaces, width) :]


def _make_demo(number: int, line: int, info: str, body: list[str]) -> Demo:
    code = "\n".join(body).strip("\n")
    if not code.strip():
        raise DemoFormatError(line, "demo block is empty")
    try:
        compile(code, f"<demo {number}>", "exec")
    except SyntaxError as exc:
        where = line + (exc.lineno or 0)
        raise DemoFormatError(where, f"demo {number} is not valid Python: {exc.msg}") from None
    return Demo(
        number=number,
        title=_title(code, number),
        code=code + "\n",
        line=line,
        timeout_s=_timeout(info, line),
    )


def _title(code: str, number: int) -> str:
    first = code.lstrip().splitlines()[0].strip()
    if first.startswith("#") and not first.startswith("#!"):
        title = first.lstrip("#").strip()
        if title:
            return title
    return f"Demo {number}"


def _timeout(info: str, line: int) -> float:
    timeout = DEFAULT_TIMEOUT_S
    for option in info.split()[2:]:
        key, sep, value = option.partition("=")
        if key != "timeout" or not sep:
            raise DemoFormatError(line, f"unknown demo option {option!r}; only timeout=SECONDS")
        try:
            timeout = float(value)
        except ValueError:
            raise DemoFormatError(line, f"timeout={value!r} is not a number") from None
        if not 0 < timeout <= MAX_TIMEOUT_S:
            raise DemoFormatError(line, f"timeout must be between 0 and {MAX_TIMEOUT_S:g} s")
    return timeout


@dataclass(frozen=True)
class DemoRun:
    """What one run of a demo printed, and how it ended."""

    demo: Demo
    output: str
    ok: bool
    ended: str
    duration_s: float
    timed_out: bool


def run_demo(
    demo: Demo,
    *,
    python: str | None = None,
    cancel: threading.Event | None = None,
) -> DemoRun:
    """Run a demo as a script in the sandboxed runner (docs/sandbox.md); blocks until done.

    The script sits in a fresh scratch directory; only its ``tmp/`` (also ``TMPDIR`` and
    ``HOME``) is writable, and ``tutor`` is importable so demos can use ``tutor.interleave``.
    Safe to call from a worker thread; ``cancel`` stops the run early.
    """
    from tutor.runner import run_sandboxed

    with tempfile.TemporaryDirectory(prefix="tutor-demo-") as scratch_name:
        scratch = Path(scratch_name)
        writable = scratch / "tmp"
        writable.mkdir()
        script = scratch / f"demo_{demo.number}.py"
        script.write_text(demo.code, encoding="utf-8")
        env = {
            "PYTHONPATH": str(_PACKAGE_PARENT),
            "TMPDIR": str(writable),
            "HOME": str(writable),
        }
        result = run_sandboxed(
            [python or sys.executable, script.name],
            cwd=scratch,
            timeout_s=demo.timeout_s,
            env=env,
            writable=[writable],
            cancel=cancel,
        )
    return DemoRun(
        demo=demo,
        output=result.output,
        ok=result.ok,
        ended=result.error or result.describe_end(),
        duration_s=result.duration_s,
        timed_out=result.timed_out,
    )


_PACKAGE_PARENT = Path(__file__).resolve().parent.parent
