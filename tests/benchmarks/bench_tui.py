"""TUI figures in a real 80x24 terminal (tmux): start-up, memory, idle terminal traffic.

    python tests/benchmarks/bench_tui.py [--runs N] [--course DIR]

1. Time to first frame: from starting the process to its first screen being on the terminal,
   for ``python -m tutor`` and for a hello-world Textual app in the same run (goal: ratio at
   most 1.5x). Median of N runs, alternating the two.
2. Resident memory after opening an exercise (goal: at most 80 MB).
3. Bytes written to the terminal in 10 idle seconds on the exercise screen (cursor in the
   editor), with blink on (a local terminal) and off (``TUTOR_NO_BLINK=1``; goal: near zero).

Uses a private tmux server (its own socket) and kills only that. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURE_COURSE = REPO / "tests" / "ui" / "fixtures" / "course"
HELLO_APP = """\
from textual.app import App
from textual.widgets import Footer, Static


class Hello(App):
    def compose(self):
        yield Static("Hello, world")
        yield Footer()


Hello().run()
"""
IDLE_SECONDS = 10.0
REMOTE_VARS = ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY", "TUTOR_NO_BLINK")


class Tmux:
    def __init__(self) -> None:
        self.socket = f"tutor-bench-{os.getpid()}"

    def run(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            timeout=30,
        )
        return done.stdout

    def start(self, name: str, command: str) -> None:
        self.run("new-session", "-d", "-s", name, "-x", "80", "-y", "24", command)

    def screen(self, name: str) -> str:
        return self.run("capture-pane", "-p", "-t", name, check=False)

    def wait_for(
        self, name: str, text: str, timeout_s: float = 60.0, poll_s: float = 0.005
    ) -> float:
        deadline = time.perf_counter() + timeout_s
        while text not in self.screen(name):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{name}: never showed {text!r}:\n{self.screen(name)}")
            time.sleep(poll_s)
        return time.perf_counter()

    def kill_session(self, name: str) -> None:
        self.run("kill-session", "-t", name, check=False)

    def pane_pid(self, name: str) -> int:
        return int(self.run("display-message", "-p", "-t", name, "#{pane_pid}").strip())

    def kill_server(self) -> None:
        self.run("kill-server", check=False)


def shell_command(argv: list[str], env: dict[str, str], unset: tuple[str, ...] = ()) -> str:
    """``exec env ... argv`` so the pane's process is the program itself."""
    parts = ["exec", "env"] + [f"-u{name}" for name in unset]
    parts += [f"{key}={value}" for key, value in env.items()] + argv
    return " ".join(shlex.quote(p) for p in parts)


def first_frame_s(tmux: Tmux, name: str, command: str, marker: str) -> float:
    started = time.perf_counter()
    tmux.start(name, command)
    seen = tmux.wait_for(name, marker)
    tmux.kill_session(name)
    return seen - started


def rss_mb(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return fields["VmRSS"], fields["VmHWM"]


def open_exercise(tmux: Tmux, name: str, command: str, course_title: str) -> None:
    tmux.start(name, command)
    tmux.wait_for(name, course_title)
    tmux.wait_for(name, "passed")  # progress loaded
    tmux.run("send-keys", "-t", name, "c")
    tmux.wait_for(name, "watching the file")


def idle_bytes(tmux: Tmux, name: str, out: Path) -> int:
    time.sleep(2.0)  # let start-up repaints and notifications settle
    tmux.run("pipe-pane", "-o", "-t", name, f"cat > {shlex.quote(str(out))}")
    time.sleep(IDLE_SECONDS)
    tmux.run("pipe-pane", "-t", name)
    time.sleep(0.2)
    return out.stat().st_size if out.exists() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--course", type=Path, default=FIXTURE_COURSE)
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed; nothing measured")
        return 1
    sys.path.insert(0, str(REPO))
    from tutor.course import load_course

    course_title = load_course(args.course).title
    tmux = Tmux()
    tmux.start("keeper", "sleep 3600")  # keeps the private server up between sessions
    work = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    hello = work / "hello_app.py"
    hello.write_text(HELLO_APP)
    python = sys.executable
    try:
        env = {"TUTOR_HOME": str(work / "home")}
        tutor_cmd = shell_command(
            [python, "-m", "tutor", "--course", str(args.course)], env, unset=REMOTE_VARS
        )
        hello_cmd = shell_command([python, str(hello)], {}, unset=REMOTE_VARS)
        # warm the file cache once for each, then measure alternately
        first_frame_s(tmux, "warm-t", tutor_cmd, course_title)
        first_frame_s(tmux, "warm-h", hello_cmd, "Hello, world")
        direct_code = (
            "from pathlib import Path; from tutor.ui.app import run; "
            f"run(Path({str(args.course)!r}))"
        )
        direct_cmd = shell_command([python, "-c", direct_code], env, unset=REMOTE_VARS)
        tutor_times, hello_times, direct_times = [], [], []
        for run in range(args.runs):
            tutor_times.append(first_frame_s(tmux, f"t{run}", tutor_cmd, course_title))
            hello_times.append(first_frame_s(tmux, f"h{run}", hello_cmd, "Hello, world"))
            direct_times.append(first_frame_s(tmux, f"d{run}", direct_cmd, course_title))
        tutor_s, hello_s = statistics.median(tutor_times), statistics.median(hello_times)
        direct_s = statistics.median(direct_times)
        print(f"first frame, median of {args.runs} (tmux 80x24, polled every 5 ms):")
        print(f"  hello-world Textual app:   {hello_s * 1000:7.0f} ms")
        print(f"  python -m tutor:           {tutor_s * 1000:7.0f} ms")
        print(f"  tutor.ui.app.run, no CLI:  {direct_s * 1000:7.0f} ms")
        print(f"  ratio tutor / hello:       {tutor_s / hello_s:7.2f}x   (goal <= 1.5x)")
        print(f"  ratio app alone / hello:   {direct_s / hello_s:7.2f}x   (no CLI imports)")

        open_exercise(tmux, "mem", tutor_cmd, course_title)
        rss, hwm = rss_mb(tmux.pane_pid("mem"))
        print(
            f"memory after opening an exercise: RSS {rss:.1f} MB, peak {hwm:.1f} MB"
            "   (goal <= 80 MB)"
        )
        tmux.kill_session("mem")

        for label, extra in (
            ("blink on (local terminal)", {}),
            ("blink off (TUTOR_NO_BLINK=1)", {"TUTOR_NO_BLINK": "1"}),
        ):
            cmd = shell_command(
                [python, "-m", "tutor", "--course", str(args.course)],
                {**env, **extra},
                unset=REMOTE_VARS,
            )
            name = f"idle{len(extra)}"
            open_exercise(tmux, name, cmd, course_title)
            written = idle_bytes(tmux, name, work / f"{name}.out")
            print(f"bytes to the terminal in {IDLE_SECONDS:.0f} idle s, {label}: {written}")
            tmux.kill_session(name)
    finally:
        tmux.kill_server()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
