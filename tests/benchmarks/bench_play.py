"""The scheduler screen in a real 80x24 terminal (tmux): key press to updated screen, memory.

    python tests/benchmarks/bench_play.py [--presses N] [--course DIR] [--exercise ID]

1. Latency: ``tutor play ID`` runs in tmux; the script presses a number key that may run now
   (read from the screen's "Who runs next?" line) and polls the terminal until the status line
   shows the next step number. The time from just before ``tmux send-keys`` to the first
   capture that shows it is one sample: the key's trip through tmux and Textual, the request
   to the sandboxed child, the step there, the checked answer, and the repaint. When the run
   ends (the deadlock), ``r`` restarts it, and that restart is not a sample. Reports the
   median, the 90th percentile and the maximum (goal: median at most 100 ms).
2. Memory: resident set of the tutor process, and of the sandboxed child (pytest with the
   hidden test, the learner's module and the controller), read from /proc at the end.

The figures include the polling (``tmux capture-pane`` every few milliseconds, itself a
process start each time), so they overstate the latency a little. Uses a private tmux server
(its own socket) and kills only that. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "play"))

from play_helpers import FIXTURE_COURSE, Terminal  # noqa: E402

STEP = re.compile(r"^step (\d+)", re.MULTILINE)
NEXT = re.compile(r"Who runs next\? (.*)$", re.MULTILINE)


def current_step(screen: str) -> int | None:
    match = STEP.search(screen)
    return int(match.group(1)) if match else None


def runnable_key(screen: str) -> str | None:
    """The first thread key the screen offers ("Who runs next? 1 T1  2 T2")."""
    match = NEXT.search(screen)
    if match is None:
        return None
    keys = re.findall(r"(\d) T\d+", match.group(1))
    return keys[len(keys) // 2] if keys else None  # alternate threads: a deadlock comes


def cpu_s(pid: int) -> float:
    """User plus system CPU time of a process and its threads, in seconds."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def command_line(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            return cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def processes(terminal: Terminal) -> tuple[int, list[int]]:
    """The tutor's pid, and the pids of its sandboxed child (pytest with the play driver)."""
    pane = int(terminal.tmux("list-panes", "-t", "play", "-F", "#{pane_pid}").stdout)
    tutor = [p for p in [pane, *descendants(pane)] if " -m tutor " in command_line(p)][0]
    return tutor, [p for p in descendants(tutor) if "tutor.play.driver" in command_line(p)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=60)
    parser.add_argument("--course", default=str(FIXTURE_COURSE))
    parser.add_argument("--exercise", default="transfer-deadlock")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is not installed")
        return 2
    home = tempfile.mkdtemp(prefix="tutor-bench-play-")
    terminal = Terminal(socket=f"tutor-bench-play-{os.getpid()}")
    terminal.start(f"env TUTOR_HOME={home} TUTOR_NO_BLINK=1 {sys.executable} -m tutor "
                   f"--course {args.course} play {args.exercise}")  # fmt: skip
    samples: list[float] = []
    try:
        started = time.monotonic()
        screen = terminal.wait_for("Who runs next?", "step 0", poll_s=0.02)
        print(f"scenario on screen after {time.monotonic() - started:.2f} s")
        tutor, child = processes(terminal)
        cpu_before = cpu_s(tutor), sum(cpu_s(p) for p in child)
        while len(samples) < args.presses:
            step, key = current_step(screen), runnable_key(screen)
            if step is None or key is None:  # the run is over: restart (not a sample)
                terminal.keys("r", pause_s=0)
                screen = terminal.wait_for("step 0", "Who runs next?", poll_s=0.02)
                continue
            before = time.monotonic()
            terminal.keys(key, pause_s=0)
            while True:
                screen = terminal.screen()
                if current_step(screen) == step + 1 and "working" not in screen:
                    break
                if time.monotonic() - before > 30:
                    raise AssertionError(f"no step {step + 1} after 30 s:\n{screen}")
            samples.append((time.monotonic() - before) * 1000)
        tutor_cpu = (cpu_s(tutor) - cpu_before[0]) * 1000 / len(samples)
        child_cpu = (sum(cpu_s(p) for p in child) - cpu_before[1]) * 1000 / len(samples)
        print(f"{len(samples)} key presses: median {statistics.median(samples):.1f} ms, "
              f"p90 {statistics.quantiles(samples, n=10)[-1]:.1f} ms, "
              f"max {max(samples):.1f} ms (goal: median <= 100 ms)")
        print(f"CPU per key press (restarts included): tutor {tutor_cpu:.1f} ms, "
              f"sandboxed child {child_cpu:.1f} ms")
        print(f"memory: tutor {rss_kib(tutor) / 1024:.1f} MiB, sandboxed child "
              f"{sum(rss_kib(p) for p in child) / 1024:.1f} MiB")
        load = os.getloadavg()
        print(f"load average during the run: {load[0]:.1f} (2 cores)")
    finally:
        terminal.kill()
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
