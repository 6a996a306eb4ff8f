"""Run a command as a child subreaper and report every process it left behind.

Usage: python watch.py -- COMMAND...   Prints one JSON object: the command's exit status,
stdout and stderr, its wall time, and "survivors": the processes below this one still alive
after the command exited (orphans of the command are reparented here, because this process
is a subreaper, so none can hide). Survivors are then killed, so a failing test leaves no mess.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))

from tutor.runner import proctree  # noqa: E402

PR_SET_CHILD_SUBREAPER = 36


def main() -> int:
    argv = sys.argv[sys.argv.index("--") + 1 :]
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print(json.dumps({"error": "cannot become a subreaper"}))
        return 1
    started = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, stdin=subprocess.DEVNULL)
    wall = time.monotonic() - started
    time.sleep(0.2)  # let anything that escaped show itself
    survivors = []
    for pid in sorted(proctree.descendants(os.getpid())):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                command = f.read().replace(b"\0", b" ").decode(errors="replace")
            survivors.append(f"{pid}: {command[:200]}")
        except OSError:
            continue
    for pid in proctree.descendants(os.getpid()):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    proctree.kill_descendants(give_up_s=5)
    report = {
        "returncode": proc.returncode,
        "stdout": proc.stdout.decode(errors="replace"),
        "stderr": proc.stderr.decode(errors="replace"),
        "wall_s": wall,
        "survivors": survivors,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
